"""YAML in, plain data out, with the line and column of every key and value kept.

PyYAML composes a node tree that carries marks; we build the data from it
ourselves so that schema errors can point at the exact place. Scalars follow the
YAML 1.2 core schema (only true/false, null and numbers are typed), so `no`,
`off` and `2026-01-29` stay the text that was written. Anchors and aliases are
refused before they expand, and duplicate keys are errors, not silent overwrites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

from pressgen.errors import Problem, ReleaseError

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
    raw: dict[Path_, str] = field(default_factory=dict)  # scalar text as written
    text: str = ""

    def line_text(self, line: int) -> str:
        """The file's line `line` (from 1), for columns inside block scalars."""
        lines = self.text.split("\n")
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """The line and column of a value (or its key), else of its nearest parent."""
        table = self.key_at if key else self.value_at
        while path not in table and path:
            path = path[:-1]
        return table.get(path, self.value_at.get((), (1, 1)))

    def problem(self, path: Path_, message: str, key: bool = False) -> Problem:
        line, col = self.where(path, key)
        return Problem(self.file, line, col, message)


class _CoreLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core scalars and no anchors or aliases."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        if isinstance(event, AliasEvent) or (
            isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.anchor
        ):
            raise _Refused(event.start_mark, "YAML anchors and aliases (& and *) are not allowed; "
                           "write the value out in full")
        return super().compose_node(parent, index)


_CoreLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
):
    _CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


class _Refused(yaml.MarkedYAMLError):
    def __init__(self, mark, problem: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(problem=problem, problem_mark=mark)


def read_text(file: Path) -> str:
    """The file's text: UTF-8 (a BOM is accepted), CRLF accepted, size capped."""
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ReleaseError.at(file, 1, 1, "the file does not exist") from None
    except IsADirectoryError:
        raise ReleaseError.at(file, 1, 1, "this is a folder, not a file") from None
    except OSError as exc:
        raise ReleaseError.at(file, 1, 1, f"cannot read the file: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise ReleaseError.at(file, 1, 1, f"the file is {len(raw):,} bytes, over the limit of "
                              f"{MAX_BYTES:,}; a release should be a few kilobytes")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ReleaseError.at(file, line, col, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                              "save the file as UTF-8") from None
    if not text.strip():
        raise ReleaseError.at(file, 1, 1, "the file is empty; write the release's keys in it")
    return text.replace("\r\n", "\n")


def load_yaml(file: Path) -> Located:
    """Parse one YAML file into Located data, or raise ReleaseError at the fault."""
    text = read_text(file)
    try:
        loader = _CoreLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
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
            if key in data:
                first = located.key_at[path + (key,)][0]
                problems.append(Problem(located.file, kline, kcol,
                                        f"duplicate key `{key}` (first given at line {first}); "
                                        "keep only one"))
                continue
            located.key_at[path + (key,)] = (kline, kcol)
            data[key] = _build(value_node, path + (key,), located, problems)
        return data
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), located, problems) for i, item in enumerate(node.value)]
    if node.style in ("|", ">"):
        located.block_scalars[path] = mark.line + 2
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
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if tag == "tag:yaml.org,2002:float":
        return float(value.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return value


_HINTS = (
    ("found character '\\t'", "a tab is used here; YAML indents with spaces only"),
    ("found a tab character", "a tab is used here; YAML indents with spaces only"),
    ("unacceptable character", "a control character is in the file; delete it"),
    ("found duplicate anchor", "YAML anchors and aliases (& and *) are not allowed"),
    ("while scanning a quoted scalar", "a quoted text is not closed; add the closing quote"),
    ("mapping values are not allowed here",
     "a `:` followed by a space is inside a plain text; put the whole text in quotes"),
    ("could not find expected ':'", "a line is not `key: value`; check the indentation or "
     "put the text in quotes"),
    ("expected <block end>", "the indentation is inconsistent; line the keys up with spaces"),
)


def _syntax_problem(file: Path, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if isinstance(exc, _Refused):
        return Problem(file, line, col, exc.problem or "")
    detail = f"{exc.context or ''} {exc.problem or ''}".strip()
    for needle, hint in _HINTS:
        if needle in detail:
            if needle == "while scanning a quoted scalar" and exc.context_mark:
                line, col = exc.context_mark.line + 1, exc.context_mark.column + 1
            return Problem(file, line, col, f"not valid YAML: {hint}")
    return Problem(file, line, col, f"not valid YAML: {detail}")
