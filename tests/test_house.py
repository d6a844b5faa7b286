"""Every press office's house (spec §8): styles, languages, zones, phones, letterhead,
bilingual releases, each through the real loader and the real writers."""

from __future__ import annotations

import io
import shutil
import textwrap
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, problems_of
from pressgen import model as m
from pressgen.embargo import TimeError, parse_moment, zone
from pressgen.errors import ReleaseError
from pressgen.load import load_house, load_release
from pressgen.resources import Resources
from pressgen.writers import writer

EXAMPLES = ROOT / "examples"
HOUSE = """\
organisation:
  name: Example Office
timezone: {tz}
country: {country}
contacts:
  press:
    name: Swyddfa'r Wasg
    role: Press officer's desk
    phone: "{phone}"
    note: No texts, please.
{extra}"""
RELEASE = """\
headline: A headline
date: 2026-01-29
embargo: 2026-01-29 00:01
location: London
body: |
  The first paragraph.
contacts: [press]
{extra}"""


def project(tmp_path: Path, house_extra: str = "", release_extra: str = "", *,
            tz: str = "Europe/London", country: str = "GB", phone: str = "07523 805224",
            body: str | None = None):
    (tmp_path / "templates").mkdir(exist_ok=True)
    house_file = tmp_path / "templates" / "house.yaml"
    house_file.write_text(HOUSE.format(tz=tz, country=country, phone=phone,
                                       extra=textwrap.dedent(house_extra)), encoding="utf-8")
    text = RELEASE.format(extra=textwrap.dedent(release_extra))
    if body is not None:
        text = text.replace("  The first paragraph.\n", textwrap.indent(body, "  "))
    release_file = tmp_path / "release.yaml"
    release_file.write_text(text, encoding="utf-8")
    return house_file, release_file


def load(tmp_path, house_extra="", release_extra="", as_of="2026-01-28 12:00", **kw):
    house_file, release_file = project(tmp_path, house_extra, release_extra, **kw)
    house = load_house(house_file)
    return load_release(release_file, house, parse_moment(as_of, house.tz))


def problems(tmp_path, *args, **kw) -> list[str]:
    with pytest.raises(ReleaseError) as info:
        load(tmp_path, *args, **kw)
    return problems_of(info)


def text_of(release) -> str:
    return writer("txt")(release, Resources()).decode()


# ---------------------------------------------------------------- §8.3, every row


@pytest.mark.parametrize("style, end, label, dateline", [
    ("uk", "ENDS", None, "London, 29 January 2026 –"),
    ("us", "###", None, "LONDON, 29 January 2026 —"),
    ("au", "ENDS", "MEDIA RELEASE", "London, 29 January 2026 –"),
])
def test_each_style_gives_its_end_mark_label_and_dateline(tmp_path, style, end, label, dateline):
    release = load(tmp_path, f"style: {style}\n")
    assert (release.end_mark, release.label, release.dateline) == (end, label, dateline)
    lines = text_of(release).splitlines()
    assert end in lines and lines.index(end) > lines.index(f"{dateline} The first paragraph.")
    assert (label in lines) if label else "MEDIA RELEASE" not in lines


def test_us_style_and_ap_dateline_follow_from_en_us(tmp_path):
    release = load(tmp_path, "language: en-US\n", tz="America/New_York", country="US",
                   phone="(212) 555-0143")
    assert release.style == "us" and release.dateline == "LONDON, Jan. 29, 2026 —"
    assert release.end_mark == "###"


def test_about_is_a_note_in_uk_and_a_section_in_us(tmp_path):
    about = "organisation:\n  name: Example Office\n  about: We *inspect* things.\n"
    notes_extra = "notes:\n  always-one:\n    always: true\n    text: The always note.\n"
    for style in ("uk", "us", "au"):
        folder = tmp_path / style
        folder.mkdir()
        house_file, release_file = project(folder, f"style: {style}\n{notes_extra}",
                                           "notes: [Own note.]\n")
        house_file.write_text(house_file.read_text().replace(
            "organisation:\n  name: Example Office\n", about))
        release = load_release(release_file, load_house(house_file),
                               parse_moment("2026-01-28 12:00", zone("Europe/London")))
        notes = [m.plain_text(n.inlines) for n in release.notes]
        if style != "us":
            assert notes == ["Own note.", "We inspect things.", "The always note."]
        else:
            assert notes == ["Own note.", "The always note."]
            lines = text_of(release).splitlines()
            assert lines.index("About Example Office") < lines.index("We inspect things.") \
                < lines.index("###")


