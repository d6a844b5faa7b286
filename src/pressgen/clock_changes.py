"""When two time zones change their clocks on different days: the weeks of wrong sums.

A desk in New York that knows London is five hours ahead is wrong for three weeks
every March (the US moves its clocks on the second Sunday, the UK on the last)
and one week around the start of November. An embargo in those weeks is where
journalists miss or break it (Embargo Watch's record). This module is pure: an
instant and some zones in, the mismatches out; the clock is never read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterable, Iterator
from zoneinfo import ZoneInfo

# how far either side of the lift to look for clock changes; two zones' changes of
# one season are at most five weeks apart (Europe/London against Australia is one week,
# against America/New_York three), and changes of two seasons many months apart
REACH = timedelta(weeks=6)
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ClockMismatch:
    """The lift falls between `first` and `then`: one zone has changed its clocks, the
    other not yet, so the two are `during` apart instead of `before` (and `after`)."""

    zone: ZoneInfo  # the other zone
    first: datetime  # the earlier of the two changes, in UTC
    then: datetime  # the later one, in UTC
    house_change: datetime  # the house zone's change, in the house zone
    zone_change: datetime  # the other zone's change, in that zone
    before: timedelta  # the other zone's offset less the house's, before `first`
    during: timedelta
    after: timedelta


def clock_changes(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """Every instant in [start, end) (aware) at which `zone`'s UTC offset changes, in UTC."""
    found = []
    moment = start.astimezone(timezone.utc)
    end = end.astimezone(timezone.utc)
    while moment < end:
        step = min(moment + _DAY, end)
        if _offset(zone, moment) != _offset(zone, step):
            found.append(_first_with(zone, moment, step))
        moment = step
    return found


def clock_mismatches(lift: datetime, house: ZoneInfo,
                     others: Iterable[ZoneInfo]) -> Iterator[ClockMismatch]:
    """For each zone in `others`: a mismatch when the instant `lift` falls between a
    clock change of the house zone and one of that zone made on a different local day
    (on the same day, as Europe/London and Europe/Paris do, the sums never go wrong
    for more than hours)."""
    others = list(others)
    if not others:
        return
    window = (lift - REACH, lift + REACH)
    house_changes = clock_changes(house, *window)
    for other in others:
        for mine in house_changes:
            for theirs in clock_changes(other, *window):
                first, then = min(mine, theirs), max(mine, theirs)
                same_day = mine.astimezone(house).date() == theirs.astimezone(other).date()
                if then - first > REACH or same_day or not first <= lift < then:
                    continue
                yield ClockMismatch(
                    zone=other, first=first, then=then, house_change=mine.astimezone(house),
                    zone_change=theirs.astimezone(other),
                    before=_apart(house, other, first - timedelta(seconds=1)),
                    during=_apart(house, other, lift), after=_apart(house, other, then))


def _offset(zone: ZoneInfo, moment: datetime) -> timedelta:
    return moment.astimezone(zone).utcoffset() or timedelta(0)


def _apart(house: ZoneInfo, other: ZoneInfo, moment: datetime) -> timedelta:
    return _offset(other, moment) - _offset(house, moment)


def _first_with(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first second in (low, high] with `high`'s offset: the change itself."""
    wanted = _offset(zone, high)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            break
        if _offset(zone, middle) == wanted:
            high = middle
        else:
            low = middle
    return high
