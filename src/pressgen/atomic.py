"""Writing outputs so that no reader ever sees half a file, and no failure leaves one.

Where Linux offers O_TMPFILE the data is written to an unnamed file in the target
folder and only given a name when complete, so even SIGKILL mid-write leaves
nothing behind; elsewhere a hidden temporary file is renamed into place.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Iterable


def write_atomic(target: Path, data: bytes) -> None:
    """Put `data` at `target` in one rename; raise OSError, leaving no temporary file."""
    folder = target.parent
    if hasattr(os, "O_TMPFILE"):
        try:
            fd = os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o644)
        except OSError as exc:
            if exc.errno not in _NO_TMPFILE:
                raise
        else:
            if _write_linked(fd, target, data):
                return
    _write_named(target, data)


# file systems without O_TMPFILE answer one of these
_NO_TMPFILE = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL}
_NO_LINK = {errno.EXDEV, errno.ENOENT, errno.EPERM, errno.EACCES, errno.EOPNOTSUPP}


def _write_linked(fd: int, target: Path, data: bytes) -> bool:
    """Write into the unnamed file and name it; False where the system cannot name it."""
    temp = target.parent / f".{target.name}.{os.getpid()}.tmp"
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            try:
                os.link(f"/proc/self/fd/{handle.fileno()}", temp)
            except OSError as exc:
                if exc.errno in _NO_LINK:
                    return False  # e.g. no /proc, or a sandbox that refuses the link
                raise
        os.replace(temp, target)  # the named temporary lives only for this instant
        return True
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _write_named(target: Path, data: bytes) -> None:
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(name, 0o644)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def remove_outputs(folder: Path, release_id: str, extensions: Iterable[str]) -> None:
    """Delete a failed release's outputs, so no stale file is taken for a good one."""
    for ext in extensions:
        try:
            (folder / f"{release_id}.{ext}").unlink(missing_ok=True)
        except OSError:
            pass
