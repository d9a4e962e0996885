"""The row checks of a figures file run in one order: a row with several problems is reported
with the first of them, the same for every row."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mapkit

GOOD = {
    "area": "Aghdam",
    "metric": "cleared_area",
    "value": "100",
    "unit": "ha",
    "as_of": "2025-01-31",
    "source": "ANAMA monthly report",
    "qualifier": "",
    "kind": "",
    "period_start": "",
}

# Each check, in the order they run: a problem it finds, and what its message says.
PROBLEMS = [
    ({"source": ""}, "missing source"),
    ({"metric": "cleared aera"}, "unknown metric 'cleared aera'"),
    ({"unit": "furlongs"}, "unknown unit 'furlongs'"),
    ({"unit": "people"}, "unit 'people' does not fit metric 'cleared_area'"),
    ({"value": "-5"}, "value -5 is negative"),
    ({"qualifier": "roughly"}, "unknown qualifier 'roughly'"),
    ({"kind": "weird"}, "unknown kind 'weird'"),
    ({"as_of": "05/06/2025"}, "05/06/2025"),
    ({"period_start": "2025-06"}, "period ends (2025-01-31) before it starts (2025-06)"),
    ({"area": "Nowhere"}, "unknown place 'Nowhere'"),
]


def rejected(tmp_path: Path, rows: list[dict[str, str]]) -> list[str]:
    path = tmp_path / "figures.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(GOOD))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(mapkit.FiguresRejected) as caught:
        mapkit.read_figures(path)
    return [str(e) for e in caught.value.errors]


def test_each_row_is_reported_with_the_first_of_its_problems(tmp_path: Path) -> None:
    # Row k has the problem of check k and of every later check (the unit of check 3 gives way
    # to check 4's, the as-of date of check 9 to check 8's): only check k's is reported.
    rows = []
    for k in range(len(PROBLEMS)):
        bad = dict(GOOD)
        for change, _ in reversed(PROBLEMS[k:]):
            bad.update(change)
        rows.append(bad)
    messages = rejected(tmp_path, rows)
    assert len(messages) == len(PROBLEMS)
    for line, (message, (_, expected)) in enumerate(zip(messages, PROBLEMS, strict=True), 2):
        assert f"line {line}: " in message and expected in message, message


def test_a_row_with_one_problem_is_reported_with_it(tmp_path: Path) -> None:
    rows = [{**GOOD, **change} for change, _ in PROBLEMS]
    for message, (_, expected) in zip(rejected(tmp_path, rows), PROBLEMS, strict=True):
        assert expected in message, message


def test_rows_are_numbered_by_theircombination_of_codes_as_pandas_groups_them() -> None:
    from mapkit.coded import combination

    rng = np.random.default_rng(5)
    codes = [rng.integers(-1, size, 1000) for size in (3, 50, 7)]
    rows = np.arange(0, 1000, 3)
    grouped = pd.DataFrame({k: c[rows] for k, c in enumerate(codes)}).groupby([0, 1, 2], sort=False)
    assert (combination(codes, rows) == grouped.ngroup().to_numpy()).all()
    wide = [np.array([0, 2**40, 0, 2**40]), np.array([2**40, 0, 2**40, 1])]  # past one integer
    assert combination(wide, np.arange(4)).tolist() == [0, 1, 0, 2]


def test_repeated_texts_are_categoricals_sorted_as_text_and_stack_as_such() -> None:
    from mapkit.coded import categorical, codes_of, numbered, stacked

    # texts equal once normalised are one category; unused ones are not categories
    texts = np.array(["b", "a", "b", "unused"], dtype=object)
    coded = categorical(np.array([2, 0, 2, 1]), texts)
    assert list(coded) == ["b", "b", "b", "a"] and list(coded.categories) == ["a", "b"]
    column = pd.Series(categorical(np.array([0, 1, 0]), np.array(["Tartar", "Aghdam"], object)))
    assert column.sort_values().tolist() == ["Aghdam", "Tartar", "Tartar"]  # as text sorts
    codes, texts = codes_of(column)
    assert texts[codes].tolist() == ["Tartar", "Aghdam", "Tartar"]
    other = pd.Series(categorical(np.array([0, 0]), np.array(["Fuzuli"], object)))
    both = stacked([column, other])
    assert both.tolist() == ["Tartar", "Aghdam", "Tartar", "Fuzuli", "Fuzuli"]
    assert list(both.cat.categories) == ["Aghdam", "Fuzuli", "Tartar"]
    mixed = stacked([column, pd.Series(["x"], dtype="str")])  # plain text where any part is
    assert mixed.dtype == "str" and mixed.tolist() == ["Tartar", "Aghdam", "Tartar", "x"]
    keys = np.array([7, 3, 7, 0, 3])
    for span in (8, 10**9):  # by a table of every key, and by hashing: the same numbers
        found, uniques = numbered(keys, span)
        assert found.tolist() == [2, 1, 2, 0, 1] and uniques.tolist() == [0, 3, 7]
