"""The mine-action vocabulary: which unit and metric the words around a number state.

Units are written as the statement writes them (``ha``, ``km2``, ``m2``, ``%``, ``USD``, ``AZN``,
``EUR``, ``count``); the metric names are those of ``geo/metrics.csv``. English words are typed;
Russian and Azerbaijani words are recognised (unit and "mines", "hectares") but left untyped, so a
person chooses the metric rather than the extractor guessing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["COUNTS", "UNITS", "Typed", "language", "type_number", "unit_after"]

_I = re.IGNORECASE
# A unit written right after the number (or a currency sign before it).
UNITS = (
    (r"hectares?|ha\b|гектар\w*|га\b|hektar\w*", "ha"),
    (r"(?:km²|km2|sq\.?\s*km|square kilomet(?:re|er)s?|кв\.?\s*км|квадратн\w+ километр\w*"
     r"|kv\.?\s*km|kvadrat kilometr\w*)", "km2"),
    (r"(?:m²|m2|sq\.?\s*m\b|square met(?:re|er)s?|кв\.?\s*м\b|квадратн\w+ метр\w*"
     r"|kv\.?\s*m\b|kvadrat ?metr\w*)", "m2"),
    (r"%|per ?cent\b|percentage points?|процент\w*|faiz", "%"),
    (r"(?:US\s*)?dollars?|USD|долл\w*|dollar", "USD"),
    (r"manats?|AZN|манат\w*", "AZN"),
    (r"euros?|EUR|евро|avro", "EUR"),
)  # fmt: skip
_UNITS = [(re.compile(rf"\s*(?:{p})", _I), u) for p, u in UNITS]
_CURRENCY_BEFORE = (("$", "USD"), ("US$", "USD"), ("USD", "USD"), ("€", "EUR"), ("EUR", "EUR"),
                    ("AZN", "AZN"), ("₼", "AZN"))  # fmt: skip
# Count nouns: the earliest in the words after a number decides what is counted.
COUNTS = (
    (r"anti-?personnel (?:and|or) anti-?tank (?:land)?mines"
     r"|anti-?tank and anti-?personnel", "mines"),
    (r"anti-?personnel|anti-?infantry", "mines_anti_personnel"),
    (r"anti-?tank", "mines_anti_tank"),
    (r"cluster (?:munitions?|bombs?|submunitions?|ammunition)|submunitions", "cluster_munitions"),
    (r"(?:items of )?unexploded ?(?:ordnances?|munitions?|ammunition|explosive)|uxos?\b",
     "uxo"),
    (r"(?:land)?mines,? (?:and|or) (?:other )?(?:explosive|unexploded|uxo|ordnance)",
     "items_found"),
    (r"explosive (?:devices?|objects?|items?|remnants?|ordnance)|ordnance|munitions?|ammunition"
     r"|shells|projectiles|erw\b|explosives", "items_found"),
    (r"(?:(?:land)?mine[- ](?:related )?)?(?:incidents?|accidents?|explosions?|blasts?)",
     "incidents"),
    (r"(?:land)?mines?(?![\w-])", "mines"),
    (r"people|persons?|individuals|civilians?|citizens|children|child|teenagers|youths?|minors|wom[ae]n|men\b"
     r"|victims?|servicem[ae]n|soldiers|military personnel|deminers|sappers|residents|killed"
     r"|injur\w+|wounded|died|dead|lost their lives|deaths|casualties", "person"),
    (r"countries|states\b|nations\b", "countries_involved"),
    (r"(?:units|pieces|items)\b", "items_found"),
    (r"(?:international |donor )?organi[sz]ations", "organisations_involved"),
    (r"мин\b|мины|минами|боеприпас\w*|взрывоопасн\w+|снаряд\w*|mina\w*|partlayıcı\w*|sursat\w*"
     r"|hərbi sursat\w*|ədəd|шт\b|единиц\w*", "?count"),
    (r"человек\w*|погиб\w*|ранен\w*|пострадав\w*|nəfər|həlak|yaralan\w*|qurban\w*", "?count"),
)  # fmt: skip
_COUNTS = [(re.compile(rf"(?<!\w)(?:{p})", _I), m) for p, m in COUNTS]
_CLEARED = re.compile(
    r"clear\w*|de-?min\w*|cleans?\w*|releas\w*|freed|removed|rid of|neutrali[sz]\w*"
    r"|очищен\w*|разминир\w*|təmizlən\w*|minalardan təmiz\w*",
    _I,
)
_CONTAMINATED = re.compile(
    r"contaminat\w*|hazard\w*|(?<!de-)(?<!de)mined\b|polluted|remains? (?:to be )?(?:cleared|mined)"
    r"|level of mining|minefields?|suspected|contains? (?:land)?mines|загрязн\w*"
    r"|заминир\w*|çirklən\w*|minalanmış",
    _I,
)
_PLANNED = re.compile(
    r"\b(?:plan\w*|will be|to be cleared|expected to be|target)\b|планиру\w*|nəzərdə", _I
)
_EXAMINED = re.compile(r"examin\w*|survey\w*|inspect\w*|checked|searched|обследован\w*", _I)
_MINE_CONTEXT = re.compile(
    r"\bmin(?:e|es|ing)\b|landmine|demin|clear|contaminat|ordnance|uxo|explosive|ANAMA|"
    r"мин|разминир|mina|minalar|təmizlən",
    _I,
)
_LAID = re.compile(r"\b(?:planted|laid|buried|placed|installed)\b|заложен|basdırıl", _I)
_INTERNATIONAL = re.compile(
    r"international|donor|foreign|assistance|grant|aid\b|\bEU\b|European|\bUN\b|UNDP|USAID", _I
)
_CIVILIAN = re.compile(r"civilian", _I)
_CHILD = re.compile(r"\b(?:child\w*|teen\w*|youths?|minors|boys|girls)\b", _I)
_WOMEN = re.compile(r"\bwom[ae]n\b", _I)
_KILLED = re.compile(
    r"killed|died|dead|deaths|lost (?:their|his|her) li(?:ves|fe)|fatal\w*|perished|погиб\w*", _I
)
_INJURED = re.compile(r"injur\w*|wounded|ранен\w*", _I)
_VICTIMS = re.compile(r"victims?|casualt\w*|affected|suffered", _I)
_AZERBAIJANI = re.compile(
    r"(?<!\w)(?:və|ilə|üzrə|ərazi\w*|edil\w*|olunub|olunaraq|tərəfindən|ədəd|hektar\w*|rayonu\w*"
    r"|təmizlən\w*|mina\w*|bu günədək|faiz\w*|il(?:də|in))(?!\w)",
    _I,
)
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def language(sentence: str) -> str:
    """``en``, ``az`` or ``ru``: the language a sentence is written in, roughly."""
    if len(_CYRILLIC.findall(sentence)) > len(sentence) / 5:
        return "ru"
    return "az" if len(_AZERBAIJANI.findall(sentence)) >= 2 else "en"


@dataclass(frozen=True)
class Typed:
    """What a number counts or measures: unit as written, metric ("" when unknown), and why."""

    unit: str
    metric: str
    note: str
    unit_end: int  # characters of the text after the number taken by the unit


def unit_after(after: str, before: str) -> tuple[str, int]:
    """The unit written right after a number (or a currency sign right before it)."""
    skip = re.match(r"\)?-?", after).end()  # "53,000 (53,081) ha", "906-hectare"
    for pattern, unit in _UNITS:
        match = pattern.match(after, skip)
        if match:
            return unit, match.end()
    stripped = before.rstrip()
    for sign, unit in _CURRENCY_BEFORE:
        if stripped.endswith(sign):
            return unit, 0
    return "", 0


def _nearest(pattern: re.Pattern[str], sentence: str, at: int) -> int:
    """Distance in characters from ``at`` to the nearest match of ``pattern`` (large if none)."""
    return min((abs(m.start() - at) for m in pattern.finditer(sentence)), default=10**6)


def _area(sentence: str, at: int) -> tuple[str, str]:
    distances = {
        "cleared_area": _nearest(_CLEARED, sentence, at),
        "contaminated_area": _nearest(_CONTAMINATED, sentence, at),
        "area_examined": _nearest(_EXAMINED, sentence, at),
    }
    metric, distance = min(distances.items(), key=lambda kv: kv[1])
    if _PLANNED.search(sentence):
        return "", "a plan or a target, not a result: no metric for it"
    if distance == 10**6:
        return "cleared_area", "area of what: not said; cleared_area, the usual one, is a guess"
    return metric, ""


def _share(sentence: str, after: str) -> tuple[str, str]:
    if not _MINE_CONTEXT.search(sentence):
        return "-", ""  # a percentage of something else
    if re.match(r"\s*of (?:the )?(?:total |entire |whole )?(?:mine-)?contaminated", after, _I):
        return "cleared_share", ""
    if _CONTAMINATED.search(sentence) and not _CLEARED.search(sentence):
        return "contaminated_share", ""
    if _CLEARED.search(sentence):
        return "cleared_share", ""
    return "", "share of what: not said"


_MILITARY = re.compile(r"\b(?:military|soldiers?|servicem[ae]n|troops)\b", _I)
_GROUP_BEFORE = re.compile(r"\b(civilians?|military|soldiers|servicemen)\s*[:–-]\s*$", _I)
_CASUALTY_BEFORE = re.compile(r"\b(?:killed|injured|wounded)\s+$", _I)
_PARENTHESES = re.compile(r"\([^()]*\)")
_CLAUSE_END = re.compile(r"[.;]|,\s*(?:of which|of whom|among them)\b", _I)
_EVERYONE = re.compile(r"\b(?:citizens|individuals|Azerbaijanis|residents)\b", _I)


def _group(head: str, before: str) -> str:
    """Whose casualties: ``child``, ``women``, ``civilian``, ``military`` or "" (everyone)."""
    told = _GROUP_BEFORE.search(before)  # "(civilian: 49; military: 13)"
    if told:
        return "civilian" if _CIVILIAN.match(told.group(1)) else "military"
    for pattern, group in ((_CHILD, "child"), (_WOMEN, "women"), (_CIVILIAN, "civilian"),
                           (_MILITARY, "military")):  # fmt: skip
        if pattern.search(head):
            return group
    if _EVERYONE.search(head):  # "87 citizens", "345 individuals": all, whoever came before
        return ""
    outside = _PARENTHESES.sub("", before)  # "Among the military, mines killed 15 people"
    last = max(
        ((m.start(), g) for p, g in ((_CIVILIAN, "civilian"), (_MILITARY, "military"))
         for m in p.finditer(outside)),
        default=(0, ""),
    )  # fmt: skip
    return last[1]


def _clause(rest: str, before: str) -> str:
    """The rest of a number's clause, parentheses left out: "62 people (civilian: 49) were
    killed" → "people were killed"; inside the parentheses, what follows them."""
    if before.count("(") > before.count(")") and ")" in rest:
        rest = rest[rest.index(")") + 1 :]
    return _CLAUSE_END.split(_PARENTHESES.sub("", rest), maxsplit=1)[0]


