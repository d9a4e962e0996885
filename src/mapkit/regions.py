"""Figures per region: a map of economic regions or ADM1 parts from figures stated per district.

A boundary file whose features are coarser units (the 14 economic regions of 2021, or the two
ADM1 parts: the Nakhchivan Autonomous Republic and mainland Azerbaijan; see
:func:`mapkit.geomatch.groups`) gets a map of regions. Each region gets, for every series:

- a figure **stated for the region itself** (its place is exactly the region's districts, e.g.
  "Karabakh"): kept as it is, with its own source, and no sum is made for its series and date; or
- the **sum** of its districts' figures, *derived* by mapkit, when the sum is sound:

  - the series' dimension adds up (area, count, money; a share never does);
  - every district of the region that has a figure in the series on or before the date has one
    *of that date* (the same ``as_of``); the series already fixes metric, kind and period start;
  - the districts' units (after conversion) and period starts are the same;
  - each district states one value for the date (two sources that disagree are not summed);
  - the qualifiers combine (below).

  Sums are made from the last date the figures did not add up on (an earlier sum would stand,
  on the page's time control, for dates it no longer describes). A sum says how many districts
  it adds up, and of how many in the region ("sum of 3 districts' figures (of 7 in the
  region)"): a region where four districts reported nothing is not given a total. It lists
  every source it sums and is marked ``derived``.

Otherwise nothing is summed: the district figures are **listed** for the region with the reason
(``different dates``, ``… is a share``, ``different units or periods``, ``sources disagree``,
``qualifiers do not combine``), never added across different dates.

Qualifiers of a sum
-------------------
Exact values add up exactly. A lower bound ("more than", "at least") makes the sum a lower bound
("more than" if any term is "more than", else "at least"); an upper bound ("less than", "up to")
an upper bound; an approximation ("about", "estimated", "nearly") makes the sum "about".
Bounds of opposite directions, or a bound with an approximation, do not combine: not summed.

This module is pure: figures and region membership in, region figures with provenance out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .coded import plain
from .i18n import word
from .names import GROUP_SEPARATOR
from .vocabulary import metrics

__all__ = [
    "ADDITIVE",
    "RegionFigures",
    "combined_qualifier",
    "region_code",
    "region_figures",
    "summed",
]

ADDITIVE = ("area", "count", "money")
"""Dimensions (``geo/metrics.csv``) whose figures add up; a share never does."""
_BOUNDS = {
    "more than": "lower",
    "at least": "lower",
    "less than": "upper",
    "up to": "upper",
    "about": "about",
    "estimated": "about",
    "nearly": "about",
}
_STRICT = {"lower": "more than", "upper": "less than"}

AUTONOMOUS_REPUBLIC = ("Nakhchivan Autonomous Republic", "AZ-NX")
"""The ADM1 part with an ISO 3166-2 code of its own."""


def region_code(label: str) -> str:
    """A region's code: ISO 3166-2 where it has one (AZ-NX), else made from its name.

    Examples
    --------
    >>> region_code("Karabakh economic region"), region_code("mainland Azerbaijan")
    ('ER-KARABAKH', 'ADM1-MAINLAND')
    """
    if label == AUTONOMOUS_REPUBLIC[0]:
        return AUTONOMOUS_REPUBLIC[1]
    slug = re.sub(r"[^A-Z]+", "-", label.upper().removesuffix(" ECONOMIC REGION")).strip("-")
    prefix = "ER" if label.endswith(" economic region") else "ADM1"
    return f"{prefix}-{slug.removesuffix('-AZERBAIJAN')}"


def combined_qualifier(qualifiers: list[str]) -> str | None:
    """The qualifier of a sum of values so qualified, or ``None`` when they do not combine.

    Examples
    --------
    >>> combined_qualifier(["", "more than"]), combined_qualifier(["", "about", "nearly"])
    ('more than', 'about')
    >>> combined_qualifier(["more than", "up to"]) is None
    True
    """
    kinds = {_BOUNDS[q] for q in qualifiers if q}
    if not kinds:
        return ""
    if len(kinds) > 1:
        return None
    (kind,) = kinds
    if kind == "about":
        return "about"
    used = {q for q in qualifiers if q}
    return _STRICT[kind] if _STRICT[kind] in used or len(used) > 1 else used.pop()


@dataclass
class RegionFigures:
    """What a map of regions shows.

    Attributes
    ----------
    figures : DataFrame
        Figures in the columns of :func:`mapkit.load_figures` whose ``iso`` is a region's code:
        those stated for the region itself, and the derived sums (``derived`` true, ``id``
        ``sum:<region>/<series>/<date>``, every summed figure's source in ``source`` and its id
        in ``locator``).
    listed : DataFrame
        District figures that were not summed, one row each, with the ``region`` (code),
        ``region_name`` and ``reason`` (``not summed: different dates``, ...).
    """

    figures: pd.DataFrame
    listed: pd.DataFrame


def summed(n: int, size: int) -> str:
    """What a derived figure is, in words: never a region's total unless every district reported.

    Examples
    --------
    >>> summed(3, 7)
    "sum of 3 districts' figures (of 7 in the region)"
    >>> summed(1, 7)
    "1 district's figure (of 7 in the region)"
    """
    return word("summed_one" if n == 1 else "summed", n=str(n), size=str(size))


def region_figures(
    figures: pd.DataFrame, regions: Mapping[str, tuple[str, ...]], names: Mapping[str, str]
) -> RegionFigures:
    """The figures of each region: stated for it, or summed from its districts where sound.

    Parameters
    ----------
    figures : DataFrame
        From :func:`mapkit.load_figures`.
    regions : mapping of str to tuple of str
        Each region's code (see :func:`region_code`) and the ISO codes of its districts. A
        region of one district (a city that is an economic region) is that district.
    names : mapping of str to str
        Each region's name, for ``area_name``.

    Returns
    -------
    RegionFigures
    """
    kept, listed = [], []
    for code, members in regions.items():
        if tuple(members) == (code,):
            kept.append(plain(figures[figures.iso == code]).assign(derived=False))
            continue
        stated = _stated_for(figures, code, members, names[code])
        kept.append(stated)
        mine = plain(figures[figures.iso.isin(members) & figures.series.ne("")])
        if len(mine):
            sums, rest = _sums(mine, code, names[code], len(members))
            said = pd.MultiIndex.from_frame(stated[_KEYS])  # the region's own figure, not a sum
            kept.append(sums[~pd.MultiIndex.from_frame(sums[_KEYS]).isin(said)])
            listed.append(rest)
    found = pd.concat([k for k in kept if len(k)] or [plain(figures.head(0)).assign(derived=False)])
    rest = [r for r in listed if len(r)]
    return RegionFigures(
        found.reset_index(drop=True),
        pd.concat(rest, ignore_index=True)
        if rest
        else plain(figures.head(0)).assign(region="", region_name="", reason=""),
    )


def _stated_for(
    figures: pd.DataFrame, code: str, members: tuple[str, ...], name: str
) -> pd.DataFrame:
    """The figures whose place is exactly the region's districts, put on the region."""
    wanted = frozenset(members)
    codes = pd.Series(figures.iso.unique())
    same = codes[[frozenset(c.split(GROUP_SEPARATOR)) == wanted for c in codes]]
    stated = plain(figures[figures.iso.isin(same)])
    return stated.assign(iso=code, area_name=name + " (" + stated.area_name + ")", derived=False)


