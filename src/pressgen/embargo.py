"""Embargo times: parsing, gaps and folds, the embargo line, state at a moment.

Spec §4. Every word of the line is computed from the instant in the house zone
(HH:MM, the zone's abbreviation at that instant, weekday, date), never typed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pressgen.model import IMMEDIATE

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

_LOCAL = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})")
_EPOCH = re.compile(r"@(\d{1,12})")
_OFFSET = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})")


# 9999-12-30 00:00 UTC in seconds since 1970: the latest moment that every time
# zone can still write as a date (year 9999 is the last Python's dates hold)
LATEST_EPOCH = 253_402_128_000


class TimeError(ValueError):
    """A date-time that cannot be placed; the message says how to fix it."""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        raise TimeError(f"unknown time zone `{name}`; use an IANA name such as "
                        "Europe/London") from None


def parse_moment(text: str, tz: ZoneInfo, *, epoch: bool = False) -> datetime:
    """`YYYY-MM-DD HH:MM` in the house zone, or ISO 8601 with an offset, as an aware time;
    with `epoch` (for `--as-of`), also `@` and seconds since 1970, as make passes its clock.

    A local time in the spring-forward gap does not exist, and one in the
    autumn fall-back happens twice: both are refused rather than guessed.
    """
    text = text.strip()
    if epoch and (m := _EPOCH.fullmatch(text)):
        if int(m[1]) > LATEST_EPOCH:
            raise TimeError(f"`{text}` is out of the range of dates pressgen can place")
        return datetime.fromtimestamp(int(m[1]), timezone.utc).astimezone(tz)
    if m := _OFFSET.fullmatch(text):
        try:
            return datetime.fromisoformat(f"{m[1]}T{m[2]}{m[3]}").astimezone(tz)
        except ValueError:
            raise TimeError(f"`{text}` is not a real date and time") from None
        except OverflowError:  # year 1 or 9999 moved across midnight by the offset
            raise TimeError(f"`{text}` is out of the range of dates pressgen can place") from None
    m = _LOCAL.fullmatch(text)
    if not m:
        raise TimeError(f"`{text}` is not a date and time; write `YYYY-MM-DD HH:MM` in the "
                        "house time zone, or ISO 8601 with an offset such as "
                        "`2026-01-29T00:01+00:00`" + (", or `@` and seconds since 1970"
                                                      if epoch else ""))
    try:
        naive = datetime(*(int(g) for g in m.groups()))
    except ValueError:
        raise TimeError(f"`{text}` is not a real date and time") from None
    try:
        return _place(naive, tz, text)
    except OverflowError:
        raise TimeError(f"`{text}` is out of the range of dates pressgen can place") from None


def _place(naive: datetime, tz: ZoneInfo, text: str) -> datetime:
    early, late = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if early.utcoffset() == late.utcoffset():
        return early
    back = early.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None)
    if back != naive:
        raise TimeError(f"{text} does not exist in {tz.key}: the clocks go forward over it; "
                        "choose a time outside the gap")
    offsets = " or ".join(_offset(d) for d in (early, late))
    raise TimeError(f"{text} happens twice in {tz.key} as the clocks go back; add an explicit "
                    f"offset, e.g. `{naive:%Y-%m-%dT%H:%M}{_offset(early)}` ({offsets})")


def _offset(moment: datetime) -> str:
    total = int(moment.utcoffset().total_seconds()) // 60  # type: ignore[union-attr]
    sign = "+" if total >= 0 else "-"
    return f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def date_text(day: date) -> str:
    """`29 January 2026`: the day written out, with no leading zero."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def moment_text(moment: datetime) -> str:
    """`00:01 GMT, Thursday 29 January 2026`: the zone's abbreviation at that instant."""
    return (f"{moment:%H:%M} {moment.tzname()}, "
            f"{WEEKDAYS[moment.weekday()]} {date_text(moment.date())}")


def embargo_line(lifts_at: datetime) -> str:
    """`EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026`."""
    return f"EMBARGOED UNTIL {moment_text(lifts_at)}"


def release_line(lifts_at: datetime | None, now: datetime) -> str:
    """The embargo line while `now` is before the lift; FOR IMMEDIATE RELEASE after."""
    return embargo_line(lifts_at) if lifts_at is not None and now < lifts_at else IMMEDIATE


def time_left(delta: timedelta) -> str:
    """`2 d 3 h 5 min`: what `status` prints before a lift."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d"] if days else []
    if days or hours:
        parts.append(f"{hours} h")
    parts.append(f"{mins} min")
    return " ".join(parts)
