"""Which characters the bundled PDF fonts cannot draw.

reportlab draws a character its font lacks as an empty box, silently. The loader
calls `missing_glyphs` on every text of a release so that such a character is an
error at its line ("no glyph for 'X'") and the PDF writer can assume full cover.

The covered code points come from fonts/coverage.txt (made by
scripts/font_coverage.py from the four faces), read once on first use. This
module must stay cheap to import: no reportlab, so `pressgen check` stays fast.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache
from pathlib import Path

COVERAGE = Path(__file__).parent / "fonts" / "coverage.txt"

#: Layout characters the writers turn into line breaks or spacing, not glyphs.
_LAYOUT = frozenset("\n\t")


@cache
def _runs() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The coverage as two sorted tuples: run starts and matching run ends."""
    starts: list[int] = []
    ends: list[int] = []
    for line in COVERAGE.read_text(encoding="ascii").split():
        first, _, last = line.partition("-")
        starts.append(int(first, 16))
        ends.append(int(last or first, 16))
    return tuple(starts), tuple(ends)


def covered(char: str) -> bool:
    """True when every face of the bundled family has a glyph for `char`."""
    starts, ends = _runs()
    at = bisect_right(starts, ord(char)) - 1
    return at >= 0 and ord(char) <= ends[at]


def missing_glyphs(text: str) -> list[str]:
    """The distinct characters of `text` no bundled face can draw, in order of
    first appearance; newlines and tabs are layout, never reported."""
    missing: dict[str, None] = {}
    for char in set(text) - _LAYOUT:
        if not covered(char):
            missing[char] = None
    if not missing:
        return []
    return sorted(missing, key=text.index)
