"""Place names as real sources write them resolve to the right ISO 3166-2:AZ code."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mapkit
from mapkit.names import gazetteer, skeleton


@pytest.mark.parametrize(
    ("name", "iso"),
    [
        ("Aghdam", "AZ-AGM"),
        ("Agdam", "AZ-AGM"),
        ("Ağdam", "AZ-AGM"),
        ("Ağdam rayonu", "AZ-AGM"),
        ("Агдам", "AZ-AGM"),
        ("Агдамский район", "AZ-AGM"),
        ("Agdam District", "AZ-AGM"),
        ("Fuzuli", "AZ-FUZ"),
        ("Füzuli", "AZ-FUZ"),
        ("Fizuli", "AZ-FUZ"),
        ("Физули", "AZ-FUZ"),
        ("Jabrayil", "AZ-CAB"),
        ("Cəbrayıl", "AZ-CAB"),
        ("Dzhebrail", "AZ-CAB"),
        ("Khojaly", "AZ-XCI"),
        ("Xocalı", "AZ-XCI"),
        ("Khankendi", "AZ-XA"),
        ("Stepanakert", "AZ-XA"),
        ("Lachin", "AZ-LAC"),
        ("Laçın", "AZ-LAC"),
        ("Lankaran District", "AZ-LAN"),
        ("Lankaran city", "AZ-LA"),
        ("Shaki City", "AZ-SA"),
        ("Sheki District", "AZ-SAK"),
        ("Shusha City", "AZ-SUS"),
        ("Kirovabad", "AZ-GA"),
        ("Yardymli", "AZ-YAR"),
        ("Siazan District", "AZ-SIY"),
        ("AZ-agm", "AZ-AGM"),
        ("Azerbaijan", "AZ"),
        ("Азербайджан", "AZ"),
    ],
)
def test_spellings_resolve(name: str, iso: str) -> None:
    assert mapkit.resolve(name) == iso


def test_every_iso_code_and_official_name_resolves_to_itself() -> None:
    every = list(pycountry.subdivisions.get(country_code="AZ"))
    for sub in (s for s in every if s.code != "AZ-NX"):
        assert mapkit.resolve(sub.code) == sub.code
        if sum(skeleton(s.name) == skeleton(sub.name) for s in every) == 1:
            assert mapkit.resolve(sub.name) == sub.code
        else:  # a city and its rayon share the name: the kind decides
            assert mapkit.resolve(f"{sub.name} {sub.type}") == sub.code


def test_official_names_of_different_units_never_collide() -> None:
    gaz = gazetteer()
    for key, codes in gaz.index.items():
        if len(codes) > 1:  # only a city and its rayon (or Nakhchivan and its republic) share
            names = {gaz.units[c].name_az for c in codes}
            assert len(names) == 1 or "AZ-NX" in codes, (key, codes)


def test_a_name_shared_by_a_city_and_its_rayon_is_not_guessed() -> None:
    with pytest.raises(mapkit.UnknownPlaceError, match=r"ambiguous.*AZ-LA\b.*AZ-LAN"):
        mapkit.resolve("Lankaran")


def test_unknown_names_get_suggestions() -> None:
    with pytest.raises(mapkit.UnknownPlaceError, match="did you mean 'Ağdam'"):
        mapkit.resolve("Agdamx")


def test_a_former_district_is_never_put_on_a_polygon() -> None:
    with pytest.raises(mapkit.UnknownPlaceError, match=r"not a current district.*Tartar"):
        mapkit.resolve("Aghdara")


def test_nakhchivan_republic_is_the_group_of_its_units() -> None:
    group = mapkit.resolve("Nakhchivan Autonomous Republic").split("+")
    assert len(group) == 8 and "AZ-NV" in group


def test_skeleton_folds_transliterations() -> None:
    assert skeleton("Qubadlı") == skeleton("Gubadli")
    assert skeleton("Xocavənd") == skeleton("Khojavend")


@given(st.text(max_size=40))
def test_any_string_resolves_or_fails_with_a_message(text: str) -> None:
    try:
        code = mapkit.resolve(text)
    except mapkit.UnknownPlaceError as exc:
        assert exc.one_line() and "\n" not in exc.one_line()
    else:
        assert code == "AZ" or code.startswith("AZ-")
