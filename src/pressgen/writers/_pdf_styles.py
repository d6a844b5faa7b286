"""The PDF's typography: page geometry, colours and paragraph styles.

One place for every size and colour so the look can be tuned without touching
layout code. Body text is 10.5/14.5 pt (leading about 1.38) ranged left: press
releases are read on screen and quoted from, and reportlab has no hyphenation
worth trusting for justified text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from pressgen.writers._pdf_fonts import BOLD, ITALIC, REGULAR

INK = HexColor("#1B1B1B")
ACCENT = HexColor("#0B3C5D")  # organisation, headings, bullets
MUTED = HexColor("#5C5C5C")  # date, footer
LINK = "#0B5394"  # a string: it goes into <a color="..."> markup
EMBARGO = HexColor("#A3161A")  # the embargo line: hard to miss, still sober
RULE = HexColor("#C9CED6")
QUOTE_RULE = HexColor("#9FB4C7")
DRAFT_MARK = HexColor("#F8E1E1")  # the diagonal watermark: solid, drawn under the text
DRAFT_TAG = HexColor("#C62828")

PAGE_SIZES = {"a4": A4, "letter": LETTER}

MARGIN_X = 25 * mm
FRAME_TOP = 27 * mm  # from the top edge: header above it
FRAME_BOTTOM = 22 * mm  # from the bottom edge: footer below it
HEADER_BASELINE = 13 * mm  # from the top edge
DRAFT_BASELINE = 17 * mm  # a draft's DRAFT line, under the release line
HEADER_RULE = 17 * mm  # 20.5 mm for a draft, under its DRAFT line
FOOTER_RULE = 15 * mm  # from the bottom edge
FOOTER_BASELINE = 10.5 * mm
HEADER_SIZE = 9
FOOTER_SIZE = 8

LIST_HANG = 15.0  # least room for the bullet or "12." left of an item's text
LABEL_GAP = 5.5  # from the end of a bullet or number to the item's text
QUOTE_INDENT = 14.0
QUOTE_BAR = 2.2  # width of the rule left of a quote


@dataclass(frozen=True)
class Styles:
    organisation: ParagraphStyle
    headline: ParagraphStyle
    standfirst: ParagraphStyle
    date: ParagraphStyle
    body: ParagraphStyle
    item: ParagraphStyle
    quote: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    ends: ParagraphStyle
    section: ParagraphStyle
    note: ParagraphStyle
    contact: ParagraphStyle
    letterhead_line: ParagraphStyle
    label: ParagraphStyle


LOGO_HEIGHT = 40.0  # pt: every logo of the letterhead is scaled to this height
LOGO_MAX_WIDTH = 170.0
LOGO_GAP = 18.0  # between two logos in a row


def _style(name: str, parent: ParagraphStyle | None = None, **kw: object) -> ParagraphStyle:
    return ParagraphStyle(name, parent=parent, **kw)


@cache
def styles() -> Styles:
    """The paragraph styles, built once; they name the fonts `register_fonts` registers."""
    base = _style(
        "pg-base", fontName=REGULAR, fontSize=10.5, leading=14.5, textColor=INK,
        allowWidows=0, allowOrphans=0, linkUnderline=1, underlineColor=HexColor(LINK),
        underlineWidth=0.5, underlineOffset=-0.14, bulletFontName=REGULAR,
        bulletFontSize=10.5, uriWasteReduce=0.3, splitLongWords=1,
    )
    body = _style("pg-body", base, spaceAfter=7.5)
    return Styles(
        # the name as written (no text transform), so copying it from the PDF gives it back
        organisation=_style("pg-org", base, fontName=BOLD, fontSize=11, leading=14,
                            textColor=ACCENT, spaceAfter=6),
        headline=_style("pg-headline", base, fontName=BOLD, fontSize=21, leading=26,
                        spaceAfter=9),
        standfirst=_style("pg-standfirst", base, fontSize=12.5, leading=17.5,
                          textColor=HexColor("#333333"), spaceAfter=8),
        date=_style("pg-date", base, fontSize=9.5, leading=12, textColor=MUTED,
                    spaceAfter=0),
        body=body,
        item=_style("pg-item", body, spaceAfter=3.5, bulletColor=ACCENT),
        quote=_style("pg-quote", body, fontName=ITALIC, textColor=HexColor("#333333"),
                     leftIndent=QUOTE_INDENT, rightIndent=QUOTE_INDENT),
        h2=_style("pg-h2", base, fontName=BOLD, fontSize=13.5, leading=17.5,
                  textColor=ACCENT, spaceBefore=11, spaceAfter=4, keepWithNext=1),
        h3=_style("pg-h3", base, fontName=BOLD, fontSize=11, leading=14.5,
                  spaceBefore=8, spaceAfter=3, keepWithNext=1),
        ends=_style("pg-ends", base, fontName=BOLD, alignment=TA_CENTER,
                    spaceBefore=8, spaceAfter=14),
        section=_style("pg-section", base, fontName=BOLD, fontSize=12, leading=16,
                       textColor=ACCENT, spaceBefore=8, spaceAfter=5, keepWithNext=1),
        note=_style("pg-note", base, fontSize=9.5, leading=13, spaceAfter=4,
                    bulletFontSize=9.5, bulletColor=ACCENT),
        contact=_style("pg-contact", base, fontSize=10, leading=13.5, spaceAfter=8),
        letterhead_line=_style("pg-letterhead-line", base, fontSize=9.5, leading=12.5,
                               textColor=MUTED, spaceBefore=-5, spaceAfter=7),
        label=_style("pg-label", base, fontName=BOLD, fontSize=10, leading=13,
                     textColor=EMBARGO, spaceBefore=4, spaceAfter=4),
    )


@cache
def indented(style: ParagraphStyle, left: float) -> ParagraphStyle:
    """`style` with its text `left` pt further in, and any bullet or number
    ending LABEL_GAP pt before the text (so "9." and "10." line up on the dot)."""
    if not left:
        return style
    at = style.leftIndent + left
    return style.clone(f"{style.name}@{left:g}", leftIndent=at,
                       bulletIndent=at - LABEL_GAP, bulletAnchor="end")
