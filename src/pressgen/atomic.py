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

The sibling folder is used only when it is a real folder of ours: opened with
O_NOFOLLOW and checked on the open descriptor (a directory, owned by this user,
on the output's file system), and every clean-up and rename inside it goes
through that descriptor. A `.dist.pressgen-tmp` that is a symbolic link, a file
or someone else's folder is never cleaned: the temporary goes beside the target.

`write_atomic` returns the written file's stat, taken from its open descriptor
just before the rename, so the build records the very file it wrote (its inode
included), never whatever a path names a moment later.

Linux's O_TMPFILE (an unnamed file, named when complete) would leave nothing at
all, but naming it needs linkat through /proc, which sandboxes and some file
systems refuse (EXDEV here): one path that works everywhere is kept instead.
Writes are not fsynced; surviving a power cut is not promised, a kill is.
"""

from __future__ import annotations

import fcntl
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

SUFFIX = ".pressgen-tmp"
_OPEN_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_NEW_FILE = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def write_atomic(target: Path, data: bytes) -> os.stat_result:
    """Put `data` at `target` in one rename; raise OSError, leaving no temporary file.

    Returns the stat of the file written, from its descriptor before the rename."""
    try:
        fd, temp, folder_fd = _create_temporary(target)
    except OSError as exc:  # name the folder, not a temporary's random name
        raise OSError(exc.errno, exc.strerror, str(target.parent)) from None
    destination = os.path.abspath(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(fd, 0o644)
            written = os.fstat(fd)
            # before closing: the lock keeps cleaners off it
            os.replace(temp, destination, src_dir_fd=folder_fd)
    except BaseException:
        try:
            os.unlink(temp, dir_fd=folder_fd)
        except OSError:
            pass
        raise
    finally:
        if folder_fd is not None:
            os.close(folder_fd)
            try:
                temp_folder_of(target.parent).rmdir()  # the last writer out removes it
            except OSError:
                pass  # other writes are still in it (or it is not ours)
    return written


def temp_folder_of(out: Path) -> Path:
    """`<parent>/.<out>.pressgen-tmp`: where temporaries for files in `out` are written."""
    out = Path(os.path.abspath(out))
    return out.parent / f".{out.name}{SUFFIX}"


def _create_temporary(target: Path) -> tuple[int, str, int | None]:
    """An open, locked temporary file for `target`, its name, and the descriptor of
    the sibling folder holding it (None when it is beside the target instead)."""
    for _ in range(5):  # another build may clear the folder or the file under us
        folder_fd = _usable_temp_folder(target.parent)
        if folder_fd is None:
            break
        name = f"{target.name}.{os.urandom(6).hex()}.tmp"
        try:
            fd = os.open(name, _NEW_FILE, 0o600, dir_fd=folder_fd)
        except (FileNotFoundError, FileExistsError):
            os.close(folder_fd)
            continue
        except OSError:
            os.close(folder_fd)
            break
        fcntl.flock(fd, fcntl.LOCK_EX)  # held until the file is closed, or we die
        if os.fstat(fd).st_nlink:
            return fd, name, folder_fd
        os.close(fd)  # a cleaner took it for a leftover between creating and locking
        os.close(folder_fd)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    return fd, name, None


def _usable_temp_folder(out: Path) -> int | None:
    """A descriptor of the sibling temp folder, made if need be and cleared of dead
    writers' files; None when it cannot be used or is not a folder of ours."""
    folder = temp_folder_of(out)
    try:
        device = out.stat().st_dev
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        folder_fd = os.open(folder, _OPEN_DIR)  # a symbolic link fails here (ELOOP)
    except OSError:
        return None
    try:
        info = os.fstat(folder_fd)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() \
                or info.st_dev != device:  # not ours, or a mount point: a rename would copy
            raise OSError("not a usable temporary folder")
        for entry in os.scandir(folder_fd):
            if entry.name.endswith(".tmp"):
                _remove_if_abandoned(folder_fd, entry.name)
    except OSError:
        os.close(folder_fd)
        return None
    return folder_fd


def _remove_if_abandoned(folder_fd: int, name: str) -> None:
    """Delete a temporary whose writer no longer holds its lock: that writer is gone.
    Only a regular file, named inside our own folder, is ever deleted."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW, dir_fd=folder_fd)
    except OSError:
        return
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError: a live writer
            os.unlink(name, dir_fd=folder_fd)
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
