"""Words, numbers and dates in the atlas's three languages: Azerbaijani, English and Russian.

Numbers and dates are written by Babel from the Unicode CLDR data, the way each language writes
them (37,154 in English, 37.154 in Azerbaijani, 37 154 in Russian); no hand-made tables. Metric and
unit names are columns of ``geo/metrics.csv`` and ``geo/units.csv`` (``label`` in English,
``name_az``, ``name_ru``); other words are rows of ``geo/words.csv`` (``key,en,az,ru``).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from functools import cache

from .data import geo_path, read_table
from .errors import MapkitError

__all__ = [
    "LANGUAGES",
    "check_language",
    "format_date",
    "format_number",
    "metric_name",
    "month_names",
    "place_name",
    "unit_name",
    "word",
]


def _languages() -> tuple[str, ...]:
    with geo_path("words.csv").open(encoding="utf-8") as table:
        return tuple(next(csv.reader(table))[1:])


LANGUAGES = _languages()
"""The languages mapkit writes, as ISO 639-1 codes: the columns of ``geo/words.csv`` after its
key (a language is added as a column there and a ``name_`` column in ``geo/metrics.csv`` and
``geo/units.csv``, no code). English, the first, is the default."""

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_language(lang: str) -> str:
    """Return ``lang`` if mapkit writes that language; raise :class:`MapkitError` otherwise."""
    if lang not in LANGUAGES:
        raise MapkitError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return lang


def format_number(value: float, lang: str = "en", decimals: int = 1) -> str:
    """A number as the language writes it, with at most ``decimals`` decimals.

    Examples
    --------
    >>> format_number(37154, "en"), format_number(37154, "az"), format_number(37154.5, "ru")
    ('37,154', '37.154', '37\\xa0154,5')
    """
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=check_language(lang))


def format_date(value: str | dt.date, lang: str = "en") -> str:
    """A date as the language writes it in running text: ``2025-05-20`` → ``20 мая 2025 г.``.

    Partial dates keep their precision: ``2025-05`` → ``May 2025``, ``2025`` → ``2025``.
    """
    from babel.dates import format_date as babel_date
    from babel.dates import format_skeleton

    check_language(lang)
    if isinstance(value, dt.date):
        return babel_date(value, format="long", locale=lang)
    match = _DATE.match(str(value).strip())
    if not match:
        return str(value)
    year, month, day = match.groups()
    if day:
        return babel_date(dt.date(int(year), int(month), int(day)), format="long", locale=lang)
    if month:
        return format_skeleton("yMMMM", dt.date(int(year), int(month), 1), locale=lang)
    return year


def date_templates(lang: str = "en") -> dict[str, list[str]] | None:
    """Babel's long date and month–year formats per month, January first, as ``{d}``/``{y}``
    templates for the atlas page; None in English, whose page keeps dates as ISO 8601 text.

    Examples
    --------
    >>> date_templates("az")["day"][4], date_templates("az")["month"][4]
    ('{d} may {y}', 'may {y}')
    """
    if check_language(lang) == "en":
        return None
    day = [format_date(dt.date(2001, m, 22), lang) for m in range(1, 13)]
    month = [format_date(f"2001-{m:02d}", lang) for m in range(1, 13)]
    return {"day": [d.replace("22", "{d}").replace("2001", "{y}") for d in day],
            "month": [m.replace("2001", "{y}") for m in month]}  # fmt: skip


def number_symbols(lang: str = "en") -> dict[str, str]:
    """The thousands separator, decimal mark and minus sign :func:`format_number` writes."""
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    lang = check_language(lang)
    return {"group": get_group_symbol(lang), "decimal": get_decimal_symbol(lang),
            "minus": get_minus_sign_symbol(lang)}  # fmt: skip


def phrases(lang: str = "en") -> dict[str, str]:
    """Every phrase of ``geo/words.csv`` in ``lang`` (English where one is not translated)."""
    return {key: word(key, lang) for key in _words()}


def month_names(lang: str = "en") -> list[str]:
    """The twelve month names, January first, as written standing alone (``май``, ``may``)."""
    from babel.dates import get_month_names

    names = get_month_names("wide", context="stand-alone", locale=check_language(lang))
    return [names[i] for i in range(1, 13)]


@cache
def _words() -> dict[str, dict[str, str]]:
    return {row.key: {lang: getattr(row, lang) for lang in LANGUAGES}
            for row in read_table("words.csv").itertuples()}  # fmt: skip


def word(key: str, lang: str = "en", **values: str) -> str:
    """A phrase of ``geo/words.csv`` in ``lang``, with ``{name}`` fields filled from ``values``.

    A phrase not yet translated falls back to English rather than to nothing.
    """
    row = _words()[key]
    text = row[check_language(lang)] or row["en"]
    return text.format(**values) if values else text


def metric_name(metric: str, lang: str = "en") -> str:
    """The name of a metric of ``geo/metrics.csv`` in ``lang`` (English ``label`` as fallback)."""
    return _name("metrics.csv", "metric", metric, lang)


def unit_name(unit: str, lang: str = "en") -> str:
    """The label of a unit of ``geo/units.csv`` in ``lang`` (``ha`` → ``га`` in Russian)."""
    return _name("units.csv", "unit", unit, lang)


def _name(table: str, key: str, value: str, lang: str) -> str:
    names = _names(table, key).get(value)
    return names[check_language(lang)] if names else value


@cache
def _names(table: str, key: str) -> dict[str, dict[str, str]]:
    """Per ``key`` of ``table``: its name in each language, its English ``label`` where the
    ``name_<lang>`` column is missing or empty (the first row of a key)."""
    found: dict[str, dict[str, str]] = {}
    for row in read_table(table).to_dict("records"):
        names = {lang: row.get(f"name_{lang}") or row["label"] for lang in LANGUAGES}
        found.setdefault(row[key], {**names, "en": row["label"]})
    return found


def place_name(row: object, lang: str = "en") -> str:
    """A district's name as written in ``lang``: its ``name_az``, ``name_en`` or ``name_ru``."""
    name = getattr(row, f"name_{check_language(lang)}", "") or ""
    return str(name) if name == name and name else str(getattr(row, "name_en", ""))
