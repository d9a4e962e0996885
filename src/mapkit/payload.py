"""Which figures the atlas page embeds: those its map, tooltips, panel and time control can show.

The page shows, at the date chosen on its time control, the latest figure of each place and
series on or before that date (``assets/atlas.js``). So it needs, for each place and series,
only the last figure of each interval between two dates the time control offers; the rest of a
million-row file could never appear. When every date would make the page too heavy, the time
control steps by month, quarter or year instead (the latest date with figures in each), the
finest step that keeps the page within :data:`PAGE_FIGURES`, and past that the page holds the
latest figure of each place and series only (its time control has one date); its last step is
always the latest date, so the page opens on the latest figures of every place and series.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .coded import codes_of, numbered

__all__ = ["PAGE_FIGURES", "STEPS", "page_figures", "time_steps"]

PAGE_FIGURES = 5_000
"""Figures a page may embed (about 2 MB of page) before its time control steps more coarsely."""

STEPS = (None, "M", "Q", "Y", "latest")
"""The time control's steps, finest first: every date, then the last date of each period, then
the latest date only."""


def time_steps(dates: pd.DatetimeIndex, period: str | None) -> pd.DatetimeIndex:
    """The dates the time control offers: all of ``dates``, the latest in each ``period``, or
    the latest of all (``"latest"``)."""
    index = dates.unique().sort_values()
    if period is None or index.empty:
        return index
    if period == "latest":
        return index[-1:]
    latest = pd.Series(index, index=index).groupby(index.to_period(period)).max()
    return pd.DatetimeIndex(latest.to_numpy())


def _places(figures: pd.DataFrame) -> np.ndarray:
    """One code per place and series as the page groups them (a district's series, a scope...).

    A place is its code, or its name if it has none; a figure in no series (about part of a
    place) is told apart by its metric, kind and scope.
    """
    codes = _combined(np.zeros(len(figures), dtype=np.int64), figures.iso)
    unplaced = np.flatnonzero((figures.iso == "").to_numpy())
    codes[unplaced] = _combined(codes[unplaced], figures.area_name.iloc[unplaced]) + codes.max() + 1
    codes = _combined(codes, figures.series)
    apart = np.flatnonzero((figures.series == "").to_numpy())
    parts = codes[apart]
    for key in ("metric", "kind", "scope"):
        parts = _combined(parts, figures[key].iloc[apart])
    codes[apart] = parts + codes.max() + 1
    return codes


def _combined(codes: np.ndarray, key: pd.Series) -> np.ndarray:
    """Codes of the pairs (``codes``, ``key``), from 0."""
    key_codes, uniques = codes_of(key)
    span = max(len(uniques), 1)
    pairs = codes * span + key_codes
    return numbered(pairs, (int(codes.max(initial=0)) + 1) * span)[0].astype(np.int64)


def _last_per_step(places: np.ndarray, dates: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Positions (ascending) of the last figure of each place in each interval up to a step.

    ``places`` and ``dates`` are in the page's order: by place, then by date, the file's order
    kept for equal dates. The page shows a place's last figure on or before the chosen date:
    that is the figure kept here.
    Figures of the same place and date as that last one are all kept: two sources that state
    different values for one date are both shown (and marked by the validation), never one
    chosen by its position in the file.
    """
    if not len(dates):
        return np.zeros(0, dtype=np.intp)
    interval = np.searchsorted(steps, dates, side="left")
    group = places * (len(steps) + 1) + interval  # ascending: rows are by place, then date
    changes = np.diff(group) != 0
    last = np.flatnonzero(np.append(changes, True))
    group_codes = np.concatenate(([0], np.cumsum(changes)))  # one code per group, ascending
    return np.flatnonzero(dates == dates[last][group_codes])


def page_figures(
    figures: pd.DataFrame, extra_dates: Iterable[pd.Timestamp] = ()
) -> tuple[pd.DataFrame, list[str]]:
    """The figures the page embeds and the dates its time control offers.

    Parameters
    ----------
    figures : DataFrame
        From :func:`mapkit.load_figures`.
    extra_dates : iterable of Timestamp
        Other dates the time control offers (the districts named as worked), if not too many.

    Returns
    -------
    tuple
        The rows of ``figures`` the page can show, in their order, and the time control's dates
        (``YYYY-MM-DD``), ascending.
    """
    places = _places(figures)
    dates = figures.as_of_date.to_numpy(dtype="datetime64[s]")
    date_codes, _ = pd.factorize(dates, sort=True)
    # one stable sort by place, then date: the file's order kept for equal dates
    order = np.argsort(places * (date_codes.max(initial=0) + 1) + date_codes, kind="stable")
    places, dates = places[order], dates[order]
    candidates = pd.DatetimeIndex(pd.unique(dates)).append(pd.DatetimeIndex(list(extra_dates)))
    for period in STEPS:
        steps = time_steps(candidates, period).to_numpy(dtype="datetime64[s]")
        kept = _last_per_step(places, dates, steps)
        if len(kept) <= PAGE_FIGURES:
            break
    labels = [str(d)[:10] for d in steps]
    return figures.iloc[np.sort(order[kept])], labels
