"""The weeks when two zones' clocks disagree (lint rule embargo-clock-change), over
every year 2026-2030 for London against New York, with the windows worked out from
the two countries' rules rather than from the time-zone database."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from pressgen.clock_changes import clock_changes, clock_mismatches

LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
MINUTE = timedelta(minutes=1)


def _sunday(year: int, month: int, nth: int) -> date:
    """The nth Sunday of the month (nth = -1: the last)."""
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def _utc(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def windows(year: int) -> list[tuple[datetime, datetime]]:
    """EU: last Sunday of March and of October at 01:00 UTC. US: second Sunday of March at
    02:00 EST (07:00 UTC), first Sunday of November at 02:00 EDT (06:00 UTC)."""
    us_spring, us_autumn = _utc(_sunday(year, 3, 2), 7), _utc(_sunday(year, 11, 1), 6)
    eu_spring, eu_autumn = _utc(_sunday(year, 3, -1), 1), _utc(_sunday(year, 10, -1), 1)
    return [(us_spring, eu_spring), (eu_autumn, us_autumn)]


@pytest.mark.parametrize("year", range(2026, 2031))
def test_london_against_new_york(year):
    for start, end in windows(year):
        for inside in (start, start + (end - start) / 2, end - MINUTE):
            found = list(clock_mismatches(inside, LONDON, [NEW_YORK]))
            assert len(found) == 1, inside
            gap = found[0]
            assert (gap.first, gap.then) == (start, end)
            assert gap.during == timedelta(hours=-4) and gap.before == gap.after == timedelta(hours=-5)
        for outside in (start - MINUTE, end, start - timedelta(days=3), end + timedelta(days=3)):
            assert list(clock_mismatches(outside, LONDON, [NEW_YORK])) == [], outside
    for quiet in (datetime(year, 1, 15, 12, tzinfo=LONDON), datetime(year, 7, 1, 0, 1, tzinfo=LONDON)):
        assert list(clock_mismatches(quiet, LONDON, [NEW_YORK])) == []


def test_the_first_year_by_name():
    """2026, as a press officer would check it: 8 March to 29 March, 25 October to 1 November."""
    (spring, spring_end), (autumn, autumn_end) = windows(2026)
    assert (spring.date(), spring_end.date(), autumn.date(), autumn_end.date()) == (
        date(2026, 3, 8), date(2026, 3, 29), date(2026, 10, 25), date(2026, 11, 1))


def test_either_zone_may_be_the_house():
    lift = datetime(2026, 3, 20, 12, 1, tzinfo=LONDON)
    (gap,) = clock_mismatches(lift, NEW_YORK, [LONDON])
    assert gap.house_change.date() == date(2026, 3, 8) and gap.zone_change.date() == date(2026, 3, 29)


@pytest.mark.parametrize("other", ["Europe/Paris", "Asia/Singapore", "Europe/London"])
def test_zones_that_change_together_or_never_are_quiet(other):
    for day in (date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 20)):
        for hour in (0, 1, 2, 12):
            lift = datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)
            assert list(clock_mismatches(lift, LONDON, [ZoneInfo(other)])) == [], (other, lift)


def test_southern_hemisphere_changes_the_other_way():
    """Sydney goes back on the first Sunday of April, a week after London goes forward:
    between the two they are 10 hours apart, 11 before and 9 after."""
    lift = datetime(2026, 4, 1, 9, tzinfo=LONDON)
    (gap,) = clock_mismatches(lift, LONDON, [ZoneInfo("Australia/Sydney")])
    assert (gap.before, gap.during, gap.after) == (timedelta(hours=11), timedelta(hours=10),
                                                   timedelta(hours=9))


def test_clock_changes_are_found_to_the_second():
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert clock_changes(LONDON, start, start + timedelta(days=365)) == [
        datetime(2026, 3, 29, 1, tzinfo=timezone.utc), datetime(2026, 10, 25, 1, tzinfo=timezone.utc)]


def test_changes_on_the_same_local_day_are_quiet():
    """New York and Chicago both change at 02:00 local on one Sunday, an hour apart in
    UTC: in that hour their difference is off, but nobody schedules across it."""
    chicago = ZoneInfo("America/Chicago")
    for lift in (datetime(2026, 3, 8, 7, 30, tzinfo=timezone.utc),
                 datetime(2026, 11, 1, 6, 30, tzinfo=timezone.utc)):
        assert list(clock_mismatches(lift, NEW_YORK, [chicago])) == [], lift
