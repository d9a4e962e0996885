"""The country mapkit maps, in one place: Azerbaijan's codes, names, spelling and projection.

mapkit maps one country. Everything that is Azerbaijan's rather than mapkit's stands here, so a
reader finds it in one file instead of ten. This module imports nothing of mapkit.
"""

from __future__ import annotations

__all__ = [
    "BOUNDS",
    "CITY_WORDS",
    "COUNTRY",
    "COUNTRY_NAMES",
    "CROSSINGS_CORRIDOR",
    "DIGRAPHS",
    "EQUAL_AREA",
    "INITIAL_VIEW",
    "LETTERS",
    "RAYON_WORDS",
    "TITLE_KEY",
]

COUNTRY = "AZ"
"""ISO 3166-1 alpha-2 code; a figure for the whole country has this code as its area."""
COUNTRY_NAMES = ("Azerbaijan", "Azərbaycan", "Azerbaycan", "Азербайджан", "AZE", "AZ", "national")
"""How sources name the whole country."""
EQUAL_AREA = "+proj=laea +lat_0=40.3 +lon_0=47.7 +datum=WGS84 +units=m +no_defs"
"""Lambert azimuthal equal-area projection centred on Azerbaijan, used for every area."""
BOUNDS = (44.7, 38.3, 50.9, 41.95)
"""Azerbaijan's extent in degrees (west, south, east, north), the Caspian coast included."""
INITIAL_VIEW = {"location": [40.3, 47.6], "zoom_start": 7}
"""Where the atlas opens before its script frames the country to fit the screen."""
TITLE_KEY = "title"
"""The key of the atlas's title among the page's words (``geo/words.csv``)."""
CROSSINGS_CORRIDOR = "Zangazur"
"""The corridor whose district crossings the atlas tabulates."""

CITY_WORDS = ("city of", "city", "şəhəri", "şəhər", "seheri", "municipality", "town", "город", "г.")
"""Words that make a place name a city's (English, Azerbaijani, Russian spellings)."""
RAYON_WORDS = ("district", "rayonu", "rayon", "raion", "region", "r-nu", "r-n", "район", "р-н")
"""Words that make a place name a district's (rayon)."""

LETTERS = {
    "ə": "a",
    "ä": "a",
    "e": "a",
    "ı": "i",
    "y": "i",
    "ğ": "g",
    "ş": "s",
    "ç": "c",
    "ö": "o",
    "ü": "u",
    "x": "h",
    "q": "g",
    "j": "c",
    "w": "v",
}
"""Azerbaijani letters and their transliterations, folded to one spelling for matching names."""
DIGRAPHS = (
    ("dzh", "c"),
    ("dj", "c"),
    ("kh", "h"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "c"),
)
"""Transliteration digraphs (Russian and English spellings), folded before the letters."""
