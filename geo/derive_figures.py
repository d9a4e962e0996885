"""Derive figure rows from the research tables into ``geo/figures.csv`` and ``geo/sources.csv``.

Reads ``../shared/research/district-figures.csv`` and ``national-series.csv`` (relative to the
repository root; pass another folder as the first argument) and rewrites the rows it owns: figures
whose id ends in ``/rNN`` and the sources it made (their note starts with :data:`MADE`). Rows typed
by hand are kept as they are. Values and units are copied as stated (m² stays m²); the place,
metric, qualifier, kind and scope are mapped by the tables below, each decision written here
once. The research sentences are not copied: the locator says in our own words where the figure
is, and
``tests/test_research_figures.py`` checks each value against its sentence.

Run from the repository root: ``.venv/bin/python geo/derive_figures.py``. Deterministic.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

GEO = Path(__file__).resolve().parent
RESEARCH = GEO.parent.parent / "shared" / "research"
MADE = "From the research tables (geo/derive_figures.py)."
FIGURE_FIELDS = [
    "id",
    "area",
    "metric",
    "value",
    "unit",
    "qualifier",
    "kind",
    "scope",
    "period_start",
    "as_of",
    "source_id",
    "locator",
    "note",
]
SOURCE_FIELDS = ["source_id", "publisher", "title", "published", "author", "speaker", "url", "note"]

# Places written without one ISO code: the group, former district or unnamed rest they stand for.
PLACES = {
    "Zəngilan və Qubadlı rayonları": "AZ-ZAN+AZ-QBI",
    "Agstafa and Aghjabadi regions": "AZ-AGA+AZ-AGC",
    "Jabrayil, Fuzuli and Aghdam districts": "AZ-CAB+AZ-FUZ+AZ-AGM",
    "Cəbrayıl, Füzuli və Ağdam rayonları": "AZ-CAB+AZ-FUZ+AZ-AGM",
    "Fuzuli-Zangilan (Agband) railway sections through Jojug Marjanli and Mehdili villages": (
        "AZ-FUZ+AZ-ZAN"
    ),
    "Cəbrayıl, Zəngilan, Füzuli (and Qubadlı) rayonları": "AZ-CAB+AZ-ZAN+AZ-FUZ+AZ-QBI",
    "Fuzuli-Jabrayil road, 2nd section (Garghabazari village, Fuzuli region)": "AZ-FUZ+AZ-CAB",
    "Ağdam, Cəbrayıl, Füzuli, Xocavənd və Qubadlı rayonları": (
        "AZ-AGM+AZ-CAB+AZ-FUZ+AZ-XVD+AZ-QBI"
    ),
    "Агдамский, Кяльбаджарский, Лачынский, Губадлинский, Шушинский, Ходжалинский и "
    "Ходжавендский районы": "AZ-AGM+AZ-KAL+AZ-LAC+AZ-QBI+AZ-SUS+AZ-XCI+AZ-XVD",
    "Kalbajar and Dashkasan districts": "AZ-KAL+AZ-DAS",
    "Lachin, Kalbajar, Dashkasan districts, Tartar and Sugovushan directions": (
        "AZ-LAC+AZ-KAL+AZ-DAS+AZ-TAR"
    ),
    "Kalbajar and Lachin districts": "AZ-KAL+AZ-LAC",
    "Kalbajar and Lachin directions of the Azerbaijan-Armenia border": "AZ-KAL+AZ-LAC",
    "Karabakh Economic Region (excluding Shusha)": "AZ-AGM+AZ-FUZ+AZ-TAR+AZ-XCI+AZ-XVD",
    "Aghdam, Fuzuli, Tartar, Khojaly, Khojavend (Karabakh economic region except Shusha)": (
        "AZ-AGM+AZ-FUZ+AZ-TAR+AZ-XCI+AZ-XVD"
    ),
    "Qarabağ İqtisadi rayonu (Şuşa istisna): Ağdam, Füzuli, Tərtər, Xocavənd, Xocalı": (
        "AZ-AGM+AZ-FUZ+AZ-TAR+AZ-XVD+AZ-XCI"
    ),
    "Fuzuli-Aghdam railway project": "AZ-FUZ+AZ-AGM",
    "Victory Road between Fuzuli and Shusha districts": "AZ-FUZ+AZ-SUS",
    "other districts": "other districts",
    "Aghdara": "Aghdara",
    "Jabrayil, Gubadli, and Zangilan districts": "AZ-CAB+AZ-QBI+AZ-ZAN",
    "Джебраильский, Губадлинский, Зангиланский районы (meeting in Jabrayil)": (
        "AZ-CAB+AZ-QBI+AZ-ZAN"
    ),
    "Aghdam-Hindarkh-Aghjabadi highway": "AZ-AGM+AZ-AGC",
}

# Why a research row is left out: metrics outside the vocabulary and rows without a date.
LEFT_OUT_METRICS = {
    "planned_clearance_area": "a plan, not a result",
    "area_checked": "area searched, not cleared",
    "area_examined": "area searched, not cleared",
    "area_searched": "area searched, not cleared",
    "site_area_under_clearance": "the size of one site, not a result",
    "hazardous_area": "undated",
    "suspected_contaminated_area": "undated",
}

# Who the national table says spoke, where its words are not a speaker's name.
SPEAKERS = {
    "all": "",
    "all structures": "",
    "ANAMA weekly report context": "ANAMA (weekly report)",
    "ANAMA/Trend": "ANAMA",
    "ANAMA monthly (all structures)": "ANAMA (monthly report)",
}

# Qualifiers as the research notes word them, in the vocabulary's words.
QUALIFIER_WORDS = (
    ("more than", "more than"),
    ("over", "more than"),
    ("about", "about"),
    ("around", "about"),
    ("environ", "about"),
    ("some", "about"),
    ("nearly", "nearly"),
    ("almost", "nearly"),
    ("up to", "up to"),
)


@dataclass(frozen=True)
class Decision:
    """What a research row becomes, where the general rules do not say it."""

    metric: str = ""
    kind: str = ""
    scope: str = ""
    qualifier: str | None = None
    as_of: str = ""
    note: str = ""
    skip: str = ""


def _key(url_part: str, metric: str, value: str) -> tuple[str, str, str]:
    """A research row: a part of its URL, its metric and its value as written."""
    return (url_part, metric, value)


MOD = "Defence Ministry only"
SBS = "State Border Service only"
ANAMA = "ANAMA only"
GAZAKH = "villages returned in April 2024 only"
INFERRED = "year not printed on the page; inferred by the research notes"
DECISIONS: dict[tuple[str, str, str], Decision] = {
    # district-figures.csv
    _key("174750.html", "mines_anti_personnel", "25"): Decision(
        scope="Russian Emergencies Ministry crew only"
    ),
    _key("3362729.html", "items_found", "65"): Decision(
        scope="Afatli settlement only", note="explosive objects, most of them mines"
    ),
    _key("56512.html", "cleared_area", "8200"): Decision(
        note="the period is not stated: kept as the research table reads it, a flow to the date"
    ),
    _key("1805164.html", "items_found", "12304"): Decision(
        metric="uxo", note="other explosive ordnance besides the mines counted apart"
    ),
    _key("1805164.html", "items_found", "12038"): Decision(
        metric="uxo", note="other explosive ordnance besides the mines counted apart"
    ),
    _key("1805164.html", "items_found", "27993"): Decision(
        metric="uxo", note="other explosive ordnance besides the mines counted apart"
    ),
    _key("1805164.html", "items_found", "15003"): Decision(
        metric="uxo", note="other explosive ordnance besides the mines counted apart"
    ),
    _key("215016.html", "cleared_area", "200"): Decision(
        scope="Araz Valley industrial park site only"
    ),
    _key("525061", "cleared_area", "58379"): (
        Decision(scope="Mehdili village site only", note=f"stated in m²; {INFERRED}")
    ),
    _key("525061", "mines", "1077"): (Decision(scope="Mehdili village site only", note=INFERRED)),
    _key("200436.html", "mines", "452"): Decision(scope=MOD, note="planted by a sabotage group"),
    _key("200436.html", "mines_anti_personnel", "108"): Decision(scope=MOD),
    _key("200436.html", "mines_anti_personnel", "118"): Decision(scope=MOD),
    _key("200436.html", "mines_anti_tank", "4"): Decision(scope=MOD),
    _key("3638958.html", "mines_anti_personnel", "1318"): Decision(
        note="recently laid mines made in 2021"
    ),
    _key("226371.html", "mines_anti_personnel", "90"): Decision(
        scope="Boyuk Ishigli mount only", note=INFERRED
    ),
    _key("1506178", "mines_anti_personnel", "102"): Decision(
        scope="Kichik Ishigli mount only", note=INFERRED
    ),
    _key("1405352", "cleared_share", "48.7"): (
        Decision(skip="share of one site, not of a district")
    ),
    _key("944303.html", "cleared_share", "48.7"): Decision(
        skip="share of one site, not of a district"
    ),
    _key("1419084", "cleared_area", "71"): (
        Decision(
            kind="cumulative",
            scope="multi-year farmland, Defence Ministry",
            as_of="2021-09",
            note="clearance of this area nearly finished; English versions of the same report "
            "give 91 ha (newsaz-2021-09-28/r01)",
        )
    ),
    _key("1419084", "cleared_area", "1119"): Decision(
        scope="Defence Ministry engineering troops only"
    ),
    _key(
        "1419084",
        "cleared_area",
        "1628.626",
    ): Decision(scope="multi-year farmland, Defence Ministry"),
    _key("2200-hectares-of-land-in-jabrayil", "cleared_area", "2200"): Decision(
        scope="farmland, Defence Ministry"
    ),
    _key("2200-hektardan-artiq", "cleared_area", "2200"): Decision(
        scope="farmland, Defence Ministry"
    ),
    _key("181220.html", "mines", "1323"): Decision(scope="Fuzuli-Zangilan railway sections only"),
    _key("209474.html", "cleared_area", "289000"): Decision(
        scope="Fuzuli-Jabrayil road, 2nd section only", note="stated in m²"
    ),
    _key("sapery-minoborony", "cleared_area", "492.06"): (
        Decision(scope="Defence Ministry engineering troops only", note=INFERRED)
    ),
    _key("226554.html", "mines", "230"): Decision(scope=MOD),
    _key("3655050.html", "mines_anti_personnel", "9000"): Decision(
        scope=MOD, note="includes the Tartar and Sugovushan directions"
    ),
    _key("3655050.html", "mines_anti_tank", "2500"): Decision(
        scope=MOD, note="includes the Tartar and Sugovushan directions"
    ),
    _key("226600.html", "mines_anti_personnel", "63"): Decision(scope="PMN-E mines, " + MOD),
    _key("226600.html", "mines_anti_personnel", "89"): Decision(scope="PMN-2 mines, " + MOD),
    _key("226600.html", "mines_anti_personnel", "1"): Decision(
        scope="OZM-72E mine, " + MOD, note="written as a word ('an')"
    ),
    _key("over-2700-armenian-made", "mines", "1119"): (
        Decision(scope="Azerbaijan-Armenia border directions only")
    ),
    _key("3716597.html", "cleared_share", "15"): Decision(
        note="share of the Karabakh economic region without Shusha (Aghdam, Fuzuli, Tartar, "
        "Khojaly, Khojavend per the April 2023 report)"
    ),
    _key("3764458.html", "items_found", "1586"): Decision(scope="Fuzuli-Aghdam railway only"),
    _key("3764458.html", "mines", "1955"): Decision(scope="Victory Road only"),
    _key("3716399.html", "mines", "250"): Decision(scope="Aghdam-Hindarkh-Aghjabadi highway only"),
    _key(
        "3509543",
        "cleared_share",
        "40",
    ): Decision(skip="an average of three districts' shares, not the share of their whole"),
    _key("4094977.html", "cleared_area", "84147"): Decision(
        note="attribution unconfirmed: the English text gives it within 228,690 ha for the three "
        "districts, the Russian text gives 228,689.9 ha as the national total"
    ),
    _key("4094978.html", "cleared_area", "84146.5"): Decision(
        note="the stored Russian excerpt ends after the number; the English version attributes "
        "it to the three districts"
    ),
    # national-series.csv
    _key("3379128.html", "mines", "8972"): Decision(
        note="anti-personnel and anti-tank together; counted from 27 Sep 2020"
    ),
    _key("1419084", "cleared_area", "5430"): (Decision(scope=ANAMA, as_of="2021-09")),
    _key("1419084", "cleared_area", "12014"): Decision(
        scope=MOD, as_of="2021-09", note="the context makes it the Defence Ministry's"
    ),
    _key("1419084", "cleared_area", "286"): (Decision(scope=SBS, as_of="2021-09")),
    _key("1419084", "items_found", "24925"): Decision(scope=ANAMA, as_of="2021-09"),
    _key("3420174.html", "items_found", "18648"): Decision(qualifier="about"),
    _key("1426087", "cleared_area", "13365"): Decision(scope=MOD),
    _key("azerbaijan-plans-to-demine-tens-of-thousands", "cleared_area", "20165"): (
        Decision(kind="flow")
    ),
    _key("215196.html", "cleared_area", "386"): Decision(kind="flow", scope=SBS),
    _key("azerbaijan-plans-to-demine-tens-of-thousands", "items_found", "41503"): (
        Decision(kind="flow", qualifier="about")
    ),
    _key("sapery-minoborony", "cleared_area", "15026"): (
        Decision(scope=MOD, as_of="2022-04-14", note=INFERRED)
    ),
    _key("1439014", "cleared_area", "18600"): Decision(scope=MOD),
    _key("3653207.html", "contaminated_area_high", "147988"): Decision(
        metric="contaminated_area", kind="stock", scope="high contamination level only"
    ),
    _key("3653207.html", "contaminated_area_low", "675570"): Decision(
        metric="contaminated_area", kind="stock", scope="low contamination level only"
    ),
    _key("201431.html", "victims", "266"): Decision(
        skip="the sentence gives incident counts, not the victims"
    ),
    _key("234003.html", "cleared_area", "7944"): Decision(kind="flow"),
    _key("1107370924", "cleared_area", "6687.4"): Decision(kind="flow"),
    _key("1106995671", "cleared_area", "5264.14"): (Decision(kind="flow")),
    _key("3806114.html", "cleared_area", "4550.1"): Decision(kind="flow"),
    _key("3838048.html", "cleared_area", "6800"): Decision(kind="flow", scope=MOD),
    _key("3870489.html", "cleared_area", "53081"): Decision(
        kind="flow", qualifier="", note="stated as over 53,000 (53,081) ha"
    ),
    _key("219768.html", "mines_anti_personnel", "3495"): Decision(kind="flow"),
    _key("3880115.html", "cleared_area", "6094.6"): Decision(kind="flow"),
    _key("413633.html", "cleared_area", "129831"): Decision(note=INFERRED),
    _key("413633.html", "items_found", "116574"): Decision(note=INFERRED),
    _key("ngo-chairman-landmines", "victims", "36"): Decision(
        skip="the sentence gives 4 killed and 32 injured, not their sum"
    ),
    _key("93971", "cleared_area", "62000"): Decision(kind="flow"),
    _key("4058260.html", "cleared_area", "27204"): Decision(kind="flow"),
    _key("1794541.html", "cleared_area", "7022.1"): Decision(kind="flow"),
    _key("bu-il-65-min-ha-dan", "cleared_area", "69200"): Decision(kind="flow"),
    _key("252668.html", "cleared_area", "5098.7"): Decision(kind="flow"),
}

# Figures not in a research row of their own.
EXTRA = (
    {
        "source_id": "newsaz-2021-09-28",
        "area": "AZ-QBI",
        "metric": "cleared_area",
        "value": "91",
        "unit": "ha",
        "qualifier": "",
        "kind": "cumulative",
        "scope": "multi-year farmland, Defence Ministry",
        "period_start": "",
        "as_of": "2021-09",
        "locator": "paragraph on the Defence Ministry's farmland clearance, Gubadli",
        "note": "the Azerbaijani report of the same meeting gives 71 ha (metbuataz-2021-09/r01); "
        "the English sentence is not stored: value as the research notes give it; "
        "as of the September 2021 working-group meeting both reports describe",
    },
)


@dataclass(frozen=True)
class ResearchRow:
    """One row of a research table, in the shape both tables share."""

    table: str
    line: int
    place: str
    iso: str
    metric: str
    value: str
    unit: str
    qualifier: str
    period_start: str
    as_of: str
    kind: str
    publisher: str
    published: str
    url: str
    quote: str
    speaker: str = ""


def research_rows(folder: Path) -> list[ResearchRow]:
    """Both research tables, district figures first, as :class:`ResearchRow`."""
    rows = []
    with (folder / "district-figures.csv").open(encoding="utf-8") as f:
        for line, r in enumerate(csv.DictReader(f), start=2):
            rows.append(
                ResearchRow(
                    "district-figures.csv", line, r["place_as_written"], r["iso_3166_2"],
                    r["metric"], r["value"], r["unit"], r["qualifier"], r["period_start"],
                    r["period_end_or_as_of"], r["kind"], r["publisher"], r["published"],
                    r["url"], r["quote"],
                )
            )  # fmt: skip
    with (folder / "national-series.csv").open(encoding="utf-8") as f:
        for line, r in enumerate(csv.DictReader(f), start=2):
            rows.append(
                ResearchRow(
                    "national-series.csv", line, "Azerbaijan", "AZ", r["metric"], r["value"],
                    r["unit"], r["qualifier"], r["period_start"], r["as_of"], "",
                    r["publisher"], r["published"], r["url"], r["quote"], r["scope_or_speaker"],
                )
            )  # fmt: skip
    return rows


def decision(row: ResearchRow) -> Decision:
    """The decision written for ``row`` in :data:`DECISIONS`, or the default one."""
    found = [
        d
        for (part, m, v), d in DECISIONS.items()
        if part in row.url and (m, v) == (row.metric, row.value)
    ]
    if len(found) > 1:
        raise SystemExit(f"two decisions match {row.table} line {row.line}")
    return found[0] if found else Decision()


def left_out(row: ResearchRow, metrics: set[str]) -> str:
    """Why a research row does not become a figure ("" when it does)."""
    chosen = decision(row)
    if chosen.skip:
        return chosen.skip
    if row.metric in LEFT_OUT_METRICS:
        return LEFT_OUT_METRICS[row.metric]
    if not (chosen.as_of or re.match(r"^\d{4}(-\d{2}){0,2}( |$)", row.as_of)):
        return "undated"
    if (chosen.metric or _metric(row)) not in metrics:
        return f"metric {row.metric} is not in the vocabulary"
    return ""


def _metric(row: ResearchRow) -> str:
    if row.metric == "cleared_share" and row.unit.startswith("% of") and "territory" in row.unit:
        return "territory_cleared_share"
    return row.metric


def _qualifier(row: ResearchRow) -> str:
    text = row.qualifier.lower()
    for words, qualifier in QUALIFIER_WORDS:
        if text.startswith(words) or re.search(rf"\({re.escape(words)}\b", text):
            return qualifier
    return ""


def _kind(row: ResearchRow, metric_default: str) -> str:
    if row.kind in ("cumulative", "flow"):
        return row.kind
    return metric_default


def _slug(publisher: str) -> str:
    first = publisher.split()[0].lower().replace(".az", "az")
    return re.sub(r"[^a-z0-9]", "", first)


def _area(row: ResearchRow) -> str:
    if row.iso:
        return row.iso
    if row.place not in PLACES:
        raise SystemExit(f"{row.table} line {row.line}: no area for place {row.place!r}")
    return PLACES[row.place]


def derive(folder: Path, sources: list[dict[str, str]]) -> tuple[list[dict], list[dict], list]:
    """The figures and sources derived from the research tables.

    Returns the figure rows (``geo/figures.csv`` fields), the new source rows, and for each figure
    the research row it comes from (None for :data:`EXTRA`), in the same order.
    """
    vocabulary = {
        r["metric"]: r for r in csv.DictReader((GEO / "metrics.csv").open(encoding="utf-8"))
    }
    by_url = {
        s["url"]: s["source_id"] for s in sources if s["url"] and not s["note"].startswith(MADE)
    }
    hand = list(csv.DictReader((GEO / "figures.csv").open(encoding="utf-8")))
    hand = [f for f in hand if "/r" not in f["id"]]
    hand_ids = {s["source_id"]: s["url"] for s in sources}
    stated = {(hand_ids.get(f["source_id"]), f["metric"], float(f["value"])) for f in hand}
    figures, made, origins, counters = [], {}, [], {}
    used = {s["source_id"] for s in sources if not s["note"].startswith(MADE)}
    for row in research_rows(folder):
        if left_out(row, set(vocabulary)):
            continue
        chosen = decision(row)
        metric = chosen.metric or _metric(row)
        scope = chosen.scope or (GAZAKH if row.iso == "AZ-QAZ" else "")
        if (row.url, metric, float(row.value)) in stated:
            continue  # typed by hand already, with the same citation
        source_id = by_url.get(row.url) or made.get(row.url, {}).get("source_id")
        if source_id is None:
            date = row.published or (chosen.as_of or row.as_of)[:10]
            source_id = f"{_slug(row.publisher)}-{date}"
            if source_id in used:
                source_id += "-" + _url_tag(row.url)
            used.add(source_id)
            made[row.url] = {
                "source_id": source_id,
                "publisher": row.publisher,
                "title": "",
                "published": row.published,
                "author": "",
                "speaker": SPEAKERS.get(row.speaker, row.speaker),
                "url": row.url,
                "note": MADE,
            }
        counters[source_id] = counters.get(source_id, 0) + 1
        as_of = chosen.as_of or row.as_of.split(" ")[0]
        figures.append(
            {
                "id": f"{source_id}/r{counters[source_id]:02d}",
                "area": _area(row),
                "metric": metric,
                "value": row.value,
                "unit": row.unit if row.unit in ("ha", "m2", "count", "km2") else "%",
                "qualifier": _qualifier(row) if chosen.qualifier is None else chosen.qualifier,
                "kind": chosen.kind or _kind(row, vocabulary[metric]["default_kind"]),
                "scope": scope,
                "period_start": row.period_start,
                "as_of": as_of,
                "source_id": source_id,
                "locator": _locator(row, metric, vocabulary),
                "note": chosen.note,
            }
        )
        origins.append(row)
    for source in made.values():
        source["title"] = _title(
            [f for f in figures if f["source_id"] == source["source_id"]], vocabulary
        )
    for extra in EXTRA:
        counters[extra["source_id"]] = counters.get(extra["source_id"], 0) + 1
        figures.append({"id": f"{extra['source_id']}/r{counters[extra['source_id']]:02d}", **extra})
        origins.append(None)
    return figures, list(made.values()), origins


def _url_tag(url: str) -> str:
    """A short tag telling apart two pages of one publisher and day: the article's number."""
    numbers = re.findall(r"[0-9]{4,}", url)
    words = url.rstrip("/").rsplit("/", 1)[-1].split("-")
    return numbers[-1][-4:] if numbers else "-".join(words[:3])


