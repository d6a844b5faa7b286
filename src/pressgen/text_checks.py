"""Checks on every string of a file: control characters, missing glyphs, hidden characters.

Control characters (U+0000-U+001F but tab and newline, DEL, the C1 range) make
python-docx fail at save and print as nothing in a PDF; a character our fonts
cannot draw would print as an empty box. An invisible format character (a
right-to-left override U+202E, a zero-width space, a BOM) has its uses in text,
but in an address or an id it only hides what the address really is: the mail
goes elsewhere, or the id matches nothing while looking right. All are found
here, at load, where we still know the line and column to report.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from typing import Any, Iterator

from pressgen.errors import Problem
from pressgen.schema import key_name
from pressgen.yamlsource import Located

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Unicode's format characters (category Cf, as of Unicode 15.1), written out because
# `re` has no \p{Cf}; tests/test_load.py checks it against `unicodedata`
INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]")
# the keys whose values are addresses: a hidden character there changes where they lead
_ADDRESS_KEYS = {"email": "address", "website": "address", "phone": "number"}


def has_invisible(text: str) -> bool:
    """Whether `text` holds a format character (see INVISIBLE)."""
    return INVISIBLE.search(text) is not None


def text_problems(doc: Located) -> list[Problem]:
    problems: list[Problem] = []
    for path, text in _strings(doc.data, ()):
        found = [(m.start(), f"a control character (U+{ord(m[0]):04X}) is in the text; "
                             "delete it") for m in _CONTROL.finditer(text)]
        for char in _missing(_CONTROL.sub("", text)):
            name = unicodedata.name(char, "unnamed")
            found.append((text.index(char), f"no glyph for '{char}' (U+{ord(char):04X} {name}) "
                                            "in pressgen's fonts; replace the character"))
        what = _address_kind(path)
        if what:
            found += [(m.start(), f"`{key_name(path)}`: an invisible character (U+{ord(m[0]):04X}"
                                  f" {unicodedata.name(m[0], 'format character')}) is in the "
                                  f"{what}; delete it (type the {what} again)")
                      for m in INVISIBLE.finditer(text)]
        if found:
            found.sort()
            places = _positions(doc, path, text, [index for index, _ in found])
            problems += [Problem(doc.file, line, col, message)
                         for (line, col), (_, message) in zip(places, found)]
    return problems


def _address_kind(path: tuple) -> str | None:
    """"address", "number" or "id" when the string at `path` is one; else None."""
    if path and isinstance(path[-1], str) and path[-1] in _ADDRESS_KEYS:
        return _ADDRESS_KEYS[path[-1]]
    if len(path) == 2 and path[0] in ("standard_notes", "contacts") and isinstance(path[1], int):
        return "id"  # a release's `standard_notes: [id]` and `contacts: [id]`
    return None


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


def _positions(doc: Located, path: tuple, text: str, indexes: list[int]) -> list[tuple[int, int]]:
    """Where each character `indexes[i]` (in order) of a string value was written.

    In a double-quoted text it may come from an escape (`\\a`, `\\u00e9`), so the
    source is decoded along, once for all; in any other style every character
    stands as itself, so the k-th `c` of the value is the k-th `c` of the source.
    Each is found in one pass, so 100,000 faults in a 1 MB text cost one read of it.
    """
    start, end = doc.span.get(path, (None, None))
    if start is None:
        return [doc.where(path)] * len(indexes)
    if doc.quoted.get(path) == '"':
        offsets = _decoded_offsets(doc.text, start + 1, end, indexes)
    else:
        offsets = _nth_offsets(doc.text, text, start, end, indexes)
    return [doc.where(path) if offset is None else doc.line_column(offset) for offset in offsets]


def _nth_offsets(source: str, text: str, start: int, end: int,
                 indexes: list[int]) -> list[int | None]:
    """For each index into `text`, the source offset of the same occurrence of its character."""
    occurrences: dict[str, tuple[list[int], list[int]]] = {}  # char -> (in text, in source)
    for char in {text[i] for i in indexes}:
        pattern = re.compile(re.escape(char))
        occurrences[char] = ([m.start() for m in pattern.finditer(text)],
                             [m.start() for m in pattern.finditer(source, start, end)])
    offsets: list[int | None] = []
    for index in indexes:
        in_text, in_source = occurrences[text[index]]
        n = bisect.bisect_left(in_text, index)
        offsets.append(in_source[n] if n < len(in_source) else None)
    return offsets


_ESCAPE_LENGTH = {"x": 3, "u": 5, "U": 9}  # the letter and its hex digits


def _decoded_offsets(source: str, start: int, end: int, indexes: list[int]) -> list[int | None]:
    """The source offset of each value character `indexes[i]` of a double-quoted
    scalar whose text (after the opening quote) starts at `start`."""
    wanted = set(indexes)
    found: dict[int, int] = {}
    for index, offset in _decoded_characters(source, start, end):
        if index in wanted:
            found[index] = offset
            if len(found) == len(wanted):
                break
    return [found.get(index) for index in indexes]


def _decoded_characters(source: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(index in the value, offset in the source) of each character a double-quoted
    scalar decodes to: escapes are one character, an escaped line break none, a line
    break folds into a space (or, with blank lines after it, into one newline per
    blank line), and white space around breaks goes."""
    count, at = 0, start
    while at < end:
        char = source[at]
        if char == '"':
            return
        if char == "\\" and source[at + 1: at + 2] == "\n":
            at = _skip_white(source, at + 2)
            continue
        if char in " \t":  # a run of white space: dropped before a break, else kept
            after = _skip_white(source, at)
            if source[after: after + 1] != "\n":
                for position in range(at, after):
                    yield count, position
                    count += 1
            at = after
            continue
        if char == "\n":
            emitted = [at]  # the space a single break folds into
            at = _skip_white(source, at + 1)
            blanks = []
            while source[at: at + 1] == "\n":
                blanks.append(at)
                at = _skip_white(source, at + 1)
            for position in blanks or emitted:
                yield count, position
                count += 1
            continue
        yield count, at
        count += 1
        at += 1 + (_ESCAPE_LENGTH.get(source[at + 1: at + 2], 1) if char == "\\" else 0)


def _skip_white(source: str, at: int) -> int:
    while source[at: at + 1] in (" ", "\t"):
        at += 1
    return at