def _casualty(head: str, before: str, context: str, rest: str) -> str:
    """``killed``, ``injured``, ``victims`` or "" (people, but not casualties)."""
    if _CASUALTY_BEFORE.search(before):  # "mines killed 15 people", "injured 164"
        return "killed" if _KILLED.search(before[-12:]) else "injured"
    for text in (head, _clause(rest, before)):  # "21 citizens, including 14 civilians were killed"
        killed, injured = _KILLED.search(text), _INJURED.search(text)
        if killed and (not injured or killed.start() < injured.start()):
            return "killed"
        if injured:
            return "injured"
        if text is head and _VICTIMS.search(head):
            return "victims"
    if _VICTIMS.search(context) or _VICTIMS.search(_clause(rest, before)):
        return "victims"
    return ""


def _person(window: str, before: str, context: str, rest: str) -> tuple[str, str]:
    """victims, killed or injured, of which group (civilians, children, women; the military
    have no metric: proposed untyped)."""
    head = window.split("(")[0][:40]
    group = _group(head, before)
    casualty = _casualty(head, before, context, rest)
    if not casualty and not (_KILLED.search(context) or _INJURED.search(context)):
        return "-", ""  # people, but not casualties (deminers, residents)
    if group == "military":
        return "", "military casualties: no metric in geo/metrics.csv"
    if group in ("child", "women"):
        return f"{group}_victims", ""
    casualty = casualty or "victims"
    return (f"civilian_{casualty}" if group == "civilian" else casualty), ""