_KEYS = ["series", "as_of_date"]


def _sums(mine: pd.DataFrame, code: str, name: str, size: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sums of one region's district figures, every series at once, and the figures listed.

    A sum is made for a series at each date its figures add up (:func:`_checked`), from the last
    date they do not on: the page shows a place's last figure on or before the date chosen, and
    an earlier sum must not stand for a date when a district's newer figure could not be added.
    The figures of a series whose latest date does not add up are listed, with the reason.
    """
    mine = mine.sort_values([*_KEYS, "published", "id"], kind="stable")
    per = _checked(mine)
    bad = per.reason.ne("")
    dates = per.index.get_level_values("as_of_date").to_series(index=per.index)
    last_bad = dates.where(bad).groupby(level="series").transform("max")
    per["sum"] = ~bad & (last_bad.isna() | (dates > last_bad))
    kept = mine.join(per[["sum", "qualifier"]].add_prefix("_"), on=_KEYS)
    found = _sum_rows(kept[kept["_sum"]], code, name, size)
    latest = per.groupby(level="series").tail(1)
    listed = latest[latest.reason.ne("")].reason
    rest = mine[mine.series.isin(listed.index.get_level_values("series"))]
    rest = rest[rest.as_of_date == rest.groupby(["series", "iso"]).as_of_date.transform("max")]
    rest = rest.assign(region=code, region_name=name, reason=rest.series.map(
        listed.droplevel("as_of_date")))  # fmt: skip
    return found, rest


def _checked(mine: pd.DataFrame) -> pd.DataFrame:
    """Per series and date: the qualifier of a sum, and why the figures do not add up (or "")."""
    by_date = mine.groupby(_KEYS, sort=True)
    first = mine.drop_duplicates(["series", "iso"]).groupby(_KEYS).size()
    per = pd.DataFrame({"isos": by_date.iso.nunique(), "metric": by_date.metric.first()})
    seen = first.reindex(per.index, fill_value=0).groupby(level="series").cumsum()
    per["qualifier"] = by_date.qualifier.agg(lambda q: combined_qualifier(list(q)))
    dimension = per.metric.map({m: v.dimension for m, v in metrics().items()})
    disagree = mine.groupby([*_KEYS, "iso"]).value_std.nunique().gt(1)
    reasons = [
        (~dimension.isin(ADDITIVE), "not summed: " + per.metric + " is a " + dimension),
        (per.isos.ne(seen), "not summed: different dates"),
        (by_date.unit_std.nunique().gt(1) | by_date.period_start.nunique().gt(1),
         "not summed: different units or periods"),
        (disagree.groupby(level=[0, 1]).any(), "not summed: sources disagree"),
        (per.qualifier.isna(), "not summed: qualifiers do not combine"),
    ]  # fmt: skip
    per["reason"] = ""
    for when, why in reversed(reasons):  # the first reason that holds is given
        per["reason"] = per.reason.mask(when.reindex(per.index, fill_value=False), why)
    return per


def _sum_rows(kept: pd.DataFrame, code: str, name: str, size: int) -> pd.DataFrame:
    """The derived figures: each the sum of one figure per district, every source kept."""
    one = kept.drop_duplicates([*_KEYS, "iso"])
    by_one, by_all = one.groupby(_KEYS, sort=False), kept.groupby(_KEYS, sort=False)
    rows = by_one.head(1).set_index(_KEYS)
    total, n = by_one.value_std.sum(), by_one.iso.size()
    cited = kept.area_name + ": " + kept.source + " [" + kept.id + "]"
    publishers = by_all.publisher.agg(lambda p: "; ".join(dict.fromkeys(p)))
    rows = rows.assign(
        id="sum:" + code + "/" + rows.index.get_level_values("series") + "/" + rows.as_of,
        iso=code, area=code, area_name=name, value=total, value_std=total, unit=rows.unit_std,
        qualifier=rows["_qualifier"],
        publisher=pd.Series([summed(k, size) for k in n], index=n.index, dtype=object)
        + ": " + publishers,
        title="", published="", author="", speaker="", url="",
        source=cited.groupby([kept.series, kept.as_of_date], sort=False).agg("; ".join),
        locator="derived: sum of " + by_all.id.agg(", ".join),
        note="derived by mapkit: the sum of the figures of " + by_one.area_name.agg(", ".join)
        + " (" + n.astype(str) + f" of {size})",
        origin="derived", derived=True, summed=n.astype(str) + f"/{size}",
    )  # fmt: skip
    return rows.reset_index()[[*kept.columns.drop(["_sum", "_qualifier"]), "derived", "summed"]]
