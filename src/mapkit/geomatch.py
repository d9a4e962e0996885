"""Match a boundary file's features to mapkit's reference districts by where they lie.

Every feature of a user's file is compared with the embedded reference districts by the
*overlap* of the two polygons: intersection over union (IoU), computed in the equal-area
projection :data:`mapkit.country.EQUAL_AREA` on copies simplified to
:data:`SIMPLIFY_METRES`. The overlap confirms a name or code, corrects a mislabelled polygon,
matches a feature that has no usable name, and recognises files of coarser units (the 14 economic
regions, or the two ADM1 parts: mainland Azerbaijan and the Nakhchivan Autonomous Republic).

Thresholds
----------
:data:`MATCH_OVERLAP`
    A feature *is* a reference district when their overlap reaches it (0.5). Polygons of the same
    district from different sources overlap 0.6-0.9 (geoBoundaries ADM2 against Natural Earth);
    since reference districts do not overlap each other, a feature can reach 0.5 with one only.
:data:`CONFIRM_OVERLAP`, :data:`INSIDE_SHARE`
    A name is confirmed when the feature overlaps the named district at least 0.2, or lies at
    least half inside it (a city drawn smaller than in the reference).
:data:`AMBIGUITY_MARGIN`
    A geometry match needs the best overlap to beat the runner-up by 0.1; otherwise nothing is
    guessed and the feature is reported as ambiguous.
:data:`COVER_SHARE`
    A coarser unit contains a reference district when it covers 0.8 of that district's area.
:data:`PART_SHARE`
    A nameless feature lying 0.9 inside one district that it does not match is a part of it
    (a town drawn inside its rayon): left out, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .country import EQUAL_AREA
from .data import embedded_districts, embedded_units
from .errors import MapkitError

__all__ = [
    "AMBIGUITY_MARGIN",
    "CONFIRM_OVERLAP",
    "COVER_SHARE",
    "GROUP_AGREEMENT",
    "INSIDE_SHARE",
    "MAINLAND",
    "MATCH_OVERLAP",
    "PART_SHARE",
    "SIMPLIFY_METRES",
    "Match",
    "area_km2",
    "group_of",
    "groups",
    "match",
    "named_group",
    "overlaps",
    "reference_names",
]

MATCH_OVERLAP = 0.5
"""Overlap (IoU) at or above which a feature is taken to be that reference district."""
CONFIRM_OVERLAP = 0.2
"""Overlap (IoU) with the named district at or above which the name is confirmed."""
INSIDE_SHARE = 0.5
"""Share of a feature's area inside the named district that also confirms the name."""
AMBIGUITY_MARGIN = 0.1
"""How much the best overlap must exceed the runner-up for a match by geometry."""
COVER_SHARE = 0.8
"""Share of a reference district's area a coarser unit must cover to contain it."""
GROUP_AGREEMENT = 0.9
"""Overlap of the covered districts with a known group (region, ADM1 part) that names the group."""
PART_SHARE = 0.9
"""Share of a feature's area inside one district that makes it a part of that district."""
SIMPLIFY_METRES = 200.0
"""Tolerance of the simplification applied to both sides before comparing (metres)."""

MAINLAND = "mainland Azerbaijan"
"""The ADM1 part outside the Nakhchivan Autonomous Republic ("Contiguous Azerbaijan")."""
_MAINLAND_NAMES = ("Contiguous Azerbaijan", "Mainland Azerbaijan", "mainland")


def area_km2(geometry: gpd.GeoSeries) -> pd.Series:
    """Areas in km², computed in the equal-area projection :data:`EQUAL_AREA`."""
    return (geometry.to_crs(EQUAL_AREA).area / 1e6).round(1)


@dataclass
class Match:
    """How one feature of a file was matched.

    ``feature`` counts the file's features from 1, null geometries included; ``how`` is
    ``code``, ``name``, ``geometry``, ``region`` (a coarser unit) or empty when left out.
    """

    feature: int
    label: str
    iso: str | None
    how: str
    overlap: float | None
    covers: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    named: str | None = None  # the code the name or code field gave, if any


@cache
def _reference() -> tuple[gpd.GeoDataFrame, shapely.STRtree]:
    ref = embedded_districts().to_crs(EQUAL_AREA)
    geoms = shapely.simplify(ref.geometry.values, SIMPLIFY_METRES, preserve_topology=True)
    ref = ref.set_geometry(geoms)
    return ref, shapely.STRtree(geoms)


@cache
def reference_names() -> dict[str, str]:
    """``iso -> name_az`` of the reference districts."""
    from .names import gazetteer

    ref, _ = _reference()
    parents = {c: u.name_en for c, u in gazetteer().units.items() if c in gazetteer().groups}
    return {**parents, **dict(zip(ref.iso, ref.name_az, strict=True))}


