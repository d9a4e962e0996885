"""The vocabulary a user needs: the README's tables match the data, and a template to start from."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from conftest import REPO

import mapkit
from mapkit.vocabulary_docs import END, START, markdown


def test_readme_vocabulary_is_generated_from_the_data_files() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = START + readme.split(START, 1)[1].split(END, 1)[0] + END
    assert block == markdown(), "README vocabulary is stale: run geo/vocabulary_table.py"
    metrics = list(csv.DictReader((REPO / "geo/metrics.csv").open(encoding="utf-8")))
    units = list(csv.DictReader((REPO / "geo/units.csv").open(encoding="utf-8")))
    for name in [m["metric"] for m in metrics] + [u["unit"] for u in units]:
        assert f"| `{name}` |" in block, name
    assert "| `m2` | area | 0.0001 ha each |" in block


def test_template_prints_a_file_mapkit_reads(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mapkit", "figures", "--template"],
        capture_output=True,
        text=True,
        check=True,
    )
    path = tmp_path / "my-figures.csv"
    path.write_text(result.stdout, encoding="utf-8")
    figures = mapkit.read_figures(path)
    assert list(figures.iso) == ["AZ-AGM", "AZ-FUZ", "AZ"]
    assert set(figures.kind) == {"cumulative", "flow", "stock"}
    assert result.stdout.splitlines()[0].startswith("area,metric,value,unit,")
