"""The PDF writer against spec §4 and §6, read back with pypdf."""

from __future__ import annotations

import hashlib
import io
import os
import re
import string
import subprocess
import sys
import unicodedata
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pressgen
from pressgen.model import Phone
from pressgen.model import (
    IMMEDIATE, BulletList, Contact, Heading, Link, ListItem, Note, NumberedList,
    Organisation, Quote, Text, plain_text,
)
from pressgen.resources import Resources
from pressgen.writers import writer
from pressgen.writers.pdf import render
from pressgen.writers._pdf_styles import FRAME_BOTTOM
from factory import EMBARGO_LINE, LONDON, long_release, para, sample_release


def pdf(release) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(render(release, Resources())))


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def all_text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page_texts(reader))


def uris(reader: pypdf.PdfReader) -> list[str]:
    found = []
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            assert annot["/Subtype"] == "/Link"
            assert annot["/A"]["/S"] == "/URI"
            found.append(annot["/A"]["/URI"])
    return found


def outline(reader: pypdf.PdfReader) -> list[tuple[str, int, int]]:
    """(title, level, 0-based page) of every outline entry, in order."""
    entries: list[tuple[str, int, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                entries.append((item.title, level, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return entries


def immediate(release):
    return replace(release, embargo=None, embargoed=False, release_line=IMMEDIATE)


# ---------------------------------------------------------------- every page


def test_registry_finds_the_pdf_writer():
    assert writer("pdf") is render


def test_every_page_has_release_line_first_and_page_n_of_m():
    reader = pdf(long_release())
    texts = page_texts(reader)
    total = len(texts)
    assert total >= 3
    for number, text in enumerate(texts, start=1):
        assert text.splitlines()[0] == EMBARGO_LINE
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {number} of {total}"]
        assert "HM Inspectorate of Probation" in text.splitlines()[-2:][0]


def test_draft_marked_on_every_page_and_final_not():
    draft = page_texts(pdf(replace(long_release(), draft=True)))
    assert len(draft) >= 3
    for text in draft:
        assert text.splitlines()[0] == EMBARGO_LINE
        assert "DRAFT" in text
    assert all("DRAFT" not in text for text in page_texts(pdf(long_release())))


def test_first_line_of_page_one_is_the_release_line():
    first = page_texts(pdf(sample_release()))[0].splitlines()[0]
    assert first == EMBARGO_LINE
    draft = pdf(sample_release(draft=True)).pages[0]
    assert draft.extract_text().splitlines()[:2] == [EMBARGO_LINE, "DRAFT"]
    layout = draft.extract_text(extraction_mode="layout").splitlines()
    assert layout[0].strip() == EMBARGO_LINE  # DRAFT is not on the same line
    for release in (immediate(sample_release()), immediate(sample_release(draft=True))):
        texts = page_texts(pdf(release))
        assert texts[0].splitlines()[0] == IMMEDIATE
        assert "EMBARGOED" not in "".join(texts)


# ---------------------------------------------------------------- content


def test_content_in_spec_order():
    text = all_text(pdf(sample_release()))
    order = [EMBARGO_LINE, "HM Inspectorate of Probation", "Chief Inspector flags concerns",
             "A short standfirst", "29 January 2026", "London, 29 January 2026 – HM",
             "Context", "ENDS", "Notes to editors", "Media enquiries", "Louise Cordell",
             "Page 1 of 1"]
    at = 0
    for piece in order:
        at = text.index(piece, at) + len(piece)  # ValueError: missing or out of order


def test_every_word_of_body_notes_and_contacts_is_printed():
    release = sample_release()
    words = set(all_text(pdf(release)).split())
    expected: list[str] = []

    def blocks(items):
        for block in items:
            if hasattr(block, "inlines"):
                expected.extend(plain_text(block.inlines).split())
            for child in getattr(block, "blocks", ()):
                blocks([child])
            for item in getattr(block, "items", ()):
                blocks(item.blocks)

    blocks(release.body)
    for note in release.notes:
        expected.extend(plain_text(note.inlines).split())
    for contact in release.contacts:
        for field in (contact.name, contact.role, contact.phone, contact.email):
            expected.extend((field or "").split())
    assert sorted(set(expected) - words) == []


def test_ends_alone_and_notes_numbered():
    lines = [line.strip() for line in all_text(pdf(sample_release())).splitlines()]
    assert "ENDS" in lines
    notes = lines[lines.index("Notes to editors") + 1:]
    assert notes[0] == "1. The first note."
    assert notes[1] == "2. See our site."


def test_numbered_lists_restart_and_honour_start():
    body = (NumberedList(1, (ListItem((para("Alpha."),)), ListItem((para("Beta."),)))),
            NumberedList(7, (ListItem((para("Seventh."),)), ListItem((para("Eighth."),)))))
    lines = [line.strip() for line in all_text(pdf(sample_release(body=body))).splitlines()]
    for line in ("1. Alpha.", "2. Beta.", "7. Seventh.", "8. Eighth."):
        assert line in lines


def test_dateline_opens_the_first_paragraph():
    body = (Heading(2, (Text("Opening heading"),)), para("First words."), para("Second."))
    lines = [line.strip() for line in all_text(pdf(sample_release(body=body))).splitlines()]
    assert lines.index("Opening heading") + 1 == lines.index(
        "London, 29 January 2026 – First words.")
    only_list = (BulletList((ListItem((para("Only point."),)),)),)
    lines = all_text(pdf(sample_release(body=only_list))).splitlines()
    assert "London, 29 January 2026 –" in [line.strip() for line in lines]
    assert "London" not in all_text(pdf(sample_release(body=only_list, location=None)))


def test_odd_but_valid_shapes_render():
    """Items opening with a list, quotes in lists, two-digit numbers, a quote
    longer than a page, no summary, notes or location."""
    nested = BulletList((ListItem((para("Inner."),)),))
    long_quote = Quote(tuple(para(f"Quoted paragraph {i}. " + "Words go on. " * 40)
                             for i in range(12)))
    body = (Heading(3, (Text("Promoted"),)),
            BulletList((ListItem((nested, para("After."))),
                        ListItem((para("Has a quote."), Quote((para("In item."),)))))),
            NumberedList(9, tuple(ListItem((para(f"Item {i}."),)) for i in range(4))),
            long_quote)
    release = sample_release(body=body, summary=None, notes=(), location=None)
    text = all_text(pdf(release))
    for piece in ("Inner.", "After.", "In item.", "12. Item 3.", "Quoted paragraph 11."):
        assert piece in text
    assert "Notes to editors" not in text


def lowest_body_line(page) -> float:
    """The y (pt from the bottom) of the lowest text above the footer."""
    ys: list[float] = []

    def visit(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and y > FRAME_BOTTOM:
            ys.append(y)

    page.extract_text(visitor_text=visit)
    return min(ys)


def test_headings_never_end_a_page_nor_push_a_long_paragraph_away():
    """A heading keeps its next lines with it, but only those: a long paragraph
    after it may split, so no big gap is left at the foot of the page before."""
    sentence = "The inspectorate found that work to keep people safe had improved. "
    for sentences in range(20, 50, 2):
        body = (para(sentence * sentences), Heading(2, (Text("Stranded?"),)),
                para("Long " + sentence * 30))
        reader = pdf(sample_release(body=body))
        texts = page_texts(reader)
        for text in texts:
            content = text.splitlines()[:-2]  # the footer is two lines
            assert content[-1].strip() != "Stranded?", sentences
        at = next(n for n, t in enumerate(texts) if "Stranded?" in t)
        assert "Long The inspectorate" in texts[at].split("Stranded?")[1]
        if at > 0:
            gap = lowest_body_line(reader.pages[at - 1]) - FRAME_BOTTOM
            assert gap < 95, f"{gap:.0f} pt left blank before the heading ({sentences})"


def test_long_urls_and_words_wrap_without_loss():
    url = ("https://www.justiceinspectorates.gov.uk/hmiprobation/inspections/"
           "a-very-long-path-to-the-report-on-public-protection-2026.pdf")
    word = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung" * 2
    body = (para("See ", Link(url, (Text(url),)), " and ", word, "."),)
    reader = pdf(sample_release(body=body))
    flat = "".join(all_text(reader).split())
    assert url in flat and word in flat
    assert url in uris(reader)


def test_degenerate_shapes_do_not_crash():
    body = (BulletList(()), Quote(()), NumberedList(3, (ListItem(()),)), Heading(2, ()),
            para(), Quote((Quote((para("Deep."),)),)))
    assert "Deep." in all_text(pdf(sample_release(body=body, contacts=(), notes=())))


WORD = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation
               + "ąćęłńóśźżřůőűŵŷễởựĐđ“”‘’–—…", min_size=1, max_size=12)


@settings(max_examples=25, deadline=None)
@given(words=st.lists(WORD, min_size=1, max_size=30))
def test_any_text_prints_exactly_as_given(words):
    """Markup characters, entities, braces, quotes: all print as themselves."""
    text = " ".join(words)
    reader = pdf(sample_release(body=(para(text),), location=None))
    assert text in " ".join(all_text(reader).split())


# ---------------------------------------------------------------- metadata


def test_metadata_title_author_subject_language_creator():
    reader = pdf(sample_release(language="cy-GB"))
    meta = reader.metadata
    assert meta.title == "Chief Inspector flags concerns in first inspection"
    assert meta.author == "HM Inspectorate of Probation"
    assert meta.subject == "A short standfirst under the headline."
    assert meta.creator == f"pressgen {pressgen.__version__}"
    assert reader.trailer["/Root"]["/Lang"] == "cy-GB"
    assert not reader.is_encrypted
    assert pdf(sample_release(summary=None)).metadata.subject == meta.title


def test_dates_are_the_release_timestamp():
    meta = pdf(sample_release()).metadata
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20260129000000+00'00'"
    summer = pdf(sample_release(timestamp=datetime(2026, 6, 1, 9, 30, tzinfo=LONDON)))
    assert summer.metadata["/CreationDate"] == "D:20260601093000+01'00'"


def test_outline_levels_never_skip():
    reader = pdf(sample_release())
    assert [(title, level) for title, level, _ in outline(reader)] == [
        ("Chief Inspector flags concerns in first inspection", 0),
        ("Context", 1), ("Steps", 2),
        ("Notes to editors", 0), ("Media enquiries", 0),
    ]
    body = (Heading(3, (Text("Orphan"),)), para("x"), Heading(2, (Text("Two"),)),
            Heading(3, (Text("Three"),)))
    assert [level for _, level, _ in outline(pdf(sample_release(body=body)))] == [
        0, 1, 1, 2, 0, 0]


def test_outline_points_at_the_right_pages():
    reader = pdf(long_release())
    last = len(reader.pages) - 1
    pages = {title: page for title, _, page in outline(reader)}
    assert pages["Chief Inspector flags concerns in first inspection"] == 0
    assert pages["Media enquiries"] == last
    text = page_texts(reader)[pages["Notes to editors"]]
    assert "Notes to editors" in text


# ---------------------------------------------------------------- links


def test_emails_phones_and_body_links_are_uri_links():
    found = uris(pdf(sample_release()))
    assert sorted(found) == sorted([
        "https://example.org/report", "https://example.org", "tel:+447523805224",
        "mailto:media@hmiprobation.gov.uk", "mailto:ceri.morgan@example.org",
    ])


def test_hrefs_kept_exactly_and_never_read_as_internal_jumps():
    odd = ["#notes", "document:notes", "pdf:other.pdf",
           'https://example.org/?a=1&b="2"<x>', "https://example.org/zoë"]
    body = (para(*[Link(href, (Text(f"link {n}"),)) for n, href in enumerate(odd)]),)
    reader = pdf(sample_release(body=body))
    assert [u for u in uris(reader) if not u.startswith("mailto:")][:len(odd)] == odd
    assert "link 0link 1link 2link 3link 4" in all_text(reader)


# ---------------------------------------------------------------- text


def test_names_round_trip_and_fonts_are_embedded():
    names = ["Zoë", "Siân", "Łukasz", "Dvořák", "Nguyễn Văn An", "Gwenllian ŵ ŷ",
             "Őrs Űrhajó", "Żółć", "Ngô Bảo Châu ở ự"]
    body = (para("Interviewed: " + ", ".join(names) + "."),
            para(*[Text("bold "), *(Text(n) for n in names)]))
    contacts = (Contact("Nguyễn Văn An", "Swyddog y wasg ŵ ŷ", (), "an@example.org"),
                Contact("Łukasz Dvořák", None, (Phone("+48 22 000 00 00", "tel:+48220000000"),), None))
    reader = pdf(sample_release(body=body, contacts=contacts))
    text = all_text(reader)
    for name in names:
        assert name in text
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts, "no fonts found"
    for name, font in fonts.items():
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
        assert re.match(r"/[A-Z]{6}\+NotoSans", name), name


def test_decomposed_text_is_printed_composed():
    """reportlab cannot place combining marks, so NFD text is composed first."""
    names = "Nguyễn Văn An, Dvořák, Zoë, Siân"
    body = (para(unicodedata.normalize("NFD", names)),)
    organisation = Organisation(unicodedata.normalize("NFD", "Swyddfa Ŵyn"))
    texts = page_texts(pdf(sample_release(body=body, organisation=organisation)))
    assert names in texts[0]
    assert texts[0].splitlines()[-2] == "Swyddfa Ŵyn"


def test_hostile_text_prints_literally():
    hostile = ['<img src="http://x">', "AT&T", "{{ x }}", "a < b & c > d",
               "<b>not bold</b>", "&amp; &#169; &nbsp;", "<a href=\"x\">y</a>"]
    body = tuple(para(text) for text in hostile)
    release = sample_release(
        body=body, headline="AT&T <b> {{ x }}", summary="a < b & c > d",
        notes=(Note((Text('<img src="http://x">'),)),),
        contacts=(Contact("Tom & Jerry <tj>", "R&D", (), "a&b@example.org"),),
        location="<Here> & there")
    reader = pdf(release)
    text = all_text(reader)
    for piece in hostile + ["AT&T <b> {{ x }}", "Tom & Jerry <tj>", "R&D",
                            "<Here> & there", "a&b@example.org"]:
        assert piece in text
    assert reader.metadata.title == "AT&T <b> {{ x }}"
    assert "mailto:a&b@example.org" in uris(reader)


# ---------------------------------------------------------------- bytes


def test_same_model_same_bytes():
    release = sample_release(draft=True)
    first = render(release, Resources())
    render(long_release(), Resources())  # shared font state must not leak
    assert render(release, Resources()) == first
    assert b"/Encrypt" not in first


def test_bytes_do_not_depend_on_environment(monkeypatch):
    """SOURCE_DATE_EPOCH reaches the PDF only through release.timestamp (the
    loader's job), and hash seeds or process state change nothing."""
    expected = render(sample_release(), Resources())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert render(sample_release(), Resources()) == expected
    code = ("import sys, hashlib; sys.path.insert(0, 'tests'); "
            "from factory import sample_release; from pressgen.writers.pdf import render; "
            "from pressgen.resources import Resources; "
            "sys.stdout.write(hashlib.sha256(render(sample_release(), Resources())).hexdigest())")
    root = Path(__file__).resolve().parent.parent
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": seed}
        run = subprocess.run([sys.executable, "-c", code], cwd=root, env=env,
                             capture_output=True, text=True, check=True)
        assert run.stdout == hashlib.sha256(expected).hexdigest()


def test_paper_sizes():
    a4 = pdf(sample_release()).pages[0].mediabox
    assert (round(a4.width), round(a4.height)) == (595, 842)
    letter = pdf(sample_release(paper="letter")).pages[0].mediabox
    assert (round(letter.width), round(letter.height)) == (612, 792)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_long_release_renders_on_both_papers(paper):
    reader = pdf(replace(long_release(), paper=paper))
    assert len(reader.pages) > 3
    assert "Paragraph 60." in all_text(reader)