def test_end_mark_override_and_none(tmp_path):
    assert load(tmp_path, "end_mark: \"-30-\"\n").end_mark == "-30-"
    release = load(tmp_path, "end_mark: none\nlabel: NEWS\n")
    assert release.end_mark is None and release.label == "NEWS"
    assert "ENDS" not in text_of(release).splitlines()


@pytest.mark.parametrize("line", ["ENDS", "-ENDS-", "###", "# # #", "-30-", "DIWEDD"])
def test_a_body_line_that_is_only_an_end_mark_is_an_error_at_its_line(tmp_path, line):
    found = problems(tmp_path, body=f"The first paragraph.\n\n{line}\n")
    assert len(found) == 1 and ":8:3: error: `body`: the line" in found[0]
    assert "pressgen adds itself" in found[0]


def test_an_empty_heading_is_an_error_at_its_line(tmp_path):
    found = problems(tmp_path, body="The first paragraph.\n\n## \n\nMore.\n")
    assert len(found) == 1 and ":8:3: error:" in found[0] and "empty heading" in found[0]


# ---------------------------------------------------------------- §8.2 and §8.4


def test_a_release_language_overrides_the_house_and_an_unknown_one_names_its_file(tmp_path):
    release = load(tmp_path, release_extra="language: cy\n")
    assert release.release_line == "DAN EMBARGO TAN 00:01 GMT, Dydd Iau 29 Ionawr 2026"
    assert release.date_text == "29 Ionawr 2026" and release.end_mark == "DIWEDD"
    found = problems(tmp_path, release_extra="language: fr\n")
    assert "`language`: pressgen has no words for `fr`" in found[0] and "fr.yaml" in found[0]


def test_en_us_release_line_is_ap(tmp_path):
    release = load(tmp_path, "language: en-US\n", tz="America/New_York")
    assert release.release_line == "EMBARGOED UNTIL 12:01 a.m. EST, Thursday, Jan. 29, 2026"
    assert release.date_text == "Jan. 29, 2026"


def test_embargo_zones_each_with_its_weekday_and_date(tmp_path):
    release = load(tmp_path, "embargo_zones: [America/New_York, Asia/Kathmandu]\n")
    assert release.release_line == (
        "EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026 (19:01 EST, Wednesday "
        "28 January 2026; 05:46 UTC+05:45, Thursday 29 January 2026)")
    assert release.embargo.zones == ("America/New_York", "Asia/Kathmandu")
    assert load(tmp_path, "embargo_zones: [America/New_York]\n",
                "embargo_zones: []\n").release_line.endswith("January 2026")
    found = problems(tmp_path, "embargo_zones: [America/New_Yrok]\n")
    assert "did you mean `America/New_York`?" in found[0]


LONDON = zone("Europe/London")


@pytest.mark.parametrize("written, iso", [
    ("2026-01-29 00:01 GMT", "2026-01-29T00:01:00+00:00"),
    ("2026-10-25 01:30 BST", "2026-10-25T01:30:00+01:00"),
    ("2026-10-25 01:30 GMT", "2026-10-25T01:30:00+00:00"),
    ("2026-01-29 12:01 am", "2026-01-29T00:01:00+00:00"),
    ("2025-07-02 2:00 pm", "2025-07-02T14:00:00+01:00"),
    ("2025-07-02 2:00 P.M.", "2025-07-02T14:00:00+01:00"),
    ("2025-07-02 12:30 p.m. BST", "2025-07-02T12:30:00+01:00"),
])
def test_abbreviations_and_12_hour_times(written, iso):
    assert parse_moment(written, LONDON).isoformat() == iso


@pytest.mark.parametrize("written, words", [
    ("2026-01-29 00:01 BST", "`BST` is not Europe/London's abbreviation at that moment (GMT)"),
    ("2026-01-29 13:00 pm", "a 12-hour time has an hour from 1 to 12"),
    ("2026-01-29 0:01", "write the hour with two digits"),
])
def test_a_wrong_abbreviation_or_clock_is_an_error_with_the_fix(written, words):
    with pytest.raises(TimeError) as info:
        parse_moment(written, LONDON)
    assert words in str(info.value)


def test_as_of_takes_the_same_forms(tmp_path):
    from click.testing import CliRunner

    from pressgen.cli import main

    house_file, release_file = project(tmp_path)
    result = CliRunner().invoke(main, ["status", str(release_file), "--house", str(house_file),
                                       "--as-of", "2026-01-29 12:01 am GMT"])
    assert result.exit_code == 0 and "lifted" in result.stdout, result.output


# ---------------------------------------------------------------- §8.6 contacts


