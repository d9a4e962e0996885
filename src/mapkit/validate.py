"""Consistency checks: where figures contradict each other, said plainly and never "fixed".

Row errors (a value that is not a number, a unit that does not fit, a date that does not exist,
an unknown place) are found when the figures are read. The checks here compare figures: parts
that do not add up to their total, shares that do not match their areas, a cumulative count that
is smaller over a longer period than over a shorter one from the same start, duplicates, and
different sources giving different values for the same date (conflicts: both kept, shown).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from .coded import codes_of, combination
from .data import read_table
from .errors import FiguresRejected, MapkitError, OptionNamer, in_python, plural
from .figures import load_figures, metrics, units
from .periods import shrinking_pairs, starts_match

__all__ = ["CHECKS", "LEVELS", "Finding", "report", "validate", "validate_files"]

LEVELS = ("error", "warning")


@dataclass
class Finding:
    """One thing ``validate`` found.

    Attributes
    ----------
    level : str
        ``"error"`` (the data cannot be used as it is) or ``"warning"`` (a reader must judge).
    kind : str
        What was checked: ``row``, ``duplicate``, ``conflict``, ``sum``, ``share``,
        ``cumulative``.
    message : str
        A sentence a person understands, naming the figures, values and sources.
    ids : list of str
        The figures involved.
    values : list of dict
        For each figure: its value and unit as stated, date and source.
    """

    level: str
    kind: str
    message: str
    ids: list[str] = field(default_factory=list)
    values: list[dict[str, object]] = field(default_factory=list)


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _said(f: pd.Series) -> str:
    qualifier = f"{f.qualifier} " if f.qualifier else ""
    label = units()[f.unit].label
    unit = "%" if f.unit == "%" else f" {label}" if label else ""
    return f"{qualifier}{_fmt(f.value)}{unit}"


def _cited(f: pd.Series) -> str:
    span = f"{f.period_start} to {f.as_of}" if f.period_start else f"as of {f.as_of}"
    return f"{f.id} ({_said(f)}, {span}; {_by(f)})"


def _values(rows: Sequence[pd.Series]) -> list[dict[str, object]]:
    return [
        {
            "id": f.id,
            "value": f.value,
            "unit": f.unit,
            "qualifier": f.qualifier,
            "period_start": f.period_start,
            "as_of": f.as_of,
            "source": f.source,
        }
        for f in rows
    ]


def _finding(level: str, kind: str, message: str, rows: Sequence[pd.Series]) -> Finding:
    """A finding about ``rows``: the message, then each figure cited with value and source."""
    cited = "; ".join(_cited(r) for r in rows)
    return Finding(level, kind, f"{message}. Figures: {cited}", [r.id for r in rows], _values(rows))


_KEY_COLUMNS = ("iso", "metric", "scope", "period_start", "as_of", "source")


def _key_codes(figures: pd.DataFrame) -> pd.DataFrame:
    """The columns the checks group by, as integer codes (same index as ``figures``).

    Each text column is factorised once here rather than in every grouping: the checks group a
    million rows several times, and hashing integers is far cheaper than hashing strings.
    ``place`` is the ISO code, or the name as written for a figure not on a district;
    ``start_year`` codes the year of ``period_start`` and ``start_stated`` says if there is one.
    """
    iso, isos = codes_of(figures.iso)
    area = codes_of(figures.area)[0].astype(np.int64)
    unplaced = (np.asarray(isos, dtype=object) == "")[iso]
    codes = {"place": np.where(unplaced, len(isos) + area, iso).astype(np.int32)}
    for name in _KEY_COLUMNS:
        found, uniques = codes_of(figures[name])
        codes[name] = found.astype(np.int32)  # half the memory of a million rows' codes
        if name == "period_start":  # worked out once per distinct start, not once per row
            years = pd.factorize(np.array([u[:4] for u in uniques], dtype=object))[0]
            codes["start_year"] = years.astype(np.int32)[found]
            codes["start_stated"] = np.array([bool(u) for u in uniques], dtype=bool)[found]
    return pd.DataFrame(codes, index=figures.index, copy=False)  # not copied into one block


def _group(codes: pd.DataFrame, keys: Sequence[str]) -> list[np.ndarray]:
    """Grouping keys for ``DataFrame.groupby``: the integer codes of ``keys``."""
    return [codes[k].to_numpy() for k in keys]


def _ngroup(codes: pd.DataFrame, keys: Sequence[str]) -> np.ndarray:
    """Per row, the number of its group by ``keys``, in order of first appearance."""
    return combination(_group(codes, keys), np.arange(len(codes)))


def _distinct(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per row, how many distinct ``values`` (NaN not counted) the rows of its ``group`` hold:
    ``groupby(group).transform("nunique")``, counted on integer codes."""
    if not len(group):
        return np.zeros(0, dtype=np.intp)
    found = pd.factorize(values)[0].astype(np.int64)
    span = int(found.max(initial=-1)) + 1
    held = group[found >= 0].astype(np.int64) * span + found[found >= 0]
    pairs = pd.unique(held)
    return np.bincount(pairs // max(span, 1), minlength=int(group.max()) + 1)[group]


def _by(f: pd.Series) -> str:
    return f"{f.publisher}, {f.published}" if f.published else f.publisher


def _decimals(value: float) -> int:
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def _same_start(a: pd.Series, b: pd.Series) -> bool:
    """Whether two periods start at the same time, at the precision each source gave."""
    return starts_match(a.period_start, b.period_start)


def _groups_with_all(
    frame: pd.DataFrame,
    group_by: list[np.ndarray],
    sets: list[list[str]],
    counted: np.ndarray | None = None,
) -> np.ndarray:
    """Rows of ``frame`` whose group (by ``group_by``) has every metric of at least one of ``sets``
    (among the ``counted`` rows only, if given).

    Only such groups can hold a finding of :func:`check_sums` or :func:`check_shares`: the loops
    over groups then run over those alone, not over every group. Whole groups are kept, in order.
    """
    group = combination(group_by, np.arange(len(frame)))
    if not len(group):
        return np.zeros(0, dtype=bool)
    codes, names = codes_of(frame.metric)
    if counted is not None:
        codes = np.where(counted, codes, -1)
    has = {}
    for k, name in enumerate(names):
        present = np.zeros(group.max() + 1, dtype=bool)
        present[group[codes == k]] = True
        has[name] = present
    none = np.zeros(group.max() + 1, dtype=bool)
    wanted = none.copy()
    for metrics_ in sets:
        wanted |= np.logical_and.reduce([has.get(m, none) for m in metrics_])
    return wanted[group]


def _may_shrink(date: np.ndarray, value: np.ndarray, codes: pd.DataFrame) -> np.ndarray:
    """Rows that may be in a finding of :func:`check_cumulative`.

    Two figures can contradict each other only if they have a period start in the same year
    (:func:`_same_start` compares starts at the precision each source gave, so starts in
    different years never match) and a later one is smaller. Groups of place, metric, scope and
    start year whose values never fall as the as-of date grows are left out.
    """
    group = _ngroup(codes, ["iso", "metric", "scope", "start_year"])
    if not len(group):
        return np.zeros(0, dtype=bool)
    order = np.lexsort((date, group))
    g, d, v = group[order], date[order], value[order]
    starts = np.flatnonzero(np.r_[True, (g[1:] != g[:-1]) | (d[1:] != d[:-1])])
    low, high, block = np.minimum.reduceat(v, starts), np.maximum.reduceat(v, starts), g[starts]
    before = pd.Series(high).groupby(block).cummax().groupby(block).shift(1).to_numpy()
    shrinking = np.zeros(group.max() + 1, dtype=bool)
    shrinking[block[low < before]] = True
    return codes.start_stated.to_numpy() & shrinking[group]


def check_duplicates(figures: pd.DataFrame, codes: pd.DataFrame) -> list[Finding]:
    """Two rows with the same place, metric, period and source but different values."""
    found = []
    keys = ["place", "metric", "scope", "period_start", "as_of", "source"]
    clash = _distinct(_ngroup(codes, keys), figures.value_std.to_numpy()) > 1
    for _, group in figures[clash].groupby(_group(codes[clash], keys), sort=False):
        if group.value_std.nunique() > 1:
            rows = [r for _, r in group.iterrows()]
            message = (
                f"{rows[0].area_name}, {rows[0].metric}: the same source gives different values "
                "for the same period"
            )
            found.append(_finding("error", "duplicate", message, rows))
    return found


def check_sums(figures: pd.DataFrame, codes: pd.DataFrame) -> list[Finding]:
    """Parts that do not add up to their total (anti-personnel + anti-tank = mines, …)."""
    found = []
    keys = ["place", "scope", "period_start", "as_of", "source"]
    wholes = {total: spec.sum_of for total, spec in metrics().items() if spec.sum_of}
    sets = [[t, *parts] for t, parts in wholes.items()]
    kept = _groups_with_all(figures, _group(codes, keys), sets)
    for _, group in figures[kept].groupby(_group(codes[kept], keys), sort=False):
        by_metric = {r.metric: r for _, r in group.iterrows()}
        for total, spec in metrics().items():
            if not spec.sum_of or total not in by_metric:
                continue
            if not all(p in by_metric for p in spec.sum_of):
                continue
            parts = [by_metric[p] for p in spec.sum_of]
            whole = by_metric[total]
            added = sum(p.value_std for p in parts)
            if abs(added - whole.value_std) > 1e-9 * max(1.0, whole.value_std):
                message = (
                    f"{whole.area_name}: {' + '.join(spec.sum_of)} = {_fmt(added)}, but {total} "
                    f"is {_said(whole)} ({_by(whole)})"
                )
                found.append(_finding("warning", "sum", message, [whole, *parts]))
    return found


def check_shares(figures: pd.DataFrame, codes: pd.DataFrame) -> list[Finding]:
    """Shares that do not match their areas beyond the rounding the source used."""
    found = []
    country = read_table("country.csv").set_index("iso")
    pairs = (
        ("contaminated_share", "contaminated_area", None),
        ("cleared_share", "cleared_area", "contaminated_area"),
    )
    keys = ["iso", "as_of", "source"]
    stated = ((figures.kind != "flow") & (figures.scope == "")).to_numpy()
    sets = [[s, p] for s, p, _ in pairs]
    with_share = _groups_with_all(figures, _group(codes, keys), sets, stated)
    for _, group in figures[with_share].groupby(_group(codes[with_share], keys), sort=False):
        iso = group.iso.iloc[0]
        by_metric = {r.metric: r for _, r in group.iterrows() if r.kind != "flow" and not r.scope}
        for share_metric, part_metric, whole_metric in pairs:
            if share_metric not in by_metric or part_metric not in by_metric:
                continue
            share, part = by_metric[share_metric], by_metric[part_metric]
            if whole_metric is None:
                if iso not in country.index:
                    continue
                whole_ha = float(country.at[iso, "area_km2"]) * 100
                whole_text = (
                    f"{_fmt(float(country.at[iso, 'area_km2']))} km², "
                    f"{country.at[iso, 'name']}'s area ({country.at[iso, 'source']})"
                )
                rows = [share, part]
            elif whole_metric in by_metric:
                whole = by_metric[whole_metric]
                whole_ha, whole_text = whole.value_std, _said(whole)
                rows = [share, part, whole]
            else:
                continue
            computed = 100 * part.value_std / whole_ha
            tolerance = 0.5 * 10 ** -_decimals(share.value) + 1e-9
            if abs(computed - share.value) > tolerance:
                message = (
                    f"{share.area_name}: {share_metric} is stated as {_said(share)} "
                    f"({_by(share)}), but {_said(part)} of {whole_text} is {computed:.2f}%"
                )
                found.append(_finding("warning", "share", message, rows))
    return found


def check_cumulative(figures: pd.DataFrame, codes: pd.DataFrame) -> list[Finding]:
    """A cumulative figure smaller over a longer period than over a shorter one, same start."""
    found = []
    chosen = np.flatnonzero((figures.kind == "cumulative") & (figures.iso != ""))
    codes = codes.iloc[chosen]
    order = _ngroup(codes, ["iso", "metric", "scope"])
    date = figures.as_of_date.to_numpy()[chosen]
    kept = _may_shrink(date, figures.value_std.to_numpy()[chosen], codes)
    cumulative = figures.iloc[chosen[kept]]  # whole rows only for the few that may clash
    for _, group in cumulative.groupby(order[kept], sort=True):  # groups in their order
        group = group.sort_values("as_of_date", kind="stable")
        pairs = shrinking_pairs(group)
        rows = list(group.itertuples(index=False)) if pairs else []  # cheaper than Series
        for i, j in pairs:
            shorter, longer = rows[i], rows[j]
            message = (
                f"{longer.area_name}, {longer.metric}: {_said(longer)} up to {longer.as_of} "
                f"({_by(longer)}) is smaller than {_said(shorter)} up to {shorter.as_of} "
                f"({_by(shorter)}), a shorter period from the same start"
            )
            found.append(_finding("warning", "cumulative", message, [longer, shorter]))
    return found


def check_conflicts(figures: pd.DataFrame, codes: pd.DataFrame) -> list[Finding]:
    """Different sources giving different values for the same place, metric, scope and date.

    Both figures are kept; the finding shows the disagreement (a warning: a reader must judge).
    Period starts match at the precision each source gave; a figure without a stated start
    matches any start, except for flows, whose periods must both be stated.
    """
    found = []
    kind = codes_of(figures.kind)[0]
    group = _ngroup(codes.assign(kind=kind), ["place", "metric", "scope", "as_of", "kind"])
    clash = _distinct(group, figures.value_std.to_numpy()) > 1  # only then can sources disagree
    sources = _distinct(group[clash], codes.source.to_numpy()[clash])
    clash[np.flatnonzero(clash)[sources < 2]] = False
    for _, same in figures[clash].groupby(group[clash], sort=False):
        rows = list(same.sort_values("id", kind="stable").itertuples(index=False))
        for a, b in itertools.combinations(rows, 2):
            if a.source == b.source or a.value_std == b.value_std:
                continue
            if a.period_start and b.period_start and not _same_start(a, b):
                continue
            if a.kind == "flow" and not (a.period_start and b.period_start):
                continue
            message = (
                f"{a.area_name}, {a.metric}: sources disagree for the same date: {_said(a)} "
                f"({_by(a)}) and {_said(b)} ({_by(b)}); both are kept"
            )
            found.append(_finding("warning", "conflict", message, [a, b]))
    return found


CHECKS = (check_duplicates, check_conflicts, check_sums, check_shares, check_cumulative)


def validate(figures: pd.DataFrame) -> list[Finding]:
    """Run every consistency check on a figures table.

    Parameters
    ----------
    figures : DataFrame
        From :func:`mapkit.load_figures`.

    Returns
    -------
    list of Finding
        Errors first, then warnings; each names the figures, values and sources involved.
    """
    codes = _key_codes(figures)
    found = [f for check in CHECKS for f in check(figures, codes)]
    return sorted(found, key=lambda f: LEVELS.index(f.level))


def validate_files(
    files: Sequence[str | Path] = (),
    *,
    only: bool = False,
    as_of: str | None = None,
    namer: OptionNamer = in_python,
) -> list[Finding]:
    """Read the figures (embedded plus ``files``) and check them; rejected rows become errors,
    the options their messages name spelled by ``namer`` (see :func:`mapkit.errors.option`)."""
    row_errors: list[Finding] = []
    try:
        figures = load_figures(files, only=only, as_of=as_of)
    except FiguresRejected as exc:
        row_errors = [Finding("error", "row", e.one_line(namer)) for e in exc.errors]
        readable = [f for f in files if not any(e.source == str(f) for e in exc.errors)]
        try:
            figures = (
                load_figures(readable, only=only, as_of=as_of) if readable or not only else None
            )
        except MapkitError:
            figures = None
    return row_errors + (validate(figures) if figures is not None else [])


def report(findings: Sequence[Finding], fmt: str = "text") -> str:
    """Findings as text (one paragraph each) or as JSON ``{"findings": [...]}``."""
    if fmt == "json":
        counts = {level: sum(f.level == level for f in findings) for level in LEVELS}
        return json.dumps(
            {"findings": [asdict(f) for f in findings], **counts}, ensure_ascii=False, indent=1
        )
    if not findings:
        return "No problems found."
    lines = [f"{f.level.upper()} [{f.kind}] {f.message}" for f in findings]
    errors = sum(f.level == "error" for f in findings)
    lines.append(f"{plural(errors, 'error')}, {plural(len(findings) - errors, 'warning')}")
    return "\n".join(lines)
