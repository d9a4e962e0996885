"""The figures derived from the research tables: each value in its sentence, conflicts shown."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys

import pandas as pd
import pytest
from conftest import REPO, shared

import mapkit
from mapkit.validate import validate

WORDS = {1: ("one", "an"), 2: ("two",), 4: ("four",), 5: ("five",), 6: ("six",)}
# Values the page prints in a form no rule covers, as the page prints them.
PRINTED = {"1454.2": "1454, 2"}


def _derive_module():
    spec = importlib.util.spec_from_file_location("derive_figures", REPO / "geo/derive_figures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["derive_figures"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def derived() -> tuple[list[dict], list[dict], list]:
    folder = shared("research", "district-figures.csv").parent
    module = _derive_module()
    sources = list(csv.DictReader((REPO / "geo/sources.csv").open(encoding="utf-8")))
    return module.derive(folder, sources)


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return mapkit.load_figures()


def forms(text: str) -> set[str]:
    """The ways a page writes a value: 37,154, 37154, 37 154, 54,24, 58 min 379, 69.2 min."""
    value = float(text)
    out = {text, PRINTED.get(text, text)}
    whole, _, decimals = text.partition(".")
    grouped = f"{int(whole):,}"
    for sep in (",", " ", "."):
        body = grouped.replace(",", sep)
        out.add(body + (f".{decimals}" if decimals else ""))
        out.add(body + (f",{decimals}" if decimals else ""))
    out.add(whole + (f",{decimals}" if decimals else ""))
    if value >= 1000:
        thousands, rest = divmod(int(value), 1000)
        out.add(f"{thousands} min {rest:03d}" if rest else f"{thousands} min")
        out.add(f"{value / 1000:g} min")
    out.update(WORDS.get(int(value), ()) if value.is_integer() else ())
    return {f for f in out if f}


def in_sentence(value: str, sentence: str) -> bool:
    text = sentence.replace("\u00a0", " ")
    return any(
        re.search(rf"(?<![\d,.]){re.escape(f)}(?![\d])", text, flags=re.IGNORECASE)
        for f in forms(value)
    )


def test_the_committed_rows_are_what_the_script_derives(derived) -> None:
    rows, made, _ = derived
    committed = [
        r
        for r in csv.DictReader((REPO / "geo/figures.csv").open(encoding="utf-8"))
        if "/r" in r["id"]
    ]
    assert committed == rows, "geo/figures.csv is stale: run geo/derive_figures.py"
    sources = list(csv.DictReader((REPO / "geo/sources.csv").open(encoding="utf-8")))
    assert [s for s in sources if s["note"].startswith("From the research tables")] == made


def test_every_derived_value_is_written_in_its_sentence(derived) -> None:
    rows, _, origins = derived
    assert len(rows) > 150
    for row, origin in zip(rows, origins, strict=True):
        if origin is None:  # Gubadli 91 ha: only the research notes give the English value
            notes = shared("research", "district-figures.csv").read_text(encoding="utf-8")
            assert f"print {row['value']} ha" in notes, row["id"]
            continue
        assert (row["value"] == origin.value and row["unit"] in origin.unit) or row["unit"] == "%"
        assert in_sentence(row["value"], origin.quote), (row["id"], origin.quote)
        assert origin.quote not in row["locator"] + row["note"]  # never the research prose


def test_the_sentence_check_catches_a_wrong_value() -> None:
    assert in_sentence("37154", "cleared 37,154 hectares of land")
    assert not in_sentence("37155", "cleared 37,154 hectares of land")
    assert not in_sentence("154", "cleared 37,154 hectares of land")
    assert in_sentence("58379", "58 min 379 kvadratmetri")
    assert in_sentence("228689.9", "очищено 228 689,9 га")


def test_square_metres_are_converted_on_read(figures: pd.DataFrame) -> None:
    site = figures[(figures.unit == "m2") & (figures.value == 58379)].iloc[0]
    assert site.value_std == pytest.approx(5.8379) and site.unit_std == "ha"
    assert site.scope  # one site: listed, never colouring Jabrayil


def test_more_districts_and_two_years_by_district(figures: pd.DataFrame) -> None:
    cleared = figures[
        (figures.metric == "cleared_area") & figures.iso.map(mapkit.figures.is_district)
    ]
    assert cleared.iso.nunique() >= 14
    by_year = cleared[cleared.scope == ""].groupby("series").iso.nunique()
    assert by_year["cleared_area_2023"] >= 11 and by_year["cleared_area_2025"] >= 12


def test_share_of_a_district_cleared_and_cluster_munitions(figures: pd.DataFrame) -> None:
    aghdam = figures[(figures.iso == "AZ-AGM") & (figures.metric == "territory_cleared_share")]
    assert {27.5, 34.8, 50.0} <= set(aghdam.value)
    cluster = figures[figures.metric == "cluster_munitions"]
    assert dict(zip(cluster.area, cluster.value, strict=True)) == {
        "AZ-AGM": 45,
        "AZ-CAB": 429,
        "AZ-FUZ": 182,
        "AZ-XVD": 3,
        "Aghdara": 6,
    }


def test_groups_aghdara_and_lines_are_never_put_on_one_polygon(figures: pd.DataFrame) -> None:
    derived = figures[figures.id.str.contains("/r")]
    lines = derived[derived.scope.str.contains("railway|road|highway", case=False)]
    assert len(lines) == 5 and not lines.iso.map(mapkit.figures.is_district).any()
    assert set(derived[derived.area == "Aghdara"].iso) == {""}


def test_flows_stay_flows(figures: pd.DataFrame) -> None:
    national = figures[(figures.iso == "AZ") & (figures.metric == "cleared_area")]
    monthly = national[national.value.isin([5264.14, 4550.1, 6687.4, 6094.6, 7022.1, 5098.7])]
    assert len(monthly) == 6 and set(monthly.kind) == {"flow"}
    latest = mapkit.latest(figures)
    total = latest[(latest.iso == "AZ") & (latest.metric == "cleared_area")].iloc[0]
    assert total.kind == "cumulative" and total.value_std >= 200_000


CONFLICTS = [
    ("azernews-2025-05-20/02", "trend-2025-05-20/r02"),  # Aghdam items 31,105 vs 31,500
    ("metbuataz-2021-09/r01", "newsaz-2021-09-28/r01"),  # Gubadli 71 vs 91 ha
    ("trend-2025-06-17/r01", "trend-2025-05-20/r01"),  # Aghdam nearly 35,000 after 37,154 ha
    ("report-2023-04-17/r01", "trend-2023-04-17/r04"),  # Fuzuli up to 25 % vs 24.8 %
]


def test_the_conflicts_are_warnings_naming_both_sources(figures: pd.DataFrame) -> None:
    findings = validate(figures)
    assert not [f for f in findings if f.level == "error"]
    for pair in CONFLICTS:
        match = [f for f in findings if set(pair) <= set(f.ids)]
        assert len(match) == 1 and match[0].level == "warning", pair
        sources = {v["source"] for v in match[0].values}
        assert len(sources) == 2, pair


def test_the_contaminated_total_and_the_derived_remainder(figures: pd.DataFrame) -> None:
    total = figures[figures.id == "report-2025-12-09/02"].iloc[0]
    assert "contaminated in all" in total.note
    derived = figures[figures.id == "derived/01"].iloc[0]
    assert derived.value == 11667 - 2427 and derived.unit == "km2"
    assert derived.scope.startswith("derived") and derived.note.startswith("DERIVED")
    latest = mapkit.latest(figures)
    assert "derived/01" not in set(latest.id)  # never shown as a stated figure


def test_the_seed_urls_are_known(figures: pd.DataFrame) -> None:
    seeds = figures[figures.id.str.match(r"(azernews-2025-05-20|report-2025-12-09)/")]
    assert set(seeds.url) == {
        "https://www.azernews.az/nation/242033.html",
        "https://report.az/en/foreign-politics/"
        "elchin-amirbayov-briefs-brussels-on-mines-regional-transport-projects",
    }


def _cited() -> list[dict[str, str]]:
    """``geo/cited_sentences.csv``: the sentence each hand-typed page figure was read from."""
    return list(csv.DictReader((REPO / "geo/cited_sentences.csv").open(encoding="utf-8")))


def test_every_value_read_off_a_page_is_in_its_cited_sentence(figures: pd.DataFrame) -> None:
    names = pd.read_csv(REPO / "geo/aliases.csv", keep_default_na=False)
    by_id = figures.set_index("id")
    cited = {}
    for row in _cited():
        for figure_id in row["figures"].split():
            figure = by_id.loc[figure_id]
            value = str(int(figure.value)) if figure.value.is_integer() else str(figure.value)
            assert in_sentence(value, row["sentence"]), (figure_id, row["sentence"])
            if figure.iso != "AZ":  # a district: the page names it where the figure is
                place = names[names.iso == figure.iso].alias
                assert any(n in row["sentence"] + row["place_sentence"] for n in place), figure_id
            cited[figure_id] = figure.url
    for url in set(cited.values()):  # every hand-typed figure of these pages is cited
        typed = figures[(figures.url == url) & ~figures.id.str.contains("/r")]
        assert set(typed.id) <= set(cited), url
    assert len(cited) >= 18


def test_a_14th_district_aghstafa_keeps_its_project_scope_and_conflict(
    figures: pd.DataFrame,
) -> None:
    saloglu = figures[figures.iso == "AZ-AGA"]
    assert set(saloglu.value_std.round(1)) == {525.0, 545.7} and (saloglu.scope != "").all()
    assert (saloglu.series == "").all()  # a project site: listed, never colouring the district
    findings = [f for f in validate(figures) if set(saloglu.id) <= set(f.ids)]
    assert len(findings) == 1 and findings[0].level == "warning"


def test_the_2023_operator_and_purpose_breakdowns_are_never_added_to_totals(
    figures: pd.DataFrame,
) -> None:
    year = figures[figures.id.str.startswith("trend-2024-03-05/") & (figures.iso == "AZ")]
    area = year[year.metric == "cleared_area"]
    parts = area[area.scope != ""]
    assert len(parts) == 10 and (parts.series == "").all()
    operators = parts[~parts.scope.str.contains("agriculture|transport|residential|energy|other")]
    assert operators.value_std.sum() == pytest.approx(53081.8)  # the total is stated as 53,081
    assert set(area[area.scope == ""].value) == {53081}
    items = year[year.metric == "items_found"]
    assert items[items.scope != ""].value.sum() == 31547 and set(
        items[items.scope == ""].value
    ) == {31600}  # "some" 22,600 and 5,400: the parts need not add up to the total
    latest = mapkit.latest(figures)
    national = latest[(latest.iso == "AZ") & (latest.metric == "cleared_area")]
    assert not set(parts.id) & set(national.id)
