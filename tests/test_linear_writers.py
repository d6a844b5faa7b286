"""The writers' linear-time paths give what the slow paths gave.

- PDF: `LongPara` (a paragraph of more than LONG_MARKUP characters) breaks the
  same lines as reportlab's Paragraph, window by window; `FlowQueue` behaves as
  the list reportlab's build consumes.
- DOCX: the runs, paragraphs, numbering and hyperlink relationships _ooxml
  writes in constant time are the XML python-docx's own calls write.
"""

from __future__ import annotations

import io
import random
from dataclasses import replace

import docx
import pypdf
import pytest
from lxml import etree
from reportlab.platypus import Paragraph

from factory import para, sample_release
from pressgen.resources import Resources
from pressgen.markdown import parse_body
from pressgen.templates import BUILTIN, Templates
from pressgen.writers import _ooxml as ooxml
from pressgen.writers import _pdf_layout, _pdf_long
from pressgen.writers._pdf_layout import FlowQueue, Para
from pressgen.writers._pdf_long import LongPara
from pressgen.writers._pdf_styles import indented, styles
from pressgen.writers.pdf import render as render_pdf

# ---------------------------------------------------------------- PDF

WORDS = ["a", "the", "probation", "inspection", "<b>bold <i>both</i></b>", "Zoë\u00a0Jones",
         '<a href="pressgen-link:0" color="#0B5394">a link</a>', "y" * 70, "<br/>", "end.",
         "&lt;b&gt;", "Łukasz", "—", "10\u00a0km", "https://example.org/p/index.html?q=1"]


@pytest.fixture(autouse=True, scope="module")
def _fonts():
    """The PDF writer registers its faces as it starts; these tests lay out
    paragraphs directly, so they register them first."""
    from pressgen.writers._pdf_fonts import register_fonts

    register_fonts(Resources())


def line_texts(paragraph) -> list[str]:
    out = []
    for line in paragraph.blPara.lines:
        text = "".join(w.text for w in line.words) if hasattr(line, "words") else " ".join(line[1])
        out.append(" ".join(text.split()))
    return out


@pytest.mark.parametrize("seed", range(8))
def test_a_long_paragraph_breaks_the_lines_reportlab_breaks(seed, monkeypatch):
    rng = random.Random(seed)
    style = [styles().body, styles().quote, indented(styles().item, 18.0), styles().note][seed % 4]
    markup = " ".join(rng.choice(WORDS) for _ in range(2500))
    if seed % 3 == 0:
        markup = " ".join(w for w in markup.split(" ") if "<" not in w)  # one fragment
    bullet = [None, "•", "12."][seed % 3]
    monkeypatch.setattr(_pdf_long, "WINDOW_WORDS", [7, 60, 600][seed % 3])
    ours = Para(markup, style, bulletText=bullet)
    assert isinstance(ours, LongPara)
    theirs = Paragraph(markup, style, bulletText=bullet)
    ours.wrap(453.5, 1e9)
    theirs.wrap(453.5, 1e9)
    assert line_texts(ours) == line_texts(theirs)
    assert ours.height == theirs.height


def test_a_long_paragraph_splits_into_parts_that_keep_every_line():
    markup = " ".join(f"word{i}" for i in range(6000))
    whole = Para(markup, styles().body)
    whole.wrap(453.5, 700)
    lines = line_texts(whole)
    parts, rest = [], whole
    while True:
        split = rest.split(453.5, 700)
        if split == [rest]:
            parts.append(rest)
            break
        head, rest = split
        assert head.height <= 700
        parts.append(head)
    assert sum((line_texts(p) for p in parts), []) == lines
    assert parts[-1].frags and "word5999" in parts[-1].getPlainText()  # frags on demand


def test_a_short_paragraph_is_reportlabs_own():
    assert type(Para("x" * _pdf_layout.LONG_MARKUP, styles().body)) is Para
    assert type(Para("x" * (_pdf_layout.LONG_MARKUP + 1), styles().body)) is LongPara


def test_a_long_paragraph_prints_as_the_slow_path_printed_it(monkeypatch):
    body = " ".join(f"**w{i}** and *x{i}* see [l{i}](https://example.org/{i})" for i in range(600))
    release = replace(sample_release(), body=(para("Opening."),) + parse_body(body))
    fast = pypdf.PdfReader(io.BytesIO(render_pdf(release, Resources())))
    monkeypatch.setattr(_pdf_layout, "LONG_MARKUP", 10 ** 9)  # every paragraph reportlab's
    slow = pypdf.PdfReader(io.BytesIO(render_pdf(release, Resources())))
    assert len(fast.pages) == len(slow.pages) > 3
    assert [p.extract_text() for p in fast.pages] == [p.extract_text() for p in slow.pages]
    links = [[a.get_object()["/A"]["/URI"] for a in p.get("/Annots", [])] for p in fast.pages]
    assert links == [[a.get_object()["/A"]["/URI"] for a in p.get("/Annots", [])]
                     for p in slow.pages]


