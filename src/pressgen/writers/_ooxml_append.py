"""Appending to a WordprocessingML document in constant time, as python-docx would.

python-docx does three things in time that grows with the document, so that a
release of 30,000 notes or 20,000 links took minutes and 15,000 numbered lists
hours: it finds the body's closing w:sectPr by scanning the body for every
paragraph; it scans every relationship of a part for one to reuse, then every
rId for a free one, for every hyperlink; and it scans every w:num, for every
number it tries, for every list. Here each is done in constant time with the
same result, so the XML, and the bytes, are those python-docx writes (the
tests compare them). _ooxml calls these; nothing else does.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.numbering import CT_Num
from docx.text.paragraph import Paragraph

__all__ = ["CT_Num", "body_paragraph", "hyperlink_rid", "new_run", "numbering_state"]

_SECT_PR = qn("w:sectPr")
_SPACE = qn("xml:space")
_VAL = qn("w:val")


def body_paragraph(document: Document) -> Paragraph | None:
    """A new w:p just before the body's closing w:sectPr, as python-docx puts it,
    found as the body's last child (a lookup from the end) rather than by a scan
    from the start; None when the body does not end so (python-docx then decides)."""
    body = document.element.body
    try:
        last = body[-1]
    except IndexError:
        return None
    if last.tag != _SECT_PR:
        return None
    p = OxmlElement("w:p")
    last.addprevious(p)
    return Paragraph(p, document._body)


def new_run(text: str | None, style_id: str | None) -> Any:
    """`<w:r><w:rPr><w:rStyle/></w:rPr><w:t>text</w:t></w:r>`, the XML python-docx's
    `add_run(text)` and `run.style` write, built directly: python-docx's general
    machinery costs ~10x more per run, and a paragraph may hold 100,000 of them.
    Text with a tab or line break goes through python-docx (w:tab, w:br)."""
    r = OxmlElement("w:r")
    if style_id is not None:
        rpr = OxmlElement("w:rPr")
        rpr.append(OxmlElement("w:rStyle", {_VAL: style_id}))
        r.append(rpr)
    if text:
        if "\t" in text or "\n" in text or "\r" in text:
            r.text = text
        else:
            t = OxmlElement("w:t")
            t.text = text
            if len(text.strip()) < len(text):
                t.set(_SPACE, "preserve")
            r.append(t)
    return r


def hyperlink_rid(part: Any, href: str) -> str:
    """The rId of `part`'s external hyperlink relationship to `href`, added if new:
    what `part.relate_to(href, RT.HYPERLINK, is_external=True)` returns (the first
    such relationship, else the lowest free rIdN), from an index kept on the
    part's relationships instead of a scan of all of them per link."""
    rels = part.rels
    index: dict[str, str] | None = rels.__dict__.get("_pressgen_hyperlinks")
    if index is None:
        index = {}
        for rel in rels.values():
            if rel.reltype == RT.HYPERLINK and rel.is_external:
                index.setdefault(rel.target_ref, rel.rId)
        rels._pressgen_hyperlinks = index
        rels._pressgen_free = 1  # no rId below this number is free
    rid = index.get(href)
    if rid is None:
        free = rels._pressgen_free
        while f"rId{free}" in rels:  # rIds are only ever added: the lowest free one only rises
            free += 1
        rels._pressgen_free = free
        rid = f"rId{free}"
        rels.add_relationship(RT.HYPERLINK, href, rid, is_external=True)
        index[href] = rid
    return rid


class _NumberingState:
    """What `numbering.add_num` and `num_having_numId` find by scanning every w:num
    (the lowest free numId, where a w:num goes, which abstract list a numId
    uses), kept up to date as lists are added, so each list costs the same."""

    def __init__(self, numbering: Any) -> None:
        self.numbering = numbering
        nums = numbering.findall(qn("w:num"))
        self.used = {num.numId for num in nums}
        self.abstract_of: dict[int, int] = {}
        for num in nums:  # the first w:num of an id, as num_having_numId finds it
            self.abstract_of.setdefault(num.numId, num.abstractNumId.val)
        self.free = 1
        self.before = numbering.find(qn("w:numIdMacAtCleanup"))  # w:num goes before it

    def take_free_id(self) -> int:
        while self.free in self.used:
            self.free += 1
        self.used.add(self.free)
        return self.free

    def insert(self, num: Any) -> None:
        if self.before is not None:
            self.before.addprevious(num)
        else:
            self.numbering.append(num)
        self.abstract_of[num.numId] = num.abstractNumId.val


def numbering_state(part: Any) -> _NumberingState:
    state = part.__dict__.get("_pressgen_numbering")
    if state is None:
        state = part._pressgen_numbering = _NumberingState(part.element)
    return state
