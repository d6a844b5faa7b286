"""Reading an input file so that no file can hang, flood or leak the build.

Every file pressgen reads from a project (releases, the house file, words files,
logos, the reference DOCX, mailing lists, the build's own record) comes through
`read_bounded`:

- it is opened without blocking and only then looked at, from the open descriptor
  (`fstat`), so a FIFO, a device (`/dev/zero`) or a socket is refused without a
  read, and a file swapped for one between a check and the open is seen;
- its size is taken from that descriptor and checked against the cap before a byte
  is read, and never more than the cap is read, so a 2 GB sparse file costs nothing;
- a symbolic link is followed only when `root` is given and the link resolves
  inside it, so a release linked to `/etc/shadow` is refused, not quoted; the
  check is made again on the open descriptor, so a link swapped between the
  check and the open is caught too.

The project's root, for every file of a project, is `project_root(house_file)`:
the folder above the house file's folder (the folder that holds `templates/`
and `releases/`).

Errors are `ReadError`s (an OSError's words, or ours); callers turn them into a
`ReleaseError` at the place that named the file.

Inside `noting_reads()`, every file read is also noted with the digest of the
bytes read: the build wraps the loader in it, so the record of what a release
was made from names every file the loader read (release, house file, and any
input added later), without a list that could leave one out.
"""

from __future__ import annotations

import hashlib
import os
import stat
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

_NOTED: ContextVar[dict[Path, str] | None] = ContextVar("pressgen_noted_reads", default=None)


@contextmanager
def noting_reads() -> Iterator[dict[Path, str]]:
    """A dict that gathers, for each file `read_bounded` reads inside the block, its
    absolute path and the SHA-256 of its bytes."""
    noted: dict[Path, str] = {}
    token = _NOTED.set(noted)
    try:
        yield noted
    finally:
        _NOTED.reset(token)


class ReadError(Exception):
    """A file that cannot be read as an input; the message says why, in plain words."""


def read_bounded(path: Path, cap: int, *, root: Path | None = None) -> bytes:
    """The bytes of the regular file at `path`, at most `cap` of them; else ReadError.

    `root`: when `path` is (or passes through) a symbolic link, it must resolve to
    a file inside `root`; with no `root`, symbolic links are followed freely.
    """
    linked = root is not None and _has_link(path)
    if linked:
        check_inside(path, root)  # before the open: opening some devices acts on them
    # O_NOCTTY: a terminal named as a release must not become our controlling one
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ReadError("the file does not exist") from None
    except IsADirectoryError:
        raise ReadError("this is a folder, not a file") from None
    except OSError as exc:
        raise ReadError(f"cannot read the file: {exc.strerror or exc}") from None
    except ValueError:  # a NUL in the name: no file is called that
        raise ReadError("the file name holds a NUL character; fix the name") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError("this is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise ReadError("this is not a regular file (a pipe, device or socket); "
                            "give the path of an ordinary file")
        check_size(info.st_size, cap)
        if linked:
            _same_file_inside(path, root, info)  # type: ignore[arg-type]
        chunks: list[bytes] = []
        left = cap + 1  # one byte more than the cap tells a file that grew since fstat
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise ReadError(f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    check_size(len(data), cap)
    noted = _NOTED.get()
    if noted is not None:
        noted[Path(os.path.abspath(path))] = hashlib.sha256(data).hexdigest()
    return data


def note_missing(path: Path) -> None:
    """Note a file looked for and not found (a house's words override), so that adding
    it later rebuilds what it would change (its digest is resources.MISSING)."""
    noted = _NOTED.get()
    if noted is not None:
        noted.setdefault(Path(os.path.abspath(path)), "missing")


def project_root(house_file: Path) -> Path:
    """The folder above the house file's folder: `templates/house.yaml` -> `.`."""
    return Path(os.path.abspath(house_file)).parent.parent


def _same_file_inside(path: Path, root: Path, opened: os.stat_result) -> None:
    """The file opened is the one the link leads to now, and that is inside `root`."""
    check_inside(path, root)
    try:
        now = os.stat(path.resolve(strict=True))
    except (OSError, RuntimeError):
        raise ReadError("the file is a symbolic link that changed while it was read") from None
    if (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
        raise ReadError("the file is a symbolic link that changed while it was read; "
                        "build again")


def check_size(size: int, cap: int) -> None:
    if size > cap:
        raise ReadError(f"the file is {size:,} bytes, over the limit of {cap:,}")


def check_inside(path: Path, root: Path) -> None:
    """Refuse a `path` that goes through a symbolic link to somewhere outside `root`.

    A path with no link in it is the user's own choice and is not checked: only a
    link can make a file inside the project read one outside it unawares.
    """
    if not _has_link(path):
        return
    try:
        target = path.resolve(strict=True)
        top = root.resolve()
    except FileNotFoundError:
        raise ReadError("the file does not exist (it is a symbolic link to a file that is "
                        "not there)") from None
    except (OSError, RuntimeError):  # RuntimeError: a loop of links
        raise ReadError("the file is a symbolic link that leads nowhere readable") from None
    if not target.is_relative_to(top):
        raise ReadError(f"the file is a symbolic link to a file outside the project "
                        f"({top}); copy the file into the project instead")


def _has_link(path: Path) -> bool:
    current = Path(os.path.abspath(path))
    for part in (current, *current.parents):
        try:
            if part.is_symlink():
                return True
        except OSError:
            return False
    return False
