"""The PDF writer: a release model in, the bytes of a PDF out.

Every page carries the release line (embargo or FOR IMMEDIATE RELEASE) in its
header, drawn before anything else so it is the first text of page 1, and
the page label (N of M) with the organisation in its footer; a draft also gets a DRAFT
tag in the header and a light diagonal DRAFT across the page. The content
follows spec §6 (see _pdf_story). Fonts are the bundled Noto Sans, embedded as
subsets.

The PDF is tagged and claims PDF/UA-1 (spec §11): the story declares each
flowable's role, the drawing marks every piece as content or artifact, and the
structure tree goes in with the rest (see _pdf_tags, _pdf_marks, _pdf_tree). The first page's
release line (and DRAFT) is the first of the tree; its repeats in later
headers, the footers and the watermark are artifacts.

The output is a pure function of the model: reportlab's invariant mode, dates
from `release.timestamp`, no file or clock access besides the fonts.
"""

from __future__ import annotations

import math
from hashlib import md5
from datetime import datetime, timezone
from functools import partial
from io import BytesIO
from typing import Any, Callable

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from pressgen import __version__
from pressgen.model import Release
from pressgen.resources import Resources
from pressgen.writers._pdf_canvas import PagedCanvas
from pressgen.writers._pdf_fonts import BOLD, REGULAR, register_fonts
from pressgen.writers._pdf_layout import FlowQueue, KeepWithNext
from pressgen.writers._pdf_story import Story, composed
from pressgen.writers._pdf_marks import (
    FOOTER, HEADER, LAYOUT, WATERMARK, MarkedCanvas, artifact, content_of,
)
from pressgen.writers._pdf_tags import Element, Structure
from pressgen.writers._pdf_styles import (
    ACCENT, DRAFT_BASELINE, DRAFT_MARK as DRAFT_COLOUR, DRAFT_TAG, EMBARGO, FOOTER_BASELINE, FOOTER_RULE,
    FOOTER_SIZE, FRAME_BOTTOM, FRAME_TOP, HEADER_BASELINE, HEADER_RULE, HEADER_SIZE,
    MARGIN_X, MUTED, PAGE_SIZES, RULE, styles,
)


def render(release: Release, resources: Resources) -> bytes:
    """The release as a tagged PDF (A4, or US Letter when `release.paper` says so)."""
    return build_pdf(release, resources)


def build_pdf(release: Release, resources: Resources | None = None, tagged: bool = True,
              story_type: Callable[..., Story] = Story) -> bytes:
    """The PDF of `release`; untagged only for the bench, which measures what
    tagging costs. `story_type` lets a test add what the model cannot say yet."""
    register_fonts(resources or Resources())
    page_width, page_height = PAGE_SIZES[release.paper]
    frame_width = page_width - 2 * MARGIN_X
    structure = Structure() if tagged else None
    # The release line (each language's), then DRAFT: the first elements, before the story's.
    header = _header_lines(release, structure, frame_width)
    extra = max(0, sum(len(lines) for _, lines, _ in header) - 1) * LINE_STEP
    story = story_type(styles(), frame_width, structure, resources)
    flowables = story.build(release)

    out = BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=(page_width, page_height), invariant=1,
        title=release.headline, author=release.organisation.name,
        subject=release.summary or release.headline,
        creator=f"pressgen {__version__}", lang=release.language,
        displayDocTitle=1, keepTogetherClass=KeepWithNext, initialFontName=REGULAR,
    )
    frame = Frame(MARGIN_X, FRAME_BOTTOM, frame_width,
                  page_height - FRAME_TOP - FRAME_BOTTOM - max(0, extra - DRAFT_ROOM), id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=partial(
        _draw_header, release=release, header=header))])
    doc.build(FlowQueue(flowables), canvasmaker=partial(
        _make_canvas, release=release, links=story.links, structure=structure))
    return out.getvalue()


def _make_canvas(*args: Any, release: Release, links: list[str],
                 structure: Structure | None, **kwargs: Any) -> Canvas:
    """The counting canvas, its dates and file ID pinned to the release's timestamp.

    reportlab seeds the file ID with SOURCE_DATE_EPOCH when that is set, so the
    same model would give other bytes under another environment; the loader has
    already turned SOURCE_DATE_EPOCH into `release.timestamp`, so we reseed the
    ID from that instead (before anything has been added to the document).
    """
    footer = partial(_draw_footer, release=release, width=kwargs["pagesize"][0])
    stamp = _pdf_date(release.timestamp)
    if structure is None:
        canvas = PagedCanvas(*args, footer=footer, links=links, **kwargs)
    else:
        canvas = MarkedCanvas(*args, footer=footer, links=links, structure=structure,
                              date=stamp, **kwargs)
    canvas.setDateFormatter(lambda *_: stamp)
    signature = md5(b"pressgen " + stamp.encode("ascii"), usedforsecurity=False)
    canvas._doc.signature = signature
    return canvas


