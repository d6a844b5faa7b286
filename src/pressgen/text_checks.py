"""Checks on every string of a file: control characters and missing glyphs.

Control characters (U+0000-U+001F but tab and newline, DEL, the C1 range) make
python-docx fail at save and print as nothing in a PDF; a character our fonts
cannot draw would print as an empty box. Both are found here, at load, where we
still know the line and column to report.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterator

from pressgen.errors import Problem
from pressgen.yamlsource import Located

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def text_problems(doc: Located) -> list[Problem]:
    problems: list[Problem] = []
    for path, text in _strings(doc.data, ()):
        for match in _CONTROL.finditer(text):
            line, col = _position(doc, path, text, match.start())
            problems.append(Problem(doc.file, line, col, f"a control character "
                                    f"(U+{ord(match[0]):04X}) is in the text; delete it"))
        for char in _missing(_CONTROL.sub("", text)):
            line, col = _position(doc, path, text, text.index(char))
            name = unicodedata.name(char, "unnamed")
            problems.append(Problem(doc.file, line, col, f"no glyph for '{char}' (U+{ord(char):04X}"
                                    f" {name}) in pressgen's fonts; replace the character"))
    return problems


def _missing(text: str) -> list[str]:
    try:
        from pressgen.glyphs import missing_glyphs
    except ImportError:  # pragma: no cover - until the font coverage table exists
        return []
    return missing_glyphs(text)


def _strings(data: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, path + (i,))


def _position(doc: Located, path: tuple, text: str, index: int) -> tuple[int, int]:
    """Where character `index` of a string value is in the file, as near as YAML lets us know."""
    newlines = text.count("\n", 0, index)
    start = doc.block_scalars.get(path)
    if start is None:
        line, col = doc.where(path)
        quote = doc.quoted.get(path)
        if newlines or quote is None:
            return (line + newlines, col + index if not newlines else 1)
        return line, col + 1 + _source_offset(doc.line_text(line)[col:], index, quote)
    line = start + newlines
    indent = len(doc.line_text(line)) - len(doc.line_text(line).lstrip())
    return line, indent + index - (text.rfind("\n", 0, index) + 1) + 1


_ESCAPE_LENGTH = {"x": 3, "u": 5, "U": 9}  # the letter and its hex digits


def _source_offset(source: str, index: int, quote: str) -> int:
    """How many characters of a one-line quoted scalar's source (after its opening
    quote) hold its first `index` characters: escapes (`\\e`, `\\u00e9`, `''`) are longer."""
    at = 0
    for _ in range(index):
        if at >= len(source):
            break
        if quote == '"' and source[at] == "\\":
            at += 1 + _ESCAPE_LENGTH.get(source[at + 1: at + 2], 1)
        elif quote == "'" and source[at: at + 2] == "''":
            at += 2
        else:
            at += 1
    return at
