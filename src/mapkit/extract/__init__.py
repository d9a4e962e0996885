"""From an agency statement to figure rows: :func:`extract` proposes one row per figure a text
states, in the figures-file format that ``mapkit build --figures`` reads.

Each row also carries the ``sentence`` it came from, its character offset (``locator``) and a
``confidence`` between 0 and 1; rows the extractor is unsure of are proposed with a low confidence
and a ``note`` saying why, never dropped. A person checks the rows, then builds the map.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

import pandas as pd

from ..figures import QUALIFIERS, citation, metrics, units
from ..names import COUNTRY
from .article import Article, ExtractError, read_article
from .numbers import Number, find_numbers
from .periods import Period, find_dates, period_of
from .places import CARRIED, Place, find_places, listed, place_of
from .vocabulary import Typed, language, type_number

__all__ = ["COLUMNS", "UNSURE", "ExtractError", "extract", "read_article"]

COLUMNS = (
    "area", "metric", "value", "unit", "qualifier", "kind", "period_start", "as_of", "source",
    "publisher", "title", "published", "author", "speaker", "url", "locator", "note", "sentence",
    "confidence",
)  # fmt: skip
UNSURE = 0.6
STOCKS = (
    "countries_involved",
    "organisations_involved",
)  # counted at a date, not summed  # rows below this confidence say "check" in their note
_CARRY_PERIOD = re.compile(
    r"^\s*(?:of (?:the|these|them|this|which)|among (?:them|these|the)|in this period|during this"
    r" period|these include|including|of whom|in the same period|at the same time|also|in addition"
    r"|additionally|moreover|furthermore|besides)\b",
    re.IGNORECASE,
)
_NOT_A_FIGURE_AFTER = re.compile(r"^(?:-?(?:year|day|month|week)s?[- ]old|-|[a-zA-Z]|:\d|/\d)")
# A unit or count noun glued to a number ("906-hectare", "254hectares", "10,463anti-personnel").
_GLUED_UNIT = re.compile(
    r"-?(?:ha\b|hectare|km²|km2|sq|m²|m2\b|anti-|(?:land)?mines?\b|unexploded)"
)
_NOT_A_FIGURE_BEFORE = re.compile(
    r"(?:No\.|№|#|\bid|\bnumber|\baged?|\bage of|\+|\btel\.?|\bphone|\bArticle|\bpara|\bResolution"
    r"|\bpage|\b[A-Z]{2,}-)\s*$",
    re.IGNORECASE,
)


@dataclass
class _State:
    """What carries from one sentence to the next: the place spoken of and the period."""

    place: Place | None = None
    period: Period | None = None
    paragraph: int = -1
    place_paragraph: int = -1
    previous: str = ""
    lead: bool = False  # the period was stated in a paragraph with no figures (a lead)
    last: int = -1  # the paragraph of the sentence before
    place_lead: bool = False  # the place was named in a sentence with no figures


def extract(
    text: str,
    *,
    published: str | dt.date | None = None,
    source: str = "",
    url: str = "",
) -> pd.DataFrame:
    """Propose the figure rows a statement states.

    Parameters
    ----------
    text : str
        The article as plain text; a header of ``key: value`` lines ending in ``---`` (publisher,
        published, title, author, speaker, url) is read and left out of the figures.
    published : str or date, optional
        The publication date, ``YYYY-MM-DD``: "last week", "to date" and dates without a year are
        resolved against it. Defaults to the header's ``published``.
    source : str, optional
        The citation for the ``source`` column; defaults to one made from the header.
    url : str, optional
        The article's address; defaults to the header's ``url``.

    Returns
    -------
    DataFrame
        One row per figure, columns :data:`COLUMNS`: the figures-file columns plus ``sentence``,
        ``locator`` (character offset of the number in ``text``) and ``confidence``.

    Examples
    --------
    >>> rows = extract("From December 8 through 14, 838.2 hectares were cleared in Aghdam.",
    ...                published="2024-12-16", source="ANAMA weekly report")
    >>> rows.loc[0, ["area", "metric", "value", "unit", "kind", "period_start", "as_of"]].tolist()
    ['AZ-AGM', 'cleared_area', '838.2', 'ha', 'flow', '2024-12-08', '2024-12-14']
    """
    article = Article.parse(text)
    header = dict(article.header)
    if published is not None:
        date = _date(published)
    else:  # a header date that is not YYYY-MM-DD is left for --published
        try:
            date = _date(header.get("published", ""))
        except ExtractError:
            date = None
    if date is not None:
        header["published"] = date.isoformat()
    if url:
        header["url"] = url
    if not source and header.get("publisher") and header.get("published"):
        source = citation(
            {k: header.get(k, "") for k in ("publisher", "published", "title", "author", "speaker")}
        )
    rows: list[dict[str, object]] = []
    state = _State()
    for offset, paragraph, sentence, opens in article.sentences():
        rows.extend(_sentence_rows(sentence, offset, paragraph, opens, date, state))
    table = pd.DataFrame(_deduplicated(rows), columns=list(COLUMNS))
    for key in ("publisher", "title", "published", "author", "speaker", "url"):
        table[key] = header.get(key, "")
    table["source"] = source
    return table


def _date(value: str | dt.date | None) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value or "")
    if not match:
        if value:
            raise ExtractError(f"published date {value!r} is not YYYY-MM-DD")
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise ExtractError(f"published date {value!r} does not exist") from None


def _figures_in(sentence: str, published: dt.date | None) -> list[Number]:
    """The numbers of a sentence that may be figures: not dates, years, ids, ages or phones."""
    masked = [(d.start, d.end) for d in find_dates(sentence, published)]
    out = []
    english = language(sentence) == "en"
    for number in find_numbers(sentence):
        if not english and re.fullmatch(r"\d{1,3}\.\d{3}", number.written):
            number = replace(number, value=number.value * 1000)  # 12.014 ha in az/ru is 12,014
        if any(a <= number.start < b for a, b in masked):
            continue
        after, before = sentence[number.end :], sentence[: number.start]
        if _NOT_A_FIGURE_AFTER.match(after) and not _GLUED_UNIT.match(after):
            continue
        if _NOT_A_FIGURE_BEFORE.search(before) or re.search(r"\d[\s-]$", before):
            continue
        out.append(number)
    return out


def _sentence_rows(
    sentence: str,
    offset: int,
    paragraph: int,
    opens: bool,
    published: dt.date | None,
    state: _State,
) -> list[dict[str, object]]:
    period = period_of(sentence, published)
    carried_period = False
    if (
        period is None
        and state.period is not None
        and (
            paragraph == state.paragraph
            or (opens and _CARRY_PERIOD.match(sentence))
            or (state.lead and state.last == state.paragraph)  # the paragraph after a lead
        )
    ):
        period, carried_period = state.period, True
    places = find_places(sentence)
    numbers = _figures_in(sentence, published)
    if state.place_lead and state.last == state.place_paragraph != paragraph:
        state.place_paragraph, state.place_lead = paragraph, False  # after a lead naming it
    rows: list[dict[str, object]] = []
    last: tuple[Number, Typed] | None = None
    for k, number in enumerate(numbers):
        following = numbers[k + 1].start if k + 1 < len(numbers) else len(sentence)
        typed = type_number(sentence, number.start, number.end, following, state.previous)
        if typed is None:
            continue
        place, how = place_of(number, numbers, sentence, places, state.place)
        if how == CARRIED and place and place.district and state.place_paragraph != paragraph:
            how = "district carried from an earlier paragraph"
        row = _row(number, typed, place, how, period, carried_period, published, sentence, offset)
        if last is not None and _restated(sentence, *last, number, typed):
            rows[-1] = _one_of(rows[-1], row)
        else:
            rows.append(row)
        last = number, typed
    if places:
        districts = [p for p in places if p.district]
        state.place = listed(districts[-1], districts, sentence)[0] if districts else places[-1]
        state.place_paragraph, state.place_lead = paragraph, not numbers
    if period is not None and not carried_period:
        state.period = period
        state.lead = not rows and not numbers  # "… its report for August." then the figures
    elif rows:
        state.lead = False
    if period is not None or paragraph != state.paragraph:
        state.paragraph = paragraph if period is not None else state.paragraph
    state.previous, state.last = sentence, paragraph
    return rows


def _row(
    number: Number,
    typed: Typed,
    place: Place | None,
    how: str,
    period: Period | None,
    carried_period: bool,
    published: dt.date | None,
    sentence: str,
    offset: int,
) -> dict[str, object]:
    notes = [n for n in (typed.note, how) if n]
    confidence = 0.95
    if not typed.metric:
        notes.append("metric unknown: choose one from geo/metrics.csv")
        confidence -= 0.5
    metric = metrics().get(typed.metric)
    if typed.unit not in units() and typed.unit not in ("km2",):
        notes.append(f"unit {typed.unit} is not in geo/units.csv: convert it or add the unit")
        confidence -= 0.4  # mapkit build cannot read the row as it stands
    if how:
        confidence -= 0.1 if place is not None else 0.3
        confidence -= 0.3 if "paragraph" in how else 0
    if carried_period:
        notes.append("period carried from an earlier sentence")
        confidence -= 0.05
    if number.in_words:
        confidence -= 0.05
    qualifier = number.qualifier
    if qualifier not in QUALIFIERS:
        notes.append(f"stated as {qualifier!r}, not a qualifier of the figures file")
        qualifier, confidence = "", confidence - 0.2
    kind = metric.default_kind if metric else ""
    start, as_of = "", published.isoformat() if published else ""
    if typed.metric in STOCKS:
        kind = "stock"
    if period is not None:
        start, as_of = period.start, period.end or as_of
        if kind != "stock" and period.kind:
            kind = period.kind
    if kind == "stock":
        start = ""  # a stock is a state at a date: no start
    if not as_of:
        notes.append("as_of unknown: give --published")
        confidence -= 0.2
    confidence = round(max(confidence, 0.05), 2)
    if confidence < UNSURE:
        notes.insert(0, "check")
    return {
        "area": place.code if place is not None else COUNTRY,
        "metric": typed.metric,
        "value": f"{number.value:.10g}" if number.value < 1e15 else str(number.value),
        "unit": typed.unit,
        "qualifier": qualifier,
        "kind": kind,
        "period_start": start,
        "as_of": as_of,
        "locator": offset + number.start,
        "note": "; ".join(notes),
        "sentence": " ".join(sentence.split()),
        "confidence": confidence,
    }


_AREA_UNITS = ("ha", "km2", "m2")


def _restated(sentence: str, first: Number, unit: Typed, second: Number, again: Typed) -> bool:
    """Whether ``second`` restates ``first`` in another unit: "15,075,602 m² (1,507 ha)"."""
    between = sentence[first.end + unit.unit_end : second.start]
    return unit.unit in _AREA_UNITS and again.unit in _AREA_UNITS and between.strip() == "("


def _one_of(first: dict[str, object], second: dict[str, object]) -> dict[str, object]:
    """One row for a figure stated in two units: the one mapkit reads (ha, km²), noting the rest."""
    keep, other = (first, second) if first["unit"] in units() else (second, first)
    if keep["unit"] not in units():
        keep, other = first, second
    note = f"also stated as {other['value']} {other['unit']}"
    keep["note"] = "; ".join(n for n in (note, str(keep["note"])) if n)
    return keep


def _deduplicated(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """One row per figure: a figure repeated later (a lead repeated in a quote) is noted, not
    proposed twice."""
    first: dict[tuple[object, ...], dict[str, object]] = {}
    keys = ("area", "metric", "value", "unit", "period_start", "as_of")
    for row in rows:
        key = tuple(row[k] for k in keys)
        if key in first and row["metric"]:
            kept = first[key]
            kept["note"] = "; ".join(
                filter(None, [str(kept["note"]), f"repeated at {row['locator']}"])
            )
        else:
            first.setdefault(key, row)
            if first[key] is not row:
                first[(*key, row["locator"])] = row
    return list(first.values())
