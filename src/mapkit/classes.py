"""Colour classes for the choropleth: Fisher–Jenks natural breaks, exact and deterministic.

``mapclassify.FisherJenks`` computes the same breaks, but importing mapclassify imports SciPy and
scikit-learn, which took over a second, two fifths of a whole ``mapkit build`` (benchmarks/).
The atlas has at most a hundred values per metric, so the exact dynamic programme is instantaneous.
The tests check these breaks against ``mapclassify.FisherJenks`` and against brute force.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


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
    """
    data = np.asarray(values, dtype=float)
    x = np.sort(data[~np.isnan(data)])
    if x.size == 0 or k < 1:
        raise ValueError("natural_breaks needs at least one value and one class")
    distinct = np.unique(x)
    if distinct.size <= k:
        return [float(v) for v in distinct]
    n = x.size
    s1 = np.concatenate(([0.0], np.cumsum(x)))
    s2 = np.concatenate(([0.0], np.cumsum(x * x)))

    def sse(first: npt.NDArray[np.int_], last: int) -> npt.NDArray[np.float64]:
        """Sum of squared deviations of x[first..last] (inclusive) for each ``first``."""
        count = last - first + 1
        total = s1[last + 1] - s1[first]
        return s2[last + 1] - s2[first] - total * total / count

    # cost[c, j]: least SSE of x[0..j] in c + 1 classes; start[c, j]: first index of the last class.
    cost = np.full((k, n), np.inf)
    start = np.zeros((k, n), dtype=int)
    cost[0] = s2[1:] - s1[1:] ** 2 / np.arange(1, n + 1)
    for c in range(1, k):
        for j in range(c, n):
            firsts = np.arange(c, j + 1)
            candidates = cost[c - 1, firsts - 1] + sse(firsts, j)
            best = int(np.argmin(candidates))
            cost[c, j], start[c, j] = candidates[best], firsts[best]
    bounds, last = [], n - 1
    for c in range(k - 1, -1, -1):
        bounds.append(float(x[last]))
        last = start[c, last] - 1
    return bounds[::-1]
