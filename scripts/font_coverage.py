"""Write src/pressgen/fonts/coverage.txt: the code points every bundled face can draw.

The loader checks release text against this file (via pressgen.glyphs) so that a
character the PDF cannot draw is reported at its line instead of printing as a
blank box. Only characters present in ALL four faces count, because any run of
text may end up bold or italic. Control characters are left out: they have no
visible glyph even where a font maps them.

Run after changing the fonts:  .venv/bin/python scripts/font_coverage.py
Check that the file is current: .venv/bin/python scripts/font_coverage.py --check
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFontFile

FONTS = Path(__file__).resolve().parent.parent / "src" / "pressgen" / "fonts"
FACES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
         "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf")
OUTPUT = FONTS / "coverage.txt"


def drawable(face: Path) -> set[int]:
    """Code points the face maps to a real glyph (not .notdef), controls excluded."""
    cmap = TTFontFile(str(face)).charToGlyph
    return {cp for cp, glyph in cmap.items()
            if glyph != 0 and not (cp < 0x20 or 0x7F <= cp <= 0x9F)}


def ranges(points: set[int]) -> list[tuple[int, int]]:
    """Sorted code points folded into inclusive (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for cp in sorted(points):
        if runs and runs[-1][1] == cp - 1:
            runs[-1] = (runs[-1][0], cp)
        else:
            runs.append((cp, cp))
    return runs


def coverage_text(folder: Path = FONTS) -> str:
    """The file's content: one inclusive `XXXX-YYYY` run per line (a single code
    point too, so every line parses the same way)."""
    common = set.intersection(*(drawable(folder / face) for face in FACES))
    lines = [f"{a:04X}-{b:04X}" for a, b in ranges(common)]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = coverage_text()
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="ascii") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date; run scripts/font_coverage.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="ascii")
    print(f"wrote {OUTPUT} ({text.count(chr(10))} ranges)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
