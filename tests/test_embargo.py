"""Spec §4: the embargo line, zones, gaps and folds, and the build moment."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from pressgen.embargo import (
    TimeError, date_text, embargo_line, parse_moment, release_line, time_left,
)

LONDON = ZoneInfo("Europe/London")


def test_winter_line_is_gmt_with_computed_weekday():
    lifts = parse_moment("2026-01-29 00:01", LONDON)
    assert embargo_line(lifts) == "EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026"


def test_summer_line_is_bst():
    lifts = parse_moment("2026-06-18 09:30", LONDON)
    assert embargo_line(lifts) == "EMBARGOED UNTIL 09:30 BST, Thursday 18 June 2026"


def test_explicit_offset_is_shown_in_the_house_zone():
    lifts = parse_moment("2026-06-17T23:01+00:00", LONDON)
    assert embargo_line(lifts) == "EMBARGOED UNTIL 00:01 BST, Thursday 18 June 2026"
    assert parse_moment("2026-01-29T00:01Z", LONDON) == parse_moment("2026-01-29 00:01", LONDON)


def test_other_zone_abbreviation():
    lifts = parse_moment("2026-01-29 09:00", ZoneInfo("America/New_York"))
    assert embargo_line(lifts) == "EMBARGOED UNTIL 09:00 EST, Thursday 29 January 2026"


def test_spring_forward_gap_is_refused():
    with pytest.raises(TimeError, match="does not exist"):
        parse_moment("2026-03-29 01:30", LONDON)


def test_autumn_fold_is_refused_and_asks_for_an_offset():
    with pytest.raises(TimeError, match="offset") as info:
        parse_moment("2026-10-25 01:30", LONDON)
    assert "+01:00" in str(info.value) and "+00:00" in str(info.value)
    # with an offset, either instant is accepted
    assert embargo_line(parse_moment("2026-10-25T01:30+00:00", LONDON)).startswith(
        "EMBARGOED UNTIL 01:30 GMT, Sunday 25 October 2026")
    assert "01:30 BST" in embargo_line(parse_moment("2026-10-25T01:30+01:00", LONDON))


@pytest.mark.parametrize("text", ["2026-01-29", "29/01/2026 00:01", "2026-02-30 10:00",
                                  "2026-01-29 24:00", "tomorrow", "2026-01-29 0:01"])
def test_unreadable_times_are_refused(text):
    with pytest.raises(TimeError):
        parse_moment(text, LONDON)


def test_lift_is_at_the_instant():
    lifts = parse_moment("2026-01-29 00:01", LONDON)
    before = parse_moment("2026-01-29 00:00", LONDON)
    assert release_line(lifts, before).startswith("EMBARGOED UNTIL")
    assert release_line(lifts, lifts) == "FOR IMMEDIATE RELEASE"
    assert release_line(None, before) == "FOR IMMEDIATE RELEASE"
    # the same instant given in UTC compares equal
    assert release_line(lifts, datetime(2026, 1, 29, 0, 1, tzinfo=timezone.utc)) == \
        "FOR IMMEDIATE RELEASE"


def test_date_text_has_no_leading_zero():
    assert date_text(datetime(2026, 3, 5).date()) == "5 March 2026"


def test_time_left_reads_naturally():
    lifts = parse_moment("2026-01-29 00:01", LONDON)
    assert time_left(lifts - parse_moment("2026-01-28 12:00", LONDON)) == "12 h 1 min"
    assert time_left(lifts - parse_moment("2026-01-26 23:00", LONDON)) == "2 d 1 h 1 min"
