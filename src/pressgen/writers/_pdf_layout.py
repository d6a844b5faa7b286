"""Small flowables that reportlab lacks in the form we need.

Para is reportlab's Paragraph laid out once per width (see its doc), and
taggable. Rule and QuoteBand are a horizontal rule and a quote's left rule,
both drawn as artifacts in the tagged PDF (see _pdf_marks). SectionMark puts an
outline (bookmark) entry where it is drawn. KeepWithNext is
the document's keepTogetherClass: reportlab groups a keepWithNext heading with
the whole flowable after it and moves the lot to the next page when it does not
fit, so a heading before a long paragraph leaves half a page blank. Ours only
asks that the heading and the first lines of what follows fit together.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, FrameBG, HRFlowable, KeepTogether, Paragraph
from reportlab.platypus.doctemplate import FrameBreak

from pressgen.writers._pdf_marks import LAYOUT, ArtifactBand, Tagged
from pressgen.writers._pdf_tags import Tag

#: how much of the flowable after a heading must fit beside it (three lines)
FOLLOWING_LINES = 44.0


class Para(Tagged, Paragraph):
    """A Paragraph that lays itself out once per width.

    A paragraph's lines and height depend on its width alone, and the one after a
    heading is measured twice at the same width (KeepWithNext.split, then the
    frame): the second time takes the first's layout. ~0.6 ms a release, identical
    bytes. (reportlab drops `blPara` when it splits a paragraph; then it lays out
    again.)"""

    _laid_out_at: float | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._laid_out_at == avail_width and "blPara" in self.__dict__:
            return self.width, self.height
        size = super().wrap(avail_width, avail_height)
        self._laid_out_at = avail_width if "blPara" in self.__dict__ else None
        return size


class Rule(Tagged, HRFlowable):
    """A horizontal rule: layout, not content."""

    pg_tag = Tag(artifact=LAYOUT)


class QuoteBand(FrameBG):
    """A frame background band (the rule down a quote's left edge), painted as
    an artifact in the tagged PDF."""

    def draw(self) -> None:
        super().draw()
        frame = getattr(self, "_frame", None)
        if self.start and frame is not None and frame._frameBGs:
            frame._frameBGs[-1].__class__ = ArtifactBand


class SectionMark(Flowable):
    """Zero-size flowable: an outline entry pointing at where it is drawn.

    It keeps with the next flowable, so it moves to a new page with its heading.
    """

    _ZEROSIZE = 1

    def __init__(self, key: str, title: str, level: int) -> None:
        super().__init__()
        self.key = key
        self.title = title
        self.level = level
        self.keepWithNext = 1

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level)


class KeepWithNext(KeepTogether):
    """Keeps headings with the start of what follows them (see module doc)."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Always too tall, so the frame asks `split`, which measures what it needs.

        KeepTogether.wrap would lay out the whole group (and deep-copy the frame)
        only to say the same; skipping it saves a third layout of every heading and
        the paragraph after it (~1 ms a release, identical bytes)."""
        self._wrapInfo = avail_width, avail_height
        return avail_width, 0xFFFFFF

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        content = list(self._content)
        frame = getattr(self, "_frame", None)
        if frame is None or getattr(frame, "_atTop", False):
            return content
        need = 0.0
        for index, flowable in enumerate(content):
            _, height = flowable.wrapOn(self.canv, avail_width, avail_height)
            if index == len(content) - 1:
                height = min(height, FOLLOWING_LINES)
            need += height + flowable.getSpaceBefore() * (index > 0)
            need += flowable.getSpaceAfter() * (index < len(content) - 1)
        if need > avail_height:
            return [FrameBreak(), *content]
        return content
