"""The release model turned into reportlab flowables, in spec §6 order.

Paragraph parses its text as markup, so every string from the model goes
through `_escape` and markup is only ever built here from model nodes: a
release saying `<img src="http://x">` prints those characters and fetches
nothing. Hrefs never enter markup at all (see _pdf_canvas.link_href).

Each flowable's role in the tagged PDF is declared where it is made, with one
`self.tags.mark(flowable, role)`, and groups with `tags.open`/`tags.close` (see
_pdf_tags); the drawing does the rest.
"""

from __future__ import annotations

import io
import unicodedata
from typing import Sequence, assert_never
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Image, Spacer

from pressgen import model as m
from pressgen.writers._pdf_balance import balance
from pressgen.writers._pdf_canvas import link_href
from pressgen.resources import Resources
from pressgen.writers._pdf_keep import keep_tail, tail_fallback
from pressgen.writers._pdf_layout import Para, QuoteBand, Rule, SectionMark
from pressgen.writers._pdf_marks import Tagged
from pressgen.writers._pdf_styles import (
    LABEL_GAP, LINK, LIST_HANG, LOGO_GAP, LOGO_HEIGHT, LOGO_MAX_WIDTH, QUOTE_BAR, QUOTE_RULE,
    RULE, Styles, indented,
)
from pressgen.writers._pdf_tags import NoStructure, Structure

BULLETS = ("\u2022", "\u2013")  # • for a list, – for a list inside it


def _escape(text: str) -> str:
    """Model text made inert for Paragraph markup, quotes included (for attributes),
    and composed (NFC; see `composed`)."""
    return escape(composed(text), {'"': "&quot;"})