def overlaps(geometry: gpd.GeoSeries) -> pd.DataFrame:
    """Every (feature, reference district) pair that intersects, with its overlap measures.

    Parameters
    ----------
    geometry : GeoSeries
        The features, in any CRS; position ``k`` is reported as ``k``.

    Returns
    -------
    DataFrame
        ``k``, ``iso``, ``iou``, ``share_feature`` (of the feature's area inside the district),
        ``share_reference`` (of the district's area covered), sorted by ``k`` then best first.
    """
    ref, tree = _reference()
    geoms = shapely.simplify(
        geometry.to_crs(EQUAL_AREA).values, SIMPLIFY_METRES, preserve_topology=True
    )
    left, right = tree.query(geoms, predicate="intersects")
    inter = shapely.area(shapely.intersection(geoms[left], ref.geometry.values[right]))
    area_f = shapely.area(geoms)[left]
    area_r = shapely.area(ref.geometry.values)[right]
    union = np.maximum(area_f + area_r - inter, 1e-9)
    table = pd.DataFrame(
        {
            "k": left,
            "iso": ref.iso.values[right],
            "iou": inter / union,
            "share_feature": inter / np.maximum(area_f, 1e-9),
            "share_reference": inter / np.maximum(area_r, 1e-9),
        }
    )
    table = table[table.iou > 0]
    return table.sort_values(["k", "iou"], ascending=[True, False], ignore_index=True)


@cache
def groups() -> dict[str, tuple[str, ...]]:
    """The coarser units mapkit recognises: economic regions and the two ADM1 parts."""
    units = embedded_units()
    nx = tuple(sorted(units.iso[units.parent_iso == "AZ-NX"]))
    found = {
        "Nakhchivan Autonomous Republic": nx,
        MAINLAND: tuple(sorted(set(units.iso) - set(nx))),
    }
    for region, g in units.groupby("economic_region"):
        found.setdefault(f"{region} economic region", tuple(sorted(g.iso)))
    return found


def group_of(covered: set[str]) -> str | None:
    """The known coarser unit whose districts are ``covered``, if one agrees closely."""
    ref, _ = _reference()
    area = dict(zip(ref.iso, ref.geometry.area, strict=True))
    for label, members in groups().items():
        both = sum(area[i] for i in covered & set(members))
        either = sum(area[i] for i in covered | set(members))
        if either and both / either >= GROUP_AGREEMENT:
            return label
    return None


def named_group(label: str) -> str | None:
    """The coarser unit a feature's name says, if it names one."""
    from .names import gazetteer, skeleton, split_kind

    key = skeleton(split_kind(label)[0])
    if key in {skeleton(n) for n in _MAINLAND_NAMES}:
        return MAINLAND
    for name in groups():
        if key == skeleton(name.removesuffix(" economic region")):
            return name
    try:
        code = gazetteer().resolve(label)
    except MapkitError:  # a name the gazetteer does not know names no group
        return None
    members = tuple(sorted(code.split("+")))
    return next((n for n, m in groups().items() if len(m) > 1 and m == members), None)


def match(
    geometry: gpd.GeoSeries,
    labels: list[str],
    candidates: list[tuple[str, ...]],
    numbers: list[int],
    how_named: str = "name",
) -> list[Match]:
    """Decide which reference district (or coarser unit) each feature is.

    Parameters
    ----------
    geometry : GeoSeries
        The features' polygons.
    labels : list of str
        What each feature is called in the file (shown in messages, control characters visible).
    candidates : list of tuple of str
        The codes each feature's name or code could mean: one (resolved), several (an ambiguous
        name such as "Lankaran": city or rayon) or none (no usable name).
    numbers : list of int
        Each feature's number in the file (from 1, null geometries counted).
    how_named : str
        ``"code"`` or ``"name"``: what the candidates came from; ``"none"`` when the file has no
        field of names or codes.

    Returns
    -------
    list of Match
        One per feature; ambiguous ones have ``how == "ambiguous"`` and a note saying why.
    """
    names = reference_names()
    by_feature: dict[int, list[Any]] = {}
    for row in overlaps(geometry).itertuples(index=False):  # best first for each feature
        by_feature.setdefault(row.k, []).append(row)
    result = []
    for k, (label, options, number) in enumerate(zip(labels, candidates, numbers, strict=True)):
        rows = by_feature.get(k, [])
        result.append(_decide(rows, label, options, number, how_named, names))
    _report_swaps(result, names)
    _leave_out_extras(result, by_feature, names)
    return result


def _leave_out_extras(
    result: list[Match], by_feature: dict[int, list[Any]], names: dict[str, str]
) -> None:
    """A polygon matched by geometry alone onto a district another feature is by name or code
    (an extra "Nagorno-Karabakh" over several districts) is left out, not merged."""
    confirmed = {m.iso: m for m in result if m.how in ("name", "code")}
    for k, m in enumerate(result):
        owner = confirmed.get(m.iso)
        if m.how != "geometry" or owner is None or m.named == m.iso:
            continue
        covered = [r.iso for r in by_feature.get(k, []) if r.share_reference >= COVER_SHARE]
        covers = ", ".join(f"{names[i]} ({i})" for i in covered)
        m.notes = [
            f"feature {m.feature} '{m.label}' lies on {_fmt(m.iso, names, m.overlap or 0)}, "
            f"which is feature {owner.feature} '{owner.label}'"
            + (f", and covers {covers}" if covers else "")
            + ": left out, not merged"
        ]
        m.iso, m.how, m.covers = None, "", tuple(covered)


