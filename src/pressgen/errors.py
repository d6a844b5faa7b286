"""The one error type of pressgen.

Every problem a user can fix is a `ReleaseError` carrying where it is; the CLI is
the only place that turns them into `FILE:LINE:COL: error: MESSAGE` lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# characters that would break the one-line `FILE:LINE:COL: error:` form or act on a
# terminal (an ESC in a misspelt key must not recolour the screen): shown escaped
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with control characters and line breaks written as escapes (`\\x1b`)."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape", "backslashreplace")
                            .decode("ascii"), text)


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
        self.problems = sorted(dict.fromkeys(listed), key=lambda p: (str(p.file), p.line, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: Path | str, line: int, column: int, message: str) -> "ReleaseError":
        return cls(Problem(file, line, column, message))
