"""Which country a time zone is in, and that country's public holidays.

A member's country comes from the tz database's own zone tables (shipped in the `tzdata` package,
which is a dependency so that zoneinfo works on every platform): Slack tells us a member's zone, not
their country, and the zone is a good guess at which public holidays they have off. Holidays come
from the `holidays` package. Both are read once and cached: they are static data, so the functions
stay pure from the caller's point of view.
"""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache
from importlib import resources


def _table(name: str) -> list[list[str]]:
    """The rows of a tzdata file, split on tabs (or spaces for tzdata.zi), comments dropped."""
    text = resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    return [line.split() for line in text.splitlines() if line and not line.startswith("#")]


@cache
def _zone_countries() -> dict[str, str]:
    """Zone name -> ISO 3166 country code.

    zone1970.tab is the current table, but it lists a zone shared by several countries under all of
    them (Europe/Berlin: DE,DK,NO,SE,SJ). zone.tab gives every zone one country, so it decides those;
    zones that only zone.tab has (Europe/Amsterdam) come from it too. Backward-compatible names
    (Asia/Calcutta, US/Eastern) are links in tzdata.zi and take their target's country.
    """
    single = {row[2]: row[0] for row in _table("zone.tab") if len(row) >= 3}
    countries: dict[str, str] = {}
    for row in _table("zone1970.tab"):
        if len(row) < 3:
            continue
        codes, zone = row[0].split(","), row[2]
        countries[zone] = codes[0] if len(codes) == 1 else single.get(zone, codes[0])
    for zone, code in single.items():
        countries.setdefault(zone, code)
    for row in _table("tzdata.zi"):
        if row[0] == "L" and len(row) == 3 and row[1] in countries:
            countries.setdefault(row[2], countries[row[1]])
    return countries


def country_of_zone(tz: str) -> str | None:
    """'Europe/Athens' -> 'GR'. None for zones of no country (Etc/UTC, Etc/GMT+5) and unknown names."""
    return _zone_countries().get(tz)


@lru_cache(maxsize=1024)
def _holidays(country: str, year: int) -> dict[date, str]:
    """One country's public holidays in one year, observed days included (US 5 July 2027)."""
    # Imported at the first holiday asked for, not at start: `web` answers /healthz sooner.
    import holidays as holiday_data

    try:
        calendar = holiday_data.country_holidays(country, years=year)
    except NotImplementedError:  # a country the package does not know: no holidays, not a crash
        return {}
    return dict(calendar.items())


def holiday_name(country: str, day: date) -> str | None:
    """The holiday's name as the `holidays` package gives it, or None on an ordinary day."""
    return _holidays(country.strip().upper(), day.year).get(day)


def is_public_holiday(country: str, day: date) -> bool:
    """Whether `day` is a public holiday in `country` (ISO 3166 code, e.g. 'GR')."""
    return holiday_name(country, day) is not None


@cache
def holiday_countries() -> frozenset[str]:
    """Every country whose public holidays the `holidays` package knows (ISO 3166 alpha-2)."""
    import holidays as holiday_data

    return frozenset(code for code in holiday_data.list_supported_countries() if len(code) == 2)