_NUMBER_OF = re.compile(
    r"\b(?:number|total|count) of ([\w\s-]{3,60}?)\s+(?:[\w\s-]{0,40}\s)?(?:has |have |had )?"
    r"(?:reached|stood at|stands at|is|was|were|amounted to|totals?|totall?ed|exceeded|rose to"
    r"|increased to)\s*(?:about |over |more than |nearly |approximately |almost )?$",
    _I,
)


def _hits(window: str) -> tuple[int, int, str] | None:
    """The earliest count noun in ``window``: (position, rank, metric)."""
    hits = [
        (m.start(), k, metric)
        for k, (p, metric) in enumerate(_COUNTS)
        for m in [p.search(window)]
        if m
    ]
    return min(hits) if hits else None


def type_number(sentence: str, start: int, end: int, next_start: int, context: str) -> Typed | None:
    """What the number at ``sentence[start:end]`` is a figure of, or None if it is no figure.

    ``next_start`` is where the next number begins (the words after this one stop there);
    ``context`` is the sentence before, for "These include 362 children" and the like. In an
    Azerbaijani or Russian sentence the unit is found but the metric is left for a person.
    """
    typed = _typed(sentence, start, end, next_start, context)
    if typed is None or language(sentence) == "en":
        return typed
    return Typed(
        typed.unit, "", f"metric not typed in a statement in {language(sentence)}", typed.unit_end
    )


