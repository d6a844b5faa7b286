"""What a writer reads besides the model, read in one place and reported.

Sphinx's `env.note_dependency`: rather than the build keeping a list of the
files each format depends on (a list that goes stale the day a writer starts
reading a logo), every writer reads every file through the `Resources` object
it is handed (`render(release, resources) -> bytes`), and that object notes
each file with the digest of the bytes it returned. The build records exactly
those files for the output and, next time, re-digests them to decide whether
the output is current. A template looked for in the house folder and not found
is noted as missing, so adding one there later rebuilds what it would change.

A format made from other formats (`composes` in the registry) gets their bytes
from `output()`; what they read is noted for it too, and each is rendered at
most once per release (`Renders`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from pressgen import formats
from pressgen.errors import ReleaseError
from pressgen.reading import ReadError, check_inside, read_bounded
from pressgen.templates import BUILTIN, FONTS, Templates

if TYPE_CHECKING:
    from pressgen.model import Release

MISSING = "missing"  # the digest noted for a file looked for and not there
MAX_RESOURCE_BYTES = 16 << 20  # fonts are ~0.5 MB and logos at most 2 MB; more is a mistake
# bytes and digest of each file read, by path and by what stat says of it, so a
# worker reads a font once, yet a file changed on disk is read again
_READ: dict[tuple[str, int, int, int, int], tuple[bytes, str]] = {}


class Resources:
    """The files one writer reads for one release, each noted with its digest."""

    def __init__(self, templates: Templates | None = None, *, format: str | None = None,
                 renders: Renders | None = None) -> None:
        self.templates = templates or Templates()
        self.format = format  # the format being rendered, which `output` checks
        self.noted: dict[Path, str] = {}  # absolute path -> digest (or MISSING)
        self._renders = renders

    def template(self, name: str) -> bytes:
        """The house folder's `name` if it has one, else pressgen's own (spec §1)."""
        path = self.template_path(name)
        return self._read(path, f"the template {name}")

    def template_path(self, name: str) -> Path:
        """Where `template(name)` reads; each place looked at first is noted as missing."""
        *looked, last = self.templates.candidates(name)
        for place in looked:
            if os.path.lexists(place):
                return place
            self.noted[_absolute(place)] = MISSING
        return last

    def font(self, name: str) -> bytes:
        """A font bundled with pressgen, by file name."""
        return self._read(FONTS / name, f"the font {name}")

    def image(self, path: Path) -> bytes:
        """A letterhead logo (the loader has checked it), noted for this output only."""
        return self._read(path, "the logo")

    def output(self, fmt: str, release: Release) -> bytes:
        """The bytes of format `fmt` for `release`, for a format that composes it.

        Only a format whose registry entry names `fmt` in `composes` may ask, so
        the registry stays the truth about what is made from what."""
        if self.format is not None and fmt not in formats.get(self.format).composes:
            raise ValueError(f"format {self.format!r} does not compose {fmt!r}; "
                             "name it in its `composes` in pressgen.formats")
        renders = self._renders
        if renders is None or renders.release is not release:
            renders = Renders(release, self.templates)
        data, noted = renders.render(fmt)
        self.noted.update(noted)
        return data

    def _read(self, path: Path, what: str) -> bytes:
        absolute = _absolute(path)
        try:
            data, digest = read_file(absolute, self._root(absolute))
        except ReadError as exc:
            raise ReleaseError.at(path, 1, 1, f"cannot read {what}: {exc}") from None
        self.noted[absolute] = digest
        return data

    def _root(self, path: Path) -> Path | None:
        """A file of the house folder may be a link only to somewhere in the project
        (the folder above the house folder); pressgen's own files are not checked."""
        folder = self.templates.folder
        if folder is None or str(path).startswith(_PACKAGE):
            return None
        return _absolute(folder).parent


class Renders:
    """One release's outputs, each rendered at most once, with what each read.

    The build renders every format of a release through one of these, so a
    composing format and the format it composes share one rendering."""

    def __init__(self, release: Release, templates: Templates) -> None:
        self.release = release
        self.templates = templates
        self._done: dict[str, tuple[bytes, dict[Path, str]]] = {}
        self._rendering: list[str] = []

    def render(self, fmt: str) -> tuple[bytes, dict[Path, str]]:
        """The bytes of `fmt` and every file its writer (and what it composes) read."""
        if fmt not in self._done:
            if fmt in self._rendering:
                raise ValueError(f"formats compose each other in a loop: {self._rendering}")
            from pressgen.writers import writer

            self._rendering.append(fmt)
            try:
                resources = Resources(self.templates, format=fmt, renders=self)
                data = writer(fmt)(self.release, resources)
            finally:
                self._rendering.pop()
            self._done[fmt] = (data, resources.noted)
        return self._done[fmt]


def read_file(path: Path, root: Path | None = None) -> tuple[bytes, str]:
    """The bytes of `path` (bounded, see reading.py) and their digest, kept per
    version of the file so a worker reads each font once."""
    if root is not None:
        check_inside(path, root)  # before the cache: a link out is refused every time
    try:
        st = os.stat(path)
        key = (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and key in _READ:
        return _READ[key]
    data = read_bounded(path, MAX_RESOURCE_BYTES, root=root)
    found = (data, hashlib.sha256(data).hexdigest())
    if key is not None:
        _READ[key] = found
    return found


def digest_now(path: Path) -> str:
    """The digest `Resources` would note for `path` now: MISSING, or of its bytes.

    A file that cannot be read gets a digest no read could give, so whatever
    was made from it is rebuilt (and the writer reports why it cannot read it)."""
    if not os.path.lexists(path):
        return MISSING
    try:
        return read_file(path)[1]
    except ReadError as exc:
        return f"unreadable: {exc}"


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


_PACKAGE = os.path.abspath(BUILTIN.parent) + os.sep
