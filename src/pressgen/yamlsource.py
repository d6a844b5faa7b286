"""YAML in, plain data out, with the line and column of every key and value kept.

yamlcore composes a node tree that carries marks; we build the data from it
ourselves so that schema errors can point at the exact place. Scalars follow the
YAML 1.2 core schema (only true/false, null and numbers are typed), so `no`,
`off` and `2026-01-29` stay the text that was written. Anchors, aliases, tags
and deep nesting are refused there; duplicate keys are errors here, not silent
overwrites. Control characters and Unicode line separators are found in the raw
text, before YAML sees them, so that each is reported at its own line and column.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pressgen.errors import Problem, ReleaseError, excerpt
from pressgen.reading import ReadError, read_bounded
from pressgen.yamlcore import Refused, compose

MAX_BYTES = 1_000_000  # a press release is a few kB; a larger file is a mistake

Path_ = tuple[Any, ...]  # keys and indexes from the document root


@dataclass
class Located:
    """Data from one YAML document and where each part of it was written."""

    data: Any
    file: Path
    value_at: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_at: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    block_scalars: dict[Path_, int] = field(default_factory=dict)  # path -> first content line
    quoted: dict[Path_, str] = field(default_factory=dict)  # path -> ' or " for quoted scalars
    span: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # scalar's source offsets
    raw: dict[Path_, str] = field(default_factory=dict)  # scalar text as written
    text: str = ""
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def _starts(self) -> list[int]:
        """The offset at which each line begins: found once, so that placing many
        problems in a 1 MB file costs a search each, not a scan of the file."""
        if not self._line_starts:
            self._line_starts = line_starts(self.text)
        return self._line_starts

    def line_text(self, line: int) -> str:
        """The file's line `line` (from 1), for columns inside block scalars."""
        starts = self._starts()
        if not 0 < line <= len(starts):
            return ""
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[starts[line - 1]:end]

    def line_offset(self, line: int) -> int:
        """The offset of the first character of line `line` (from 1)."""
        starts = self._starts()
        return starts[min(max(line, 1), len(starts)) - 1]

    def line_column(self, offset: int) -> tuple[int, int]:
        """The line and column (from 1) of character `offset` of the file's text."""
        starts = self._starts()
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """The line and column of a value (or its key), else of its nearest parent."""
        table = self.key_at if key else self.value_at
        while path not in table and path:
            path = path[:-1]
        return table.get(path, self.value_at.get((), (1, 1)))

    def problem(self, path: Path_, message: str, key: bool = False) -> Problem:
        line, col = self.where(path, key)
        return Problem(self.file, line, col, message)


def read_text(file: Path, root: Path | None = None) -> str:
    """The file's text: UTF-8 (a BOM is accepted), CRLF accepted, size capped.

    Read through `reading.read_bounded`: only a regular file, opened without
    blocking, its size checked from the open descriptor before a byte is read
    (a FIFO never blocks, a device never floods, a 50 MB file costs nothing), and
    a symbolic link followed only inside `root` when one is given.
    """
    try:
        raw = read_bounded(file, MAX_BYTES, root=root)
    except ReadError as exc:
        message = str(exc)
        if message.startswith("the file is") and "over the limit" in message:
            message += "; a release should be a few kilobytes"
        raise ReleaseError.at(file, 1, 1, message) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "it looks like UTF-16; " if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise ReleaseError.at(file, line, col, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                              f"{hint}save the file as UTF-8") from None
    if not text.strip():
        raise ReleaseError.at(file, 1, 1, "the file is empty; write the release's keys in it")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = _character_problems(file, text)
    if problems:
        raise ReleaseError(problems)
    # Composed (NFC) text, as most editors save it: a name typed with combining accents
    # (as macOS may) then prints and searches the same in all three outputs.
    return unicodedata.normalize("NFC", text)


# what YAML refuses to read (C0 but tab and newline, DEL, C1, non-characters), and what
# it would count as a line break where an editor shows none (NEL, U+2028, U+2029)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_SEPARATOR = re.compile(r"[\x85\u2028\u2029]")


def _character_problems(file: Path, text: str) -> list[Problem]:
    """Each control character or line separator in the file, at its line and column."""
    problems: list[Problem] = []
    starts: list[int] = []
    for pattern, message in (
        (_CONTROL, "a control character (U+{code}) is in the file; delete it"),
        (_SEPARATOR, "a Unicode line separator (U+{code}) is in the file; replace it with "
                     "a line break or a space"),
    ):
        for match in pattern.finditer(text):
            starts = starts or line_starts(text)
            start = match.start()
            line = bisect.bisect_right(starts, start)
            problems.append(Problem(file, line, start - starts[line - 1] + 1,
                                    message.format(code=f"{ord(match[0]):04X}")))
    return problems


def line_starts(text: str) -> list[int]:
    """The offset of the first character of each line of `text`."""
    return [0] + [m.end() for m in re.finditer("\n", text)]


def load_yaml(file: Path, root: Path | None = None) -> Located:
    """Parse one YAML file into Located data, or raise ReleaseError at the fault.

    `root`: the project's folder; a file reached through a symbolic link is read
    only if the link resolves inside it (see `read_text`)."""
    text = read_text(file, root)
    try:
        node = compose(text)
    except yaml.MarkedYAMLError as exc:
        raise ReleaseError(_syntax_problem(file, exc)) from None
    except yaml.YAMLError as exc:
        raise ReleaseError.at(file, 1, 1, f"not valid YAML: {exc}") from None
    if node is None:
        raise ReleaseError.at(file, 1, 1, "the file is empty; write the release's keys in it")
    located = Located(None, file, text=text)
    problems: list[Problem] = []
    located.data = _build(node, (), located, problems)
    if problems:
        raise ReleaseError(problems)
    return located


