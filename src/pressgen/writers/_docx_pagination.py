"""The DOCX's pagination rules (spec §8.7), as Word and LibreOffice keep them.

A DOCX is paginated by whoever opens it, after every edit, so the rules live
where Word reads them: in the paragraph styles. Every style of the masthead,
the headings and the tail keeps with the next paragraph and keeps its lines
together; so do each note and each contact. That chains the end mark, the
notes and the contacts into one block Word moves as a whole (and breaks, by
its own rule, only when the block is taller than a page). Normal and the list
styles get widow control (no single line of a paragraph alone at the top or
foot of a page). `keep_styles` sets all this on the reference's styles, so a
house's own reference.docx follows the rules too, and a user who edits the
document keeps them.

Only the body's last lines cannot be a style: `keep_body_end` gives the last
body paragraphs "keep with next" (and "keep lines together" where that
moves no more than is needed) until about three lines of body go with the
end mark. Word
knows no lines at write time, so they are estimated from the characters and
the text width.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph

#: styles that keep with the next paragraph and keep their lines together
KEPT_STYLES = ("Release Line", "Draft Mark", "Organisation", "Title", "Subtitle",
               "Heading 2", "Heading 3", "Ends", "Notes Heading", "Note",
               "Contacts Heading", "Contact")
#: styles whose paragraphs never leave one line alone on a page
WIDOW_STYLES = ("Normal", "Quote", "List Bullet", "List Bullet 2", "List Number",
                "List Number 2", "List Continue", "List Continue 2", "Note")
BODY_LINES = 3  # lines of body kept with the end mark
SHORT_LINES = 10  # a last paragraph this short goes whole (Word keeps two lines, not three)
CHARS_PER_LINE = 105  # 11 pt text across 16.5 cm holds ~95: count lines low, keep more


def keep_styles(style: Callable[[str], BaseStyle]) -> None:
    """Set the keeps and widow control on the styles (`style` finds one by name)."""
    for name in KEPT_STYLES:
        fmt = style(name).paragraph_format
        fmt.keep_with_next = True
        fmt.keep_together = True
    for name in WIDOW_STYLES:
        style(name).paragraph_format.widow_control = True


def keep_body_end(paragraphs: Sequence[Paragraph]) -> None:
    """Keep the body's last BODY_LINES lines (or all of it) with the end mark.

    Paragraphs that fit in what is still needed go whole (keep lines together);
    the one the count ends in only keeps with the next, and widow control then
    brings at least two of its lines along: enough when two or fewer are
    needed. When it is the last paragraph and all three are needed, it goes
    whole if it is short (SHORT_LINES), else two of its lines go."""
    need = BODY_LINES
    for paragraph in reversed(paragraphs):
        fmt = paragraph.paragraph_format
        fmt.keep_with_next = True
        lines = estimated_lines(paragraph.text)
        if lines <= need or (need > 2 and lines <= SHORT_LINES):
            fmt.keep_together = True
        need -= lines
        if need <= 0:
            return


def estimated_lines(text: str) -> int:
    """How many lines `text` takes in the body, roughly (hard breaks counted)."""
    return sum(max(1, -(-len(line) // CHARS_PER_LINE)) for line in _hard_lines(text))


def _hard_lines(text: str) -> Iterable[str]:
    return text.split("\n") if text else [""]
