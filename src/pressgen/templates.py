"""Where the house's templates, reference DOCX and pressgen's fonts are found.

Spec §1: a template is looked up in the folder that holds the house file; one
missing there falls back to the copy built into pressgen, so a house file alone
is enough. This module only says where; writers read through
`pressgen.resources.Resources`, which notes every file it reads for the build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

BUILTIN = Path(__file__).parent / "templates"
FONTS = Path(__file__).parent / "fonts"


@dataclass(frozen=True)
class Templates:
    folder: Path | None = None  # the house file's folder
    reference_docx: Path | None = None  # the house file's `reference_docx`, if it names one

    def candidates(self, name: str) -> list[Path]:
        """Every place `name` is looked for, in order; the last is pressgen's own."""
        if name == "reference.docx" and self.reference_docx is not None:
            return [self.reference_docx]
        own = [self.folder / name] if self.folder is not None else []
        return own + [BUILTIN / name]

    def path(self, name: str) -> Path:
        """The first place that holds `name` (a link counts, even a broken one: it is
        then an error to read, never silently passed over)."""
        *looked, last = self.candidates(name)
        return next((p for p in looked if os.path.lexists(p)), last)
