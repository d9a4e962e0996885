"""``mapkit build`` says what it did, and stops where ``mapkit validate`` finds an error."""

from __future__ import annotations

from pathlib import Path

from test_cli import mapkit

import mapkit as api


def test_build_says_what_it_mapped_and_where_to_open_it(tmp_path: Path) -> None:
    result = mapkit("build", "--out", str(tmp_path / "atlas"))
    assert result.returncode == 0, result.stderr
    figures = api.load_figures()
    warnings = sum(f.level == "warning" for f in api.validate(figures))
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith(f"mapkit: {len(figures)} figures, 12 districts coloured, ")
    assert f"{warnings} warnings (mapkit validate) → " in line
    assert str(tmp_path / "atlas" / "index.html") in line and "open it in a browser" in line


def test_build_stops_on_a_duplicate_that_validate_rejects(tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text(
        "area,metric,value,unit,as_of,source\n"
        "Stepanakert,cleared_area,50,ha,2026-01-31,ANAMA\n"
        "Khankandi,cleared_area,60,ha,2026-01-31,ANAMA\n",
        encoding="utf-8",
    )
    result = mapkit("build", "--out", str(tmp_path / "atlas"), "--figures", str(mine))
    assert result.returncode == 2
    assert "[duplicate]" in result.stderr and "50 ha" in result.stderr and "60 ha" in result.stderr
    assert "nothing was built" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "atlas").exists()