@pytest.mark.parametrize("phone, country, tel", [
    ("(212) 555-0143", "US", "tel:+12125550143"),
    ("+44 (0)7748 761 999", "GB", "tel:+447748761999"),
    ("(02) 6277 7111", "AU", "tel:+61262777111"),
    ("+1 212 555 0143 ext. 12", "GB", "tel:+12125550143;ext=12"),
])
def test_each_phone_form_is_printed_as_written_and_linked_as_e164(tmp_path, phone, country, tel):
    release = load(tmp_path, country=country, phone=phone)
    (read,) = release.contacts[0].phones
    assert (read.text, read.tel) == (phone, tel)
    assert f"Phone: {phone}\n" in text_of(release)


def test_a_phone_that_is_not_a_number_is_an_error_at_its_line(tmp_path):
    found = problems(tmp_path, phone="call the front desk")
    assert len(found) == 1 and "house.yaml:9:12: error: `contacts.press.phone`" in found[0]
    assert "is not a phone number" in found[0]


def test_phones_with_labels_a_note_and_typographic_names(tmp_path):
    house = "  other:\n    name: Rhian\n    phones:\n      - {number: \"029 2018 0412\", " \
            "label: office}\n      - {number: \"07700 900461\", label: out of hours}\n"
    house_file, release_file = project(tmp_path, release_extra="")
    text = house_file.read_text().replace("    note: No texts, please.\n",
                                          "    note: No texts, please.\n" + house)
    house_file.write_text(text)
    release_file.write_text(release_file.read_text().replace("[press]", "[press, other]"))
    release = load_release(release_file, load_house(house_file), parse_moment("2026-01-28 12:00",
                                                                              LONDON))
    press, other = release.contacts
    assert (press.name, press.role, press.note) == ("Swyddfa’r Wasg", "Press officer’s desk",
                                                   "No texts, please.")
    assert [(p.label, p.tel) for p in other.phones] == [("office", "tel:+442920180412"),
                                                         ("out of hours", "tel:+447700900461")]
    out = text_of(release)
    assert "Phone (out of hours): 07700 900461\n" in out and "No texts, please." in out
    docx = zipfile.ZipFile(io.BytesIO(writer("docx")(release, Resources()))).read(
        "word/_rels/document.xml.rels").decode()
    assert 'Target="tel:+447700900461"' in docx


# ---------------------------------------------------------------- letterhead (§8.1, §8.7)


def _logo(path: Path, kind: str = "PNG", colour=(11, 60, 93)) -> None:
    from PIL import Image

    Image.new("RGB", (120, 40), colour).save(path, kind)


def test_lines_partners_and_logos_open_every_output(tmp_path):
    house_extra = ("partners:\n  mmo:\n    name: Marine Office\n    logo: mmo.jpg\n"
                   "    logo_alt: MMO logo\n")
    house_file, release_file = project(tmp_path, house_extra, "partners: [mmo]\n")
    _logo(tmp_path / "templates" / "own.png")
    _logo(tmp_path / "templates" / "mmo.jpg", "JPEG", (120, 20, 60))
    house_file.write_text(house_file.read_text().replace(
        "  name: Example Office\n", "  name: Example Office\n  lines: [Second line]\n"
        "  logo: own.png\n  logo_alt: Example logo\n"))
    release = load_release(release_file, load_house(house_file),
                           parse_moment("2026-01-28 12:00", LONDON))
    text = text_of(release).splitlines()
    assert text.index("Example Office") < text.index("Second line") \
        < text.index("Marine Office") < text.index("A headline")
    resources = Resources()
    pdf = writer("pdf")(release, resources)
    assert {p.name for p in resources.noted} >= {"own.png", "mmo.jpg"}
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        images = [k for k, v in doc.pages[0].Resources.XObject.items()
                  if v.Subtype == pikepdf.Name.Image]
        assert len(images) == 2
        figures = [str(e.Alt) for e in _elements(doc.Root.StructTreeRoot) if e.S == "/Figure"]
        assert figures == ["Example logo", "MMO logo"]
    docx = zipfile.ZipFile(io.BytesIO(writer("docx")(release, Resources())))
    assert sum(n.startswith("word/media/") for n in docx.namelist()) == 2
    body = docx.read("word/document.xml").decode()
    assert 'descr="Example logo"' in body and 'descr="MMO logo"' in body
    assert body.index('descr="Example logo"') < body.index("Marine Office") < body.index(
        "A headline")


def _elements(node):
    import pikepdf

    kids = node.get("/K")
    items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for kid in items:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


