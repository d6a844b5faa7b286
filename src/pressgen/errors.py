"""The one error type of pressgen.

Every problem a user can fix is a `ReleaseError` carrying where it is; the CLI is
the only place that turns them into `FILE:LINE:COL: error: MESSAGE` lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# characters that would break the one-line `FILE:LINE:COL: error:` form or act on a
# terminal (an ESC in a misspelt key must not recolour the screen), and invisible
# ones that would hide or reorder what the line shows (zero-width characters, the
# bidirectional overrides and isolates, a BOM): shown escaped
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069"
                          r"\ufeff\ud800-\udfff]")

EXCERPT = 40  # the most characters of a file's own text that a message quotes
ALIKE = 50  # problems of one kind reported per file; the rest are counted


def printable(text: str) -> str:
    """`text` with control characters and line breaks written as escapes (`\\x1b`)."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape", "backslashreplace")
                            .decode("ascii"), text)


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """A value from a file as a message may quote it: on one line, at most `limit`
    characters, cut with `…`. A message is read in terminals and CI logs; a file
    that is not what it seems (a release linked to a key file, a pasted secret)
    must not be printed there whole."""
    text = str(value)
    if "\n" in text or len(text) > limit:
        text = " ".join(text[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One located problem; line and column count from 1.

    `severity` is "error" (the file is refused) or "warning" (reported, never
    fatal: editorial advice, or something pressgen dropped and says so)."""

    file: Path | str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return printable(f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}")


class ReleaseError(Exception):
    """One or more problems found in a file; all are reported, not only the first."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        listed = [problems] if isinstance(problems, Problem) else problems
        ordered = sorted(dict.fromkeys(listed), key=lambda p: (str(p.file), p.line, p.column))
        self.problems = _at_most_alike(ordered)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: Path | str, line: int, column: int, message: str) -> "ReleaseError":
        return cls(Problem(file, line, column, message))


# what a message says once the text it quotes (in backticks) is taken out
_QUOTED = re.compile(r"`[^`]*`")


def _at_most_alike(problems: list[Problem]) -> list[Problem]:
    """The first ALIKE problems of each kind in each file, then one line counting the rest.

    110,000 unknown note ids are one mistake repeated: the first few say what it
    is, and a count says how often, where 110,000 lines would bury everything
    else. Problems are alike when their messages differ only in what they quote."""
    counts: dict[tuple[str, str, str], int] = {}
    count_at: dict[tuple[str, str, str], int] = {}  # kind -> index of its count line
    kept: list[Problem] = []
    for problem in problems:
        kind = (str(problem.file), problem.severity, _QUOTED.sub("``", problem.message))
        counts[kind] = counts.get(kind, 0) + 1
        if counts[kind] <= ALIKE:
            kept.append(problem)
        elif kind not in count_at:
            count_at[kind] = len(kept)
            kept.append(problem)  # where the count goes: at the first one not shown
    for kind, at in count_at.items():
        hidden = counts[kind] - ALIKE - 1
        if hidden:
            first = kept[at]
            kept[at] = Problem(first.file, first.line, first.column,
                               f"{first.message} (and {hidden:,} more like this after it, not "
                               "shown)", first.severity)
    return kept