def _pdf_date(moment: datetime) -> str:
    """A PDF date string (D:YYYYMMDDHHmmSS+HH'mm'); a naive moment counts as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{mins:02d}'"


LINE_STEP = DRAFT_BASELINE - HEADER_BASELINE  # from one header line to the next
DRAFT_ROOM = LINE_STEP  # the header had room for one more line (a draft's) already

HeaderLine = tuple[Element | None, list[str], Any]  # its element, its lines, its colour


def _header_lines(release: Release, structure: Structure | None,
                  width: float) -> list[HeaderLine]:
    """The release line in each language (wrapped to the page's width: with more
    zones it is long), then DRAFT; on page 1 each is an element of its own."""
    def element(**attrs: str) -> Element | None:
        return structure.element("P", **attrs) if structure else None

    colour = EMBARGO if release.embargoed else ACCENT
    header = [(element(), _wrapped(release.release_line, width), colour)]
    if release.translation:
        header.append((element(Lang=release.translation.language),
                       _wrapped(release.translation.release_line, width), colour))
    if release.draft:
        header.append((element(), [release.words.draft], DRAFT_TAG))
    return header


def _wrapped(text: str, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    return simpleSplit(composed(text), BOLD, HEADER_SIZE, width) or [""]


def _draw_header(canvas: Canvas, doc: BaseDocTemplate, release: Release,
                 header: list[HeaderLine]) -> None:
    """The release line (bilingual: one per language; a draft: DRAFT on the line
    under it), then a draft's diagonal mark.

    Runs before the page's content, so the release line is the page's first
    text and the mark lies under the text. DRAFT gets a line of its own, not
    the right end of the release line, so that no text extractor (layout modes
    included) can read the two as one line. On page 1 these are the header's
    elements; on later pages the header is a repeat, an artifact.
    """
    width, height = doc.pagesize
    first = canvas.getPageNumber() == 1
    with artifact(canvas, None if first else HEADER):  # page 1's is content
        canvas.saveState()
        canvas.setFont(BOLD, HEADER_SIZE)
        baseline = height - HEADER_BASELINE
        for element, lines, colour in header:
            canvas.setFillColor(colour)
            with content_of(canvas, element if first else None):
                for n, line in enumerate(lines):
                    # a space at each wrapped line's end (drawn, it shows nothing)
                    # keeps the last word of one line apart from the next in the text
                    # a screen reader or `pdfinfo -struct-text` reads
                    canvas.drawString(MARGIN_X, baseline, line + (" " if n < len(lines) - 1 else ""))
                    baseline -= LINE_STEP
        rule = baseline + LINE_STEP - (HEADER_RULE - HEADER_BASELINE)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        with artifact(canvas, LAYOUT if first else None):  # later, inside the header's
            canvas.line(MARGIN_X, rule, width - MARGIN_X, rule)
        canvas.restoreState()
    if release.draft:
        with artifact(canvas, WATERMARK):
            _draw_draft_mark(canvas, width, height, release.words.draft)


def _draw_draft_mark(canvas: Canvas, width: float, height: float, word: str) -> None:
    """DRAFT, large and faint, corner to corner across the page."""
    canvas.saveState()
    canvas.translate(width / 2, height / 2)
    canvas.rotate(math.degrees(math.atan2(height, width)))
    canvas.setFillColor(DRAFT_COLOUR)
    size = width * 0.26
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(0, -size * 0.35, word)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, number: int, total: int, release: Release,
                 width: float) -> None:
    """Organisation at the left, the page label (N of M) at the right, under a rule: an
    artifact, the same on every page."""
    with artifact(canvas, FOOTER):
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, FOOTER_RULE, width - MARGIN_X, FOOTER_RULE)
        canvas.setFont(REGULAR, FOOTER_SIZE)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN_X, FOOTER_BASELINE, composed(release.organisation.name))
        canvas.drawRightString(width - MARGIN_X, FOOTER_BASELINE, release.words.page_label(number, total))
        canvas.restoreState()