def _typed(sentence: str, start: int, end: int, next_start: int, context: str) -> Typed | None:
    """What the number at ``sentence[start:end]`` is a figure of, or None if it is no figure.

    ``next_start`` is where the next number begins (the words after this one stop there);
    ``context`` is the sentence before, for "These include 362 children" and the like.
    """
    after, before = sentence[end:], sentence[:start]
    unit, taken = unit_after(after, before)
    window = after[taken : max(taken, next_start - end)][:120]
    if unit in ("ha", "km2", "m2"):
        metric, note = _area(sentence, start)
        return Typed(unit, metric, note, taken)
    if unit == "%":
        metric, note = _share(sentence, after[taken:])
        return None if metric == "-" else Typed(unit, metric, note, taken)
    if unit in ("USD", "AZN", "EUR"):
        if not _MINE_CONTEXT.search(sentence + context):
            return None
        international = _INTERNATIONAL.search(before[-40:] + window[:60])
        return Typed(unit, "international_spending" if international else "spending", "", taken)
    hits = _hits(window)
    if (not hits or hits[0] > 60) and (
        _GROUP_BEFORE.search(before) or _CASUALTY_BEFORE.search(before)
    ):
        hits = (0, 0, "person")  # "civilian: 49", "injured 164"
    if not hits or hits[0] > 60:
        told = _NUMBER_OF.search(before)  # "the number of mine victims has reached 350"
        person = told and (_VICTIMS.search(told.group(1)) or _KILLED.search(told.group(1)))
        hits = (0, 0, "person") if person else _hits(told.group(1)) if told else None
        if not hits:
            return None
        window = told.group(1)
    metric = hits[2]
    if metric == "?count":
        return Typed("count", "", "metric not typed in this language", 0)
    if metric == "person":
        metric, note = _person(window, before, context + before, after)
        return None if metric == "-" else Typed("count", metric, note, 0)
    if metric == "mines" and _LAID.search(window):
        metric = "mines_laid"
    return Typed("count", metric, "", 0)
