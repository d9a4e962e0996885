"""The figures vocabulary for people: a Markdown table of metrics and units, and a template CSV.

Both are generated from ``geo/metrics.csv`` and ``geo/units.csv``, so the README cannot drift from
the data (``geo/vocabulary_table.py`` writes the table into the README; a test checks it).
"""

from __future__ import annotations

import csv
import io

from .data import read_table

__all__ = ["END", "START", "TEMPLATE_COLUMNS", "TEMPLATE_ROWS", "markdown", "template_csv"]

START = "<!-- vocabulary: made by geo/vocabulary_table.py from geo/metrics.csv, geo/units.csv -->"
END = "<!-- vocabulary: end -->"
TEMPLATE_COLUMNS = (
    "area",
    "metric",
    "value",
    "unit",
    "qualifier",
    "kind",
    "period_start",
    "as_of",
    "source",
    "url",
    "note",
)
TEMPLATE_ROWS = (
    ("Aghdam", "cleared_area", "37154", "ha", "", "cumulative", "2020-11", "2025-05-20",
     "Trend, 2025-05-20", "https://en.trend.az/azerbaijan/society/4046253.html",
     "a total since clearance began"),
    ("Fuzuli", "cleared_area", "8526.2", "ha", "", "flow", "2025-01-01", "2025-12-31",
     "Report (report.az), 2026-03-13", "", "cleared during 2025 only"),
    ("Azerbaijan", "contaminated_share", "13.4", "%", "about", "stock", "", "2025-12-09",
     "Report (report.az), 2025-12-09", "", "share of the country's territory"),
)  # fmt: skip


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    """The metric and unit vocabulary as two Markdown tables, between :data:`START` and :data:`END`.

    Returns
    -------
    str
        The block, ready to stand in the README.
    """
    lines = [START, "", "| metric | what it counts | dimension | default kind | sum of |"]
    lines.append("|---|---|---|---|---|")
    for r in read_table("metrics.csv").itertuples():
        what = r.label + (f": {r.description}" if r.description else "")
        sum_of = " + ".join(f"`{p}`" for p in r.sum_of.split("+") if p)
        lines.append(
            f"| `{r.metric}` | {_cell(what)} | {r.dimension} | {r.default_kind} | {sum_of} |"
        )
    lines += ["", "| unit | dimension | converted on read to |", "|---|---|---|"]
    for r in read_table("units.csv").itertuples():
        factor = float(r.factor)
        to = "stays as it is" if factor == 1 else f"{factor:g} {r.base_unit} each"
        lines.append(f"| `{r.unit}` | {r.dimension} | {to} |")
    return "\n".join([*lines, "", END])


def template_csv() -> str:
    """A figures file to start from: the columns mapkit reads and three real example rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return out.getvalue()
