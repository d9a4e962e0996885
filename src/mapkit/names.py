"""Place names as real sources write them, resolved to ISO 3166-2:AZ codes.

Sources spell the same district many ways: Azerbaijani Latin with and without diacritics
(Ağdam, Agdam), English transliterations (Aghdam), Russian (Агдам, Агдамский район), Soviet-era
Latin (Fizuli, Dzhebrail), with or without "rayon", "rayonu", "district" or "city". A name is
reduced to a *skeleton* that folds those differences, then looked up in the alias table built from
``geo/districts.geojson`` and ``geo/aliases.csv``. Names that are not current units (a former
district such as Aghdara) are reported as such, never placed on a polygon by guess.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from .country import CITY_WORDS, COUNTRY, COUNTRY_NAMES, DIGRAPHS, LETTERS, RAYON_WORDS
from .data import embedded_units, read_table
from .errors import UnknownPlaceError

__all__ = [
    "COUNTRY",
    "COUNTRY_NAMES",
    "GROUP_SEPARATOR",
    "Gazetteer",
    "Unit",
    "build_gazetteer",
    "gazetteer",
    "resolve",
    "skeleton",
    "split_kind",
    "visible",
]
GROUP_SEPARATOR = "+"

_SUFFIX = re.compile(
    r"^(?P<pre>(?:city of|г\.|город)\s+)?(?P<name>.*?)(?:[\s,]+(?P<post>"
    + "|".join(re.escape(w) for w in sorted(CITY_WORDS + RAYON_WORDS, key=len, reverse=True))
    + r"))?\.?$",
    re.IGNORECASE,
)
_LETTERS = str.maketrans(LETTERS)


def visible(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), safe to print.

    Examples
    --------
    >>> visible("Ağdam\\x1b]0;pwned\\x07")
    'Ağdam\\\\x1b]0;pwned\\\\x07'
    """
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in str(text))


def split_kind(name: str) -> tuple[str, str | None]:
    """Strip a "city"/"rayon"-like word from a name and say which kind it implied.

    Returns
    -------
    tuple of (str, str or None)
        The bare name, and ``"city"``, ``"rayon"`` or None when the name had no such word.
    """
    text = " ".join(str(name).split())
    match = _SUFFIX.match(text)
    if not match or not match.group("name"):
        return text, None
    word = (match.group("pre") or match.group("post") or "").strip().lower()
    kind = None
    if word:
        kind = "city" if any(word.startswith(w) for w in CITY_WORDS) else "rayon"
    return match.group("name").strip(), kind


def skeleton(name: str) -> str:
    """Fold a bare place name to the form used for matching.

    Examples
    --------
    >>> skeleton("Ağdam") == skeleton("Aghdam") == skeleton("Agdam")
    True
    >>> skeleton("Cəbrayıl") == skeleton("Jabrayil")
    True
    """
    text = unicodedata.normalize("NFC", str(name)).lower().replace("i̇", "i")
    head, rest = text[:1], text[1:]
    if head == "y":  # an initial Y is a consonant: Yardımlı, Yevlax
        text = "Y" + rest
    for digraph, letter in DIGRAPHS:
        text = text.replace(digraph, letter)
    text = text.translate(_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))
    return re.sub(r"(.)\1+", r"\1", text).lower()


@dataclass(frozen=True)
class Unit:
    """One district or city of Azerbaijan as the alias table knows it."""

    iso: str
    name_en: str
    name_az: str
    kind: str


