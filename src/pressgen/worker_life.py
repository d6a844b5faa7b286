"""A build's worker processes die with the build.

concurrent.futures' workers do not notice when the process that started them is
killed outright (SIGKILL, the OOM killer): they wait on their task queue for
ever, and one in the middle of a release would go on writing outputs after the
build is gone. Each worker inherits the output folder's lock (see record.py),
so a lingering one would also keep every later build waiting. On Linux the
kernel can send a child a signal when its parent dies (PR_SET_PDEATHSIG); each
worker asks for SIGKILL, then checks that its parent is still the build (it may
have died before the request was made).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Ask to be killed when `parent` dies; exit now if it already has."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: a killed build's workers end when their queue breaks, or never
    if os.getppid() != parent:
        os._exit(1)
