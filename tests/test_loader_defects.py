"""Issue 9, item 6: the loader's smaller defects, each with a clear error or the right text.

Time zones only from the tzdata package (never the machine's `localtime`);
embargoes to the minute; no-break spaces kept; text composed (NFC) even when
written as YAML escapes, in every output; invisible characters refused in
addresses and ids; a body that prints nothing refused.
"""

from __future__ import annotations

import io
import sys
import unicodedata
import zipfile
import zoneinfo

import pypdf
import pytest

from conftest import HOUSE, MINIMAL, problems_of
from pressgen.resources import Resources
from pressgen.errors import ReleaseError
from pressgen.load import load_house
from pressgen.model import plain_text
from pressgen.text_checks import INVISIBLE
from pressgen.writers import writer


def house_with(tmp_path, old: str, new: str):
    text = HOUSE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "house.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


# ---------------------------------------------------------------- time zones

@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory", "/etc/localtime",
                                  "/usr/share/zoneinfo/Europe/London", "posix/Europe/London",
                                  "right/Europe/London", "../zoneinfo/UTC", "europe/london"])
def test_a_zone_that_is_not_an_iana_name_is_refused(tmp_path, name):
    path = house_with(tmp_path, "timezone: Europe/London", f"timezone: '{name}'")
    with pytest.raises(ReleaseError) as info:
        load_house(path)
    (line,) = problems_of(info)
    assert line.startswith(f"{path}:4:11: error: `timezone`: unknown time zone `{name}`; ")


def test_zone_hints_say_what_to_write(tmp_path):
    for name, hint in [("localtime", "a setting of the machine, not a zone"),
                       ("posix/Europe/London", "write `Europe/London`"),
                       ("europe/london", "did you mean `Europe/London`? (zone names are case")]:
        path = house_with(tmp_path, "timezone: Europe/London", f"timezone: {name}")
        with pytest.raises(ReleaseError, match=hint.replace("(", r"\(").replace("?", r"\?")):
            load_house(path)


@pytest.mark.parametrize("name", ["Europe/London", "America/Argentina/ComodRivadavia", "UTC",
                                  "Etc/GMT-14", "Asia/Kathmandu"])
def test_iana_names_from_tzdata_are_accepted(tmp_path, name):
    path = house_with(tmp_path, "timezone: Europe/London", f"timezone: {name}")
    assert load_house(path).tz.key == name


def test_zones_come_from_the_tzdata_package_not_the_machine():
    import pressgen.embargo  # noqa: F401  (sets the path on import)

    assert zoneinfo.TZPATH == ()
    assert zoneinfo.ZoneInfo("Europe/London").key == "Europe/London"  # from tzdata
    with pytest.raises(zoneinfo.ZoneInfoNotFoundError):
        zoneinfo.ZoneInfo("localtime")


# ---------------------------------------------------------------- embargo to the minute

@pytest.mark.parametrize("embargo, fix", [
    ("2026-01-29T00:00:30+00:00", "write `2026-01-29T00:01+00:00`"),
    ("2026-01-29 00:00:30", "write `2026-01-29 00:01`"),
    ("2026-01-28T23:59:59Z", "write `2026-01-29T00:00Z`"),
    ("2026-01-28T12:59:01+01:00", "write `2026-01-28T13:00+01:00`"),
])
def test_an_embargo_with_seconds_is_refused_with_the_minute_after(write, load, embargo, fix):
    path = write(MINIMAL + f"embargo: '{embargo}'\n")
    with pytest.raises(ReleaseError) as info:
        load(path)
    (line,) = problems_of(info)
    assert line.startswith(f"{path}:5:10: error: `embargo`: `{embargo}` gives seconds; "
                           "embargoes are to the minute")
    assert line.endswith(fix)


def test_an_embargo_with_zero_seconds_is_the_minute(write, load):
    release = load(write(MINIMAL + "embargo: '2026-01-29T00:01:00+00:00'\n"))
    assert release.release_line == "EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026"


# ---------------------------------------------------------------- spaces and composition

NBSP, NNBSP = "\u00a0", "\u202f"


def test_no_break_spaces_are_kept_only_ascii_space_collapses(write, load):
    source = (MINIMAL.replace("headline: A headline",
                              f'headline: "Mr{NBSP}Jones  \\t  at 10{NNBSP}km "')
              .replace("contacts: [press-office]\n", "")
              + f'summary: "£5{NBSP}million\\n  more"\n'
              + f'contacts:\n  - name: "Dr{NBSP}Siân  Owen"\n'
              + f'    role: "Head{NBSP}of{NNBSP}Press"\n    email: a@example.org\n')
    release = load(write(source))
    assert release.headline == f"Mr{NBSP}Jones at 10{NNBSP}km"
    assert release.summary == f"£5{NBSP}million more"
    assert release.contacts[0].name == f"Dr{NBSP}Siân Owen"
    assert release.contacts[0].role == f"Head{NBSP}of{NNBSP}Press"
    text = writer("txt")(release, Resources(load_house(HOUSE).templates)).decode("utf-8")
    assert f"Mr{NBSP}Jones" in text and f"Dr{NBSP}Siân Owen, Head{NBSP}of{NNBSP}Press" in text
    document = _docx_text(writer("docx")(release, Resources(load_house(HOUSE).templates)))
    assert f"Mr{NBSP}Jones" in document and f"Dr{NBSP}Siân Owen" in document


