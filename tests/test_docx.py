"""The DOCX writer, read back with python-docx (and as XML where it has no API)."""

from __future__ import annotations

import io
import re
import shutil
import warnings
import zipfile
from dataclasses import replace
from datetime import datetime, timezone

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from factory import EMBARGO_LINE, LONDON, long_release, para, sample_release

from pressgen.model import Phone
from pressgen.model import (
    BulletList, Contact, Heading, Link, ListItem, Note, NumberedList, Paragraph, Quote, Text,
    plain_text,
)
from pressgen.resources import Resources
from pressgen.templates import BUILTIN, Templates
from pressgen.writers.docx import render

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HOUSE = Templates()


def build(release=None, templates=HOUSE) -> bytes:
    return render(release or sample_release(), Resources(templates))


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


@pytest.fixture(scope="module")
def sample() -> bytes:
    return build()


@pytest.fixture(scope="module")
def doc(sample):
    return read(sample)


def styled(doc, name):
    return [p for p in doc.paragraphs if p.style.name == name]


def all_text(doc) -> str:
    section = doc.sections[0]
    parts = [p.text for p in doc.paragraphs]
    parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


# ------------------------------------------------------------------ order and styles


def test_first_body_paragraph_is_the_release_line(doc):
    assert doc.paragraphs[0].text == EMBARGO_LINE
    assert doc.paragraphs[0].style.name == "Release Line"


def test_first_body_paragraph_says_immediate_release_when_not_embargoed():
    release = sample_release(embargoed=False, release_line="FOR IMMEDIATE RELEASE")
    assert read(build(release)).paragraphs[0].text == "FOR IMMEDIATE RELEASE"


def test_draft_mark_follows_the_release_line_only_for_a_draft(doc):
    draft = read(build(sample_release(draft=True)))
    assert [p.text for p in draft.paragraphs[:2]] == [EMBARGO_LINE, "DRAFT"]
    assert draft.paragraphs[1].style.name == "Draft Mark"
    assert "DRAFT" not in all_text(doc)


def test_parts_come_in_the_order_of_the_spec(doc):
    names = [p.style.name for p in doc.paragraphs]
    assert names[:5] == ["Release Line", "Organisation", "Title", "Subtitle", "Release Date"]
    assert [p.text for p in doc.paragraphs[1:5]] == [
        "HM Inspectorate of Probation", "Chief Inspector flags concerns in first inspection",
        "A short standfirst under the headline.", "29 January 2026"]
    ends = names.index("Ends")
    assert doc.paragraphs[ends].text == "ENDS"
    assert names[ends + 1:] == ["Notes Heading", "Note", "Note", "Contacts Heading",
                                "Contact", "Contact"]
    assert doc.paragraphs[ends + 1].text == "Notes to editors"
    assert doc.paragraphs[ends + 4].text == "Media enquiries"


def test_no_summary_means_no_subtitle():
    doc = read(build(sample_release(summary=None)))
    assert styled(doc, "Subtitle") == []


def test_body_blocks_use_their_word_styles(doc):
    assert [p.text for p in styled(doc, "Heading 2")] == ["Context"]
    assert [p.text for p in styled(doc, "Heading 3")] == ["Steps"]
    assert [p.text for p in styled(doc, "List Bullet")] == ["First point.",
                                                             "Second point with nesting."]
    assert [p.text for p in styled(doc, "Quote")] == ["A quoted line.\nA second line."]
    quote = styled(doc, "Quote")[0]._p
    assert quote.find(f"{W}r/{W}br") is not None


DATELINE = "London, 29 January 2026 \u2013"


def test_location_is_a_dateline_opening_the_first_paragraph(doc):
    first = doc.paragraphs[5]
    assert first.text.startswith(f"{DATELINE} HM Inspectorate of Probation has")
    assert first.runs[0].style.name == "Dateline"


def test_dateline_opens_the_first_paragraph_after_a_heading():
    release = sample_release(body=(Heading(2, (Text("Intro"),)), para("Text."), para("More.")))
    doc = read(build(release))
    assert [p.text for p in doc.paragraphs[5:8]] == ["Intro", f"{DATELINE} Text.", "More."]


