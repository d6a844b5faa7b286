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
    """Where character `index` of a string value was written in the file.

    In a double-quoted text it may come from an escape (`\\a`, `\\u00e9`), so the
    source is decoded along; in any other style every character stands as itself,
    so the k-th `c` of the value is the k-th `c` of the source.
    """
    start, end = doc.span.get(path, (None, None))
    if start is None:
        return doc.where(path)
    if doc.quoted.get(path) == '"':
        offset = _decoded_offset(doc.text, start + 1, end, index)
    else:
        offset = _nth(doc.text, text[index], text.count(text[index], 0, index), start, end)
    return doc.where(path) if offset is None else doc.line_column(offset)


def _nth(source: str, char: str, n: int, start: int, end: int) -> int | None:
    at = start - 1
    for _ in range(n + 1):
        at = source.find(char, at + 1, end)
        if at < 0:
            return None
    return at


_ESCAPE_LENGTH = {"x": 3, "u": 5, "U": 9}  # the letter and its hex digits


def _decoded_offset(source: str, start: int, end: int, index: int) -> int | None:
    """The source offset of value character `index` of a double-quoted scalar whose
    text (after the opening quote) starts at `start`: escapes are one character, an
    escaped line break none, a line break folds into a space (or, with blank lines
    after it, into one newline per blank line), and white space around breaks goes."""
    count, at = 0, start
    while at < end:
        char = source[at]
        if char == '"':
            return None
        if char == "\\" and source[at + 1: at + 2] == "\n":
            at = _skip_white(source, at + 2)
            continue
        if char in " \t" and source[_skip_white(source, at):][:1] == "\n":
            at = _skip_white(source, at)
            continue
        if char == "\n":
            emitted = [at]  # the space a single break folds into
            at = _skip_white(source, at + 1)
            blanks = []
            while source[at: at + 1] == "\n":
                blanks.append(at)
                at = _skip_white(source, at + 1)
            for position in blanks or emitted:
                if count == index:
                    return position
                count += 1
            continue
        if count == index:
            return at
        count += 1
        at += 1 + (_ESCAPE_LENGTH.get(source[at + 1: at + 2], 1) if char == "\\" else 0)
    return None


def _skip_white(source: str, at: int) -> int:
    while source[at: at + 1] in (" ", "\t"):
        at += 1
    return at
