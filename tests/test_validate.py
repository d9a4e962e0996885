"""Consistency checks find the contradictions between the sources and never change the data."""

from __future__ import annotations

import json
from pathlib import Path

import mapkit
from mapkit.cli import main
from mapkit.validate import report, validate_files


def findings(kind: str) -> list:
    return [f for f in mapkit.validate(mapkit.load_figures()) if f.kind == kind]


def test_embedded_data_has_no_errors() -> None:
    assert [f for f in mapkit.validate(mapkit.load_figures()) if f.level == "error"] == []


def test_the_articles_contradict_each_other_on_incidents_killed_and_injured() -> None:
    found = {f.message.split(":")[0]: f for f in findings("cumulative")}
    for metric, (longer, shorter) in {
        "killed": (70, 71),
        "injured": (324, 341),
        "incidents": (237, 412),
    }.items():
        finding = found[f"Azerbaijan, {metric}"]
        assert [v["value"] for v in finding.values] == [longer, shorter]
        assert "Azernews" in finding.message and "Report" in finding.message


def test_the_contaminated_share_does_not_match_the_area_beyond_rounding() -> None:
    (share,) = [f for f in findings("share") if "contaminated_share" in f.message]
    assert "13.4%" in share.message and "13.47%" in share.message and "86,600" in share.message
    assert not [f for f in findings("share") if "cleared_share" in f.message]  # 20.80 % rounds


def test_parts_that_add_up_raise_nothing_and_parts_that_do_not_are_named(tmp_path: Path) -> None:
    assert findings("sum") == []
    path = tmp_path / "sums.csv"
    path.write_text(
        "area,metric,value,unit,as_of,source\n"
        "Aghdam,mines_anti_personnel,10,count,2026-01-31,ANAMA\n"
        "Aghdam,mines_anti_tank,5,count,2026-01-31,ANAMA\n"
        "Aghdam,mines,16,count,2026-01-31,ANAMA\n",
        encoding="utf-8",
    )
    (finding,) = [f for f in validate_files([path], only=True) if f.kind == "sum"]
    assert "= 15" in finding.message and "16" in finding.message
    assert finding.level == "warning"


def test_a_duplicate_with_different_values_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(
        "area,metric,value,unit,as_of,source\n"
        "Aghdam,cleared_area,10,ha,2026-01-31,ANAMA\n"
        "Agdam,cleared_area,12,ha,2026-01-31,ANAMA\n",
        encoding="utf-8",
    )
    (finding,) = validate_files([path], only=True)
    assert finding.level == "error" and finding.kind == "duplicate"


def test_bad_rows_become_error_findings_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "area,metric,value,unit,as_of,source\nAghdam,cleared_area,x,ha,2026-01-31,A\n",
        encoding="utf-8",
    )
    found = validate_files([path])
    assert found[0].level == "error" and f"{path}, line 2" in found[0].message
    assert any(f.kind == "cumulative" for f in found)  # the embedded data is still checked


def test_json_report_lists_findings_with_values_and_sources() -> None:
    data = json.loads(report(mapkit.validate(mapkit.load_figures()), "json"))
    assert data["error"] == 0 and data["warning"] >= 4
    killed = next(f for f in data["findings"] if f["message"].startswith("Azerbaijan, killed"))
    assert {v["source"].split(",")[0] for v in killed["values"]} == {
        "Azernews",
        "Report (report.az)",
    }


def test_two_sources_disagreeing_is_a_conflict_warning_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text(
        "area,metric,value,unit,as_of,source\n"
        "Aghdam,items_found,31500,count,2025-05-20,Trend\n"
        "Agdam,items_found,31105,count,2025-05-20,Azernews\n"
        "Fuzuli,items_found,100,count,2025-05-20,Trend\n"
        "Fuzuli,items_found,100,count,2025-05-20,Azernews\n",
        encoding="utf-8",
    )
    (finding,) = validate_files([path], only=True)
    assert finding.level == "warning" and finding.kind == "conflict"
    assert "31,500" in finding.message and "31,105" in finding.message
    assert {v["source"] for v in finding.values} == {"Trend", "Azernews"}
    assert main(["validate", "--only", "--figures", str(path)]) == 0  # a build would go on
