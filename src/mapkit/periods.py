"""Comparing figures' periods: whether two start at the same time, and cumulative figures that
shrink although their period grows (found in n log n, not by comparing every pair)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["shrinking_pairs", "starts_match"]


def starts_match(a: str, b: str) -> bool:
    """Whether two stated period starts are the same at the precision of the shorter."""
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return long.startswith(short)


def shrinking_pairs(group: pd.DataFrame) -> list[tuple[int, int]]:
    """The pairs (i, j), i < j, of a group sorted by as-of date where figure j is later, has the
    same start (:func:`starts_match`) and a smaller value: i's in order, then j's.

    A figure is compared one by one only with the later ones when the smallest later value of a
    start it matches is below its own, so a group without such a pair costs n log n.
    """
    date = group.as_of_date.to_numpy()
    value = group.value_std.to_numpy(dtype=float)
    start_codes, starts = pd.factorize(group.period_start.to_numpy(dtype=object))
    same = np.array([[starts_match(a, b) for b in starts] for a in starts], dtype=bool)
    same = same.reshape(len(starts), len(starts))
    later = np.searchsorted(date, date, side="right")  # first row of a later date
    floor = np.full(len(date), np.inf)
    for k in range(len(starts)):  # per start, the smallest value from each row on
        own = np.where(start_codes == k, np.nan_to_num(value, nan=np.inf), np.inf)
        suffix = np.append(np.minimum.accumulate(own[::-1])[::-1], np.inf)[later]
        floor = np.where(same[start_codes, k], np.minimum(floor, suffix), floor)
    pairs = []
    for i in np.flatnonzero(floor < value).tolist():
        j = np.arange(later[i], len(date))
        hit = same[start_codes[i], start_codes[j]] & (value[j] < value[i])
        pairs += [(i, int(k)) for k in j[hit]]
    return pairs
