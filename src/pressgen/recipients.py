"""Who a release is sent to: the house's distribution lists less its suppression list.

A list is a CSV file with a header row `email,name[,outlet]` (more columns are
allowed and ignored); the suppression list is a text file of addresses, one a
line (`#` starts a comment). Every problem is reported at FILE:LINE:COL, and one
bad row refuses the whole send: a typo in a list is fixed before anyone is
mailed, never discovered half-way. Addresses are compared without regard to
case (`News@Example.org` is `news@example.org`), so each is sent to at most once
however many lists name it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from pressgen.errors import Problem, ReleaseError
from pressgen.mailconfig import MailConfig, is_address
from pressgen.reading import ReadError, project_root, read_bounded

MAX_LIST_BYTES = 64 << 20  # a million rows is ~50 MB; more is a mistake
REQUIRED = "email"


@dataclass(frozen=True)
class Recipient:
    address: str  # as the list writes it
    name: str
    outlet: str
    source: str  # `lists/national.csv:12`, for the dry run

    @property
    def key(self) -> str:
        """The address as compared and logged: lower case."""
        return self.address.lower()


def recipients(config: MailConfig, names: Iterable[str]) -> list[Recipient]:
    """Every address of the named lists, in list and row order, each once, less the
    suppressed. Raises ReleaseError with every problem found in every file."""
    problems: list[Problem] = []
    chosen: list[Recipient] = []
    root = project_root(config.house_file)  # a list that links out of the project is refused
    for name in dict.fromkeys(names):
        if name not in config.lists:
            problems.append(_unknown_list(config, name))
            continue
        chosen += _read_list(config.lists[name], root, problems)
    suppressed = _read_suppress(config.suppress, root, problems) if config.suppress else set()
    if problems:
        raise ReleaseError(problems)
    seen: set[str] = set()
    unique = []
    for person in chosen:
        if person.key not in seen and person.key not in suppressed:
            seen.add(person.key)
            unique.append(person)
    return unique


def _unknown_list(config: MailConfig, name: str) -> Problem:
    known = ", ".join(f"`{n}`" for n in config.lists) or "none"
    where = config.lists_at or Problem(config.house_file, 1, 1, "")
    return Problem(where.file, where.line, where.column,
                   f"unknown list `{name}` for --to; the house file's `email.lists` has: "
                   f"{known}; add it there or fix the name")


def _text(path: Path, root: Path, problems: list[Problem]) -> str | None:
    try:
        raw = read_bounded(path, MAX_LIST_BYTES, root=root)
    except ReadError as exc:
        problems.append(Problem(path, 1, 1, f"cannot read this list: {exc}; check the path "
                                "in the house file's `email:`"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        problems.append(Problem(path, line, 1, "not valid UTF-8; save the list as UTF-8 CSV"))
        return None


def _read_list(path: Path, root: Path, problems: list[Problem]) -> list[Recipient]:
    text = _text(path, root, problems)
    if text is None:
        return []
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(path, 1, 1, "the list is empty; its first row must be the "
                                "header `email,name,outlet`"))
        return []
    except csv.Error as exc:
        problems.append(Problem(path, 1, 1, f"not a CSV header row ({exc})"))
        return []
    if REQUIRED not in header or "name" not in header:
        problems.append(Problem(path, 1, 1, "the first row must be the header "
                                "`email,name[,outlet]`; found `" + ",".join(header)[:60] + "`"))
        return []
    column = {name: header.index(name) for name in ("email", "name", "outlet") if name in header}
    found = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(path, start, 1, f"not a CSV row ({exc}); check its quotes"))
            break
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        raw_line = lines[start - 1] if start - 1 < len(lines) else ""
        address = _cell(row, column["email"])
        if not is_address(address):
            col = _field_column(raw_line, column["email"])
            shown = address[:60] or "nothing"
            problems.append(Problem(path, start, col, f"`{shown}` is not an email address; "
                                    "write it as name@example.org (or remove the row)"))
            continue
        found.append(Recipient(address, _cell(row, column["name"]),
                               _cell(row, column.get("outlet")), f"{path.name}:{start}"))
    return found


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _field_column(line: str, index: int) -> int:
    """The column (from 1) where field `index` of a CSV line starts."""
    field, quoted = 0, False
    for i, char in enumerate(line):
        if field == index:
            return i + 1
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            field += 1
    return len(line) + 1 if field == index else 1


def _read_suppress(path: Path, root: Path, problems: list[Problem]) -> set[str]:
    """The suppressed addresses, lower case; a line that is not one address is an
    error (a do-not-contact entry that matches nothing would fail silently)."""
    text = _text(path, root, problems)
    if text is None:
        return set()
    found = set()
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if not is_address(entry):
            col = len(line) - len(line.lstrip()) + 1
            problems.append(Problem(path, number, col, f"`{entry[:60]}` is not an email "
                                    "address; write one address a line (`#` for comments)"))
            continue
        found.add(entry.lower())
    return found