def _title(figures: list[dict[str, str]], vocabulary: dict) -> str:
    """Our description of a page: what it gives figures of, and for which kind of place."""
    labels = list(dict.fromkeys(vocabulary[f["metric"]]["label"].lower() for f in figures))
    areas = {f["area"] for f in figures}
    where = (
        "nationally" if areas == {"AZ"}
        else "for one district" if len(areas) == 1 and "+" not in next(iter(areas))
        else "by district or group of districts"
    )  # fmt: skip
    what = ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else labels[0]
    return f"Demining figures: {what}, {where}"


def _locator(row: ResearchRow, metric: str, vocabulary: dict) -> str:
    label = vocabulary[metric]["label"].lower()
    where = "national figure" if row.iso == "AZ" else f"figure for {row.place}"
    return f"sentence giving the {label}, {where}"


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    """Rewrite the derived rows of ``geo/figures.csv`` and ``geo/sources.csv``."""
    folder = Path(argv[0]) if argv else RESEARCH
    if not (folder / "district-figures.csv").exists():
        print(f"derive_figures: {folder / 'district-figures.csv'} not found", file=sys.stderr)
        return 1
    sources = list(csv.DictReader((GEO / "sources.csv").open(encoding="utf-8")))
    figures, made, _ = derive(folder, sources)
    hand = [
        f
        for f in csv.DictReader((GEO / "figures.csv").open(encoding="utf-8"))
        if "/r" not in f["id"]
    ]
    kept = [s for s in sources if not s["note"].startswith(MADE)]
    _write(GEO / "figures.csv", FIGURE_FIELDS, hand + figures)
    _write(GEO / "sources.csv", SOURCE_FIELDS, kept + made)
    print(f"{len(figures)} figures from {len(made)} new sources", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