def _build(node: yaml.Node, path: Path_, located: Located, problems: list[Problem]) -> Any:
    mark = node.start_mark
    located.value_at[path] = (mark.line + 1, mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key, str):
                problems.append(Problem(located.file, kline, kcol,
                                        "a key must be a plain word such as `headline`"))
                continue
            if key == "<<" and not key_node.style:  # plain: None from PyYAML, "" from libyaml
                problems.append(Problem(located.file, kline, kcol, "YAML merge keys (`<<`) are "
                                        "not allowed; write the keys out in full"))
                continue
            if key in data:
                first = located.key_at[path + (key,)][0]
                problems.append(Problem(located.file, kline, kcol,
                                        f"duplicate key `{excerpt(key)}` (first given at line "
                                        f"{first}); keep only one"))
                continue
            located.key_at[path + (key,)] = (kline, kcol)
            data[key] = _build(value_node, path + (key,), located, problems)
        return data
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), located, problems) for i, item in enumerate(node.value)]
    if node.style in ("|", ">"):
        located.block_scalars[path] = mark.line + 2
    elif node.style in ("'", '"'):
        located.quoted[path] = node.style
    located.span[path] = (mark.index, node.end_mark.index)
    located.raw[path] = node.value
    return _scalar(node)


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    value = node.value
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:int":
        try:
            return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
        except ValueError:  # over Python's 4,300-digit limit: still a number, not text
            return float("inf")
    if tag == "tag:yaml.org,2002:float":
        return float(value.lower().replace(".inf", "inf").replace(".nan", "nan"))
    # Composed again after decoding: `"Zo\\u0065\\u0308"` is written in escapes that
    # the file's own NFC pass cannot see, and must print as the Zoë typed directly.
    return unicodedata.normalize("NFC", value)


_HINTS = (
    ("found character '\\t'", "a tab is used here; YAML indents with spaces only"),
    ("found a tab character", "a tab is used here; YAML indents with spaces only"),
    ("unacceptable character", "a control character is in the file; delete it"),
    ("found duplicate anchor", "YAML anchors and aliases (& and *) are not allowed"),
    ("found unknown escape character", "a `\\` in double quotes starts an escape YAML does not "
     "know; write `\\\\` for a backslash, or use single quotes"),
    ("expected escape sequence", "a `\\x`, `\\u` or `\\U` escape in double quotes needs its "
     "hexadecimal digits; write `\\\\` for a backslash, or use single quotes"),
    ("while scanning a quoted scalar", "a quoted text is not closed; add the closing quote"),
    ("while scanning a double-quoted scalar", "a quoted text is not closed; add the closing quote"),
    ("expected a single document", "the file holds a second YAML document (after a `---` "
     "line); a file is one document: remove the `---` and what follows"),
    ("while parsing a flow sequence", "a `[ ]` list is not closed or its items are not "
     "separated by commas; check the commas and the closing `]`"),
    ("while parsing a flow mapping", "a `{ }` mapping is not closed or its items are not "
     "separated by commas; check the commas and the closing `}`"),
    ("that cannot start any token", "a text cannot start with {char}; put the whole text "
     "in quotes"),
    ("expected the node content", "a value cannot start with {char}; put the whole text in "
     "quotes"),
    ("mapping values are not allowed here",
     "a `:` followed by a space is inside a plain text, or a line is indented more than the "
     "key above it; put the whole text in quotes, or fix the indentation"),
    ("could not find expected ':'", "a line is not `key: value`; check the indentation or "
     "put the text in quotes"),
    ("expected <block end>, but found '<scalar>'", "text goes on after the end of a value; "
     "inside '...' a quote ends the text, so write it twice ('') or use double quotes"),
    ("expected <block end>", "the indentation is inconsistent; line the keys up with spaces"),
    ("while scanning a block scalar", "a `|` or `>` must be followed by the end of the line "
     "(or `-`, `+`, or a digit); start the text on the next line"),
)

# faults found at the end of the file are shown where the unclosed thing opened
_AT_OPENING = ("<stream end>", "end of stream", "document separator")


def _syntax_problem(file: Path, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if isinstance(exc, Refused):
        return Problem(file, line, col, exc.problem or "")
    problem = exc.problem or ""
    detail = f"{exc.context or ''} {problem}".strip()
    for needle, hint in _HINTS:
        if needle in detail:
            if exc.context_mark and any(end in problem for end in _AT_OPENING):
                line, col = exc.context_mark.line + 1, exc.context_mark.column + 1
            elif "escape" in needle:
                col -= 1  # at the backslash, not the letter after it
            found = re.search(r"found (?:character )?('[^']*')", problem)
            return Problem(file, line, col, "not valid YAML: " + hint.replace(
                "{char}", f"`{excerpt(found[1][1:-1])}`" if found else "this character"))
    # PyYAML's own words may quote the file (a tag handle, a token): short, like ours
    detail = re.sub(r"(['\"])(.*?)\1", lambda m: f"{m[1]}{excerpt(m[2])}{m[1]}",
                    " ".join(detail.split()))
    return Problem(file, line, col, f"not valid YAML: {excerpt(detail, 300)}")