def test_the_flow_queue_behaves_as_a_list_at_its_front():
    rng = random.Random(1)
    for _ in range(500):
        ref = list(range(rng.randint(0, 10)))
        queue = FlowQueue(ref)
        for _ in range(25):
            op, n = rng.randint(0, 7), len(ref)
            if op == 0 and n:
                assert queue[0] == ref[0] and queue[-1] == ref[-1]
            elif op == 1 and n:
                i = rng.randrange(n)
                assert queue[i] == ref[i]
            elif op == 2:
                i = rng.randint(0, n + 2)
                assert queue[:i] == ref[:i] and queue[1:i] == ref[1:i]
            elif op == 3 and n:
                del queue[0], ref[0]
            elif op == 4:
                i = rng.randint(0, n + 1)
                del queue[:i], ref[:i]
            elif op == 5:
                x = rng.random()
                queue.insert(0, x)
                ref.insert(0, x)
            elif op == 6:
                parts = [rng.random() for _ in range(rng.randint(0, 3))]
                queue[0:0] = parts
                ref[0:0] = parts
            elif op == 7 and n > 1:  # anywhere else: the slow path, still right
                i, x = rng.randrange(1, n), rng.random()
                queue.insert(i, x)
                ref.insert(i, x)
            assert len(queue) == len(ref) and queue[:] == ref


# ---------------------------------------------------------------- DOCX

def fresh():
    return docx.Document(str(BUILTIN / "reference.docx"))


def xml(element) -> bytes:
    return etree.tostring(element)


@pytest.mark.parametrize("text", ["plain", " lead", "trail ", "no\u00a0break", "tab\there",
                                  "line\nbreak", "", None])
@pytest.mark.parametrize("styled", [True, False])
def test_a_run_is_the_xml_python_docx_writes(text, styled):
    ours, theirs = fresh(), fresh()
    style = ours.styles["Strong"] if styled else None
    p1, p2 = ours.add_paragraph(), theirs.add_paragraph()
    ooxml.add_run(p1, text, style)
    run = p2.add_run(text)
    if styled:
        run._r.style = theirs.styles["Strong"].style_id
    assert xml(p1._p) == xml(p2._p)


def test_body_paragraphs_and_numbering_are_the_xml_python_docx_writes():
    ours, theirs = fresh(), fresh()
    ooxml.clear_story(ours)
    ooxml.clear_story(theirs)
    style = ours.styles["List Number"]
    for start in (1, 5, 1, 3):
        numbering = ooxml.restart_numbering(ours, style, start)
        slow = _slow_restart(theirs, theirs.styles["List Number"], start)
        assert numbering == slow
        for i in range(3):
            p = ooxml.add_paragraph(ours, style, f"item {i}")
            ooxml.set_numbering(p, numbering)
            q = theirs.add_paragraph()
            q._p.get_or_add_pPr().style = style.style_id
            q.add_run(f"item {i}")
            numpr = q._p.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val, numpr.get_or_add_numId().val = slow[1], slow[0]
    assert xml(ours.element.body) == xml(theirs.element.body)
    assert xml(ours.part.numbering_part.element) == xml(theirs.part.numbering_part.element)


def _slow_restart(document, style, start):
    num_id, ilvl = ooxml._style_numbering(style)
    numbering = document.part.numbering_part.element
    num = numbering.add_num(numbering.num_having_numId(num_id).abstractNumId.val)
    num.add_lvlOverride(ilvl).add_startOverride(start)
    return num.numId, ilvl


def test_hyperlink_relationships_are_the_ones_python_docx_makes():
    ours, theirs = fresh(), fresh()
    hrefs = ["https://a.example", "mailto:x@example.org", "https://a.example", "tel:+441",
             "https://b.example", "mailto:x@example.org"]
    p1, p2 = ours.add_paragraph(), theirs.add_paragraph()
    got = [ooxml.hyperlink_rid(p1.part, href) for href in hrefs]
    want = [p2.part.relate_to(href, ooxml.RT.HYPERLINK, is_external=True) for href in hrefs]
    assert got == want
    assert ours.part.rels.xml == theirs.part.rels.xml