def test_dateline_stands_alone_when_the_body_has_no_paragraph():
    release = sample_release(body=(BulletList((ListItem((para("Only a list."),)),)),))
    doc = read(build(release))
    assert [p.text for p in doc.paragraphs[5:7]] == [DATELINE, "Only a list."]
    assert doc.paragraphs[5].runs[0].style.name == "Dateline"


def test_no_location_no_dateline():
    doc = read(build(sample_release(location=None)))
    assert doc.paragraphs[5].text.startswith("HM Inspectorate of Probation has")
    assert "Dateline" not in {run.style.name for p in doc.paragraphs for run in p.runs}


def test_strong_and_emphasis_are_character_styles(doc):
    runs = {run.text: run for run in doc.paragraphs[5].runs}
    assert runs["public protection"].style.name == "Strong"
    assert runs["Kent, Surrey, and Sussex"].style.name == "Emphasis"


def test_no_direct_formatting_beyond_styles(sample):
    # fonts, sizes, colours and spacing come from styles; runs name a style at most
    for name in ("word/document.xml", "word/header1.xml", "word/footer1.xml"):
        xml = part(sample, name)
        assert not re.search(r"<w:(rFonts|sz|color|spacing|ind|jc|b|i)\b", xml), name


# ------------------------------------------------------------------ header and footer


def header_texts(doc):
    return [[p.text for p in s.header.paragraphs] for s in doc.sections]


def test_header_holds_the_release_line_on_every_page(doc):
    assert header_texts(doc) == [[EMBARGO_LINE]]
    section = doc.sections[0]
    assert not section.different_first_page_header_footer
    assert not doc.settings.odd_and_even_pages_header_footer


def test_header_of_a_draft_says_draft():
    doc = read(build(sample_release(draft=True)))
    [[line, draft]] = header_texts(doc)
    assert line == EMBARGO_LINE and draft.startswith("DRAFT")


def test_footer_has_page_and_numpages_fields_and_the_organisation(sample, doc):
    xml = part(sample, "word/footer1.xml")
    instructions = [s.strip() for s in re.findall(r"<w:instrText[^>]*>([^<]*)<", xml)]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert xml.count('w:fldCharType="begin"') == xml.count('w:fldCharType="end"') == 2
    footer = doc.sections[0].footer.paragraphs[0].text
    assert footer == "HM Inspectorate of Probation\tPage 1 of 1"


# ------------------------------------------------------------------ links


def hyperlinks(doc):
    return [(h.text, h.address) for p in doc.paragraphs for h in p.hyperlinks]


def external_targets(data: bytes) -> dict[str, str]:
    rels = part(data, "word/_rels/document.xml.rels")
    return {m[0]: m[1] for m in re.findall(
        r'Id="(rId\d+)" Type="[^"]+/hyperlink" Target="([^"]+)" TargetMode="External"', rels)}


def test_body_and_note_links_are_external_hyperlinks(sample, doc):
    links = hyperlinks(doc)
    assert ("the report", "https://example.org/report") in links
    assert ("our site", "https://example.org") in links
    targets = set(external_targets(sample).values())
    assert {"https://example.org/report", "https://example.org"} <= targets


def test_hyperlink_runs_carry_the_hyperlink_style(doc):
    for p in doc.paragraphs:
        for link in p.hyperlinks:
            assert {run.style.name for run in link.runs} == {"Hyperlink"}


def test_each_contact_email_is_a_mailto_link(sample, doc):
    links = hyperlinks(doc)
    for email in ("media@hmiprobation.gov.uk", "ceri.morgan@example.org"):
        assert (email, f"mailto:{email}") in links
        assert f"mailto:{email}" in external_targets(sample).values()


def test_href_is_kept_exactly():
    href = "https://example.org/a?b=1&c=%20x#frag"
    release = sample_release(body=(Paragraph((Link(href, (Text("odd"),)),)),))
    assert ("odd", href) in hyperlinks(read(build(release)))


# ------------------------------------------------------------------ numbering


def numbering(data: bytes):
    return read(data).part.numbering_part.element


def num_of(paragraph) -> int:
    return paragraph._p.pPr.numPr.numId.val


