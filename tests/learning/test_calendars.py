"""A member's country from their time zone, and that country's public holidays."""

from __future__ import annotations

from datetime import date

import pytest

from bot.learning import calendars
from bot.learning.calendars import country_of_zone, holiday_name, is_public_holiday


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("Europe/Athens", "GR"),
        ("America/New_York", "US"),
        ("Australia/Sydney", "AU"),
        ("Asia/Kathmandu", "NP"),
        ("Australia/Lord_Howe", "AU"),
        ("Asia/Kolkata", "IN"),
        ("Pacific/Chatham", "NZ"),
        ("America/St_Johns", "CA"),
        # zone1970.tab lists these for several countries; zone.tab names the one they are in.
        ("Europe/Berlin", "DE"),
        ("Europe/Zurich", "CH"),
        ("Asia/Riyadh", "SA"),
        ("Asia/Bangkok", "TH"),
        # Only in zone.tab since tzdata merged it into Europe/Brussels.
        ("Europe/Amsterdam", "NL"),
        # Old names, kept as links.
        ("Asia/Calcutta", "IN"),
        ("US/Eastern", "US"),
    ],
)
def test_a_zone_names_its_country(zone: str, country: str) -> None:
    assert country_of_zone(zone) == country


@pytest.mark.parametrize("zone", ["Etc/UTC", "UTC", "Etc/GMT+5", "Mars/Olympus_Mons", ""])
def test_zones_of_no_country_give_none(zone: str) -> None:
    assert country_of_zone(zone) is None


def test_greek_independence_day() -> None:
    assert is_public_holiday("GR", date(2027, 3, 25))
    assert not is_public_holiday("GR", date(2027, 3, 24))
    assert not is_public_holiday("US", date(2027, 3, 25))


def test_the_fourth_of_july_and_its_observed_monday() -> None:
    assert is_public_holiday("US", date(2027, 7, 4))
    assert is_public_holiday("US", date(2027, 7, 5))  # the 4th is a Sunday in 2027
    assert holiday_name("US", date(2027, 7, 4)) == "Independence Day"


def test_other_countries_have_their_own_days() -> None:
    assert is_public_holiday("AU", date(2027, 1, 26))  # Australia Day
    assert is_public_holiday("NP", date(2027, 5, 29))  # Republic Day (Jestha 15)
    assert is_public_holiday("gr", date(2027, 3, 25))  # the code's case does not matter


@pytest.mark.parametrize("country", ["XX", "", "ZZZ", "QQ"])
def test_an_unknown_country_has_no_holidays(country: str) -> None:
    assert not is_public_holiday(country, date(2027, 1, 1))


def test_holidays_are_built_once_per_country_and_year() -> None:
    calendars._holidays.cache_clear()
    for day in range(1, 29):
        is_public_holiday("GR", date(2027, 2, day))
    is_public_holiday("GR", date(2028, 1, 1))
    info = calendars._holidays.cache_info()
    assert (info.misses, info.hits) == (2, 27)  # one build per year, then lookups
