"""Words and date forms as data (spec §8.2): every shipped language, and a house's overrides."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pressgen.dates import date_text, moment_text, weekday_date_text, zone_text
from pressgen.errors import ReleaseError
from pressgen.words import language_for

LONDON = ZoneInfo("Europe/London")
WINTER = datetime(2026, 1, 29, 0, 1, tzinfo=LONDON)
SUMMER = datetime(2026, 6, 18, 14, 0, tzinfo=LONDON)


@pytest.mark.parametrize("tag", ["en-GB", "en-AU", "en-IE"])
def test_english_variants_write_the_moment_as_section_4_does(tag):
    forms = language_for(tag, None).dates
    assert moment_text(WINTER, forms) == "00:01 GMT, Thursday 29 January 2026"
    assert moment_text(SUMMER, forms) == "14:00 BST, Thursday 18 June 2026"
    assert date_text(WINTER.date(), forms) == "29 January 2026"


@pytest.mark.parametrize("tag", ["en-GB", "en-US", "en-AU", "en-IE"])
def test_every_english_variant_keeps_the_words_of_sections_4_and_6(tag):
    words = language_for(tag, None).words
    assert (words.embargoed_until, words.immediate, words.end_mark, words.notes_heading,
            words.contacts_heading) == ("EMBARGOED UNTIL", "FOR IMMEDIATE RELEASE", "ENDS",
                                        "Notes to editors", "Media enquiries")


def test_en_us_is_ap_style():
    forms = language_for("en-US", None).dates
    assert date_text(WINTER.date(), forms) == "Jan. 29, 2026"
    assert weekday_date_text(WINTER.date(), forms) == "Thursday, Jan. 29, 2026"
    assert moment_text(WINTER, forms) == "12:01 a.m. GMT, Thursday, Jan. 29, 2026"
    assert moment_text(SUMMER, forms) == "2:00 p.m. BST, Thursday, June 18, 2026"
    months = [date_text(datetime(2026, m, 1).date(), forms).split(" 1,")[0] for m in range(1, 13)]
    assert months == ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.",
                      "Sept.", "Oct.", "Nov.", "Dec."]


def test_welsh_dates_come_from_cldr_in_its_own_case():
    forms = language_for("cy", None).dates
    assert weekday_date_text(WINTER.date(), forms) == "Dydd Iau 29 Ionawr 2026"
    assert moment_text(WINTER, forms) == "00:01 GMT, Dydd Iau 29 Ionawr 2026"
    assert language_for("cy-GB", None).words.notes_heading == "Nodiadau i olygyddion"


def test_a_numeric_zone_abbreviation_is_written_as_an_offset_from_utc():
    assert zone_text(datetime(2026, 1, 29, tzinfo=ZoneInfo("Asia/Kathmandu"))) == "UTC+05:45"
    assert zone_text(datetime(2026, 1, 29, tzinfo=ZoneInfo("America/Sao_Paulo"))) == "UTC-03:00"
    assert zone_text(datetime(2026, 1, 29, tzinfo=ZoneInfo("America/New_York"))) == "EST"


def test_a_house_overrides_a_word_key_by_key(tmp_path):
    (tmp_path / "words").mkdir()
    (tmp_path / "words" / "en-GB.yaml").write_text("words:\n  contacts_heading: Press office\n")
    words = language_for("en-GB", tmp_path).words
    assert words.contacts_heading == "Press office"
    assert words.notes_heading == "Notes to editors"


def test_a_house_adds_a_language_only_with_every_key(tmp_path):
    (tmp_path / "words").mkdir()
    (tmp_path / "words" / "fr.yaml").write_text("locale: fr\nwords:\n  draft: BROUILLON\n")
    with pytest.raises(ReleaseError, match="lack"):
        language_for("fr", tmp_path)


def test_a_language_with_no_words_names_the_file_to_add(tmp_path):
    with pytest.raises(LookupError, match=r"words/fr\.yaml"):
        language_for("fr", tmp_path)


def test_a_pattern_field_pressgen_does_not_fill_is_an_error_not_python(tmp_path):
    (tmp_path / "words").mkdir()
    (tmp_path / "words" / "en-GB.yaml").write_text(
        'dates:\n  date: "{day.__class__} {month} {year}"\n')
    with pytest.raises(ReleaseError, match="does not fill"):
        language_for("en-GB", tmp_path)
