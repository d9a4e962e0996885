"""The command line as a person uses it: outputs, and one-line errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mapkit import MapkitError, load_figures


def mapkit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mapkit", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_figures_csv_lists_every_figure_with_its_source() -> None:
    result = mapkit("figures", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"area", "metric", "value", "unit", "as_of", "source"} <= set(rows[0])
    aghdam = [r for r in rows if r["iso"] == "AZ-AGM" and r["id"] == "azernews-2025-05-20/01"]
    assert aghdam[0]["value"] == "37154.0" and aghdam[0]["unit"] == "ha"
    assert (
        sum(r["id"].startswith(("azernews-2025-05-20/", "report-2025-12-09/")) for r in rows) == 37
    )


def test_figures_json_is_a_list_of_records() -> None:
    result = mapkit("figures", "--format", "json")
    records = json.loads(result.stdout)
    assert any(r["value"] == 232522 and r["metric"] == "items_found" for r in records)


def test_validate_json_exits_zero_and_names_the_contradictions() -> None:
    result = mapkit("validate", "--format", "json")
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert any("killed" in f["message"] and "Azernews" in f["message"] for f in findings)


def test_build_from_an_unrelated_folder(tmp_path: Path) -> None:
    result = mapkit("build", "--out", str(tmp_path / "a"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a" / "index.html").stat().st_size > 100_000
    assert (tmp_path / "a" / "layers" / "districts.geojson").exists()


def bad_csv(tmp_path: Path, line: str) -> Path:
    path = tmp_path / "mine.csv"
    path.write_text(f"area,metric,value,unit,as_of,source\n{line}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.csv", "missing.csv: file not found"),
        (
            lambda p: bad_csv(p, "Aghdam,cleared_area,lots,ha,2026-01-31,ANAMA"),
            "line 2: value 'lots' is not a number",
        ),
        (
            lambda p: bad_csv(p, "Atlantis,cleared_area,5,ha,2026-01-31,ANAMA"),
            "line 2: unknown place 'Atlantis'",
        ),
    ],
)
def test_bad_input_gets_one_line_and_a_non_zero_exit(tmp_path: Path, make, message: str) -> None:
    result = mapkit("build", "--out", str(tmp_path / "out"), "--figures", str(make(tmp_path)))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = mapkit("--debug", "build", "--out", str(tmp_path / "o"), "--figures", "nope.csv")
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = mapkit("build", "--out", str(tmp_path))
    assert result.returncode == 2 and "not a mapkit build folder" in result.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_validate_counts_in_words_that_agree_with_the_number(tmp_path: Path) -> None:
    from mapkit.validate import Finding, report

    one = report([Finding("error", "value", "x")])
    assert one.endswith("1 error, 0 warnings")  # was "1 errors"


@pytest.mark.parametrize(
    ("arguments", "flags", "in_python", "on_the_command_line"),
    [
        ({"only": True}, ["--only"], "no figures: `only=True` needs at least one `files` file",
         "no figures: --only needs at least one --figures file"),
        ({"as_of": "2025-02-30"}, ["--as-of", "2025-02-30"],
         "`as_of`: date '2025-02-30' does not exist", "--as-of: date '2025-02-30' does not exist"),
    ],
)  # fmt: skip
def test_the_api_names_its_arguments_and_the_command_its_flags(
    arguments: dict[str, object], flags: list[str], in_python: str, on_the_command_line: str
) -> None:
    """Issue 12: a library error said "--as-of" to a notebook; the command still says it."""
    with pytest.raises(MapkitError) as raised:
        load_figures(**arguments)
    assert str(raised.value) == in_python and "--" not in str(raised.value)
    result = mapkit("figures", *flags)
    assert result.returncode == 2
    assert result.stderr == f"mapkit: error: {on_the_command_line}\n"


def test_a_row_validate_rejects_names_the_flag_on_the_command_and_the_argument_in_python(
    tmp_path: Path,
) -> None:
    from mapkit.validate import validate_files

    path = bad_csv(tmp_path, "Aghdam,cleared_area,37.154,ha,2025-05-20,Azernews")
    result = mapkit("validate", "--only", "--figures", str(path))
    assert result.returncode == 1
    assert "give --decimal point or --decimal comma" in result.stdout
    [finding] = validate_files([path], only=True)
    assert finding.message.endswith("give `decimal='point'` or `decimal='comma'`")


def test_build_lang_writes_the_atlas_in_that_language(tmp_path: Path) -> None:
    result = mapkit("build", "--out", str(tmp_path / "ru"), "--lang", "ru")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "ru" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in page
    assert "<title>Минное загрязнение и разминирование в Азербайджане</title>" in page
    wrong = mapkit("build", "--out", str(tmp_path / "fr"), "--lang", "fr")
    assert wrong.returncode == 2 and "invalid choice: 'fr'" in wrong.stderr
    assert "Traceback" not in wrong.stderr and not (tmp_path / "fr").exists()
