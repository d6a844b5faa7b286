"""Dates, times and moments written in a release's language (spec §4, §8.2, §8.4).

Weekday and month names come from CLDR through Babel, in CLDR's own case and in
the *format* context (`Dydd Iau 29 Ionawr 2026`); the order of the parts, the
clock (24-hour `00:01` or AP's `12:01 a.m.`) and any names of a house's own
(AP's `Jan.`, `Sept.`) come from the language's words file (`DateForms`). Only the
loader calls this: writers print the resolved text.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from pressgen.words import DateForms, fill


@cache
def _names(locale: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """CLDR's wide weekday names (Monday first) and month names (January first)."""
    from babel.dates import get_day_names, get_month_names

    days = get_day_names("wide", "format", locale)
    months = get_month_names("wide", "format", locale)
    return tuple(days[i] for i in range(7)), tuple(months[i] for i in range(1, 13))


def _fields(day: date, forms: DateForms) -> dict[str, str]:
    weekdays, months = _names(forms.locale)
    month = (forms.months or months)[day.month - 1]
    return {"day": str(day.day), "month": month, "year": str(day.year),
            "weekday": weekdays[day.weekday()]}


def date_text(day: date, forms: DateForms) -> str:
    """`29 January 2026`, `Jan. 29, 2026`, `29 Ionawr 2026`."""
    return fill(forms.date, **_fields(day, forms))


def weekday_date_text(day: date, forms: DateForms) -> str:
    """`Thursday 29 January 2026`, `Thursday, Jan. 29, 2026`, `Dydd Iau 29 Ionawr 2026`."""
    return fill(forms.weekday_date, **_fields(day, forms))


def time_text(moment: datetime, forms: DateForms) -> str:
    """`00:01`, or `12:01 a.m.` where the language writes a 12-hour clock."""
    if moment.hour == 12 and moment.minute == 0 and forms.noon:
        return forms.noon
    if moment.hour == 0 and moment.minute == 0 and forms.midnight:
        return forms.midnight
    hour12 = moment.hour % 12 or 12
    ampm = (forms.am if moment.hour < 12 else forms.pm) or _day_period(moment, forms)
    return fill(forms.time, hh=f"{moment.hour:02d}", h=str(hour12), mm=f"{moment.minute:02d}",
                ampm=ampm)


def _day_period(moment: datetime, forms: DateForms) -> str:
    from babel.dates import get_period_names

    return get_period_names("abbreviated", "format", forms.locale)["am" if moment.hour < 12
                                                                    else "pm"]


def zone_text(moment: datetime) -> str:
    """The zone's abbreviation at that instant (`GMT`, `BST`, `EST`); a zone whose
    database abbreviation is only an offset (`+0545`, `+08`) is written `UTC+05:45`."""
    name = moment.tzname() or ""
    if name[:1] in "+-" and name[1:].isdigit():
        hours, minutes = name[1:3], name[3:5] or "00"
        return f"UTC{name[0]}{hours}:{minutes}"
    return name


def moment_text(moment: datetime, forms: DateForms) -> str:
    """`00:01 GMT, Thursday 29 January 2026`: the time, the zone's abbreviation at that
    instant, the weekday and the date, each computed from the instant."""
    return fill(forms.moment, time=time_text(moment, forms), zone=zone_text(moment),
                weekday_date=weekday_date_text(moment.date(), forms))
