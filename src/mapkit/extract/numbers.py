"""Numbers as statements write them: ``37,154``, ``1,454.2``, ``53.1 thousand``, ``$464 million``,
``one and a half million``, ``37 154`` (Russian), ``1,5 mln``, with the qualifier before them."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QUALIFIERS", "Number", "find_numbers"]

_SCALES = {
    "thousand": 1e3,
    "thousands": 1e3,
    "min": 1e3,  # Azerbaijani "min" (thousand)
    "тыс": 1e3,
    "тысяч": 1e3,
    "тысячи": 1e3,
    "тысяча": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "milyon": 1e6,
    "млн": 1e6,
    "миллион": 1e6,
    "миллиона": 1e6,
    "миллионов": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "milyard": 1e9,
    "млрд": 1e9,
}
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a": 1, "half a": 0.5, "a dozen": 12, "dozens of": 24,
}  # fmt: skip
_SCALE = "|".join(sorted(map(re.escape, _SCALES), key=len, reverse=True))
_AREA_UNIT = r"\s*(?:hectares?|ha\b|km|sq|square|гектар|га\b|hektar)"
_DIGITS = (
    r"(?:(?<![\w.,/:-])|(?<=\bof)|(?<=\bthan)|(?<=\bto))"  # "a total of37,583" (a lost space)
    r"(?:(?P<typo>\d{1,3}, \d{3}(?!\d)|\d{4,}, \d{1,2}(?!\d))(?=" + _AREA_UNIT + r")|"
    r"(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)"
    r"|\d{1,3}(?:\.\d{3}){2,}(?!\d)|\d+)"
    r"(?P<frac>[.,]\d+)?)"
)
_WORD = (
    r"(?<![\w-])(?P<word>(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"(?: and a half)?|half a|a)(?![\w-])"
)
_NUMBER = re.compile(
    rf"(?:{_DIGITS}|{_WORD})(?P<scale>[ \u00a0]*(?:{_SCALE})\b\.?)?",
    re.IGNORECASE,
)
QUALIFIERS = (  # as written → the figures file's qualifier; the nearest before the number wins
    (r"more than|over|above|in excess of|upwards of|exceeding|beyond|more then", "more than"),
    (r"at least|no fewer than|no less than|minimum of", "at least"),
    (r"less than|fewer than|under|below|just under", "less than"),
    (r"about|approximately|around|some|roughly|close to|nearly|almost|estimated|~|circa", "about"),
    (r"up to|as many as|as much as", "up to"),
    (r"более|свыше|больше", "more than"),
    (r"около|примерно|порядка|почти|приблизительно", "about"),
    (r"təqribən|təxminən|yaxın|təxmini", "about"),
)
_QUALIFIER = [(re.compile(rf"(?:^|[\s(,])(?:{p})\s*$", re.IGNORECASE), q) for p, q in QUALIFIERS]


@dataclass(frozen=True)
class Number:
    """A number found in a text: where it is, its value, as written, and its qualifier."""

    start: int
    end: int
    value: float
    written: str
    qualifier: str
    in_words: bool


def _value(match: re.Match[str]) -> float | None:
    word = match.group("word")
    scale = (match.group("scale") or "").strip().rstrip(".").lower()
    factor = _SCALES.get(scale, 1.0)
    if word:
        word = word.lower()
        if word == "a" and not scale:
            return None
        parts = re.split(r"[- ]", word.replace(" and a half", ""))
        base = _WORDS.get(word, sum(_WORDS.get(p, 0) for p in parts))
        if "and a half" in word:
            base += 0.5
        return base * factor
    typo = match.group("typo")
    if typo:  # "37, 154 hectares" is 37,154; "1454, 2 hectares" is 1454.2
        head, tail = typo.split(", ")
        return float(head + tail if len(tail) == 3 else f"{head}.{tail}") * factor
    whole = re.sub(r"[,.\s\u00a0\u202f]", "", match.group("int"))
    frac = match.group("frac") or ""
    if frac.startswith(","):
        if len(frac) == 4 and not scale:  # 1,454,2 is not a number; 37,154 was taken above
            return None
        frac = "." + frac[1:]
    return float(whole + frac) * factor


_COMPOUND = re.compile(rf"^[ \u00a0]+(\d{{1,3}})(?:[ \u00a0]*({_SCALE})\b\.?)?(?![\d.,]\d)", re.I)


def _compound(text: str, match: re.Match[str], value: float) -> tuple[float, int]:
    """ "129 min 831" is 129,831; "1 million 167 thousand" is 1,167,000."""
    scale = (match.group("scale") or "").strip().rstrip(".").lower()
    factor = _SCALES.get(scale)
    rest = _COMPOUND.match(text[match.end() :]) if factor else None
    if not rest:
        return value, match.end()
    part = float(rest.group(1)) * _SCALES.get((rest.group(2) or "").lower(), 1.0)
    return (value + part, match.end() + rest.end()) if part < factor else (value, match.end())


def find_numbers(text: str) -> list[Number]:
    """Every number in ``text`` with its value (scale words applied) and qualifier.

    Examples
    --------
    >>> [n.value for n in find_numbers("over 3,400 people; 1.5 million mines; 53.1 thousand ha")]
    [3400.0, 1500000.0, 53100.0]
    """
    found: list[Number] = []
    for match in _NUMBER.finditer(text):
        if found and match.start() < found[-1].end:
            continue  # the rest of a compound number ("129 min 831")
        value = _value(match)
        if value is None:
            continue
        before = text[max(0, match.start() - 25) : match.start()]
        word = (match.group("word") or "").lower()
        if word in ("a", "half a") and not match.group("scale"):
            continue
        qualifier = next((q for pattern, q in _QUALIFIER if pattern.search(before)), "")
        value, end = _compound(text, match, value)
        found.append(
            Number(
                match.start(),
                end,
                value,
                text[match.start() : end].strip(),
                qualifier,
                bool(match.group("word")),
            )
        )
    return found
