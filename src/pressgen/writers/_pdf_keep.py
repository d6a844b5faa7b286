"""The tail of a release kept off a page of its own (spec §8.7).

The end mark, the notes to editors and the media contacts go on the page that
holds at least the last three lines of the body (or all of it, when it is
shorter): `keep_tail` cuts the story there, splitting the paragraph the cut
falls in when it is long enough to leave two lines or more on each side (so
the cut itself makes neither a widow nor an orphan), and puts everything after
the cut in one `Kept` group. A heading, or anything else that keeps with what
follows, just before the cut goes into the group too, so no heading ends the
page before it.

A group that fits where it stands is laid out there, flowable by flowable, as
if it were not grouped (so a release that fits one page stays one page, and
the quote's frame band and the tags work as before); one that does not starts
the next page. Only a group taller than a whole page is broken, and then by
the weaker rules in order: the end mark with the body's last lines, the notes
heading with its first note (its keep-with-next), the contacts heading and
every contact with the last note, and each contact's block whole.

The paragraph split happens here, at story time, because a paragraph's lines
depend on the frame's width alone; both halves are pieces of the same tagged
element (`Tagged.split`).
"""

from __future__ import annotations

from typing import Any, Sequence

from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.doctemplate import NullActionFlowable

#: lines of body the end mark keeps with it
BODY_LINES = 3
#: the least a split paragraph leaves on either side of the cut
LEAST_LINES = 2
_FUZZ = 1e-6  # as reportlab's frame compares heights


class Kept(Flowable):
    """Flowables that go on one page, or start the next one together.

    Never drawn itself: when its content fits, `split` hands the content back
    to the frame, so each piece is placed (and tagged) as it would be alone.
    `fallback` is what to lay out instead when the content is taller than a
    whole page (by default the content, as it comes)."""

    def __init__(self, content: Sequence[Flowable],
                 fallback: Sequence[Flowable] | None = None) -> None:
        super().__init__()
        self.content = list(content)
        self.fallback = list(fallback) if fallback is not None else None

    def __repr__(self) -> str:
        return f"Kept({len(self.content)} flowables)"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Too tall for any frame, so the frame always asks `split`."""
        return avail_width, 0xFFFFFF

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        at_top = frame is None or getattr(frame, "_atTop", False)
        after = getattr(frame, "_prevASpace", 0) if frame is not None else 0
        overlap = getattr(frame, "_oASpace", 1) if frame is not None else 1
        if fits(self.content, self.canv, avail_width, avail_height, at_top, after, overlap):
            return [NullActionFlowable(), *self.content]
        page = getattr(frame, "_aH", avail_height)  # a whole (empty) frame
        if not at_top and fits(self.content, self.canv, avail_width, page, True, 0, overlap):
            return []  # the frame moves the whole group on, to the top of the next
        # taller than a page: broken here by the weaker rules, not after a blank
        return [NullActionFlowable(), *(self.fallback if self.fallback is not None
                                        else self.content)]


def fits(flowables: Sequence[Flowable], canvas: Any, width: float, height: float,
         at_top: bool, after: float, overlap: bool) -> bool:
    """Whether `flowables` fit in `height`, stacked as reportlab's frame stacks
    them (frames.Frame._add): no space before the first at a frame's top, the
    space between two the larger of after and before (overlapAttachedSpace), and
    the last one's space after not needed."""
    used = 0.0
    for flowable in flowables:
        zero = getattr(flowable, "_ZEROSIZE", False)
        before = 0.0
        if not at_top:
            before = after if zero else flowable.getSpaceBefore()
            if overlap:
                before = max(before - after, 0.0)
        _, tall = flowable.wrapOn(canvas, width, max(height - used - before, 0.0))
        used += before + tall
        if used > height + _FUZZ:
            return False
        space_after = flowable.getSpaceAfter()
        if overlap and not getattr(flowable, "_SPACETRANSFER", False):
            after = space_after
        if before or tall or space_after:
            at_top = False
        used += space_after
    return True


def keep_tail(story: list[Flowable], body_start: int, tail: Sequence[Flowable],
              fallback: Sequence[Flowable], width: float) -> list[Flowable]:
    """`story` (masthead and body, the body from index `body_start`) followed by
    the `tail` (end mark, notes, contacts), its last lines and the tail kept
    together; `fallback` is the tail grouped by the weaker rules."""
    before, lead = cut_body(story, body_start, width)
    weaker = [Kept([*lead, tail[0]]), *fallback[1:]] if lead else list(fallback)
    return [*before, Kept([*lead, *tail], weaker)]


def tail_fallback(ends: Flowable, notes: Sequence[Flowable],
                  contacts: Sequence[Flowable]) -> list[Flowable]:
    """The tail by the weaker rules: the contacts heading (`contacts[:2]`, with
    its outline entry) and every contact block with the last note (or the end
    mark), each block never split."""
    blocks = [Kept([block]) for block in contacts[2:]]
    last = _last_paragraph(notes)
    if last is None:
        return [Kept([ends, *contacts[:2], *blocks], [ends, *contacts[:2], *blocks])]
    group = [*notes[last:], *contacts[:2]]
    return [ends, *notes[:last], Kept([*group, *contacts[2:]], [*group, *blocks])]


def _last_paragraph(flowables: Sequence[Flowable]) -> int | None:
    for index in range(len(flowables) - 1, -1, -1):
        if isinstance(flowables[index], Paragraph):
            return index
    return None


def cut_body(story: list[Flowable], body_start: int,
             width: float) -> tuple[list[Flowable], list[Flowable]]:
    """The story split where the body's last BODY_LINES lines begin: what comes
    before, and the last lines (with any heading just before them)."""
    need = BODY_LINES
    index = len(story)
    while index > body_start and need > 0:
        flowable = story[index - 1]
        lines = text_lines(flowable, width)
        keep = max(need, LEAST_LINES)
        if lines - keep >= LEAST_LINES:
            first, rest = split_lines(flowable, width, lines - keep)
            return [*story[:index - 1], first], [rest, *story[index:]]
        need -= lines
        index -= 1
    while index > body_start and story[index - 1].getKeepWithNext():
        index -= 1  # a heading (and its outline entry) goes with what it heads
    return story[:index], story[index:]


def text_lines(flowable: Flowable, width: float) -> int:
    """The lines of text a paragraph has at `width`; 0 for anything else."""
    if not isinstance(flowable, Paragraph):
        return 0
    flowable.wrap(width, 0xFFFFFF)
    return len(flowable.blPara.lines)


def split_lines(paragraph: Paragraph, width: float, lines: int) -> tuple[Any, Any]:
    """`paragraph` as two, its first `lines` lines and the rest, which read as
    one where they stand together: no space between them."""
    paragraph.wrap(width, 0xFFFFFF)
    leading = paragraph.style.leading
    first, rest = paragraph.split(width, lines * leading + leading / 2)
    first.spaceAfter = 0
    rest.spaceBefore = 0
    return first, rest
