"""The legend's classes are the optimal natural breaks, the same on every build."""

from __future__ import annotations

import itertools

import mapclassify
import numpy as np
import pandas as pd
import pytest

import mapkit
from mapkit.classes import natural_breaks
from mapkit.join import district_figures
from mapkit.render import classify

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed")


def within_class_sse(x: np.ndarray, bounds: list[float]) -> float:
    edges = np.searchsorted(x, bounds, side="right")
    return sum(float(((part - part.mean()) ** 2).sum()) for part in np.split(x, edges[:-1]))


def test_breaks_match_mapclassify_fisher_jenks_on_every_mapped_series() -> None:
    mapped = district_figures(mapkit.load_figures())
    checked = 0
    for _, group in mapped[mapped.series != ""].groupby("series"):
        values = np.unique(group.value_std.to_numpy(dtype=float))
        if len(values) > 5:
            expected = mapclassify.FisherJenks(values, k=5).bins
            assert classify(group.value_std) == pytest.approx(list(expected))
            checked += 1
    assert checked >= 1


@pytest.mark.parametrize("seed", range(40))
def test_breaks_match_mapclassify_on_random_values(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = np.unique(rng.lognormal(8, 2, int(rng.integers(6, 120))).round())
    expected = mapclassify.FisherJenks(values, k=5).bins
    assert natural_breaks(values, 5) == pytest.approx(list(expected))


@pytest.mark.parametrize("seed", range(10))
def test_no_other_split_has_a_smaller_within_class_spread(seed: int) -> None:
    x = np.sort(np.random.default_rng(seed).choice(1000, 11, replace=False).astype(float))
    found = within_class_sse(x, natural_breaks(x, 4))
    for cuts in itertools.combinations(range(1, len(x)), 3):
        bounds = [float(x[c - 1]) for c in cuts] + [float(x[-1])]
        assert found <= within_class_sse(x, bounds) + 1e-9


def test_fewer_distinct_values_than_classes_gives_one_class_each() -> None:
    assert natural_breaks([37154, 5, 5, np.nan, 120], 5) == [5, 120, 37154]
    assert classify(pd.Series([], dtype=float)) == [0.0]


def test_same_breaks_every_time() -> None:
    values = np.random.default_rng(7).lognormal(8, 2, 77)
    assert len({tuple(natural_breaks(values, 5)) for _ in range(20)}) == 1


def test_many_distinct_values_get_breaks_no_single_move_improves() -> None:
    x = np.unique(np.random.default_rng(3).lognormal(8, 2, 50_000).round(2))
    bounds = natural_breaks(x, 5)
    found = within_class_sse(x, bounds)
    cuts = np.searchsorted(x, bounds, side="right")[:-1]
    for i in range(len(cuts)):
        for step in (-1, 1):
            moved = cuts.copy()
            moved[i] += step
            other = [float(x[c - 1]) for c in moved] + [float(x[-1])]
            assert found <= within_class_sse(x, other) + 1e-6 * found
