"""The two files that guard the embargo in an output folder: the lock and the window.

- `DIR/.pressgen-lock`: every build into DIR holds an flock on it for its whole
  run, so two builds never interleave their outputs and records (a second one
  waits, saying so). Its forked workers inherit the lock, and die with the
  build (worker_life.py), so none writes after a killed build.
- `DIR/.pressgen-window`, `FROM UNTIL EPOCH`: the real moments t (seconds since
  1970, FROM <= t < UNTIL) for which every output in DIR is right, computed
  over every release in the record: FROM is the latest lift among outputs
  rendered as lifted, UNTIL the earliest among outputs rendered as embargoed.
  EPOCH is the SOURCE_DATE_EPOCH they were built with (`-` for none). make
  skips its build only while the window holds its moment. A build deletes the
  window under the lock before it writes anything, and writes it again only
  after the record, so a killed or failed build leaves none and the next make
  builds. No window is written while DIR holds a file named like an output that
  the record does not vouch for (a file changed by hand, or of a lost record), or
  an output older than its release (left behind by a build of other formats).
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from pressgen import formats
from pressgen.atomic import write_atomic
from pressgen.record import EARLIEST, LATEST, OUTPUT_NAME, Record, stamp_of

LOCK = ".pressgen-lock"
WINDOW = ".pressgen-window"


@contextmanager
def locked(out: Path, on_wait: Callable[[], None], name: str = LOCK) -> Iterator[None]:
    """Hold the output folder's lock for the block; `on_wait()` once if another
    build holds it first. The descriptor is inherited by forked workers, so a
    worker that outlives a killed build still holds the folder until it exits."""
    path = out / name  # `send.lock` for `pressgen send` (send.py)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
                     | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
            raise
        raise OSError(exc.errno, f"{path} is not a plain file; delete it") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, f"{path} is not a plain file; delete it")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# ------------------------------------------------------------------ the window


def remove_window(out: Path) -> None:
    """Before a build writes anything: from now until it has finished, make builds."""
    try:
        os.unlink(out / WINDOW)
    except FileNotFoundError:
        pass


def write_window(out: Path, record: Record) -> None:
    """After the record: the moments for which every output is right, if the
    record vouches for every output in DIR; else no window (make will build)."""
    if not vouches_for_all(out, record):
        return
    start, end = window(record)
    epochs = {e.epoch for e in record.releases.values() if e.outputs}
    epoch = "-" if not epochs or epochs == {None} else \
        str(epochs.pop()) if len(epochs) == 1 else "mixed"
    write_atomic(out / WINDOW, f"{start} {end} {epoch}\n".encode())


def window(record: Record) -> tuple[int, int]:
    """(FROM, UNTIL): every output is right for a moment t with FROM <= t < UNTIL."""
    start, end = EARLIEST, LATEST
    for entry in record.releases.values():
        for output in entry.outputs.values():
            if output.lifts is None:
                continue
            if output.embargoed:
                end = min(end, output.lifts)
            else:
                start = max(start, output.lifts)
    return start, end


def vouches_for_all(out: Path, record: Record) -> bool:
    """Every output the record names is on disk as written and made from its
    release as last loaded (not left behind by a build of other formats), and every
    file in DIR named like an output is one the record names."""
    if any(o.model != e.model for e in record.releases.values() for o in e.outputs.values()):
        return False
    recorded = {output.file: output.stamp for entry in record.releases.values()
                for output in entry.outputs.values()}
    extensions = set(formats.extensions())
    found = 0
    try:
        with os.scandir(out) as listing:
            for item in listing:
                stem, dot, ext = item.name.rpartition(".")
                if not dot or ext not in extensions or not OUTPUT_NAME.fullmatch(stem):
                    continue
                if recorded.get(item.name) != stamp_of(item.stat(follow_symlinks=False)):
                    return False
                found += 1
    except OSError:
        return False
    return found == len(recorded)
