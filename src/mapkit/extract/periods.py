"""Dates and periods as statements write them, resolved against the publication date.

"from December 8 through 14", "7-13 October 2024", "since November 10, 2020", "in 2023",
"between November 2020 and November 2023", "as of May 19", "last week", "over the past month",
"to date". Each date keeps the precision it was stated with (``2020-11``, ``1991``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DATE", "MONTHS", "Date", "Period", "find_dates", "period_of"]

_MONTH_NAMES = {  # the twelve months of each language, "|" between months, spaces between forms
    "en": "january jan | february feb | march mar | april apr | may | june jun | july jul | "
    "august aug | september sept sep | october oct | november nov | december dec",
    "ru": "января январь январе | февраля февраль феврале | марта март марте | апреля апрель "
    "апреле | мая май мае | июня июнь июне | июля июль июле | августа август августе | сентября "
    "сентябрь сентябре | октября октябрь октябре | ноября ноябрь ноябре | декабря декабрь декабре",
    "az": "yanvar | fevral | mart | aprel | may | iyun | iyul | avqust | sentyabr | oktyabr | "
    "noyabr | dekabr",
}
MONTHS = {
    form: k + 1
    for months in _MONTH_NAMES.values()
    for k, month in enumerate(months.split("|"))
    for form in month.split()
}
_M = (
    "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
    r"(?:\.|ın|in|un|ün|ından|indən|undan|ündən|ında|ində|unda|ündə|ına|inə|a|ə)?"
)
_Y = r"(?:19|20)\d\d"
_AZ_YEAR = rf"(?P<y6>{_Y})-?(?:ci|cı|cu|cü)?\s+il(?:in|də)?"
# One date: "November 10, 2020", "10 November 2020", "November 2020", "2020", "19.05.2025".
DATE = (
    rf"(?:(?P<m1>{_M})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>{_Y}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_M})(?:,?\s+(?P<y2>{_Y}))?"
    rf"|(?P<m3>{_M})\s+(?P<y3>{_Y})|(?P<d4>\d{{1,2}})\.(?P<m4>\d{{1,2}})\.(?P<y4>{_Y})"
    rf"|{_AZ_YEAR}\s+(?:(?P<d6>\d{{1,2}})\s+)?(?P<m6>{_M})"
    rf"|(?P<y5>{_Y}))(?:\s*(?:il|года?|г\.))?"
)
_DATE = re.compile(rf"(?<![\w,.]){DATE}(?![\w%])", re.IGNORECASE)
_RANGE_DAYS = re.compile(
    rf"(?<!\w)(?P<a>\d{{1,2}})\s*[-–—]\s*(?P<b>\d{{1,2}})\s+(?P<m>{_M})(?:,?\s+(?P<y>{_Y}))?",
    re.IGNORECASE,
)
_YEARS = re.compile(rf"(?<![\w-])(?P<a>{_Y})\s*[-–]\s*(?P<b>{_Y})(?![\d])")
_END_OF = re.compile(
    rf"\b(?:by|until|till|to) the end of (?P<y>{_Y})\b|(?P<y2>{_Y})-?c[iıuü] il\w* sonunadək", re.I
)
_SINCE = re.compile(
    r"\b(?:since|starting from|beginning from|from the start of|began on|began in|started on"
    r"|started in|beginning on|с|начиная с)\s*$|"
    r"(?:-dən|-dan|dən|dan)\s*(?:bəri|etibarən)",
    re.IGNORECASE,
)
_FROM = re.compile(r"\b(?:from|between|с|from the period of)\s*$", re.IGNORECASE)
_TO = re.compile(r"^\s*,?\s*(?:through|to|till|until|and|[-–—]|по|до)\s*", re.IGNORECASE)
_AS_OF = re.compile(r"\b(?:as of|as at|by|on|until|up to|по состоянию на|на)\s*$", re.IGNORECASE)
_IN = re.compile(r"\b(?:in|during|for|over|throughout|в|за|в течение)\s*(?:the year\s*)?$", re.I)
_WAR_END = dt.date(2020, 11, 10)  # the ceasefire: the start of the count in most statements
_RELATIVE = (  # (pattern, calendar unit, how many back): "last week" is the Monday-Sunday before
    (r"\b(?:last|previous) week\b|на прошлой неделе|ötən həftə|keçən həftə", "week", 1),
    (r"\bthis week\b", "week", 0),
    (r"\b(?:last|previous) month\b|в прошлом месяце|ötən ay|keçən ay", "month", 1),
    (r"\bthis month\b|\bthe current month\b", "month", 0),
    (r"\b(?:last|previous) year\b|в прошлом году|ötən il|keçən il", "year", 1),
    (r"\bthis year\b|\bthe current year\b|в этом году|bu il", "year", 0),
    (r"\bpast (?:seven days|week)\b|за неделю|son həftə", "days", 7),
    (r"\bpast (?:30 days|month)\b|за месяц|son ay", "days", 30),
    (r"\bpast (?:year|12 months)\b|за год", "days", 365),
)
_MONTH_ALONE = re.compile(  # "in May", "for August", "throughout July" (no day, no year)
    r"\b(?i:in|for|during|throughout|over)\s+(?:the month of\s+)?(?P<m>January|February|March|April"
    r"|May|June|July|August|September|October|November|December)\b(?!\s*\d)"
)
_TO_DATE = re.compile(
    r"\b(?:to date|so far|as of now|as of today|currently|to this day|up to now|at present"
    r"|на сегодняшний день|к настоящему времени"
    r"|hazırda|bu günə qədər|indiyədək)\b",
    re.IGNORECASE,
)
_EVENT = re.compile(  # "liberated from occupation in 2020", "the war in 2020": no period
    r"\b(?:liberat\w*|occupation|occupied|war)(?:\s+[\w'’]+){0,2}\s+in\s*$", re.IGNORECASE
)
_SINCE_CLAUSE = re.compile(r"\bsince\b[^,;\d]*\bon\s*$", re.IGNORECASE)
_SINCE_WAR = re.compile(
    r"\bsince the (?:end of the |)(?:44-day |patriotic |second karabakh )?war\b"
    r"|\bsince the (?:liberation|ceasefire)\b|\bafter the (?:end of the )?(?:44-day |patriotic"
    r" |second karabakh )?war\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Date:
    """A date at the precision it was stated: ``text`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``
    (empty where the year cannot be known)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Period:
    """The period a sentence speaks of: start and end as stated (either may be empty)."""

    start: str
    end: str
    kind: str  # "flow", "cumulative" or "" (not said)
    spans: tuple[tuple[int, int], ...]


def _stated(y: str | None, m: str | None, d: str | None, published: dt.date | None) -> str:
    month = MONTHS.get((m or "").lower().rstrip(".")) if m and not m.isdigit() else None
    if m and m.isdigit():
        month = int(m)
    if y is None and published is not None and month:
        year = published.year
        if (month, int(d or 1)) > (published.month, published.day):
            year -= 1  # "December 8" in a January statement is last December
        y = str(year)
    if y is None:
        return ""
    if month is None:
        return y
    if d is None:
        return f"{y}-{month:02d}"
    try:
        return dt.date(int(y), month, int(d)).isoformat()
    except ValueError:
        return ""


def _month(written: str | None) -> str | None:
    """The month name without its case ending (noyabrından → noyabr)."""
    if not written or written.isdigit():
        return written
    word = written.lower().rstrip(".")
    return next((m for m in sorted(MONTHS, key=len, reverse=True) if word.startswith(m)), word)


def find_dates(text: str, published: dt.date | None) -> list[Date]:
    """Every date in ``text``, with what it says (``""`` where the year cannot be known)."""
    out = []
    for m in _DATE.finditer(text):
        g = m.groupdict()
        y = g["y1"] or g["y2"] or g["y3"] or g["y4"] or g["y6"] or g["y5"]
        month = _month(g["m1"] or g["m2"] or g["m3"] or g["m4"] or g["m6"])
        day = g["d1"] or g["d2"] or g["d4"] or g["d6"]
        out.append(Date(m.start(), m.end(), _stated(y, month, day, published)))
    return out


def _end_of(text: str) -> dt.date:
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(parts[0], 12, 31)


def _first(text: str) -> str:
    """The first day of a stated year or month."""
    return (text + "-01-01")[:10] if len(text) == 4 else (text + "-01")[:10]


def _kind(start: str, end: str) -> str:
    """A period of a year or less is a flow; a longer one is a running total from its start."""
    try:
        days = (_end_of(end) - _end_of(start)).days
    except (ValueError, IndexError):
        return "cumulative"
    return "flow" if days <= 366 else "cumulative"


def period_of(sentence: str, published: dt.date | None) -> Period | None:
    """The period ``sentence`` states, or None where it states none."""
    years = _YEARS.search(sentence)  # "2020-2024", "2020-2024-cü illər"
    if years:
        start, end = f"{years['a']}-01-01", f"{years['b']}-12-31"
        return Period(start, end, _kind(start, end), ((years.start(), years.end()),))
    until = _END_OF.search(sentence)
    if until:
        return Period(
            "", f"{until['y'] or until['y2']}-12-31", "cumulative", ((until.start(), until.end()),)
        )
    for match in _RANGE_DAYS.finditer(sentence):  # "7-13 October 2024"
        end = _stated(match["y"], match["m"], match["b"], published)
        start = _stated(match["y"] or end[:4] or None, match["m"], match["a"], published)
        if start and end:
            return Period(start, end, "flow", ((match.start(), match.end()),))
    dates = [d for d in find_dates(sentence, published) if d.text]
    for k, date in enumerate(dates):
        before = sentence[: date.start]
        if _FROM.search(before) and k + 1 < len(dates):
            gap = sentence[date.end : dates[k + 1].start]
            if _TO.match(gap) and len(gap) < 12:
                end = dates[k + 1]
                return Period(
                    date.text, end.text, _kind(date.text, end.text), ((date.start, end.end),)
                )
        if _FROM.search(before):  # "from December 8 through 14"
            bare = re.match(
                r"\s*(?:through|to|till|until|[-–—])\s*(\d{1,2})(?!\d|[.,]\d)", sentence[date.end :]
            )
            if bare and len(date.text) == 10:
                end = date.text[:8] + f"{int(bare.group(1)):02d}"
                return Period(date.text, end, "flow", ((date.start, date.end + bare.end()),))
        az_since = re.match(
            r"(?:-?c[iıuü]\s+il)?(?:-?(?:dən|dan|ден))?\s*(?:bəri|etibarən|bu günədək|indiyədək)",
            sentence[date.end :],
        ) and (
            re.search(r"(?:dən|dan)$", sentence[: date.end])
            or "bəri" in sentence[date.end : date.end + 20]
        )
        if _SINCE.search(before[-30:]) or az_since:
            end = published.isoformat() if published else ""
            return Period(date.text, end, "cumulative", ((date.start, date.end),))
        if _AS_OF.search(before[-25:]) and _SINCE_CLAUSE.search(before[-80:]):
            end = published.isoformat() if published else ""  # "since the signing … on <date>"
            return Period(date.text, end, "cumulative", ((date.start, date.end),))
        if _AS_OF.search(before[-25:]):
            return Period("", date.text, "cumulative", ((date.start, date.end),))
        if (  # in 2023, in February 2024; not "liberated from occupation in 2020"
            _IN.search(before[-20:]) and len(date.text) <= 7 and not _EVENT.search(before[-60:])
        ):
            start, end = _first(date.text), _end_of(date.text).isoformat()
            return Period(start, end, "flow", ((date.start, date.end),))
    return _relative(sentence, published)


def _relative(sentence: str, published: dt.date | None) -> Period | None:
    if published is None:
        return None
    if _SINCE_WAR.search(sentence):
        return Period(_WAR_END.isoformat(), published.isoformat(), "cumulative", ())
    month = _MONTH_ALONE.search(sentence)
    if month:
        stated = _stated(None, month["m"], None, published)
        end = min(_end_of(stated), published)
        return Period(_first(stated), end.isoformat(), "flow", ((month.start(), month.end()),))
    for pattern, unit, back in _RELATIVE:
        if re.search(pattern, sentence, re.IGNORECASE):
            start, end = _calendar(published, unit, back)
            return Period(start.isoformat(), end.isoformat(), "flow", ())
    if _TO_DATE.search(sentence):
        return Period("", published.isoformat(), "cumulative", ())
    return None


def _calendar(published: dt.date, unit: str, back: int) -> tuple[dt.date, dt.date]:
    """The week, month or year ``back`` units before the one ``published`` falls in (0: the
    current one, up to ``published``); for ``days``, the ``back`` days up to ``published``."""
    if unit == "days":
        return published - dt.timedelta(days=back), published
    if unit == "week":
        monday = published - dt.timedelta(days=published.weekday() + 7 * back)
        return monday, min(monday + dt.timedelta(days=6), published)
    if unit == "month":
        year, month = divmod(published.year * 12 + published.month - 1 - back, 12)
        first = dt.date(year, month + 1, 1)
        return first, min(_end_of(first.isoformat()[:7]), published)
    first = dt.date(published.year - back, 1, 1)
    return first, min(dt.date(first.year, 12, 31), published)
