"""Writing outputs so that no reader ever sees half a file, and no failure leaves one.

Data goes to a temporary file that is renamed over the target in one step (a
rename within one file system is atomic): a reader sees the old file or the new
one, never part of either. A failed write removes its temporary file.

A process killed outright (SIGKILL, power cut, OOM killer) cannot clean up, so
where the temporary lives decides what a kill leaves behind. It lives in a hidden
sibling of the output folder, `<parent>/.<out>.pressgen-tmp/` (on the same file
system, so the rename stays atomic), never in the output folder itself: a kill
can leave a file there, never a `.tmp` among the outputs. Each writer holds a
lock (flock) on its temporary, which the system drops when the writer dies, even
by SIGKILL; every write first deletes the unlocked temporaries (leftovers of
writers that are gone), and the last write in the folder removes it. Only when
that sibling cannot be used (the parent is read-only, or another file system) is
the temporary a hidden file beside the target, as before.

Linux's O_TMPFILE (an unnamed file, named when complete) would leave nothing at
all, but naming it needs linkat through /proc, which sandboxes and some file
systems refuse (EXDEV here): one path that works everywhere is kept instead.
Writes are not fsynced; surviving a power cut is not promised, a kill is.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path
from typing import Iterable

SUFFIX = ".pressgen-tmp"


def write_atomic(target: Path, data: bytes) -> None:
    """Put `data` at `target` in one rename; raise OSError, leaving no temporary file."""
    try:
        fd, temp, temp_folder = _create_temporary(target)
    except OSError as exc:  # name the folder, not a temporary's random name
        raise OSError(exc.errno, exc.strerror, str(target.parent)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(fd, 0o644)
            os.replace(temp, target)  # before closing: the lock keeps cleaners off it
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    finally:
        if temp_folder is not None:
            try:
                temp_folder.rmdir()  # the last writer out removes the folder
            except OSError:
                pass  # other writes are still in it


def temp_folder_of(out: Path) -> Path:
    """`<parent>/.<out>.pressgen-tmp`: where temporaries for files in `out` are written."""
    out = Path(os.path.abspath(out))
    return out.parent / f".{out.name}{SUFFIX}"


def _create_temporary(target: Path) -> tuple[int, str, Path | None]:
    """An open temporary file for `target`: in the sibling folder if it can be used."""
    for _ in range(5):  # another build may clear the folder or the file under us
        folder = _usable_temp_folder(target.parent)
        if folder is None:
            break
        try:
            fd, name = tempfile.mkstemp(dir=folder, prefix=f"{target.name}.", suffix=".tmp")
        except FileNotFoundError:
            continue
        except OSError:
            break
        fcntl.flock(fd, fcntl.LOCK_EX)  # held until the file is closed, or we die
        if os.fstat(fd).st_nlink:
            return fd, name, folder
        os.close(fd)  # a cleaner took it for a leftover between mkstemp and flock
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    return fd, name, None


def _usable_temp_folder(out: Path) -> Path | None:
    """The sibling temp folder, made and cleared of dead writers' files; None if unusable."""
    folder = temp_folder_of(out)
    try:
        device = out.stat().st_dev
        folder.mkdir(exist_ok=True)
        if folder.stat().st_dev != device:
            return None  # `out` is a mount point: a rename across would not be atomic
        for entry in os.scandir(folder):
            if entry.name.endswith(".tmp"):
                _remove_if_abandoned(entry.path)
    except OSError:
        return None
    return folder


def _remove_if_abandoned(path: str) -> None:
    """Delete a temporary whose writer no longer holds its lock: that writer is gone."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError: a live writer
        os.unlink(path)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_outputs(folder: Path, release_id: str, extensions: Iterable[str]) -> None:
    """Delete a failed release's outputs, so no stale file is taken for a good one."""
    for ext in extensions:
        try:
            (folder / f"{release_id}.{ext}").unlink(missing_ok=True)
        except OSError:
            pass