@dataclass
class Gazetteer:
    """All names of every unit, and the former names that must not be placed.

    Build it with :func:`gazetteer`; resolve names with :meth:`resolve`.
    """

    units: dict[str, Unit]
    groups: dict[str, str] = field(default_factory=dict)
    index: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    former: dict[str, str] = field(default_factory=dict)
    former_said: dict[str, dict[str, str]] = field(default_factory=dict)  # by language
    display: dict[str, str] = field(default_factory=dict)

    def add(self, iso: str, name: str) -> None:
        """Register ``name`` (as sources write it) for unit ``iso``."""
        bare, _ = split_kind(name)
        key = skeleton(bare)
        if key:
            self.index[key].add(iso)
            self.display.setdefault(key, bare)

    def resolve(self, name: str) -> str:
        """The ISO 3166-2:AZ code for a place name, ``"AZ"`` for the country.

        A group of districts written with ``+`` (``"Fuzuli + Jabrayil"``) resolves to their codes
        joined by ``+``, in the order given.

        Raises
        ------
        UnknownPlaceError
            The name matches no unit, matches a city and a rayon alike, or is a former district.
        """
        text = " ".join(str(name).split())
        if not text:
            raise UnknownPlaceError(name, reason="empty place name")
        if GROUP_SEPARATOR in text:
            codes = [self.resolve(part) for part in text.split(GROUP_SEPARATOR)]
            if COUNTRY in codes:
                raise UnknownPlaceError(name, reason=f"group {name!r} includes the whole country")
            return GROUP_SEPARATOR.join(dict.fromkeys(codes))
        upper = text.upper()
        if upper in self.units or upper == COUNTRY:
            return self.groups.get(upper, upper)
        if upper.startswith("AZ-"):
            raise UnknownPlaceError(
                name, self.suggest(text), f"{text!r} is not an ISO 3166-2:AZ code"
            )
        bare, kind = split_kind(text)
        key = skeleton(bare)
        if key in _COUNTRY_KEYS:
            return COUNTRY
        if key in self.former:
            raise UnknownPlaceError(
                name, reason=f"{bare!r} is not a current district: {self.former[key]}"
            )
        candidates = sorted(self.index.get(key, ()))
        if kind and len(candidates) > 1:
            candidates = [c for c in candidates if self.units[c].kind == kind] or candidates
        if len(candidates) == 1:
            return self.groups.get(candidates[0], candidates[0])
        if candidates:
            options = [
                f"{self.units[c].name_en} {self.units[c].kind} ({c})".replace(
                    f"{self.units[c].kind} {self.units[c].kind}", self.units[c].kind
                )
                for c in candidates
            ]
            raise UnknownPlaceError(
                name, reason=f"{bare!r} is ambiguous: write one of {', '.join(options)}"
            )
        raise UnknownPlaceError(name, self.suggest(bare))

    def candidates(self, name: str) -> tuple[str, ...]:
        """The unit codes ``name`` could mean: one if it resolves, several if it is ambiguous.

        Former names, unknown names, groups and the country give none. Unlike :meth:`resolve`,
        this never looks for suggestions, so it is fast enough to try on every value of a field.
        """
        text = " ".join(str(name).split())
        upper = text.upper()
        if not text or GROUP_SEPARATOR in text or upper == COUNTRY:
            return ()
        if upper in self.units:
            return () if upper in self.groups else (upper,)
        bare, kind = split_kind(text)
        key = skeleton(bare)
        if upper.startswith("AZ-") or key in _COUNTRY_KEYS or key in self.former:
            return ()
        found = sorted(self.index.get(key, ()))
        if kind and len(found) > 1:
            found = [c for c in found if self.units[c].kind == kind] or found
        if len(found) == 1 and found[0] in self.groups:
            return ()
        return tuple(found)

    def unplaced(self, name: str, lang: str = "en") -> str | None:
        """Why ``name`` cannot be put on a polygon, if it is a former or unnamed district (in
        ``lang`` where ``geo/former_names.csv`` says it in that language, else in English)."""
        key = skeleton(split_kind(str(name))[0])
        return self.former_said.get(key, {}).get(lang) or self.former.get(key)

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The known names closest to ``name``, best first."""
        key = skeleton(split_kind(name)[0])
        close = difflib.get_close_matches(key, list(self.index), n=n, cutoff=0.6)
        return list(dict.fromkeys(self.display[k] for k in close))

    def name(self, code: str) -> str:
        """English name of a code (or of each code of a group)."""
        if code == COUNTRY:
            return "Azerbaijan"
        if not code:
            return ""
        return " + ".join(self.units[c].name_en for c in code.split(GROUP_SEPARATOR))


_COUNTRY_KEYS = {skeleton(n) for n in COUNTRY_NAMES}


def build_gazetteer(
    units: pd.DataFrame, aliases: pd.DataFrame, former: pd.DataFrame, parents: pd.DataFrame
) -> Gazetteer:
    """Build a :class:`Gazetteer` from tables of units, aliases and former names.

    Parameters
    ----------
    units : DataFrame
        Columns ``iso``, ``name_az``, ``name_en``, ``name_ru``, ``kind``, ``parent_iso``. A parent
        (the Nakhchivan Autonomous Republic, AZ-NX) resolves to the group of its units.
    aliases : DataFrame
        Columns ``iso``, ``alias``.
    former : DataFrame
        Columns ``name``, ``now_within``, ``note``.
    parents : DataFrame
        Columns ``iso``, ``name_az``, ``kind``: the units' parents as ISO 3166-2 names them.
    """
    gaz = Gazetteer({r.iso: Unit(r.iso, r.name_en, r.name_az, r.kind) for r in units.itertuples()})
    official = parents.set_index("iso")
    for parent, children in units[units.parent_iso != ""].groupby("parent_iso"):
        name_az, kind = official.loc[parent, ["name_az", "kind"]]
        gaz.units[parent] = Unit(parent, f"{name_az} {kind}", name_az, kind)
        gaz.groups[parent] = GROUP_SEPARATOR.join(sorted(children.iso))
    for r in units.itertuples():
        for name in (r.name_az, r.name_en, r.name_ru):
            gaz.add(r.iso, name)
    for r in aliases.itertuples():
        gaz.add(r.iso, r.alias)
    said = [c for c in former.columns if c.startswith("note_")]  # note_az, note_ru, ...
    for r in former.to_dict("records"):
        key = skeleton(split_kind(r["name"])[0])
        gaz.former[key] = r["note"]
        gaz.former_said[key] = {c.removeprefix("note_"): r[c] for c in said if r[c]}
    return gaz


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer of the embedded district table and alias list."""
    return build_gazetteer(
        embedded_units(),
        read_table("aliases.csv"),
        read_table("former_names.csv"),
        read_table("parents.csv"),
    )


def resolve(name: str) -> str:
    """Resolve a place name with the embedded gazetteer (see :meth:`Gazetteer.resolve`)."""
    return gazetteer().resolve(name)
