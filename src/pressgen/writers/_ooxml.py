"""The WordprocessingML python-docx has no public API for (style.md, trap 5).

Everything here reaches into python-docx's private XML (OxmlElement, qn, part
relationships); nothing else in pressgen does, so a python-docx upgrade that
breaks it breaks one tested module:

- external hyperlinks and the runs inside them,
- PAGE / NUMPAGES fields,
- a fresh numbering instance per numbered list, so each restarts at its start,
- the document language in the styles' defaults,
- core and extended (app.xml) properties with no trace of the template's,
- the deterministic zip that makes equal inputs give equal bytes (trap 4).

What python-docx does in time that grows with the document (appending a body
paragraph, a hyperlink's relationship, a list's numbering) is done in constant
time by _ooxml_append, with the same XML.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone
from xml.sax.saxutils import escape

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from pressgen.writers._ooxml_append import (
    CT_Num, body_paragraph, hyperlink_rid, new_run, numbering_state,
)

# ------------------------------------------------------------------ stories


def clear_story(story) -> None:
    """Empty a document's body (keeping its w:sectPr), a header or a footer."""
    element = story.element.body if isinstance(story, Document) else story._element
    for child in list(element):
        if child.tag != qn("w:sectPr"):
            element.remove(child)


# ------------------------------------------------------------------ styled content
# python-docx's own style setters scan every style on each call to rule out the
# document's default one: a third of a release's render time. The writer
# resolves each style once and these name it by its id.


def add_paragraph(container, style: BaseStyle | None, text: str | None = None) -> Paragraph:
    """A paragraph at the end of a body, header or footer, in `style`."""
    paragraph = body_paragraph(container) if isinstance(container, Document) else None
    if paragraph is None:
        paragraph = container.add_paragraph()
        if style is not None:
            paragraph._p.get_or_add_pPr().style = style.style_id
    elif style is not None:  # a new, empty w:p: its w:pPr is ours to write
        ppr = OxmlElement("w:pPr")
        ppr.append(OxmlElement("w:pStyle", {_VAL: style.style_id}))
        paragraph._p.append(ppr)
    if text:
        add_run(paragraph, text)
    return paragraph


_VAL = qn("w:val")
_P_STYLE = qn("w:pStyle")


def add_run(paragraph: Paragraph, text: str | None = None,
            style: BaseStyle | None = None) -> Run:
    """A run at the end of a paragraph, in character style `style`."""
    r = new_run(text, style.style_id if style is not None else None)
    paragraph._p.append(r)
    return Run(r, paragraph)


# ------------------------------------------------------------------ hyperlinks


class Hyperlink:
    """An external w:hyperlink being filled with runs, like a Paragraph is."""

    def __init__(self, paragraph: Paragraph, href: str, char_style: BaseStyle):
        # The relationship belongs to the paragraph's own part (body, header or
        # footer); python-docx reuses one relationship per distinct href.
        rid = hyperlink_rid(paragraph.part, href)
        self._link = OxmlElement("w:hyperlink", {qn("r:id"): rid, qn("w:history"): "1"})
        paragraph._p.append(self._link)
        self._paragraph = paragraph
        self._style_id = char_style.style_id

    def add_run(self, text: str | None = None, style: BaseStyle | None = None) -> Run:
        """A run inside the link; it always carries the link's character style,
        so `style` is ignored (a run holds one character style)."""
        r = new_run(text, self._style_id)
        self._link.append(r)
        return Run(r, self._paragraph)


# ------------------------------------------------------------------ fields


def add_field(paragraph: Paragraph, code: str, shown: str = "1") -> None:
    """A complex field (begin, instruction, separate, result, end): the form Word
    itself writes and LibreOffice reads, updated at every layout."""

    def run_with(child) -> None:
        r = OxmlElement("w:r")
        r.append(child)
        paragraph._p.append(r)

    run_with(OxmlElement("w:fldChar", {qn("w:fldCharType"): "begin"}))
    instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instr.text = f" {code} "
    run_with(instr)
    run_with(OxmlElement("w:fldChar", {qn("w:fldCharType"): "separate"}))
    paragraph.add_run(shown)
    run_with(OxmlElement("w:fldChar", {qn("w:fldCharType"): "end"}))


# ------------------------------------------------------------------ numbering


def _style_numbering(style: BaseStyle) -> tuple[int, int] | None:
    """(numId, ilvl) a paragraph style numbers with, following basedOn."""
    while style is not None:
        numpr = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if numpr is not None and numpr.numId is not None:
            return numpr.numId.val, (numpr.ilvl.val if numpr.ilvl is not None else 0)
        style = style.base_style
    return None


