"""Colour classes for the choropleth: Fisher–Jenks natural breaks, exact and deterministic.

``mapclassify.FisherJenks`` computes the same breaks, but importing mapclassify imports SciPy and
scikit-learn, which took over a second, two fifths of a whole ``mapkit build`` (benchmarks/), and
its dynamic programme is quadratic in the number of values.

The dynamic programme here is exact and takes ``O(k n log n)`` for ``n`` values: the least
within-class sum of squares of the first ``j`` values in ``c`` classes is reached with a last class
whose first value never moves left as ``j`` grows (the cost is a Monge array), so each class
count is solved by divide and conquer, one whole level of the recursion per NumPy operation.
A million distinct values take a few seconds. The tests check these breaks against
``mapclassify.FisherJenks`` and against brute force.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["natural_breaks"]

_Ints = npt.NDArray[np.int_]
_Floats = npt.NDArray[np.float64]


def natural_breaks(values: npt.ArrayLike, k: int) -> list[float]:
    """Upper bounds of the ``k`` classes that minimise the within-class sum of squares.

    Parameters
    ----------
    values : array_like
        The values to classify; NaN is ignored, order does not matter.
    k : int
        Number of classes wanted; fewer are returned when there are fewer distinct values.

    Returns
    -------
    list of float
        The largest value of each class, ascending; the last is the maximum.

    Raises
    ------
    ValueError
        If there is no value to classify or ``k`` is not positive.

    Examples
    --------
    >>> natural_breaks([1, 2, 3, 10, 11, 12, 50], 3)
    [3.0, 12.0, 50.0]
    """
    data = np.asarray(values, dtype=float)
    x = np.sort(data[~np.isnan(data)])
    if x.size == 0 or k < 1:
        raise ValueError("natural_breaks needs at least one value and one class")
    distinct = np.unique(x)
    if distinct.size <= k:
        return [float(v) for v in distinct]
    centred = x - x.mean()  # the same spreads, with smaller sums: fewer rounding errors
    s1 = np.concatenate(([0.0], np.cumsum(centred)))
    s2 = np.concatenate(([0.0], np.cumsum(centred * centred)))
    n = x.size
    cost = s2[1:] - s1[1:] ** 2 / np.arange(1, n + 1)  # x[0..j] in one class
    starts = []  # starts[c][j]: first index of the last class, x[0..j] in c + 2 classes
    for c in range(1, k):
        cost, start = _add_class(cost, s1, s2, c)
        starts.append(start)
    bounds, last = [float(x[-1])], n - 1
    for start in reversed(starts):
        last = int(start[last]) - 1
        bounds.append(float(x[last]))
    return bounds[::-1]


def _sse(s1: _Floats, s2: _Floats, first: _Ints, last: _Ints) -> _Floats:
    """Sum of squared deviations of x[first..last] (inclusive), element-wise."""
    count = last - first + 1
    total = s1[last + 1] - s1[first]
    return s2[last + 1] - s2[first] - total * total / count


def _add_class(previous: _Floats, s1: _Floats, s2: _Floats, c: int) -> tuple[_Floats, _Ints]:
    """Least cost of x[0..j] in ``c + 1`` classes for every ``j``, and where its last class starts.

    ``previous[j]`` is the least cost of x[0..j] in ``c`` classes. The last class of x[0..j]
    starts at the smallest ``i`` in ``c..j`` minimising ``previous[i - 1] + sse(i, j)``; that
    ``i`` is monotone in ``j``, so the ``j`` are solved midpoint first, each half searching only
    its side of the midpoint's answer, all the halves of one depth at once.
    """
    n = previous.size
    cost = np.full(n, np.inf)
    start = np.zeros(n, dtype=int)
    lo, hi = np.array([c]), np.array([n - 1])  # ranges of j still to solve...
    first, last = np.array([c]), np.array([n - 1])  # ...and where their answers can be
    while lo.size:
        mid = (lo + hi) // 2
        top = np.minimum(last, mid)
        counts = top - first + 1
        offsets = np.cumsum(counts) - counts
        i = np.repeat(first - offsets, counts) + np.arange(counts.sum())
        j = np.repeat(mid, counts)
        candidates = previous[i - 1] + _sse(s1, s2, i, j)
        best_cost = np.minimum.reduceat(candidates, offsets)
        hits = np.flatnonzero(candidates == np.repeat(best_cost, counts))
        segment = np.searchsorted(offsets, hits, side="right") - 1
        leftmost = np.concatenate(([True], segment[1:] != segment[:-1]))
        best = i[hits[leftmost]]
        cost[mid], start[mid] = best_cost, best
        left, right = lo < mid, mid < hi
        lo = np.concatenate((lo[left], mid[right] + 1))
        hi = np.concatenate((mid[left] - 1, hi[right]))
        first = np.concatenate((first[left], best[right]))
        last = np.concatenate((best[left], last[right]))
    return cost, start
