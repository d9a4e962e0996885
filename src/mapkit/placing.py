"""Where a figure is: each distinct place name of a figures table resolved once.

A name resolves to a district's code, to an economic region (a group of districts, kept but not
put on one polygon), or to a former or unnamed district (kept, not placed); else it is refused.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .data import read_table
from .errors import MapkitError, shown
from .names import GROUP_SEPARATOR, gazetteer, skeleton

__all__ = ["economic_regions", "places"]


def places(names: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Resolve each distinct area name once: its code, display name, problem and whether it is a
    former or unnamed district, kept but not placed."""
    gaz = gazetteer()
    iso = np.full(len(names), "", dtype=object)
    display = np.full(len(names), "", dtype=object)
    problem = np.full(len(names), None, dtype=object)
    unplaced = np.zeros(len(names), dtype=bool)
    for k, text in enumerate(names):
        if not text:
            continue
        if len(text) > _LONGEST_NAME:  # no place has such a name; do not compare it with each
            problem[k] = f"unknown place {shown(text)}"
            continue
        why = gaz.unplaced(text)
        if why:
            display[k], unplaced[k] = f"{text} ({why})", True
            continue
        try:
            iso[k] = gaz.resolve(text)
            display[k] = gaz.name(iso[k])
        except (MapkitError, ValueError) as exc:
            region = _region(text)
            if region:
                iso[k], display[k] = region, f"{text} ({gaz.name(region)})"
            else:
                problem[k] = getattr(exc, "problem", str(exc))
    return iso, display, problem, unplaced


@cache
def economic_regions() -> dict[str, str]:
    """The economic regions (2021) as groups of districts: ``skeleton(name)`` → ``AZ-A+AZ-B``.

    A region is a place a figure may be about (``Karabakh``); like any group it is kept, never
    put on one polygon.
    """
    table = read_table("district_names.csv")
    return {
        skeleton(region): GROUP_SEPARATOR.join(sorted(rows.iso))
        for region, rows in table[table.economic_region != ""].groupby("economic_region")
    }


def _region(name: str) -> str:
    """The group of districts of an economic region named ``name`` (``""`` if it is none)."""
    words = [w for w in name.split() if w.lower() not in ("economic", "region", "iqtisadi")]
    key = skeleton(" ".join(words))
    gaz = gazetteer()
    if not key or key in gaz.index or key in gaz.former:
        return ""  # a district's name (or an ambiguous one) is never taken for a region
    return economic_regions().get(key, "")


_LONGEST_NAME = 200