def composed(text: str) -> str:
    """`text` in NFC. reportlab places no combining marks (it has no OpenType
    positioning), so a decomposed "e" + U+0303 prints its tilde beside the e;
    composed, it is the font's own "ẽ" glyph."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


class LogoImage(Tagged, Image):
    """A letterhead logo, LOGO_HEIGHT tall. Logos share one row: each but the last
    takes no height of its own and is drawn into the row the last one takes."""

    def __init__(self, data: io.BytesIO, last: bool) -> None:
        super().__init__(data)
        scale = min(LOGO_HEIGHT / self.imageHeight, LOGO_MAX_WIDTH / self.imageWidth)
        self.drawWidth, self.drawHeight = self.imageWidth * scale, self.imageHeight * scale
        self.hAlign = "LEFT"
        self.last = last

    def place(self, x: float) -> None:
        self._offs_x = x
        self._offs_y = 0.0 if self.last else -LOGO_HEIGHT

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.drawWidth, (LOGO_HEIGHT if self.last else 0.0)


class Story:
    """Builds the flowables of one release; `links` collects the real hrefs the
    canvas swaps in for the stand-ins written into markup."""

    def __init__(self, styles: Styles, frame_width: float,
                 tags: Structure | NoStructure | None = None,
                 resources: Resources | None = None) -> None:
        self.st = styles
        self.resources = resources  # where logos are read (and noted)
        self.frame_width = frame_width
        self.tags = tags if tags is not None else NoStructure()
        self.links: list[str] = []
        self._sections = 0
        self._seen_h2 = False

    # ------------------------------------------------------------ the release

    def build(self, release: m.Release) -> list[Flowable]:
        """Letterhead and masthead, body (dateline inside), the translation's
        masthead and body, the end mark, each language's notes, the contacts; the
        tail kept with the body's last lines (_pdf_keep)."""
        flow = self.masthead(release)
        body_start = len(flow)
        flow += self.body(release)
        if release.translation:
            flow += self.translation(release.translation)
        # no end mark (`end_mark: none`): an empty stand-in keeps the tail's shape
        ends = (self.tags.mark(Para(_escape(release.end_mark), self.st.ends), "P")
                if release.end_mark else Spacer(0, 0))
        notes = self.notes(release.notes, release.notes_heading) if release.notes else []
        if release.translation and release.translation.notes:
            self.tags.open("Part", Lang=release.translation.language)
            notes += self.notes(release.translation.notes,
                                release.translation.words.notes_heading)
            self.tags.close("Part")
        contacts = self.contacts(release)
        return keep_tail(flow, body_start, [ends, *notes, *contacts],
                         tail_fallback(ends, notes, contacts), self.frame_width)

    def masthead(self, release: m.Release) -> list[Flowable]:
        """Letterhead (logos, names, lines), label, headline, standfirst and date:
        the top of page 1."""
        st, mark = self.st, self.tags.mark
        flow: list[Flowable] = [self.section(release.headline, 0)]
        flow += self.logos(release)
        for org in release.organisations:
            flow.append(mark(Para(_escape(org.name), st.organisation), "P"))
            if org.lines:  # one paragraph, a line each: they read as one block
                lines = "<br/>".join(_escape(line) for line in org.lines)
                flow.append(mark(Para(lines, st.letterhead_line), "P"))
        flow += self.headline(release.label, release.headline, release.summary,
                              release.date_text)
        flow.append(Rule(width="100%", thickness=0.6, color=RULE,
                         spaceBefore=9, spaceAfter=13))
        return flow

    def headline(self, label: str | None, headline: str, summary: str | None,
                 date_text: str) -> list[Flowable]:
        st, mark = self.st, self.tags.mark
        flow: list[Flowable] = []
        if label:
            flow.append(mark(Para(_escape(label), st.label), "P"))
        # the headline and standfirst end on two words or more (_pdf_balance)
        flow.append(mark(balance(Para(_escape(headline), st.headline), self.frame_width), "H1"))
        if summary:
            flow.append(mark(balance(Para(_escape(summary), st.standfirst), self.frame_width), "P"))
        flow.append(mark(Para(_escape(date_text), st.date), "P"))
        return flow

    def logos(self, release: m.Release) -> list[Flowable]:
        """Every organisation's logo, in one row, each a Figure with its Alt."""
        shown = [org.logo for org in release.organisations if org.logo]
        if not shown or self.resources is None:
            return []
        flow: list[Flowable] = []
        x = 0.0
        for n, logo in enumerate(shown):
            image = LogoImage(io.BytesIO(self.resources.image(logo.path)), last=n == len(shown) - 1)
            image.place(x)
            x += image.drawWidth + LOGO_GAP
            flow.append(self.tags.mark(image, "Figure", Alt=logo.alt))
        flow.append(Spacer(0, 10))
        return flow

    def body(self, release: m.Release) -> list[Flowable]:
        """The body blocks; the loader has placed the dateline in them."""
        return self.blocks(release.body, self.st.body)

    def translation(self, part: m.Translation) -> list[Flowable]:
        """The second language's headline, standfirst, date and body, marked as a
        part in its language (so a screen reader switches voice)."""
        self.tags.open("Part", Lang=part.language)
        flow = [Rule(width="100%", thickness=0.6, color=RULE, spaceBefore=6, spaceAfter=13),
                *self.headline(part.label, part.headline, part.summary, part.date_text),
                Spacer(0, 9), *self.blocks(part.body, self.st.body)]
        self.tags.close("Part")
        return flow

    def notes(self, notes: tuple[m.Note, ...], heading: str) -> list[Flowable]:
        """The notes to editors, numbered 1, 2, 3 … as the spec requires; no
        note ends with a word alone on its line where that can be helped."""
        items = [(m.Paragraph(note.inlines),) for note in notes]
        labels = [f"{n}." for n in range(1, len(items) + 1)]
        head = [self.section(heading, 0),  # declared first: read first
                self.tags.mark(Para(_escape(heading), self.st.section), "H2")]
        return head + [balance(f, self.frame_width) if isinstance(f, Para) else f
                       for f in self.items(items, labels, self.st.note, 0.0, 0)]

    def contacts(self, release: m.Release) -> list[Flowable]:
        """The contacts: name, role, each phone as a tel: link, a mailto: link, a note."""
        heading = Para(_escape(release.contacts_heading), self.st.section)
        flow: list[Flowable] = [self.section(release.contacts_heading, 0),
                                self.tags.mark(heading, "H2")]
        for contact in release.contacts:
            lines = [f"<b>{_escape(contact.name)}</b>"]
            if contact.role:
                lines.append(_escape(contact.role))
            for phone in contact.phones:
                label = f"{_escape(phone.label)}: " if phone.label else ""
                lines.append(label + self.link(phone.tel, _escape(phone.text)))
            if contact.email:
                lines.append(self.link(f"mailto:{contact.email}", _escape(contact.email)))
            if contact.note:
                lines.append(f"<i>{_escape(contact.note)}</i>")
            flow.append(self.tags.mark(Para("<br/>".join(lines), self.st.contact), "P"))
        return flow

    # ------------------------------------------------------------ blocks
    # A block is laid out in a context: `base`, the paragraph style around it
    # (body, list item, quote, note); `indent`, how far in from that style its
    # text starts; `depth`, how many lists it sits in.

    def blocks(self, blocks: Sequence[m.Block], base: ParagraphStyle,
               indent: float = 0.0, depth: int = 0) -> list[Flowable]:
        flow: list[Flowable] = []
        for block in blocks:
            flow += self.block(block, base, indent, depth)
        return flow

    def block(self, block: m.Block, base: ParagraphStyle, indent: float,
              depth: int) -> list[Flowable]:
        match block:
            case m.Paragraph():
                return [self.tags.mark(Para(self.markup(block.inlines), indented(base, indent)),
                                       "P")]
            case m.Heading():
                return self.heading(block)
            case m.BulletList():
                labels = [BULLETS[min(depth, 1)]] * len(block.items)
                return self.items([i.blocks for i in block.items], labels, base, indent, depth)
            case m.NumberedList():
                labels = [f"{block.start + n}." for n in range(len(block.items))]
                return self.items([i.blocks for i in block.items], labels, base, indent, depth)
            case m.Quote():
                return self.quote(block, base, indent, depth)
            case _:
                assert_never(block)

    def heading(self, heading: m.Heading) -> list[Flowable]:
        """A heading and its outline entry; a ### before any ## is promoted so
        the outline never skips a level."""
        if heading.level == 2:
            self._seen_h2 = True
        level = 2 if heading.level == 3 and self._seen_h2 else 1
        style = self.st.h2 if heading.level == 2 else self.st.h3
        title = m.plain_text(heading.inlines)
        para = self.tags.mark(Para(self.markup(heading.inlines), style), f"H{level + 1}")
        return [self.section(title, level), para]

    def items(self, items: Sequence[Sequence[m.Block]], labels: list[str],
              base: ParagraphStyle, indent: float, depth: int) -> list[Flowable]:
        """List items with hanging labels ("•", "12."): the text of every item
        lines up after the widest label, and a list inside an item starts where
        the item's text does."""
        if not labels:
            return []
        if base is self.st.body:
            base = self.st.item
        widest = max(stringWidth(label, base.bulletFontName, base.bulletFontSize)
                     for label in labels)
        text_at = indent + max(LIST_HANG, widest + LABEL_GAP + 3)
        style = indented(base, text_at)
        flow: list[Flowable] = []
        self.tags.open("L")
        for label, blocks in zip(labels, items):
            self.tags.open("LI")
            lead, rest = (blocks[0], blocks[1:]) if blocks else (None, ())
            if isinstance(lead, m.Paragraph):
                flow.append(Para(self.markup(lead.inlines), style, bulletText=label))
            else:  # an item opening with a nested list: the label on its own line
                # (a no-break space: reportlab draws no line, so no label, for "")
                flow.append(Para("&#160;", style, bulletText=label))
                rest = blocks
            self.tags.mark(flow[-1], "LBody")  # the item's text, its label the Lbl
            flow += self.blocks(rest, base, text_at, depth + 1)
            self.tags.close("LI")
        self.tags.close("L")
        if depth == 0:
            flow.append(Spacer(0, 4))
        return flow

    def quote(self, quote: m.Quote, base: ParagraphStyle, indent: float,
              depth: int) -> list[Flowable]:
        """Indented italic text with a rule down its left edge. The rule is a
        frame background band, so it follows the quote across a page break."""
        left = indent + base.leftIndent
        self.tags.open("BlockQuote")
        inner = self.blocks(quote.blocks, self.st.quote, left, depth)
        self.tags.close("BlockQuote")
        if inner and isinstance(inner[-1], Para):
            inner[-1].spaceAfter = 0  # the rule stops at the last line
        band = QuoteBand(color=QUOTE_RULE, left=left,
                         right=self.frame_width - left - QUOTE_BAR, start=True)
        return [Spacer(0, 2), band, *inner, QuoteBand(start=False), Spacer(0, 9.5)]

    # ------------------------------------------------------------ inlines

    def markup(self, inlines: tuple[m.Inline, ...]) -> str:
        """Paragraph markup for inlines: escaped text, tags only from the nodes."""
        parts: list[str] = []
        for node in inlines:
            match node:
                case m.Text():
                    parts.append(_escape(node.text))
                case m.Dateline():
                    parts.append(f"<b>{_escape(node.text)}</b>{_escape(node.separator)}")
                case m.LineBreak():
                    parts.append("<br/>")
                case m.Strong():
                    parts.append(f"<b>{self.markup(node.children)}</b>")
                case m.Emphasis():
                    parts.append(f"<i>{self.markup(node.children)}</i>")
                case m.Link():
                    parts.append(self.link(node.href, self.markup(node.children)))
                case _:
                    assert_never(node)
        return "".join(parts)

    def link(self, href: str, inner: str) -> str:
        """A clickable link; the markup carries a stand-in, the canvas the href."""
        self.links.append(href)
        target = _escape(link_href(len(self.links) - 1))
        return f'<a href="{target}" color="{LINK}">{inner}</a>'

    def section(self, title: str, level: int) -> SectionMark:
        """An outline entry for the flowable that follows."""
        self._sections += 1
        return SectionMark(f"pg-section-{self._sections}", " ".join(title.split()), level)
