"""Exported CSVs hold no cell a spreadsheet would evaluate, and mapkit reads them back unchanged.

The OWASP rule: a text cell starting with = + - @ TAB or CR gets a leading single quote; numbers
stay numbers (a negative value in a numeric column is not quoted).
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import mapkit
from mapkit.export import figures_table
from mapkit.formulas import neutralise, neutralise_table, restore, restore_table, write_csv

HOSTILE = {
    "id": '=HYPERLINK("http://example.invalid/x","click")',
    "source": "=cmd|' /C calc'!A0",
    "note": "+1+1",
    "title": "@SUM(1)",
    "author": "-2+3",
}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["area", "metric", "value", "unit", "as_of", *HOSTILE])
        writer.writerow(["Aghdam", "cleared_area", "5", "ha", "2025-01-31", *HOSTILE.values()])
        writer.writerow(["Tartar", "cleared_area", "7", "ha", "2025-01-31", "t2", "\t=1+1",
                         "ANAMA", "A report", "staff"])  # fmt: skip
    return path


def cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(text.splitlines()))


def assert_neutral(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)


def test_layers_figures_csv_is_neutral_and_reads_back(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "layers"
    result = subprocess.run([sys.executable, "-m", "mapkit", "export", "--format", "csv",
                             "--only", "--figures", str(hostile), "--out", str(out)],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = (out / "figures.csv").read_text(encoding="utf-8")
    rows = cells(text)
    assert_neutral(rows)
    first = rows[0]
    assert first["id"] == "'" + HOSTILE["id"] and first["source"] == "'" + HOSTILE["source"]
    assert first["note"] == "'+1+1" and first["title"] == "'@SUM(1)"
    assert first["value"] == "5.0"  # a number, not quoted
    assert rows[1]["source"] == "'=1+1"  # the user's leading tab was dropped: still not a formula
    again = mapkit.read_figures(out / "figures.csv")
    original = mapkit.load_figures([hostile], only=True)
    for column in ("id", "source", "note", "title", "author", "area", "value"):
        assert list(again[column]) == list(original[column]), column


def test_figures_command_csv_is_neutral(hostile: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mapkit", "figures", "--only", "--figures",
                             str(hostile)], capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = cells(result.stdout)
    assert_neutral(rows)
    assert rows[0]["source"] == "'=cmd|' /C calc'!A0" and rows[0]["author"] == "'-2+3"


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1",
        "-x",
        "@SUM(1)",
        "\t=1",
        "\r=1",
        "'=1",
        "''+1",
        "'",
        "",
        "plain",
        "'quoted",
        "it's = 1",
    ],
)
def test_restore_undoes_neutralise(text: str) -> None:
    assert restore(neutralise(text)) == text


def test_numbers_stay_numbers_and_only_text_is_quoted() -> None:
    frame = pd.DataFrame({"value": [-5.0, 2.0], "text": ["-5", "x"], "mixed": [-1.5, "=1"]})
    safe = neutralise_table(frame)
    assert list(safe["value"]) == [-5.0, 2.0]
    assert list(safe["text"]) == ["'-5", "x"] and list(safe["mixed"]) == [-1.5, "'=1"]
    assert restore_table(safe).equals(frame)
    assert frame["text"].tolist() == ["-5", "x"]  # the input is not changed


def test_the_fast_writer_writes_what_pandas_writes(tmp_path: Path) -> None:
    """layers/figures.csv is written a distinct cell at a time: the bytes are pandas' own."""
    cells = ["=1+2", "x,y", 'said "hi"', "two\nlines", "cr\rx", None, "'=x", "-3", " sp", "", "é"]
    n = len(cells) * 30
    frame = pd.DataFrame({
        "text": cells * 30,
        "number": [1.5, -0.0, 0.0, float("nan"), 1e20, 1e-7, 3.0, -2.5, 1 / 3, 7.0, 0.1] * 30,
        "count": range(n),
        "flag": [True, False] * (n // 2),
        "str": pd.Series(cells * 30, dtype="str"),
        "mixed": [-1.5, "=1", 2, None, "a"] * (n // 5),
        "same": ["constant"] * n,
        "coded": pd.Categorical(cells * 30),  # as load_figures holds repeated texts
        "ids": [f"mine/{i}" for i in range(n)],  # every cell differs, none quoted...
        "lines": [f"mine.csv, line {i}" if i % 7 else f"=x{i}" for i in range(n)],  # ...all
        "rare": [f"r{i}" if i % 50 else f'-"{i}"\n' for i in range(n)],  # ...a few, both ways
    })  # fmt: skip
    pandas_way, fast = tmp_path / "pandas.csv", tmp_path / "fast.csv"
    neutralise_table(frame).to_csv(pandas_way, index=False, encoding="utf-8")
    write_csv(frame, fast, chunk=7)
    assert fast.read_bytes() == pandas_way.read_bytes()
    figures = figures_table(mapkit.load_figures())  # text and numbers, as layers/figures.csv
    neutralise_table(figures).to_csv(pandas_way, index=False, encoding="utf-8")
    assert write_csv(figures, fast).read_bytes() == pandas_way.read_bytes()