@pytest.mark.parametrize("make, words", [
    (None, "cannot be read"),
    (lambda p: p.write_text("not an image"), "is not a PNG or JPEG"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "damaged PNG"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024 + 1)), "2 MB"),
])
def test_a_bad_logo_is_an_error_at_its_key(tmp_path, make, words):
    house_file, _ = project(tmp_path)
    if make:
        make(tmp_path / "templates" / "logo.png")
    house_file.write_text(house_file.read_text().replace(
        "  name: Example Office\n", "  name: Example Office\n  logo: logo.png\n"
        "  logo_alt: Example logo\n"))
    with pytest.raises(ReleaseError) as info:
        load_house(house_file)
    (found,) = problems_of(info)
    assert "house.yaml:3:9: error: `logo` `logo.png`" in found and words in found


def test_logo_alt_is_required_with_logo(tmp_path):
    house_file, _ = project(tmp_path)
    _logo(tmp_path / "templates" / "logo.png")
    house_file.write_text(house_file.read_text().replace(
        "  name: Example Office\n", "  name: Example Office\n  logo: logo.png\n"))
    with pytest.raises(ReleaseError) as info:
        load_house(house_file)
    assert "`organisation.logo` needs `logo_alt` beside it" in problems_of(info)[0]


# ---------------------------------------------------------------- §8.5 bilingual


def test_a_bilingual_release_carries_both_languages_in_every_output(tmp_path):
    shutil.copytree(EXAMPLES / "welsh-bilingual", tmp_path / "cy")
    house = load_house(tmp_path / "cy" / "templates" / "house.yaml")
    (source,) = (tmp_path / "cy" / "releases").glob("*.yaml")
    release = load_release(source, house, parse_moment("2026-05-01 12:00", house.tz))
    assert release.contacts_heading == "Ymholiadau’r cyfryngau / Media enquiries"
    order = ["DAN EMBARGO TAN 00:01 BST, Dydd Mawrth 12 Mai 2026",
             "EMBARGOED UNTIL 00:01 BST, Tuesday 12 May 2026",
             "£12 miliwn ar gyfer llwybrau diogel", "12 Mai 2026",
             "£12 million for safe routes", "12 May 2026", "DIWEDD", "Nodiadau i olygyddion",
             "Corff cyhoeddus yw Asiantaeth", "Notes to editors",
             "The Active Travel Agency for Wales is a public body",
             "Ymholiadau’r cyfryngau / Media enquiries", "Swyddfa’r Wasg"]
    from test_pdf_tags import open_pdf  # noqa: F401 - the PDF reader of the tag tests
    import pypdf
    from docx import Document

    texts = {
        "txt": text_of(release),
        "pdf": "\n".join(p.extract_text() for p in pypdf.PdfReader(
            io.BytesIO(writer("pdf")(release, Resources(house.templates)))).pages),
        "docx": "\n".join(p.text for p in Document(io.BytesIO(
            writer("docx")(release, Resources(house.templates)))).paragraphs),
    }
    for fmt, text in texts.items():
        flat = " ".join(text.split())
        at = 0
        for words in order:  # each after the one before
            found = flat.find(" ".join(words.split()), at)
            assert found >= 0, (fmt, words)
            at = found + 1
        assert flat.count("DIWEDD") == 1 and "ENDS" not in flat.split(), fmt
    docx = zipfile.ZipFile(io.BytesIO(writer("docx")(release, Resources(house.templates))))
    assert '<w:lang w:val="en-GB"/>' in docx.read("word/document.xml").decode()


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()))
def test_every_example_project_checks(example):
    from click.testing import CliRunner

    from pressgen.cli import main

    folder = EXAMPLES / example
    result = CliRunner().invoke(main, ["check", str(folder / "releases"), "--house",
                                       str(folder / "templates" / "house.yaml")])
    assert result.exit_code == 0, result.output


def test_an_unknown_partner_or_translation_language_is_an_error_at_its_key(tmp_path):
    found = problems(tmp_path, release_extra="partners: [nobody]\n")
    assert len(found) == 1 and "release.yaml:8:12: error: unknown partner `nobody`" in found[0]
    found = problems(tmp_path, release_extra="translation:\n  language: xx\n  headline: H\n"
                                             "  body: B.\n")
    assert len(found) == 1 and "`translation.language`: pressgen has no words for `xx`" \
        in found[0]


def test_the_pdf_marks_the_translation_as_a_part_in_its_language(tmp_path):
    import pikepdf

    release = load(tmp_path, release_extra="language: cy\ntranslation:\n  language: en-GB\n"
                                           "  headline: The English headline\n"
                                           "  body: The English body.\n")
    with pikepdf.open(io.BytesIO(writer("pdf")(release, Resources()))) as doc:
        langs = [str(e.Lang) for e in _elements(doc.Root.StructTreeRoot) if "/Lang" in e]
        parts = [str(e.Lang) for e in _elements(doc.Root.StructTreeRoot) if e.S == "/Part"]
    assert parts == ["en-GB"] and langs.count("en-GB") == 2  # the release line, the part