def start_of(numbering_element, num_id) -> str:
    num = numbering_element.num_having_numId(num_id)
    return num.find(f"{W}lvlOverride/{W}startOverride").get(qn("w:val"))


def test_two_numbered_lists_each_restart_at_one(sample, doc):
    items = styled(doc, "List Number")
    assert [p.text for p in items] == ["Step one.", "Step two.", "Again one.", "Again two."]
    ids = [num_of(p) for p in items]
    assert ids[0] == ids[1] != ids[2] == ids[3]
    nums = numbering(sample)
    assert start_of(nums, ids[0]) == start_of(nums, ids[2]) == "1"
    abstract = {nums.num_having_numId(i).abstractNumId.val for i in ids}
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    assert abstract == {nums.num_having_numId(style_num).abstractNumId.val}


def test_numbered_list_starts_at_its_start():
    release = sample_release(body=(NumberedList(7, (ListItem((para("Seven."),)),)),))
    data = build(release)
    [item] = styled(read(data), "List Number")
    assert start_of(numbering(data), num_of(item)) == "7"


def test_nested_items_use_level_two_styles():
    nested = NumberedList(1, (ListItem((para("Inner a."),)), ListItem((para("Inner b."),))))
    release = sample_release(body=(
        NumberedList(1, (ListItem((para("Outer."), nested)),)),
        BulletList((ListItem((para("Bullet."), BulletList((ListItem((para("Sub."),)),)))),)),
    ))
    data = build(release)
    doc = read(data)
    assert [p.text for p in styled(doc, "List Number 2")] == ["Inner a.", "Inner b."]
    assert [p.text for p in styled(doc, "List Bullet 2")] == ["Sub."]
    inner = styled(doc, "List Number 2")
    assert num_of(inner[0]) == num_of(inner[1]) != num_of(styled(doc, "List Number")[0])
    assert start_of(numbering(data), num_of(inner[0])) == "1"


def test_second_paragraph_of_an_item_continues_it():
    release = sample_release(body=(BulletList((ListItem((para("One."), para("More."))),)),))
    doc = read(build(release))
    assert [p.text for p in styled(doc, "List Continue")] == ["More."]


def test_notes_are_numbered_one_two_three_in_order(sample, doc):
    notes = styled(doc, "Note")
    assert [p.text for p in notes] == ["The first note.", "See our site."]
    ids = {num_of(p) for p in notes}
    assert len(ids) == 1  # one list, so Word numbers them 1, 2, ... in document order
    nums = numbering(sample)
    [num_id] = ids
    assert start_of(nums, num_id) == "1"
    abstract_id = nums.num_having_numId(num_id).abstractNumId.val
    abstract = nums.find(f"{W}abstractNum[@{W}abstractNumId='{abstract_id}']")
    lvl = abstract.find(f"{W}lvl[@{W}ilvl='0']")
    assert lvl.find(f"{W}numFmt").get(qn("w:val")) == "decimal"
    assert lvl.find(f"{W}lvlText").get(qn("w:val")) == "%1."


def test_no_notes_means_no_notes_heading():
    doc = read(build(sample_release(notes=())))
    assert styled(doc, "Notes Heading") == [] and styled(doc, "Note") == []


# ------------------------------------------------------------------ page and properties


def test_a4_by_default_and_letter_on_request(doc):
    a4 = doc.sections[0]
    assert (a4.page_width, a4.page_height) == (Twips(11906), Twips(16838))
    letter = read(build(sample_release(paper="letter"))).sections[0]
    assert (letter.page_width, letter.page_height) == (Twips(12240), Twips(15840))
    # the text keeps its width, so the footer's right tab stop still lands
    width = lambda s: s.page_width - s.left_margin - s.right_margin  # noqa: E731
    assert width(letter) == width(a4)


def test_core_properties(sample, doc):
    core = doc.core_properties
    assert core.title == "Chief Inspector flags concerns in first inspection"
    assert core.author == core.last_modified_by == "HM Inspectorate of Probation"
    assert core.subject == "A short standfirst under the headline."
    assert core.language == "en-GB"
    assert core.created == core.modified == datetime(2026, 1, 29, tzinfo=timezone.utc)
    assert core.revision == 1
    assert (core.keywords, core.comments, core.category) == ("", "", "")
    for name in ("docProps/core.xml", "docProps/app.xml"):
        xml = part(sample, name)
        assert "python-docx" not in xml and "2013" not in xml, name
        assert "reference" not in xml.lower(), name
    assert "<Application>pressgen</Application>" in part(sample, "docProps/app.xml")


