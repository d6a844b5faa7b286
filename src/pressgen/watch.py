"""`pressgen watch`: what changed on each save, and the local preview of `--serve`.

The rebuild itself is the ordinary incremental build (cli.py runs it): only a
release that changed, or that a changed house file, template or logo affects, is
rendered again. This module finds the saves (the `watchfiles` library: inotify
on Linux, FSEvents on macOS) and, for `--serve`, shows the outputs on 127.0.0.1
with a page that reloads itself after each rebuild.
"""

from __future__ import annotations

import html
import os
import re
import threading
import time
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

from watchfiles import DefaultFilter

from pressgen.state import WINDOW

_EDITOR_FILES = DefaultFilter()  # swap files, backups~, .#locks, __pycache__ ...

# how often the watcher wakes without a save, to see whether an embargo has lifted
WAKE_SECONDS = 0.5
OUTPUT = re.compile(r"[a-z0-9][a-z0-9._-]*\.(pdf|html|txt|docx)")


class Saves:
    """Each batch of files saved under the releases' paths or the house file's folder
    (editors' swap and backup files, dot files and the output folder left out), and
    an empty batch once `lift_due()` (seconds until an output's embargo lifts) has
    come. One watcher runs from `start()` on, so a save made during a rebuild is
    kept for the next batch, never lost."""

    def __init__(self, paths: tuple[Path, ...], house: Path, out: Path,
                 lift_due: Callable[[], float | None]) -> None:
        self.watched = sorted({os.path.realpath(p) for p in (*paths, house.parent)})
        self.out = os.path.realpath(out)
        self.lift_due = lift_due
        self._batches: Iterator[set] | None = None
        self._pending: set = set()

    def start(self) -> None:
        """Start watching; on return the watcher is running (what is saved from now on
        is seen)."""
        from watchfiles import watch

        self._batches = watch(*self.watched, watch_filter=self._wanted, debounce=400, step=50,
                              rust_timeout=int(WAKE_SECONDS * 1000), yield_on_timeout=True,
                              raise_interrupt=True)
        self._pending = next(self._batches)  # returns once the watcher has been set up

    def __iter__(self) -> Iterator[set[Path]]:
        assert self._batches is not None, "start() first"
        while True:
            batch, self._pending = self._pending or next(self._batches), set()
            if batch:
                yield {Path(path) for _, path in batch}
                continue
            due = self.lift_due()
            if due is not None and due <= 0:
                yield set()

    def _wanted(self, change: object, path: str) -> bool:
        real = os.path.realpath(path)
        if real == self.out or real.startswith(self.out + os.sep):
            return False
        return not os.path.basename(path).startswith(".") and _EDITOR_FILES(change, path)


def seconds_to_lift(out: Path, now: float | None = None) -> float | None:
    """Seconds until the build's validity window ends (the earliest lift among outputs
    built as embargoed), from DIR/.pressgen-window; None when there is none to wait for."""
    try:
        until = int((out / WINDOW).read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    left = until - (time.time() if now is None else now)
    return left if left < 10 * 365 * 86400 else None


# ---------------------------------------------------------------- the preview server


class Preview:
    """The output folder on http://127.0.0.1:PORT/: an index of releases and a page per
    release showing its HTML page (when built) and PDF, reloading after each rebuild.
    Only files named like outputs directly in the folder are served."""

    def __init__(self, out: Path, port: int) -> None:
        self.out = out
        self.version = 0
        handler = partial(_Handler, self)
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> None:
        self.thread.start()

    def rebuilt(self) -> None:
        self.version += 1

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def releases(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        try:
            names = os.listdir(self.out)
        except OSError:
            names = []
        for name in sorted(names):
            if OUTPUT.fullmatch(name):
                stem, ext = name.rsplit(".", 1)
                found.setdefault(stem, set()).add(ext)
        return found


_RELOAD = """<script>
(function () {
  var seen = %d;
  setInterval(function () {
    fetch("/__pressgen/version", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) { if (Number(v) !== seen) { location.reload(); } }).catch(function () {});
  }, 700);
})();
</script>"""

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>%s</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem 2rem}iframe{width:100%%;height:80vh;
border:1px solid #999}.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}</style>
</head><body>%s%s</body></html>"""


class _Handler(BaseHTTPRequestHandler):
    def __init__(self, preview: Preview, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.preview = preview
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
        return None

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        path = self.path.split("?", 1)[0]
        if path == "/__pressgen/version":
            self._send(200, "text/plain", str(self.preview.version).encode())
        elif path == "/":
            self._send(200, "text/html; charset=utf-8", self._index())
        elif path.startswith("/preview/") and path[9:] in self.preview.releases():
            self._send(200, "text/html; charset=utf-8", self._release(path[9:]))
        elif OUTPUT.fullmatch(path[1:]) and (self.preview.out / path[1:]).is_file():
            self._file(path[1:])
        else:
            self._send(404, "text/plain", b"not found")

    def _index(self) -> bytes:
        items = "".join(
            f'<li><a href="/preview/{html.escape(stem)}">{html.escape(stem)}</a> '
            + " ".join(f'<a href="/{html.escape(stem)}.{ext}">{ext}</a>' for ext in sorted(exts))
            + "</li>" for stem, exts in self.preview.releases().items())
        body = f"<h1>pressgen preview</h1><ul>{items or '<li>nothing built yet</li>'}</ul>"
        return (_PAGE % ("pressgen preview", body, _RELOAD % self.preview.version)).encode()

    def _release(self, stem: str) -> bytes:
        exts = self.preview.releases()[stem]
        name, version = html.escape(stem), self.preview.version
        frames = "".join(f'<iframe title="{name} {ext}" src="/{name}.{ext}?v={version}">'
                         "</iframe>" for ext in ("html", "pdf") if ext in exts)
        if not frames and "txt" in exts:
            frames = f'<iframe title="{name} text" src="/{name}.txt?v={version}"></iframe>'
        body = f'<p><a href="/">all releases</a></p><h1>{name}</h1><div class="pair">{frames}</div>'
        return (_PAGE % (name, body, _RELOAD % version)).encode()

    def _file(self, name: str) -> None:
        kinds = {"pdf": "application/pdf", "html": "text/html; charset=utf-8",
                 "txt": "text/plain; charset=utf-8",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        try:
            data = (self.preview.out / name).read_bytes()
        except OSError:
            self._send(404, "text/plain", b"not found")
            return
        self._send(200, kinds[name.rsplit(".", 1)[1]], data)

    def _send(self, status: int, kind: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(data)