def restart_numbering(document: Document, style: BaseStyle, start: int) -> tuple[int, int] | None:
    """A new w:num on the abstract numbering of `style`'s list, starting at `start`.

    Returns (numId, ilvl) to give each paragraph of the list, or None when the
    style does not number (a team removed it from reference.docx): then the style
    alone decides how the items look.
    """
    found = _style_numbering(style)
    if found is None:
        return None
    num_id, ilvl = found
    state = numbering_state(document.part.numbering_part)
    abstract_id = state.abstract_of.get(num_id)
    if abstract_id is None:
        return None
    num = CT_Num.new(state.take_free_id(), abstract_id)
    state.insert(num)
    num.add_lvlOverride(ilvl).add_startOverride(start)
    return num.numId, ilvl


def set_numbering(paragraph: Paragraph, numbering: tuple[int, int]) -> None:
    num_id, ilvl = numbering
    ppr = paragraph._p.pPr
    if ppr is not None and len(ppr) == 1 and ppr[0].tag == _P_STYLE:
        # a paragraph add_paragraph just made: w:numPr follows its w:pStyle, as
        # get_or_add_numPr would put it, at a fraction of the cost
        numpr = OxmlElement("w:numPr")
        numpr.append(OxmlElement("w:ilvl", {_VAL: str(ilvl)}))
        numpr.append(OxmlElement("w:numId", {_VAL: str(num_id)}))
        ppr.append(numpr)
        return
    numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = ilvl
    numpr.get_or_add_numId().val = num_id


# ------------------------------------------------------------------ language


def set_language(document: Document, language: str) -> None:
    """w:lang in the styles' defaults (and in any style that sets its own), so
    Word and LibreOffice spell-check and hyphenate in the release's language."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # w:lang follows everything a default rPr usually holds
    lang.set(qn("w:val"), language)
    for own in styles.iterfind(f"{qn('w:style')}/{qn('w:rPr')}/{qn('w:lang')}"):
        if own.get(qn("w:val")) is not None:
            own.set(qn("w:val"), language)


# ------------------------------------------------------------------ properties


def mark_language(paragraph: Paragraph, language: str) -> None:
    """w:lang on the paragraph mark and on every run of `paragraph` (links' too): a
    part in another language than the document's (spec §8.5)."""
    p = paragraph._p
    for r in [*p.iterfind(f".//{qn('w:r')}"), None]:
        if r is None:
            rpr = p.get_or_add_pPr().find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                p.get_or_add_pPr().append(rpr)
        else:
            rpr = r.get_or_add_rPr()
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), language)


def utc(moment: datetime) -> datetime:
    """An aware moment in UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def set_core_properties(document: Document, *, title: str, author: str, subject: str,
                        language: str, moment: datetime) -> None:
    """Replace every core property, so nothing of the reference's survives
    (its title, keywords, comments, last-printed date, a Word user's name)."""
    core = document.core_properties
    element = core._element
    for child in list(element):
        element.remove(child)
    # python-docx writes datetimes with a "Z" but does not convert them.
    stamp = utc(moment).replace(tzinfo=None, microsecond=0)
    core.title = title[:255]
    core.subject = subject[:255]
    core.author = author[:255]
    core.last_modified_by = author[:255]
    core.language = language
    core.revision = 1
    core.created = stamp
    core.modified = stamp


def drop_thumbnail(document: Document) -> None:
    """A reference saved with a preview would show its specimen page as ours."""
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]


def app_xml(company: str) -> bytes:
    """Extended properties naming pressgen, not whatever last saved the reference."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>pressgen</Application>'
        f"<DocSecurity>0</DocSecurity><Company>{escape(company)}</Company></Properties>"
    ).encode("utf-8")


# ------------------------------------------------------------------ zip

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def zip_date_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    """The entries' fixed stamp: the moment in UTC, clamped to what zip can hold,
    seconds rounded down to even (zip stores seconds / 2)."""
    t = utc(moment)
    stamp = (t.year, t.month, t.day, t.hour, t.minute, t.second - t.second % 2)
    return max(ZIP_EPOCH, min(stamp, (2107, 12, 31, 23, 59, 58)))


def deterministic_zip(data: bytes, moment: datetime,
                      replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a package with one timestamp, a fixed entry order ([Content_Types].xml
    first, then by name), fixed compression and fixed entry attributes."""
    replace = replace or {}
    date_time = zip_date_time(moment)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            payload = replace[name] if name in replace else src.read(name)
            dst.writestr(info, payload, compresslevel=6)
    return out.getvalue()


def set_alt_text(shape, text: str, title: str | None = None) -> None:
    """An image's alternative text (spec §11): `descr` (and `title`) on its
    wp:docPr, which Word shows as Alt Text and screen readers read. `shape` is
    what python-docx's add_picture returns (an InlineShape)."""
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", text)
    if title is not None:
        doc_pr.set("title", title)
