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
from typing import TYPE_CHECKING
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pressgen.errors import excerpt

if TYPE_CHECKING:
    from pressgen.words import Language

# Zones come from the `tzdata` package only, never from the machine's own files
# (/usr/share/zoneinfo, /etc/localtime): two machines then place every embargo
# alike, and `localtime` cannot make a release follow whichever machine builds it.
zoneinfo.reset_tzpath(to=())
ZoneInfo.clear_cache()

_LOCAL = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})"
                    r"(?:\s*([AaPp])\.?\s?[Mm]\.?)?(?:\s+([A-Za-z]{2,6}))?")
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
                        "house time zone (a 12-hour `2:00 pm` and the zone's abbreviation, "
                        "`00:01 GMT`, may follow the date), or ISO 8601 with an offset such "
                        "as `2026-01-29T00:01+00:00`" + (", or `@` and seconds since 1970"
                                                          if epoch else ""))
    year, month, day, hour, minute = (int(g) for g in m.groups()[:5])
    if m[6]:  # a 12-hour time: 12:01 am is 00:01, 12:30 pm is 12:30
        if not 1 <= hour <= 12:
            raise TimeError(f"`{text}`: a 12-hour time has an hour from 1 to 12; write "
                            f"`{hour}:{minute:02d}` without am/pm, or the hour from 1 to 12")
        hour = hour % 12 + (12 if m[6] in "Pp" else 0)
    elif len(m[4]) != 2:
        raise TimeError(f"`{text}` is not a date and time; write the hour with two digits "
                        f"(`0{m[4]}:{m[5]}`), or add am/pm for a 12-hour time")
    try:
        naive = datetime(year, month, day, hour, minute)
    except ValueError:
        raise TimeError(f"`{text}` is not a real date and time") from None
    try:
        return _place(naive, tz, text, m[7])
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


def _place(naive: datetime, tz: ZoneInfo, text: str, abbreviation: str | None = None) -> datetime:
    """The instant of `naive` in `tz`; `abbreviation` (`GMT`, `BST`), when written, must
    be the zone's at that moment, and picks which of two fall-back times is meant."""
    early, late = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    back = early.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None)
    if back != naive:
        raise TimeError(f"{text} does not exist in {tz.key}: the clocks go forward over it; "
                        "choose a time outside the gap")
    if abbreviation is not None:
        for candidate in (early, late):
            if (candidate.tzname() or "").upper() == abbreviation.upper():
                return candidate
        names = " or ".join(dict.fromkeys(c.tzname() or "" for c in (early, late)))
        raise TimeError(f"{text}: `{abbreviation}` is not {tz.key}'s abbreviation at that "
                        f"moment ({names}); write {names.split(' or ')[0]}, or leave it out")
    if early.utcoffset() == late.utcoffset():
        return early
    offsets = " or ".join(_offset(d) for d in (early, late))
    names = " or ".join(f"`{naive:%Y-%m-%d %H:%M} {d.tzname()}`" for d in (early, late))
    raise TimeError(f"{text} happens twice in {tz.key} as the clocks go back; add an explicit "
                    f"offset, e.g. `{naive:%Y-%m-%dT%H:%M}{_offset(early)}` ({offsets}), or "
                    f"the zone's abbreviation ({names})")


def _offset(moment: datetime) -> str:
    total = int(moment.utcoffset().total_seconds()) // 60  # type: ignore[union-attr]
    sign = "+" if total >= 0 else "-"
    return f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


@cache
def _english() -> Language:
    """pressgen's own en-GB words and date forms: what its messages (status, lint,
    errors) and a caller naming no language get, from the same data files as a
    release's outputs."""
    from pressgen.words import language_for

    return language_for("en-GB", None)


def date_text(day: date) -> str:
    """`29 January 2026`: the day written out, with no leading zero."""
    from pressgen import dates

    return dates.date_text(day, _english().dates)


def moment_text(moment: datetime) -> str:
    """`00:01 GMT, Thursday 29 January 2026`: the zone's abbreviation at that instant."""
    from pressgen import dates

    return dates.moment_text(moment, _english().dates)


def embargo_line(lifts_at: datetime, lang: Language | None = None,
                 zones: tuple[str, ...] = ()) -> str:
    """`EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026`, in `lang` (en-GB when
    None), with each of `zones` in brackets, `; ` between (spec §8.4):
    `… 2026 (19:01 EST, Wednesday 28 January 2026)`."""
    from pressgen import dates

    lang = lang or _english()

    line = f"{lang.words.embargoed_until} {dates.moment_text(lifts_at, lang.dates)}"
    if zones:
        line += " (" + "; ".join(dates.moment_text(lifts_at.astimezone(zone(z)), lang.dates)
                                 for z in zones) + ")"
    return line


def is_embargoed(lifts_at: datetime | None, now: datetime) -> bool:
    return lifts_at is not None and now < lifts_at


def release_line(lifts_at: datetime | None, now: datetime, lang: Language | None = None,
                 zones: tuple[str, ...] = ()) -> str:
    """The embargo line while `now` is before the lift; FOR IMMEDIATE RELEASE after."""
    if is_embargoed(lifts_at, now):
        return embargo_line(lifts_at, lang, zones)  # type: ignore[arg-type]
    return (lang or _english()).words.immediate


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
