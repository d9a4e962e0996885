"""Places named in a statement, resolved with mapkit's gazetteer (:mod:`mapkit.names`).

A district is found in any spelling the gazetteer knows (Aghdam, Ağdam, Агдам, Agdam rayonu), and
in the common case endings of Russian and Azerbaijani (в Агдаме, Ağdamda). "The liberated
territories", "Karabakh and East Zangezur" and the country itself are the country, ``AZ``, with a
note: mapkit places them on the national panel, not on one polygon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from ..names import COUNTRY, COUNTRY_NAMES, gazetteer, skeleton, split_kind
from .numbers import Number

__all__ = ["Place", "find_places"]

_WORD = re.compile(r"[A-ZÀ-ÖØ-ÞĞŞİƏÇÜÖА-ЯЁ][\wəğışçüöƏĞİŞÇÜÖ'’-]*")
_ENDINGS = (  # Russian and Azerbaijani case endings, longest first
    "ского", "ском", "ский", "скому", "ская", "нин", "nın", "nin", "nun", "nün", "dakı", "dəki",
    "dan", "dən", "da", "də", "ın", "in", "un", "ün", "а", "е", "у", "ом", "ы", "ta", "tə",
)  # fmt: skip
_REGIONS = re.compile(
    r"\b(?:the\s+)?(?:liberated|de-occupied|freed)\s+(?:Azerbaijani\s+)?(?:territor(?:y|ies)|lands"
    r"|areas|regions)\b|\bterritor(?:y|ies) (?:of Azerbaijan )?(?:liberated|freed) from\b"
    r"|\bKarabakh and East Zangezur\b|\bKarabakh and Eastern Zangezur\b"
    r"|\bthe (?:whole )?country\b|\bnationwide\b|\bacross the country\b"
    r"|освобожденн\w+ территори\w+|işğaldan azad edilmiş ərazilər\w*|azad edilmiş ərazilər\w*",
    re.IGNORECASE,
)
_NOT_PLACES = {"the", "of", "in", "and", "on", "a", "mes", "anama", "may"}
_COUNTRY_WORDS = re.compile(
    r"\b(?:" + "|".join(n for n in COUNTRY_NAMES if len(n) > 3) + r")(?:'s|’s|\w{0,3})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Place:
    """A place named in a text: where, its code (``AZ`` for the country) and how it was named."""

    start: int
    end: int
    code: str
    written: str
    district: bool


@cache
def _index() -> dict[str, str]:
    """Skeleton → code for every name the gazetteer places on exactly one unit."""
    gaz = gazetteer()
    return {
        key: gaz.groups.get(next(iter(codes)), next(iter(codes)))
        for key, codes in gaz.index.items()
        if len(codes) == 1 and len(key) > 2
    }


def _lookup(words: list[str]) -> str | None:
    """The code of a name; a former district (Aghdara) is kept as written, never placed."""
    index = _index()
    bare, _ = split_kind(re.sub(r"['’]s$", "", " ".join(words)))
    key = skeleton(bare)
    if key in index:
        return index[key]
    if key in gazetteer().former:
        return bare
    if len(words) == 1:
        lower = words[0].lower()
        for ending in _ENDINGS:
            if lower.endswith(ending) and len(lower) - len(ending) >= 4:
                stem = skeleton(words[0][: -len(ending)])
                if stem in index:
                    return index[stem]
    return None


def find_places(text: str) -> list[Place]:
    """Every district, region and country mention in ``text``, in order.

    Examples
    --------
    >>> [p.code for p in find_places("In the Aghdam district of Azerbaijan and in Füzuli")]
    ['AZ-AGM', 'AZ', 'AZ-FUZ']
    """
    found: list[Place] = []
    words = list(_WORD.finditer(text))
    k = 0
    while k < len(words):
        for n in (3, 2, 1):
            group = words[k : k + n]
            if len(group) < n or group[0].group(0).lower() in _NOT_PLACES:
                continue
            if any(text[a.end() : b.start()].strip() not in ("", "-") for a, b in pairwise(group)):
                continue
            code = _lookup([w.group(0) for w in group])
            if code:
                start, end = group[0].start(), group[-1].end()
                found.append(Place(start, end, code, text[start:end], code != COUNTRY))
                k += n - 1
                break
        k += 1
    for match in (*_REGIONS.finditer(text), *_COUNTRY_WORDS.finditer(text)):
        if not any(p.start <= match.start() < p.end for p in found):
            found.append(Place(match.start(), match.end(), COUNTRY, match.group(0), False))
    return sorted(found, key=lambda p: p.start)


def place_of(
    number: Number, numbers: list[Number], sentence: str, places: list[Place], carried: Place | None
) -> tuple[Place | None, str]:
    """The place a number is about, and a note on how it was chosen: the nearest district
    before it in its sentence, else after it, else a country-wide mention, else ``carried``
    (the place the text spoke of last)."""
    districts = [p for p in places if p.district]
    named_after = [  # "24.8 percent of Fuzuli", "37,154 hectares in the Aghdam district"
        p
        for p in districts
        if _own(sentence, number, p, numbers)
        and re.search(
            r"^[^,;]*\b(?:in|of|for|at|across|within)\s+(?:the\s+)?$",
            _PARENTHESES.sub("", sentence[number.end : p.start]),
        )
    ]
    if named_after:
        return listed(named_after[0], districts, sentence)
    before = [p for p in districts if p.end <= number.start]
    if before:
        return listed(before[-1], districts, sentence)
    after = [p for p in districts if _own(sentence, number, p, numbers)]
    if after:
        return listed(after[0], districts, sentence)
    trailing = [p for p in districts if p.start >= numbers[-1].end]
    if trailing and not _SUBSET.search(sentence[number.end : trailing[0].start]):
        return listed(trailing[0], districts, sentence)  # "42 …, 18 … found in Aghdam"
    if districts:  # the places named are those of other numbers: this one may be their total
        return None, "places named in the sentence are not this figure's: taken as the country"
    if places:
        return places[0], ""
    if carried is not None:
        return carried, CARRIED
    return None, "no place named: taken as the country"


_LIST_GAP = re.compile(
    r"\s*(?:districts?|regions?|rayonu|rayonları|районы|районов)?\s*(?:,|and|və|и|&|,\s*and)\s*"
    r"(?:the\s+)?",
    re.IGNORECASE,
)


CARRIED = "place carried from an earlier sentence"
_SUBSET = re.compile(r"\b(?:in particular|including|of which|of whom|of these|among them)\b", re.I)
_PARENTHESES = re.compile(r"\([^()]*\)")


def _own(sentence: str, number: Number, place: Place, numbers: list[Number]) -> bool:
    """Whether ``place`` comes after ``number`` with no other figure between them (one in
    parentheses, "25 percent (over 16,000 hectares) of Aghdam", does not count)."""
    if place.start < number.end:
        return False
    inner = [m.span() for m in _PARENTHESES.finditer(sentence, number.end, place.start)]
    return not any(
        number.end <= n.start < place.start and not any(a <= n.start < b for a, b in inner)
        for n in numbers
    )


def listed(place: Place, districts: list[Place], sentence: str) -> tuple[Place, str]:
    """A district named in a list ("Fuzuli, Jabrayil and Zangilan") stands for the whole list: the
    figure is a total over all of them, a group (``AZ-FUZ+AZ-CAB+AZ-ZAN``), never one polygon."""
    k = districts.index(place)
    first = last = k
    while first > 0 and _LIST_GAP.fullmatch(
        sentence[districts[first - 1].end : districts[first].start]
    ):
        first -= 1
    while last + 1 < len(districts) and _LIST_GAP.fullmatch(
        sentence[districts[last].end : districts[last + 1].start]
    ):
        last += 1
    if first == last:
        return place, ""
    group = districts[first : last + 1]
    code = "+".join(dict.fromkeys(p.code for p in group))
    if "+" not in code or not all(p.code.startswith("AZ-") for p in group):
        return place, ""
    start, end = group[0].start, group[-1].end
    return Place(start, end, code, sentence[start:end], True), "a total over several districts"
