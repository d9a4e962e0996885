"""How well ``mapkit.extract`` reads figures out of statements: recall and precision per field.

Run by hand: ``python benchmarks/extract.py [--misses seeds|dev|held-out [--articles]]``.

Five sets, all kept in ``tests/fixtures/articles/`` (see ``derive.py`` there):

- ``seeds``: the two seed articles, labelled by their rows in ``geo/figures.csv`` (rows mapkit
  derived are left out: the article does not state them);
- ``dev articles`` and ``held-out articles``: whole articles (weekly and monthly agency reports,
  budget, victim and interview statements; ``whole/``) with every figure labelled by hand in
  ``whole.csv`` before the extractor was run on them: precision there is exact. The held-out ones
  were never looked at while tuning;
- ``dev sentences`` and ``held-out sentences``: exact sentences from public reports with the
  figure read out of each by hand. These labels name one or a few figures of each sentence, so
  precision there is a lower bound.

A row matches a label when value, unit and place agree; metric, period (start and as-of) and
qualifier are then scored on the matched rows (metric on English statements only: Azerbaijani and
Russian rows are proposed untyped on purpose, and counted). Labels with no single place (several
districts, a road) are left out. Many research sentences are cut from a longer text that named
the district earlier; the recall in brackets counts only labels whose place is in the sentence.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mapkit.extract import extract  # noqa: E402
from mapkit.extract.numbers import QUALIFIERS  # noqa: E402
from mapkit.extract.places import find_places  # noqa: E402
from mapkit.extract.vocabulary import language  # noqa: E402
from mapkit.figures import parse_date  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "articles"
SEEDS = {
    "azernews-2025-05-20": "2025-05-20-azernews-aghdam-clearance.txt",
    "report-2025-12-09": "2025-12-09-report-amirbayov-brussels.txt",
}
# Research labels that name one metric of the vocabulary differently.
SAME_METRIC = {"area_checked": "area_examined", "area_searched": "area_examined"}
_SPLIT = {"dev": "dev", "heldout": "held-out"}


def _qualifier(text: str) -> str:
    text = text.strip().lower()
    for pattern, qualifier in QUALIFIERS:
        if re.fullmatch(rf"(?:{pattern})", text):
            return qualifier
    return ""


def _labels() -> dict[str, list[tuple[str, pd.DataFrame, str]]]:
    """Per set: (text, its labelled rows, published date) groups."""
    read = lambda p: pd.read_csv(p, dtype=str, keep_default_na=False)  # noqa: E731
    sets: dict[str, list[tuple[str, pd.DataFrame, str]]] = defaultdict(list)
    figures, sources = read(ROOT / "geo" / "figures.csv"), read(ROOT / "geo" / "sources.csv")
    for source_id, name in SEEDS.items():
        published = sources.set_index("source_id").loc[source_id, "published"]
        rows = figures[figures.source_id == source_id]
        rows = rows[~rows.scope.str.startswith("derived")]  # computed by mapkit, not stated
        sets["seeds"].append(((FIXTURES / name).read_text(encoding="utf-8"), rows, published))
    whole = read(FIXTURES / "whole.csv")
    for (split, name), rows in whole.groupby(["split", "file"], sort=False):
        text = (FIXTURES / "whole" / name).read_text(encoding="utf-8")
        sets[f"{_SPLIT[split]} articles"].append((text, rows, ""))  # date from the header
    statements = read(FIXTURES / "statements.csv")
    for (split, sentence, published), rows in statements.groupby(
        ["split", "sentence", "published"], sort=False
    ):
        sets[f"{_SPLIT[split]} sentences"].append((sentence, rows, published))
    order = ("seeds", "dev sentences", "dev articles", "held-out articles", "held-out sentences")
    return {name: sets[name] for name in order}


def _same_period(row: dict, label: dict) -> bool:
    """Start and as-of dates agree, whatever precision wrote them (2023 = 2023-01-01..12-31)."""

    def day(text: str, end: bool) -> object:
        try:
            return parse_date(text, end=end) if text else None
        except ValueError:
            return text

    return all(
        day(row[k], k == "as_of") == day(label[k], k == "as_of") for k in ("period_start", "as_of")
    )


def _same_value(a: str, b: str) -> bool:
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return abs(x - y) <= 1e-6 * max(abs(x), abs(y), 1)


def score(groups: list[tuple[str, pd.DataFrame, str]], misses: bool) -> dict[str, float]:
    """Count labels, proposed rows, matches and right fields over the groups."""
    n = defaultdict(int)
    for text, labels, published in groups:
        labels = labels[labels.area != ""]
        full = published if re.fullmatch(r"\d{4}-\d\d-\d\d", published) else None
        proposed = extract(text, published=full, source="benchmark").to_dict("records")
        n["proposed"] += len(proposed)
        free = list(range(len(proposed)))
        for label in labels.to_dict("records"):
            n["labels"] += 1
            hit = next(
                (
                    k
                    for k in free
                    if _same_value(proposed[k]["value"], label["value"])
                    and proposed[k]["unit"] == label["unit"]
                    and proposed[k]["area"] == label["area"]
                ),
                None,
            )
            elsewhere = label["area"] not in {p.code for p in find_places(text)} | {"AZ"}
            n["place elsewhere"] += elsewhere
            if hit is None:
                if misses:
                    print(
                        f"MISS {label['area']} {label['metric']} {label['value']} {label['unit']}"
                        f" | {label.get('file') or text[:150]!r}"
                    )
                continue
            free.remove(hit)
            row = proposed[hit]
            n["matched"] += 1
            n["matched, place in text"] += not elsewhere
            metric = SAME_METRIC.get(label["metric"], label["metric"])
            if language(text) == "en":
                n["english"] += 1
                n["metric"] += row["metric"] == metric
            else:
                n["untyped"] += row["metric"] == ""
            n["period"] += _same_period(row, label)
            n["qualifier"] += row["qualifier"] == _qualifier(label["qualifier"])
            if misses and not _same_period(row, label):
                print(
                    f"PERIOD {row['period_start']}..{row['as_of']} for"
                    f" {label['period_start']}..{label['as_of']}"
                    f" {label['kind']} | {row['sentence'][:100]!r}"
                )
            if misses and row["metric"] != metric:
                print(
                    f"METRIC {row['metric']!r} for {metric!r} {label['value']}"
                    f" | {row['sentence'][:100]!r}"
                )
        n["unmatched"] += len(free)
        if misses and labels.shape[0]:
            for k in free:
                print(
                    f"EXTRA {proposed[k]['area']} {proposed[k]['metric']} {proposed[k]['value']}"
                    f" {proposed[k]['unit']} | {proposed[k]['sentence'][:120]!r}"
                )
    return n


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--misses", choices=("seeds", "dev", "held-out"), help="list the misses")
    args.add_argument("--articles", action="store_true", help="with --misses: articles only")
    chosen = args.parse_args()
    print(
        "| set | labels | proposed | recall (place in text) | precision | metric (en)"
        " | untyped az/ru | period"
        " | qualifier | place not in text | s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, groups in _labels().items():
        started = time.perf_counter()
        wanted = chosen.misses and name.startswith(chosen.misses)
        n = score(groups, bool(wanted) and (name.endswith("articles") or not chosen.articles))
        took = time.perf_counter() - started
        matched = max(n["matched"], 1)
        print(
            f"| {name} | {n['labels']} | {n['proposed']}"
            f" | {n['matched'] / max(n['labels'], 1):.2f}"
            f" ({n['matched, place in text'] / max(n['labels'] - n['place elsewhere'], 1):.2f})"
            f" | {n['matched'] / max(n['proposed'], 1):.2f}"
            f" | {n['metric'] / max(n['english'], 1):.2f}"
            f" | {n['untyped']}/{n['matched'] - n['english']} | {n['period'] / matched:.2f}"
            f" | {n['qualifier'] / matched:.2f} | {n['place elsewhere']} | {took:.1f} |"
        )


if __name__ == "__main__":
    main()
