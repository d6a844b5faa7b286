"""Where templates, the reference DOCX and fonts are found.

Spec §1: a template is looked up in the folder that holds the house file; one
missing there falls back to the copy built into pressgen, so a house file alone
is enough.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

BUILTIN = Path(__file__).parent / "templates"
FONTS = Path(__file__).parent / "fonts"


@dataclass(frozen=True)
class Templates:
    folder: Path | None = None  # the house file's folder
    reference_docx: Path | None = None  # the house file's `reference_docx`, if it names one
    # the reference DOCX as `reference_docx.sanitise` left it, read once at house load;
    # None: the DOCX writer sanitises `path("reference.docx")` itself
    reference_docx_data: bytes | None = field(default=None, repr=False, compare=False)

    def path(self, name: str) -> Path:
        """The house folder's copy of `name` if it has one, else the built-in one."""
        if name == "reference.docx" and self.reference_docx is not None:
            return self.reference_docx
        if self.folder is not None:
            own = self.folder / name
            if own.is_file():
                return own
        return BUILTIN / name
