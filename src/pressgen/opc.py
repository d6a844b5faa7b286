"""The plumbing of an Open Packaging Conventions file (a DOCX): part names, relationship
targets, and the small XML files that list parts and relationships, written anew.

Kept apart from `reference_docx`, which decides what a reference keeps, so that
module reads as policy.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class Rel:
    """One relationship of a part (or of the package)."""

    id: str
    type: str
    target: str  # as written in the .rels
    part: str | None  # the zip name it resolves to; None when external

    @property
    def kind(self) -> str:
        """The type's last word: `styles`, `attachedTemplate`, `vbaProject`."""
        return self.type.rstrip("/").rsplit("/", 1)[-1]


def rels_source(name: str) -> str | None:
    """The part a .rels file describes ("" for the package's own), else None."""
    folder, base = posixpath.split(name)
    if posixpath.basename(folder) != "_rels" or not base.endswith(".rels"):
        return None
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])


def rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source: str, target: str) -> str:
    """A relationship's target as a zip name, relative to its source part's folder."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    return "" if joined.startswith("..") else joined


def rels_xml(rels: list[Rel]) -> bytes:
    items = "".join(f"<Relationship Id={quoteattr(r.id)} Type={quoteattr(r.type)} "
                    f"Target={quoteattr(r.target)}/>" for r in rels)
    return (f'{_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{items}</Relationships>').encode()


def content_types_xml(kept: dict[str, str]) -> bytes:
    overrides = "".join(f"<Override PartName={quoteattr('/' + name)} "
                        f"ContentType={quoteattr(kind)}/>" for name, kind in kept.items())
    return (f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/>{overrides}</Types>').encode()


def stored_zip(parts: dict[str, bytes]) -> bytes:
    """Stored, not deflated: the bytes only travel to python-docx in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(parts, key=lambda n: (n != CONTENT_TYPES, n)):
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), parts[name])
    return out.getvalue()
