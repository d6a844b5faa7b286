"""Small flowables that reportlab lacks in the form we need, and the story's queue (FlowQueue).

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

from typing import Any, Iterable

from reportlab.platypus import Flowable, FrameBG, HRFlowable, KeepTogether, Paragraph
from reportlab.platypus.doctemplate import FrameBreak

from pressgen.writers._pdf_marks import LAYOUT, ArtifactBand, Tagged
from pressgen.writers._pdf_tags import Tag

#: how much of the flowable after a heading must fit beside it (three lines)
FOLLOWING_LINES = 44.0


#: markup longer than this (about 1,500 words) is laid out by _pdf_long.LongPara
LONG_MARKUP = 10_000


class Para(Tagged, Paragraph):
    """A Paragraph that lays itself out once per width.

    A paragraph's lines and height depend on its width alone, and the one after a
    heading is measured twice at the same width (KeepWithNext.split, then the
    frame): the second time takes the first's layout. ~0.6 ms a release, identical
    bytes. (reportlab drops `blPara` when it splits a paragraph; then it lays out
    again.) A paragraph of more than LONG_MARKUP characters of markup is made a
    LongPara, which reportlab would lay out in quadratic time."""

    _laid_out_at: float | None = None

    def __new__(cls, text: object = None, *args: object, **kwargs: object) -> "Para":
        if cls is Para and isinstance(text, str) and len(text) > LONG_MARKUP:
            from pressgen.writers._pdf_long import LongPara

            cls = LongPara
        return super().__new__(cls)

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


class FlowQueue:
    """The story as reportlab's `build` consumes it, in constant time per flowable.

    `build` takes each flowable off the front of its list (`del flowables[0]`) and
    puts split parts back at the front: on a list, each costs a move of everything
    behind it, and a release of 500,000 small flowables (a body of short quotes)
    took minutes. Kept reversed, the front is the list's end. Only the front is
    touched by reportlab (indexing, slices and inserts at 0, `del [0]`, `del [:i]`);
    anything else takes a slow but correct path."""

    def __init__(self, flowables: Iterable[Any]) -> None:
        self._back = list(flowables)[::-1]  # the next flowable last

    def __len__(self) -> int:
        return len(self._back)

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self._back))
            if step == 1 and start <= stop:
                part = self._back[len(self._back) - stop:len(self._back) - start]
                return part[::-1]
            return self._items()[key]
        if key < 0:
            key += len(self._back)
        if not 0 <= key < len(self._back):
            raise IndexError("the story has no flowable there")
        return self._back[-1 - key]

    def __setitem__(self, key: int | slice, value: Any) -> None:
        if isinstance(key, slice) and key.start in (0, None) and key.stop == 0 and key.step is None:
            self._back.extend(list(value)[::-1])  # `flowables[0:0] = parts`
        elif isinstance(key, int) and key == 0:
            self._back[-1] = value
        else:
            items = self._items()
            items[key] = value
            self._back = items[::-1]

    def __delitem__(self, key: int | slice) -> None:
        if key == 0:
            del self._back[-1]
        elif isinstance(key, slice) and key.start in (0, None) and key.step is None \
                and key.stop is not None and key.stop >= 0:
            del self._back[max(len(self._back) - key.stop, 0):]
        else:
            items = self._items()
            del items[key]
            self._back = items[::-1]

    def insert(self, index: int, value: Any) -> None:
        if index == 0:
            self._back.append(value)
        else:
            items = self._items()
            items.insert(index, value)
            self._back = items[::-1]

    def _items(self) -> list[Any]:
        return self._back[::-1]
