"""No word left alone on the last line of a headline, standfirst or note.

reportlab breaks lines greedily, so a headline one word too long for a line
ends with that word alone under it ("August"). `balance` narrows the
paragraph (a larger right indent, in steps) until its last line holds two
words or more, as long as it keeps the same number of lines: the break moves
earlier and the lines even out. No character changes (no no-break space
enters the text), so the words a reader copies and the tagged text stay the
model's. Where no narrower measure helps (a two-word headline on two lines),
the paragraph stays as it was.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

STEP = 6.0  # pt narrower each try
NARROWEST = 0.6  # of the measure: never narrower than this
LONGEST = 8  # lines: a longer paragraph is not a headline, and not worth the tries


def balance(paragraph: Paragraph, width: float) -> Paragraph:
    """`paragraph`, narrowed if that lets its last line hold two words or more."""
    lines = _lines(paragraph, width)
    if not 2 <= len(lines.lines) <= LONGEST or last_line_words(lines) > 1:
        return paragraph
    style = paragraph.style
    shrink = STEP
    while shrink <= width * (1 - NARROWEST):
        paragraph.style = narrower(style, shrink)
        tried = _lines(paragraph, width)
        if len(tried.lines) == len(lines.lines) and last_line_words(tried) > 1:
            return paragraph
        shrink += STEP
    paragraph.style = style
    _lines(paragraph, width)
    return paragraph


def _lines(paragraph: Paragraph, width: float):
    """The paragraph laid out afresh at `width` (its style may have changed)."""
    paragraph.__dict__.pop("blPara", None)
    paragraph.__dict__.pop("_laid_out_at", None)
    paragraph.wrap(width, 0xFFFFFF)
    return paragraph.blPara


def last_line_words(lines) -> int:
    """How many words the last line of laid-out paragraph `lines` has."""
    last = lines.lines[-1]
    if lines.kind == 0:
        return len(last[1])
    return len("".join(getattr(frag, "text", "") for frag in last.words).split())


@cache
def narrower(style: ParagraphStyle, shrink: float) -> ParagraphStyle:
    return style.clone(f"{style.name}-{shrink:g}", rightIndent=style.rightIndent + shrink)