def test_created_is_the_timestamp_in_utc():
    summer = datetime(2026, 7, 1, 9, 30, tzinfo=LONDON)
    core = read(build(sample_release(timestamp=summer, summary=None))).core_properties
    assert core.created == datetime(2026, 7, 1, 8, 30, tzinfo=timezone.utc)
    assert core.subject == ""


def test_language_is_in_properties_and_styles():
    data = build(sample_release(language="cy-GB"))
    assert read(data).core_properties.language == "cy-GB"
    styles = part(data, "word/styles.xml")
    assert re.search(r'<w:docDefaults>.*<w:lang w:val="cy-GB"', styles)


# ------------------------------------------------------------------ determinism


def test_two_renders_are_byte_identical(sample):
    assert build() == sample


def test_zip_entries_carry_the_release_timestamp(sample):
    infos = zipfile.ZipFile(io.BytesIO(sample)).infolist()
    assert {i.date_time for i in infos} == {(2026, 1, 29, 0, 0, 0)}
    assert infos[0].filename == "[Content_Types].xml"
    names = [i.filename for i in infos[1:]]
    assert names == sorted(names)


def test_timestamp_before_1980_is_clamped():
    old = sample_release(timestamp=datetime(1970, 1, 1, tzinfo=timezone.utc))
    infos = zipfile.ZipFile(io.BytesIO(build(old))).infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_different_timestamps_differ_only_where_stored(sample):
    later = build(sample_release(timestamp=datetime(2026, 2, 1, tzinfo=timezone.utc)))
    assert later != sample
    assert part(later, "word/document.xml") == part(sample, "word/document.xml")


# ------------------------------------------------------------------ reference.docx


def test_restyled_reference_changes_the_output(tmp_path, doc):
    reference = docx.Document(str(BUILTIN / "reference.docx"))
    title = reference.styles["Title"]
    title.font.size = Pt(40)
    title.font.color.rgb = RGBColor(0x00, 0x80, 0x00)
    reference.save(str(tmp_path / "reference.docx"))
    restyled = read(build(templates=Templates(folder=tmp_path)))
    assert restyled.styles["Title"].font.size == Pt(40)
    assert restyled.styles["Title"].font.color.rgb == RGBColor(0x00, 0x80, 0x00)
    assert doc.styles["Title"].font.size != Pt(40)
    assert restyled.paragraphs[2].style.name == "Title"
    # the specimen text of the reference never leaks into a release
    assert "specimen" not in all_text(restyled).lower()
    assert "Title:" not in all_text(restyled)


def test_house_folder_without_reference_falls_back_to_builtin(tmp_path, sample):
    assert build(templates=Templates(folder=tmp_path)) == sample


def test_reference_missing_a_style_still_renders(tmp_path):
    shutil.copy(BUILTIN / "reference.docx", tmp_path / "reference.docx")
    reference = docx.Document(str(tmp_path / "reference.docx"))
    dateline = reference.styles["Dateline"].element
    dateline.getparent().remove(dateline)
    reference.save(str(tmp_path / "reference.docx"))
    doc = read(build(templates=Templates(folder=tmp_path)))
    assert doc.paragraphs[5].runs[0].style.name == "Dateline"