def test_the_house_keeps_no_break_spaces_too(tmp_path):
    path = house_with(tmp_path, "name: HM Inspectorate of Probation",
                      'name: "HM\u00a0Inspectorate  of Probation "')
    assert load_house(path).organisation.name == "HM\u00a0Inspectorate of Probation"


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_accents_written_as_escapes_are_composed_in_every_output(write, load, house):
    source = (MINIMAL.replace("headline: A headline", 'headline: "Zo\\u0065\\u0308 Nguy\\u0065\\u0302\\u0303n"')
              .replace("body: A paragraph.", 'body: "Sia\\u0302n said so."')
              + 'notes: ["Łuka\\u0073\\u030cz"]\n')
    release = load(write(source))
    assert release.headline == "Zoë Nguyễn"
    assert plain_text(release.body[0].inlines) == "Siân said so."
    assert plain_text(release.notes[0].inlines) == "Łukašz"
    outputs = {
        "txt": writer("txt")(release, Resources(house.templates)).decode("utf-8"),
        "docx": _docx_text(writer("docx")(release, Resources(house.templates))),
        "pdf": "\n".join(p.extract_text() for p in
                         pypdf.PdfReader(io.BytesIO(writer("pdf")(release, Resources(house.templates)))).pages),
    }
    for fmt, text in outputs.items():
        for word in ("Zoë", "Nguyễn", "Siân", "Łukašz"):
            assert unicodedata.normalize("NFC", word) in text, (fmt, word)
        assert "e\u0308" not in text and "e\u0302" not in text, fmt


def test_keys_written_as_escapes_are_composed_too(write, load):
    # `headline` spelt with an escape is still the key
    release = load(write(MINIMAL.replace("headline:", '"head\\u006cine":')))
    assert release.headline == "A headline"


# ---------------------------------------------------------------- invisible characters

def test_invisible_matches_every_format_character_python_knows():
    cf = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert all(INVISIBLE.fullmatch(c) for c in cf)
    assert not INVISIBLE.search("Zoë Siân Łukasz a@b.org +44 20 7946 0000 \u00a0 \u200d\u0301"
                                .replace("\u200d", ""))


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\u200f", "\ufeff", "\u2069"])
def test_an_invisible_character_in_a_release_email_is_refused(write, load, char):
    path = write(MINIMAL.replace("contacts: [press-office]",
                                 f"contacts:\n  - name: A\n    email: \"press{char}@example.org\"\n"))
    with pytest.raises(ReleaseError) as info:
        load(path)
    (line,) = problems_of(info)
    assert line.startswith(f"{path}:6:18: error: `contacts[1].email`: an invisible character "
                           f"(U+{ord(char):04X} ")
    assert "is in the address; delete it" in line


@pytest.mark.parametrize("old, new, words", [
    ("email: media@hmiprobation.gov.uk", 'email: "me\u202edia@hmiprobation.gov.uk"',
     "`contacts.press-office.email`: an invisible character (U+202E"),
    ("website: https://www.justiceinspectorates.gov.uk/hmiprobation/",
     'website: "https://ww\u200bw.justiceinspectorates.gov.uk/hmiprobation/"',
     "`organisation.website`: an invisible character (U+200B"),
    ('phone: "07523 805224"', 'phone: "07523\u202e805224"', "is not a phone number"),
    ("  press-office:", '  "press\u200b-office":', "that is not a plain word"),
    ("  ratings:", '  "rat\u2066ings":', "that is not a plain word"),
])
def test_invisible_characters_in_house_addresses_and_ids_are_refused(tmp_path, old, new, words):
    path = house_with(tmp_path, old, new)
    with pytest.raises(ReleaseError) as info:
        load_house(path)
    assert any(words in line for line in problems_of(info)), problems_of(info)


@pytest.mark.parametrize("item", ["standard_notes: [\"rat\u200bings\"]",
                                  "standard_notes: [\"ratings\u202e\"]"])
def test_an_invisible_character_in_an_id_is_one_error(write, load, item):
    path = write(MINIMAL + item + "\n")
    with pytest.raises(ReleaseError) as info:
        load(path)
    (line,) = problems_of(info)
    assert "`standard_notes[1]`: an invisible character" in line and "is in the id" in line


def test_an_invisible_character_in_a_contact_id_is_one_error(write, load):
    path = write(MINIMAL.replace("[press-office]", "[\"press-office\u2069\"]"))
    with pytest.raises(ReleaseError) as info:
        load(path)
    (line,) = problems_of(info)
    assert line.startswith(f"{path}:4:25: error: `contacts[1]`: an invisible character (U+2069")


def test_invisible_characters_stay_allowed_in_prose(write, load):
    # a soft hyphen, a zero-width joiner, a right-to-left mark: real text uses them
    release = load(write(MINIMAL.replace("A headline", "Inspec\u00adtion\u200d \u200fA\u200f")))
    assert "\u00ad" in release.headline


# ---------------------------------------------------------------- a body with nothing to print

@pytest.mark.parametrize("body", ['"[x]: https://example.org"', "|\n  [x]: https://example.org\n"
                                  "  [y]: https://example.org/y", '"-"', '"1."',
                                  "|\n  - \n  - ", '">"'])
def test_a_body_that_prints_nothing_is_refused(write, load, body):
    path = write(MINIMAL.replace("body: A paragraph.", f"body: {body}"))
    with pytest.raises(ReleaseError) as info:
        load(path)
    (line,) = problems_of(info)
    assert line.startswith(f"{path}:3:7: error: `body`: the body has no text")


def test_a_body_with_a_link_definition_and_text_is_fine(write, load):
    release = load(write(MINIMAL.replace(
        "body: A paragraph.", "body: |\n  See [the report][r].\n\n  [r]: https://example.org/r")))
    assert plain_text(release.body[0].inlines) == "See the report."
