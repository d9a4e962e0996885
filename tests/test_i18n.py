"""Numbers, dates and names in Azerbaijani, English and Russian, as the static map writes them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import REPO

from mapkit.errors import MapkitError
from mapkit.i18n import (
    LANGUAGES,
    format_date,
    format_number,
    metric_name,
    month_names,
    unit_name,
    word,
)


def test_numbers_are_written_as_each_language_writes_them() -> None:
    assert format_number(37154, "en") == "37,154"
    assert format_number(37154, "az") == "37.154"
    assert format_number(37154, "ru") == "37\N{NO-BREAK SPACE}154"
    assert format_number(7022.1, "az") == "7.022,1"
    assert format_number(7022.1, "ru") == "7\N{NO-BREAK SPACE}022,1"


def test_dates_and_month_names_per_language() -> None:
    assert format_date("2025-05-20", "en") == "May 20, 2025"
    assert format_date("2025-05-20", "az") == "20 may 2025"
    assert format_date(dt.date(2025, 5, 20), "ru") == "20 мая 2025\N{NARROW NO-BREAK SPACE}г."
    assert format_date("2025-05", "ru").startswith("май 2025")
    assert format_date("2025", "az") == "2025"
    assert month_names("az")[1] == "fevral" and month_names("ru")[0] == "январь"
    assert len(month_names("en")) == 12


def test_an_unknown_language_is_a_mapkit_error() -> None:
    with pytest.raises(MapkitError, match="unknown language 'de'"):
        format_number(1, "de")


@pytest.mark.parametrize("table", ["metrics.csv", "units.csv"])
def test_every_metric_and_unit_has_its_azerbaijani_and_russian_name(table: str) -> None:
    rows = pd.read_csv(REPO / "geo" / table, dtype=str, keep_default_na=False)
    assert {"name_az", "name_ru"} <= set(rows.columns)
    named = rows[rows.label != ""]
    assert (named.name_az != "").all() and (named.name_ru != "").all()
    assert not named.name_ru.str.contains("[A-Za-z]{2}", regex=True).any()


def test_metric_and_unit_names_come_from_the_data() -> None:
    assert metric_name("cleared_area", "az") == "Minalardan təmizlənmiş ərazi"
    assert metric_name("cleared_area", "ru") == "Разминированная площадь"
    assert metric_name("cleared_area", "en") == "Cleared area"
    assert unit_name("ha", "ru") == "га" and unit_name("km2", "en") == "km²"


def test_every_map_word_is_in_all_three_languages() -> None:
    words = pd.read_csv(REPO / "geo" / "words.csv", dtype=str, keep_default_na=False)
    mine = words[words.key.str.startswith("map.")]
    assert len(mine) > 10
    for lang in LANGUAGES:
        assert (mine[lang] != "").all(), lang
    assert word("map.unit", "ru", unit="га") == "Единица измерения: га"
    assert word("map.no_data", "az") == "Dərc olunmuş rəqəm yoxdur (sıfır deyil)"