def test_reference_saved_by_libreoffice_keeps_its_styles(tmp_path, doc):
    # LibreOffice saves Word's built-ins as "Heading 2" and "Header", not
    # "heading 2" and "header"; they must still be found, not shadowed.
    with zipfile.ZipFile(BUILTIN / "reference.docx") as src, \
            zipfile.ZipFile(tmp_path / "reference.docx", "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/styles.xml":
                for old in (b"heading 2", b"heading 3", b"header", b"footer"):
                    data = data.replace(b'w:val="%s"' % old, b'w:val="%s"' % old.title())
                assert b'w:val="Heading 2"' in data
            dst.writestr(name, data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = build(templates=Templates(folder=tmp_path))
    styles = part(data, "word/styles.xml")
    assert styles.count('w:styleId="Heading2"') == 1
    assert styles.count('w:styleId="Header"') == 1
    got = read(data)
    [heading] = [s for s in got.styles if s.style_id == "Heading2"]
    assert heading.font.size == doc.styles["Heading 2"].font.size == Pt(15)
    assert [p.text for p in styled(got, "Heading 2")] == ["Context"]


# ------------------------------------------------------------------ text


def model_words(release) -> list[str]:
    found: list[str] = []

    def walk(blocks):
        for block in blocks:
            if isinstance(block, (Paragraph, Heading)):
                found.extend(words(plain_text(block.inlines)))
            elif isinstance(block, (BulletList, NumberedList)):
                for item in block.items:
                    walk(item.blocks)
            elif isinstance(block, Quote):
                walk(block.blocks)

    walk(release.body)
    for note in release.notes:
        found.extend(words(plain_text(note.inlines)))
    for contact in release.contacts:
        for value in (contact.name, contact.role, contact.phone, contact.email):
            found.extend(words(value or ""))
    return found


def test_every_word_of_body_notes_and_contacts_is_in_the_document(doc):
    text = words(all_text(doc))
    missing = [w for w in model_words(sample_release()) if w not in text]
    assert missing == []


def test_long_release_renders_every_paragraph():
    release = long_release(60)
    body = [p.text for p in styled(read(build(release)), "Normal")]
    assert len(body) == 60
    assert body[0].startswith(f"{DATELINE} Paragraph 1. ")
    assert [t.split(".")[0] for t in body[1:]] == [f"Paragraph {i}" for i in range(2, 61)]


HOSTILE = "<b>bold?</b> & &amp; {{ x }} {% if y %} ]]> \"quotes\" \\n"


def test_hostile_text_is_literal():
    release = sample_release(
        headline=HOSTILE, summary=HOSTILE, body=(para(HOSTILE),), notes=(Note((Text(HOSTILE),)),),
        contacts=(Contact(HOSTILE, HOSTILE, (Phone("<0>", "tel:0"),), "a&b@example.org"),),
        organisation=replace(sample_release().organisation, name=HOSTILE))
    data = build(release)
    doc = read(data)
    assert doc.paragraphs[2].text == HOSTILE
    assert doc.paragraphs[5].text == f"{DATELINE} {HOSTILE}"
    assert styled(doc, "Note")[0].text == HOSTILE
    assert doc.core_properties.title == doc.core_properties.author == HOSTILE
    assert ("a&b@example.org", "mailto:a&b@example.org") in hyperlinks(doc)
    assert HOSTILE in doc.sections[0].footer.paragraphs[0].text


UNICODE = ["Zoë", "Siân", "Łukasz", "Dvořák", "Nguyễn Văn An", "ŵ ŷ", "Øyvind Åsmund", "Şükrü"]


def test_unicode_names_round_trip():
    names = ", ".join(UNICODE)
    release = sample_release(
        headline=names, body=(para(names),),
        contacts=(Contact("Nguyễn Văn An", "Swyddog y wasg – ŵ ŷ", (), "an@example.org"),),
        location="Llanfairpwll")
    doc = read(build(release))
    text = all_text(doc)
    for name in UNICODE:
        assert name in text
    assert doc.core_properties.title == names
    assert "Swyddog y wasg – ŵ ŷ" in text


@pytest.mark.parametrize("language", ["en-GB", "cy-GB", "vi-VN"])
def test_renders_for_languages(language):
    assert read(build(sample_release(language=language))).core_properties.language == language


def test_combined_emphasis_adds_only_the_second_one_directly():
    from pressgen.model import Emphasis, Strong
    release = sample_release(body=(Paragraph((
        Strong((Emphasis((Text("both"),)),)),
        Text(" and "),
        Link("https://example.org/x", (Strong((Text("bold link"),)),)),
    )),))
    doc = read(build(release))
    runs = {run.text: run for run in doc.paragraphs[5].runs}
    assert runs["both"].style.name == "Strong" and runs["both"].italic is True
    [link] = doc.paragraphs[5].hyperlinks
    [run] = link.runs
    assert run.style.name == "Hyperlink" and run.bold is True
