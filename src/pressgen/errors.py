"""The one error type of pressgen.

Every problem a user can fix is a `ReleaseError` carrying where it is; the CLI is
the only place that turns them into `FILE:LINE:COL: error: MESSAGE` lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One located problem; line and column count from 1."""

    file: Path | str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: error: {self.message}"


class ReleaseError(Exception):
    """One or more problems found in a file; all are reported, not only the first."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: Path | str, line: int, column: int, message: str) -> "ReleaseError":
        return cls(Problem(file, line, column, message))
