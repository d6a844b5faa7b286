"""The DOCX's pagination rules (spec §8.7) and structure (§11), read from its XML.

What Word and LibreOffice paginate by is in the styles and the paragraph
properties, so the tests read those; bench/pages.py has LibreOffice lay the
documents out and counts the pages (not in the suite: LibreOffice is not in CI).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

import docx
from docx.oxml.ns import qn
from factory import para, sample_release

from pressgen.model import Heading, Text
from pressgen.resources import Resources
from pressgen.templates import Templates
from pressgen.writers import _ooxml as ooxml
from pressgen.writers._docx_pagination import KEPT_STYLES, WIDOW_STYLES, estimated_lines
from pressgen.writers.docx import render


def build(release=None) -> bytes:
    return render(release or sample_release(), Resources(Templates()))


def styles_by_name(data: bytes) -> dict[str, object]:
    document = docx.Document(io.BytesIO(data))
    return {style.name.lower(): style for style in document.styles}


def test_tail_styles_keep_with_next_and_keep_lines_together():
    styles = styles_by_name(build())
    for name in KEPT_STYLES:
        fmt = styles[name.lower()].paragraph_format
        assert (fmt.keep_with_next, fmt.keep_together) == (True, True), name
    for name in WIDOW_STYLES:
        assert styles[name.lower()].paragraph_format.widow_control is True, name


def kept_flags(data: bytes) -> list[tuple[str, str, bool, bool]]:
    """(style, text, keep with next, keep lines) of each body paragraph, as written."""
    document = docx.Document(io.BytesIO(data))
    return [(p.style.name, p.text, bool(p.paragraph_format.keep_with_next),
             bool(p.paragraph_format.keep_together)) for p in document.paragraphs]


def test_the_body_last_lines_keep_with_the_end_mark():
    long = "Words that fill a line of the body and more. " * 12  # ~6 lines
    body = (para("First. " + long), para("Second. " + long), para("Short last line."))
    flags = kept_flags(build(sample_release(body=body)))
    texts = [text for _, text, _, _ in flags]
    ends = texts.index("ENDS")
    first, second, last = flags[ends - 3], flags[ends - 2], flags[ends - 1]
    assert last[1] == "Short last line." and last[2:] == (True, True)
    # two more lines are needed: widow control brings two of "Second", kept with next
    assert second[1].startswith("Second.") and second[2:] == (True, False)
    assert first[2:] == (False, False)


def test_a_short_last_paragraph_goes_whole():
    body = (para("Earlier paragraph."), para("A last paragraph of four lines or so. " * 8))
    flags = kept_flags(build(sample_release(body=body)))
    ends = [text for _, text, _, _ in flags].index("ENDS")
    assert 3 <= estimated_lines(flags[ends - 1][1]) <= 10
    assert flags[ends - 1][2:] == (True, True) and flags[ends - 2][2:] == (False, False)


def test_headings_and_lists_are_real_styles():
    body = (Heading(2, (Text("Section"),)), para("Text."), Heading(3, (Text("Sub"),)),
            *sample_release().body)
    data = build(sample_release(body=body))
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert '<w:pStyle w:val="Heading2"/>' in document
    assert '<w:pStyle w:val="Heading3"/>' in document
    assert '<w:pStyle w:val="ListBullet"/>' in document
    assert '<w:pStyle w:val="ListNumber"/>' in document
    for style_id, level in (("Heading2", 1), ("Heading3", 2)):
        style = re.search(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', styles).group()
        assert f'<w:outlineLvl w:val="{level}"/>' in style
    bullet = re.search(r'<w:style [^>]*w:styleId="ListBullet".*?</w:style>', styles).group()
    assert "<w:numPr>" in bullet  # the bullet comes from numbering the style names


def test_the_language_is_the_release_language_in_styles_and_properties():
    data = build(sample_release(language="cy-GB"))
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group()
    assert '<w:lang w:val="cy-GB"' in defaults
    assert docx.Document(io.BytesIO(data)).core_properties.language == "cy-GB"


def tiny_png() -> bytes:
    """A valid 1×1 PNG, built here (no image library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def test_an_image_gets_its_alternative_text(tmp_path):
    png = tiny_png()
    image = tmp_path / "logo.png"
    image.write_bytes(png)
    document = docx.Document()
    shape = document.add_picture(str(image))
    ooxml.set_alt_text(shape, "Welsh Government logo", "Logo")
    doc_pr = shape._inline.find(qn("wp:docPr"))
    assert (doc_pr.get("descr"), doc_pr.get("title")) == ("Welsh Government logo", "Logo")