def _fmt(iso: str, names: dict[str, str], overlap: float) -> str:
    return f"{names.get(iso, iso)} ({iso}, overlap {overlap:.2f})"


def _decide(
    rows: list[Any],
    label: str,
    options: tuple[str, ...],
    number: int,
    how_named: str,
    names: dict[str, str],
) -> Match:
    here = f"feature {number} '{label}'" if label else f"feature {number}"
    best = rows[0] if rows else None
    runner_up = float(rows[1].iou) if len(rows) > 1 else 0.0
    clear = (
        best is not None and best.iou >= MATCH_OVERLAP and best.iou - runner_up >= AMBIGUITY_MARGIN
    )
    covered = {r.iso for r in rows if r.share_reference >= COVER_SHARE}
    if len(covered) > 1 and not clear:
        return _coarser(label, number, covered, here)
    if options:
        on_option = [r for r in rows if r.iso in options]
        confirmed = [
            r for r in on_option if r.iou >= CONFIRM_OVERLAP or r.share_feature >= INSIDE_SHARE
        ]
        if len(options) > 1 and confirmed:
            pick = confirmed[0]
            note = (
                f"{here} could be {' or '.join(names.get(o, o) + f' ({o})' for o in options)}: "
                f"its polygon says {_fmt(pick.iso, names, pick.iou)}"
            )
            return Match(number, label, pick.iso, "geometry", float(pick.iou), (), [note])
        if confirmed:
            pick = confirmed[0]
            return Match(number, label, pick.iso, how_named, float(pick.iou), (), [], pick.iso)
        named = options[0] if len(options) == 1 else None
        if clear and best.iso not in options:
            note = f"{here} lies on {_fmt(best.iso, names, best.iou)}: matched by geometry"
            return Match(number, label, best.iso, "geometry", float(best.iou), (), [note], named)
        if named is not None:
            got = max((float(r.iou) for r in on_option), default=0.0)
            note = (
                f"{here} is named {names.get(named, named)} ({named}) but overlaps it only "
                f"{got:.2f} in mapkit's reference districts: kept by its name"
            )
            return Match(number, label, named, how_named, got, (), [note], named)
    if clear:
        notes = []
        if how_named != "none":
            notes.append(
                f"{here} is no name mapkit knows; it lies on {_fmt(best.iso, names, best.iou)}: "
                "matched by geometry"
            )
        return Match(number, label, best.iso, "geometry", float(best.iou), (), notes)
    if best is None:
        why = f"{here} lies on no district of Azerbaijan: left out"
        return Match(number, label, None, "", None, (), [why])
    if not options and best.share_feature >= PART_SHARE:
        why = (
            f"{here} lies inside {names.get(best.iso, best.iso)} ({best.iso}) but is only "
            f"{best.share_reference:.0%} of it: left out (part of a district?)"
        )
        return Match(number, label, None, "", float(best.iou), (), [why])
    close = [r for r in rows if r.iou >= best.iou - AMBIGUITY_MARGIN][:3]
    listed = ", ".join(_fmt(r.iso, names, r.iou) for r in close)
    if not options and how_named != "none":
        why = f"{here} is no name mapkit knows and overlaps {listed}: left out"
        return Match(number, label, None, "", float(best.iou), (), [why])
    if options:
        why = f"{here} is ambiguous ({' or '.join(options)}) and its polygon overlaps {listed}"
    else:
        why = f"{here} overlaps {listed}: no single district is clear"
    return Match(number, label, None, "ambiguous", float(best.iou), (), [why])


def _coarser(label: str, number: int, covered: set[str], here: str) -> Match:
    group, said = group_of(covered), named_group(label)
    if group and said and groups()[group] == groups()[said]:
        group = said  # the same districts: the Nakhchivan economic region is the AR
    notes = []
    if group is None:
        notes.append(f"{here} covers {len(covered)} districts that form no unit mapkit knows")
    elif said and said != group:
        notes.append(f"{here} covers the {group} ({len(covered)} districts), not the {said}")
    return Match(number, label, group, "region", None, tuple(sorted(covered)), notes, said)


def _report_swaps(result: list[Match], names: dict[str, str]) -> None:
    """Replace the two notes of a pair of features whose names trade places by one."""
    moved = {
        m.named: m
        for m in result
        if m.how in ("geometry", "region") and m.named and m.iso and m.named != m.iso
    }
    for m in list(moved.values()):
        other = moved.get(m.iso)
        if other is None or other.iso != m.named or m.feature > other.feature:
            continue
        note = (
            f"features {m.feature} '{m.label}' and {other.feature} '{other.label}' have their "
            f"names swapped: {m.feature} lies on {_unit(m.iso, names)}, {other.feature} on "
            f"{_unit(other.iso, names)}; matched by geometry"
        )
        m.notes, other.notes = [note], []


def _unit(iso: str, names: dict[str, str]) -> str:
    return f"{names[iso]} ({iso})" if iso in names else iso
