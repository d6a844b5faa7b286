"""Embargo times: parsing, gaps and folds, the embargo line, state at a moment.

Spec §4. Every word of the line is computed from the instant in the house zone
(HH:MM, the zone's abbreviation at that instant, weekday, date), never typed.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from datetime import date, datetime, timedelta, timezone
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pressgen.errors import excerpt
from pressgen.model import IMMEDIATE

# Zones come from the `tzdata` package only, never from the machine's own files
# (/usr/share/zoneinfo, /etc/localtime): two machines then place every embargo
# alike, and `localtime` cannot make a release follow whichever machine builds it.
zoneinfo.reset_tzpath(to=())
ZoneInfo.clear_cache()

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


# in tzdata's list, but no place: `Factory` is a placeholder zone whose
# abbreviation reads "-00" ("local time zone must be set")
_NOT_PLACES = frozenset({"Factory"})


@cache
def zone_names() -> frozenset[str]:
    """Every IANA zone name the `tzdata` package holds (its `zones` list)."""
    listed = resources.files("tzdata").joinpath("zones").read_text(encoding="ascii")
    return frozenset(listed.split()) - _NOT_PLACES


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`, from tzdata's list; `localtime`, `posixrules`, paths,
    `posix/...` and `right/...` are machine files, not zones, and are refused."""
    if name not in zone_names():
        raise TimeError(f"unknown time zone `{excerpt(name)}`; {_zone_hint(name)}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # pragma: no cover - listed, so there
        raise TimeError(f"unknown time zone `{excerpt(name)}`; {_zone_hint(name)}") from None


def _zone_hint(name: str) -> str:
    if name.casefold() in _folded():
        return f"did you mean `{_folded()[name.casefold()]}`? (zone names are case-sensitive)"
    base = name.removeprefix("posix/").removeprefix("right/")
    if base != name and base in zone_names():
        return f"write `{base}`: the posix/ and right/ copies are not zone names"
    if name in ("localtime", "posixrules", "Factory") or name.startswith(("/", ".")):
        return ("that is a setting of the machine, not a zone: write the organisation's own "
                "zone, such as Europe/London, so that every machine places the embargo alike")
    guess = difflib.get_close_matches(name[:60], sorted(zone_names()), n=1, cutoff=0.8)
    if guess:
        return f"did you mean `{guess[0]}`?"
    return "use an IANA name such as Europe/London"


@cache
def _folded() -> dict[str, str]:
    return {n.casefold(): n for n in zone_names()}


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


_SECONDS = re.compile(r"(\d{4}-\d{2}-\d{2})([T ])(\d{2}):(\d{2}):(\d{2})")
_LONGEST_MOMENT = 40  # `2026-10-25 01:30 a.m. BST` and the ISO forms are far shorter


def form_fault(text: str) -> str | None:
    """What is wrong with how an embargo is written, before it is read as a time
    (parse_moment then reads it, and says what else may be wrong).

    Embargoes are to the minute: the line prints HH:MM, so a lift at 00:00:30
    would print a minute already past while the release is still embargoed. The
    fix given rounds up, so the release never lifts before the time it prints."""
    written = text.strip()
    if len(written) > _LONGEST_MOMENT:
        return (f"`{excerpt(written)}` is not a date and time; write `YYYY-MM-DD HH:MM` in "
                "the house time zone, or ISO 8601 with an offset such as "
                "`2026-01-29T00:01+00:00`")
    match = _SECONDS.search(written)
    if not match or match[5] == "00":
        return None
    try:
        later = datetime.fromisoformat(f"{match[1]}T{match[3]}:{match[4]}") + timedelta(minutes=1)
        fix = f"write `{written[:match.start()]}{later:%Y-%m-%d}{match[2]}{later:%H:%M}" \
              f"{written[match.end():]}`"
    except (ValueError, OverflowError):
        fix = "write the minute it lifts, as HH:MM"
    return (f"`{written}` gives seconds; embargoes are to the minute (the line prints only "
            f"HH:MM): {fix}")


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
