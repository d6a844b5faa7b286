"""The DOCX writer: a Release as a Word document the communications team edits.

Built like pandoc's --reference-doc: open reference.docx (the house folder's copy,
else the built-in one, as `reference_docx` sanitised it at house load), empty its
body, keep its section, header and footer parts and styles, and write the release
with those styles only. Every part of a release has its own named style (see
scripts/make_reference_docx.py), so a team restyles reference.docx in Word and
every release follows, with no code change.
Direct formatting is used only where a style cannot do it: a second emphasis on
a run that already carries a character style (a run holds one).

Order of the content is spec §6; its pagination rules (§8.7) are in the
styles, and on the body's last paragraphs (see `_docx_pagination`). The XML
python-docx has no API for (links, fields, list restarts, language, the
deterministic zip) lives in `_ooxml`.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path
from typing import assert_never

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Length, Pt, Twips
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from pressgen.errors import Problem, ReleaseError
from pressgen.model import (
    Block, BulletList, Contact, Dateline, Emphasis, Heading, Inline, LineBreak, Link, Note,
    NumberedList, Paragraph, Quote, Release, Strong, Text, Translation,
)
from pressgen.reference_docx import ReferenceRefused, sanitise
from pressgen.reference_policy import excerpt
from pressgen.resources import Resources
from pressgen.templates import BUILTIN
from pressgen.writers import _docx_pagination as pagination
from pressgen.writers import _ooxml as ooxml

REFERENCE = "reference.docx"
LOGO_HEIGHT = Pt(30)

PAPER: dict[str, tuple[Length, Length]] = {
    "a4": (Twips(11906), Twips(16838)),
    "letter": (Twips(12240), Twips(15840)),
}


def render(release: Release, resources: Resources) -> bytes:
    """The release as DOCX bytes, identical for identical inputs."""
    reference = _sanitised(resources.template(REFERENCE), resources.template_path(REFERENCE))
    logos = [(resources.image(org.logo.path), org.logo.alt)
             for org in release.organisations if org.logo]
    try:
        return _render(release, reference, logos)
    except Exception as exc:  # noqa: BLE001 - re-raised unless the reference is to blame
        builtin = _sanitised(_builtin_bytes(), BUILTIN / REFERENCE)
        if reference == builtin:
            raise
        _render(release, builtin, logos)  # raises (a bug of pressgen's) if not the reference's fault
        detail = ": ".join(filter(None, (type(exc).__name__, excerpt(str(exc), 120))))
        raise ReleaseError.at(
            resources.template_path(REFERENCE), 1, 1, "this reference DOCX cannot be used: "
            f"python-docx fails on it ({detail}); open it in Word and save it again") from None


def _render(release: Release, reference: bytes, logos: list[tuple[bytes, str]] = ()) -> bytes:
    document = Document(io.BytesIO(reference))
    _ReleaseWriter(document, release, logos).write()
    saved = io.BytesIO()
    document.save(saved)
    # python-docx's parts refer to each other in cycles; drop our reference now
    # so the next collection frees the whole tree.
    del document
    return ooxml.deterministic_zip(saved.getvalue(), release.timestamp,
                                   {"docProps/app.xml": ooxml.app_xml(release.organisation.name)})


def _sanitised(raw: bytes, path: Path) -> bytes:
    """The reference as `reference_docx.sanitise` leaves it, so no release ever opens
    a raw one; the house load has already reported what it refuses or drops. Read
    through `resources` (so the build notes the file), sanitised once per content."""
    return _sanitise_cached(hashlib.sha256(raw).hexdigest(), raw, str(path))


@lru_cache(maxsize=8)
def _sanitise_cached(digest: str, raw: bytes, path: str) -> bytes:
    try:
        return sanitise(raw).data
    except ReferenceRefused as exc:
        raise ReleaseError([Problem(path, 1, 1, f"this reference DOCX {reason}")
                            for reason in exc.reasons]) from None


@lru_cache(maxsize=1)
def _builtin_bytes() -> bytes:
    return (BUILTIN / REFERENCE).read_bytes()


# How the styles added after the built-in reference.docx was made look, until
# scripts/make_reference_docx.py gives them: a reference that has them wins.
_ADDED_LOOK = {
    "Letterhead": dict(space_after=Pt(6)),
    "Letterhead Line": dict(size=Pt(9.5), colour=(0x5C, 0x5C, 0x5C), space_after=Pt(0)),
    "Label": dict(size=Pt(10), bold=True, colour=(0xA3, 0x16, 0x1A), space_after=Pt(4)),
}


def _look(style, name: str) -> None:
    from docx.shared import RGBColor

    look = _ADDED_LOOK.get(name)
    if not look:
        return
    if "size" in look:
        style.font.size = look["size"]
    if look.get("bold"):
        style.font.bold = True
    if "colour" in look:
        style.font.color.rgb = RGBColor(*look["colour"])
    style.paragraph_format.space_after = look["space_after"]


class _ReleaseWriter:
    def __init__(self, document, release: Release, logos=()):
        self.doc = document
        self.release = release
        self.logos = logos
        self._styles: dict[str, BaseStyle] = {}

    # -------------------------------------------------------------- styles

    def style(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> BaseStyle:
        """A style of reference.docx by its UI name.

        Matched without regard to case, then by id: Word saves built-ins as
        "heading 2" and "header", LibreOffice as "Heading 2" and "Header". A
        style a restyled reference lost is added (a paragraph style based on
        Normal) so the release still renders.
        """
        found = self._styles.get(name)
        if found is None:
            if not self._styles:
                self._index_styles()
            found = (self._styles.get(name.lower())
                     or self._styles.get("#" + name.replace(" ", "").lower()))
            if found is None or found.type != kind:
                own = name if found is None else f"{name} (pressgen)"
                found = self.doc.styles.add_style(own, kind)
                if kind == WD_STYLE_TYPE.PARAGRAPH:
                    found.base_style = self.doc.styles["Normal"]
                    _look(found, name)
            self._styles[name] = found
        return found

    def _index_styles(self) -> None:
        for style in self.doc.styles:
            self._styles.setdefault((style.name or "").lower(), style)
            self._styles.setdefault("#" + (style.style_id or "").lower(), style)

    def char(self, name: str) -> BaseStyle:
        return self.style(name, WD_STYLE_TYPE.CHARACTER)

    def paragraph(self, style: str, text: str | None = None) -> DocxParagraph:
        return ooxml.add_paragraph(self.doc, self.style(style), text)

    # -------------------------------------------------------------- the release

    def write(self) -> None:
        r = self.release
        ooxml.clear_story(self.doc)
        self.page_setup()
        self.header_footer()
        self.paragraph("Release Line", r.release_line)
        if r.translation:
            self.in_language(self.paragraph("Release Line", r.translation.release_line),
                             r.translation.language)
        if r.draft:
            self.paragraph("Draft Mark", r.words.draft)
        self.letterhead()
        self.masthead(r.label, r.headline, r.summary, r.date_text)
        body_start = len(self.doc.paragraphs)
        self.body(r.body)
        if r.translation:
            self.translation(r.translation)
        # the body's last lines go with the end mark (§8.7)
        pagination.keep_body_end(self.doc.paragraphs[body_start:])
        if r.end_mark:
            self.paragraph("Ends", r.end_mark)
        self.notes(r.notes, r.notes_heading)
        if r.translation:
            self.notes(r.translation.notes, r.translation.words.notes_heading,
                       r.translation.language)
        if r.contacts:
            self.paragraph("Contacts Heading", r.contacts_heading)
            for contact in r.contacts:
                self.contact(contact)
        pagination.keep_styles(self.style)
        ooxml.set_language(self.doc, r.language)
        ooxml.set_core_properties(
            self.doc, title=r.headline, author=r.organisation.name, subject=r.summary or "",
            language=r.language, moment=r.timestamp)
        ooxml.drop_thumbnail(self.doc)

    def letterhead(self) -> None:
        """The logos in one row (each an inline picture whose `descr` is its alt
        text), then each organisation's name and its lines."""
        if self.logos:
            p = self.paragraph("Letterhead")
            for n, (data, alt) in enumerate(self.logos):
                if n:
                    p.add_run("\u2003\u2003")
                shape = p.add_run().add_picture(io.BytesIO(data), height=LOGO_HEIGHT)
                ooxml.set_alt_text(shape, alt)
                shape._inline.docPr.set("name", f"Logo {n + 1}")
        for org in self.release.organisations:
            self.paragraph("Organisation", org.name)
            for line in org.lines:
                self.paragraph("Letterhead Line", line)

    def masthead(self, label: str | None, headline: str, summary: str | None,
                 date_text: str, language: str | None = None) -> None:
        shown = [("Label", label), ("Title", headline), ("Subtitle", summary),
                 ("Release Date", date_text)]
        for style, text in shown:
            if text:
                self.in_language(self.paragraph(style, text), language)

    def translation(self, part: Translation) -> None:
        """The second language's headline, summary, date and body, every run
        marked with its language (so Word and a screen reader switch to it)."""
        start = len(self.doc.paragraphs)
        self.masthead(part.label, part.headline, part.summary, part.date_text)
        self.body(part.body)
        for p in self.doc.paragraphs[start:]:
            self.in_language(p, part.language)

    def notes(self, notes: tuple[Note, ...], heading: str, language: str | None = None) -> None:
        if not notes:
            return
        start = len(self.doc.paragraphs)
        self.paragraph("Notes Heading", heading)
        style = self.style("Note")
        numbering = ooxml.restart_numbering(self.doc, style, 1)
        for note in notes:
            p = ooxml.add_paragraph(self.doc, style)
            if numbering:
                ooxml.set_numbering(p, numbering)
            self.inlines(p, note.inlines)
        for p in self.doc.paragraphs[start:]:
            self.in_language(p, language)

    @staticmethod
    def in_language(paragraph: DocxParagraph, language: str | None) -> DocxParagraph:
        if language:
            ooxml.mark_language(paragraph, language)
        return paragraph

    def page_setup(self) -> None:
        """Spec: A4 unless the house asks for US Letter. A reference already on the
        right paper is left exactly as designed; on the other paper the text keeps
        the reference's width, so the header and footer tab stops still land."""
        width, height = PAPER[self.release.paper]
        for section in self.doc.sections:
            if (abs(section.page_width - width) < Twips(30)
                    and abs(section.page_height - height) < Twips(30)):
                continue
            text_width = section.page_width - section.left_margin - section.right_margin
            side = max((width - text_width) // 2, Twips(720))
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = width, height
            section.left_margin = section.right_margin = Length(side)

    def header_footer(self) -> None:
        """The release line (and DRAFT) atop every page; the organisation and
        the page label (N of M) from live fields at the foot."""
        r = self.release
        self.doc.settings.odd_and_even_pages_header_footer = False
        for section in self.doc.sections:
            section.different_first_page_header_footer = False
            header, footer = section.header, section.footer
            header.is_linked_to_previous = footer.is_linked_to_previous = False
            ooxml.clear_story(header)
            ooxml.add_paragraph(header, self.style("Header"), r.release_line)
            if r.translation:
                self.in_language(ooxml.add_paragraph(header, self.style("Header"),
                                                     r.translation.release_line),
                                 r.translation.language)
            if r.draft:
                ooxml.add_paragraph(header, self.style("Header Draft"), r.words.draft_notice)
            ooxml.clear_story(footer)
            p = ooxml.add_paragraph(footer, self.style("Footer"), f"{r.organisation.name}\t")
            self.page_label(p)

    def page_label(self, p: DocxParagraph) -> None:
        """The page label (words.page, "N of M") with live fields for the numbers."""
        pieces = self.release.words.page_pieces()
        for n, piece in enumerate(pieces):
            if piece in ("{page}", "{pages}"):
                ooxml.add_field(p, "PAGE" if piece == "{page}" else "NUMPAGES")
            elif n == 0:
                p.runs[-1].text += piece  # the same run as the organisation, as before
            else:
                p.add_run(piece)

    # -------------------------------------------------------------- blocks

    def body(self, blocks: tuple[Block, ...]) -> None:
        """The body (its dateline, placed by the loader, opens it)."""
        for block in blocks:
            self.block(block, depth=0, quoted=False)

    def block(self, block: Block, depth: int, quoted: bool) -> None:
        match block:
            case Paragraph():
                self.inlines(self.paragraph("Quote" if quoted else "Normal"), block.inlines)
            case Heading():
                self.inlines(self.paragraph(f"Heading {block.level}"), block.inlines)
            case BulletList() | NumberedList():
                self.list(block, depth)
            case Quote():
                for inner in block.blocks:
                    self.block(inner, depth, quoted=True)
            case _:
                assert_never(block)

    def list(self, items: BulletList | NumberedList, depth: int) -> None:
        """One nesting level has its own styles (List Bullet 2, List Number 2);
        deeper lists, which the loader refuses, would share them. Every numbered
        list gets its own numbering instance so it restarts at its `start`."""
        suffix = " 2" if depth else ""
        numbered = isinstance(items, NumberedList)
        style = self.style(("List Number" if numbered else "List Bullet") + suffix)
        numbering = ooxml.restart_numbering(self.doc, style, items.start) if numbered else None
        for item in items.items:
            first = True
            for block in item.blocks:
                if isinstance(block, (BulletList, NumberedList)):
                    if first:  # an item that opens with a sublist still shows its marker
                        self.list_paragraph(style, numbering)
                        first = False
                    self.list(block, depth + 1)
                elif isinstance(block, Paragraph):
                    if first:
                        p = self.list_paragraph(style, numbering)
                        first = False
                    else:
                        p = self.paragraph("List Continue" + suffix)
                    self.inlines(p, block.inlines)
                else:
                    self.block(block, depth + 1, quoted=False)
            if first:
                self.list_paragraph(style, numbering)

    def list_paragraph(self, style: BaseStyle, numbering) -> DocxParagraph:
        p = ooxml.add_paragraph(self.doc, style)
        if numbering:
            ooxml.set_numbering(p, numbering)
        return p

    def contact(self, contact: Contact) -> None:
        """Name, then role, each phone (a tel: link), email and note on lines of their own."""
        p = self.paragraph("Contact")
        ooxml.add_run(p, contact.name, self.char("Contact Name"))
        if contact.role:
            p.add_run().add_break()
            p.add_run(contact.role)
        for phone in contact.phones:
            p.add_run().add_break()
            if phone.label:
                p.add_run(f"{phone.label}: ")
            ooxml.Hyperlink(p, phone.tel, self.char("Hyperlink")).add_run(phone.text)
        if contact.email:
            p.add_run().add_break()
            href = contact.email
            if not href.lower().startswith("mailto:"):
                href = "mailto:" + href
            ooxml.Hyperlink(p, href, self.char("Hyperlink")).add_run(contact.email)
        if contact.note:
            p.add_run().add_break()
            ooxml.add_run(p, contact.note, self.char("Emphasis"))

    # -------------------------------------------------------------- inlines

    def inlines(self, container, nodes: tuple[Inline, ...], strong: bool = False,
                emphasis: bool = False) -> None:
        """Runs into a paragraph or a hyperlink. A run carries one character style:
        Hyperlink inside a link, else Strong, else Emphasis; a second emphasis on
        the same run is the only direct formatting the writer adds."""
        in_link = isinstance(container, ooxml.Hyperlink)
        for node in nodes:
            match node:
                case Text():
                    self.text(container, node.text, in_link, strong, emphasis)
                case Dateline():  # one run, its separator inside, as Word users type it
                    ooxml.add_run(container, node.text + node.separator, self.char("Dateline"))
                case Strong():
                    self.inlines(container, node.children, True, emphasis)
                case Emphasis():
                    self.inlines(container, node.children, strong, True)
                case Link():
                    target = container if in_link else ooxml.Hyperlink(
                        container, node.href, self.char("Hyperlink"))
                    self.inlines(target, node.children, strong, emphasis)
                case LineBreak():
                    container.add_run().add_break()
                case _:
                    assert_never(node)

    def text(self, container, text: str, in_link: bool, strong: bool, emphasis: bool) -> None:
        if in_link:
            run = container.add_run(text)
            if strong:
                run.bold = True
            if emphasis:
                run.italic = True
        elif strong:
            run = ooxml.add_run(container, text, self.char("Strong"))
            if emphasis:
                run.italic = True
        else:
            ooxml.add_run(container, text, self.char("Emphasis") if emphasis else None)
