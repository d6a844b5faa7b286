"""`pressgen watch` (issue 14) as a user runs it: a process of its own on a temporary
project, a release edited, the new output on disk within two seconds, an error line
for a broken edit while watching goes on, and Ctrl-C (SIGINT) ending it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from projects import new_project, release_text

AS_OF = "2026-01-28T12:00+00:00"


class Watcher:
    """`pressgen watch` in its own session, its standard error read line by line."""

    def __init__(self, project: Path, *args: str) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pressgen", "watch", "--as-of", AS_OF, *args], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, words: str, timeout: float, start: int = 0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[start:]:
                if words in line:
                    return line
            time.sleep(0.02)
        raise AssertionError(f"no line with {words!r} in {timeout} s: {self.lines}")

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=10)
        finally:
            self.reader.join(timeout=5)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def watcher(tmp_path):
    started = []

    def start(*args: str) -> Watcher:
        started.append(Watcher(tmp_path, *args))
        return started[-1]

    yield start
    for each in started:
        each.kill()


def _until(check, timeout: float) -> float:
    """Seconds until check() is true (fails after `timeout`)."""
    begun = time.monotonic()
    while not check():
        assert time.monotonic() - begun < timeout, "not within the time allowed"
        time.sleep(0.02)
    return time.monotonic() - begun


def test_watch_rebuilds_on_save_reports_a_broken_edit_and_ends_on_ctrl_c(tmp_path, watcher):
    project = new_project(tmp_path, {"one": None, "two": None})
    source, output = project / "releases" / "one.yaml", project / "dist" / "one.txt"
    running = watcher("--format", "txt")
    running.wait_for("watching", timeout=30)
    assert "Release one" in output.read_text()

    mark = len(running.lines)
    source.write_text(release_text("A headline saved in the editor"))
    took = _until(lambda: output.exists() and "A headline saved in the editor" in output.read_text(), 2.0)
    assert took < 2.0
    running.wait_for("1 built, 1 unchanged", timeout=2, start=mark)

    mark = len(running.lines)
    source.write_text(release_text("Broken") + "embagro: 2026-01-29 00:01\n")
    error = running.wait_for(": error: ", timeout=2, start=mark)
    assert error == "releases/one.yaml:7:1: error: unknown key `embagro`; did you mean `embargo`?"
    running.wait_for("0 built, 1 unchanged, 1 failed", timeout=2, start=mark)
    assert not output.exists()  # a failed release leaves no output behind

    mark = len(running.lines)
    source.write_text(release_text("Fixed again"))
    _until(lambda: output.exists() and "Fixed again" in output.read_text(), 2.0)
    assert running.process.poll() is None, "a bad release never ends the watch"

    assert running.interrupt() == 0
    assert running.lines[-1] == "pressgen: stopped watching"
    assert not any("Traceback" in line for line in running.lines), running.lines


def test_serve_shows_the_outputs_and_tells_the_page_to_reload(tmp_path, watcher):
    project = new_project(tmp_path, {"one": None})
    running = watcher("--format", "txt", "--serve", "--port", "0")
    url = running.wait_for("showing dist/ on ", timeout=30).rsplit(" ", 1)[1]
    assert url.startswith("http://127.0.0.1:")

    def get(path: str) -> str:
        with urllib.request.urlopen(url + path, timeout=5) as response:
            return response.read().decode()

    assert '<a href="/preview/one">one</a>' in get("")
    assert 'src="/one.txt?v=0"' in get("preview/one")  # no PDF asked for: the text
    assert "Release one" in get("one.txt")
    version = get("__pressgen/version")
    (project / "releases" / "one.yaml").write_text(release_text("Served anew"))
    _until(lambda: get("__pressgen/version") != version, 2.0)
    assert "Served anew" in get("one.txt")
    for forbidden in ("../templates/house.yaml", "templates/house.yaml", "%2e%2e/x.txt"):
        with pytest.raises(urllib.error.HTTPError):
            get(forbidden)
    assert running.interrupt() == 0


def test_serve_builds_and_shows_the_html_page_beside_the_pdf(tmp_path, watcher):
    """With no --format, --serve builds the HTML page too, and the release's preview page
    frames it beside the PDF."""
    new_project(tmp_path, {"one": None})
    running = watcher("--serve", "--port", "0")
    url = running.wait_for("showing dist/ on ", timeout=60).rsplit(" ", 1)[1]
    with urllib.request.urlopen(url + "preview/one", timeout=5) as response:
        page = response.read().decode()
    assert 'src="/one.html?v=0"' in page and 'src="/one.pdf?v=0"' in page
    with urllib.request.urlopen(url + "one.html", timeout=5) as response:
        assert "<h1>Release one</h1>" in response.read().decode()
    assert running.interrupt() == 0


def test_a_house_folder_that_is_not_there_is_one_error_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pressgen.cli import main

    new_project(tmp_path, {"one": None})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["watch", "--house", "nowhere/house.yaml"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines()[-1].startswith(
        "nowhere/house.yaml:1:1: error: cannot watch nowhere/ and releases: ")
