"""Projects on disk for the build-state tests: releases with embargoes on one day,
the repository's Makefile, code and venv, and what each output says at its top.

Every moment is seconds since 1970 on Thursday 29 January 2026 (GMT, so a local
time is UTC), passed as `--as-of @T` or `make NOW=T`: no test reads the clock.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import ROOT

DAY = datetime(2026, 1, 29, tzinfo=timezone.utc)
FORMATS = ("pdf", "docx", "txt")
IMMEDIATE = "FOR IMMEDIATE RELEASE"

needs_make = pytest.mark.skipif(
    shutil.which("make") is None or not (ROOT / ".venv" / ".installed").exists(),
    reason="needs make and the project's .venv (made by `make`)")


def at(hour: int, minute: int = 0) -> int:
    """The moment HH:MM on the day, in seconds since 1970."""
    return int(DAY.replace(hour=hour, minute=minute).timestamp())


def iso(moment: int) -> str:
    """`--as-of` for a moment, in ISO 8601 (the `@seconds` form is tested on its own)."""
    return f"{datetime.fromtimestamp(moment, timezone.utc):%Y-%m-%dT%H:%M:%S}+00:00"


def release_text(headline: str, embargo: int | None = None) -> str:
    """A small final release on the day; `embargo` in seconds since 1970."""
    line = f"embargo: {datetime.fromtimestamp(embargo, timezone.utc):%Y-%m-%d %H:%M}\n" \
        if embargo is not None else ""
    return (f"headline: {headline}\ndate: 2026-01-29\n{line}status: final\n"
            "body: |\n  The inspectorate published its report today.\n"
            "contacts: [press-office]\n")


def expected_line(embargo: int | None, now: int) -> str:
    """What the top of every output must say at `now` (spec §4)."""
    if embargo is None or now >= embargo:
        return IMMEDIATE
    lifts = datetime.fromtimestamp(embargo, timezone.utc)
    return f"EMBARGOED UNTIL {lifts:%H:%M} GMT, Thursday 29 January 2026"


def new_project(folder: Path, releases: dict[str, int | None], make: bool = False) -> Path:
    """releases/ (id -> embargo), a copy of templates/, and with `make` the
    repository's Makefile, code and venv by link (pyproject.toml a copy dated
    1970, so make never reinstalls from a test)."""
    (folder / "releases").mkdir(parents=True)
    for rid, embargo in releases.items():
        (folder / "releases" / f"{rid}.yaml").write_text(release_text(f"Release {rid}", embargo))
    shutil.copytree(ROOT / "templates", folder / "templates")
    if make:
        for name in ("Makefile", "src", ".venv"):
            (folder / name).symlink_to(ROOT / name)
        shutil.copyfile(ROOT / "pyproject.toml", folder / "pyproject.toml")
        os.utime(folder / "pyproject.toml", (0, 0))
    return folder


def make(project: Path, now: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", f"NOW={now}", *args], cwd=project,
                          capture_output=True, text=True, timeout=300)


def build_command(project: Path, *args: str) -> list[str]:
    """`pressgen build` of the project's releases into its dist/, in a fresh interpreter."""
    return [sys.executable, "-m", "pressgen", "build", str(project / "releases"), "--out",
            str(project / "dist"), "--house", str(project / "templates" / "house.yaml"), *args]


def pressgen_build(project: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The build in a session of its own: on a timeout it is killed with every process
    it started (a hung build's workers must not outlive the test)."""
    with subprocess.Popen(build_command(project, *args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, start_new_session=True) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def linked_copy(project: Path, to: Path) -> Path:
    """A copy of the project that shares every file's inode and times (hard links;
    symbolic links stay links), so the record's stamps and make's stamp still hold
    in it. Builds replace files by rename, so nothing run in the copy changes the
    original."""
    shutil.copytree(project, to, symlinks=True, copy_function=os.link)
    return to


def top_lines(path: Path) -> list[str]:
    """The release line(s) an output shows: the text's first line; the PDF's first
    line; the DOCX's header and the first line of its body."""
    if path.suffix == ".txt":
        return [path.read_text(encoding="utf-8").split("\n", 1)[0]]
    if path.suffix == ".pdf":
        import pypdf

        return [pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages[0].extract_text()
                .split("\n", 1)[0]]
    import docx

    document = docx.Document(io.BytesIO(path.read_bytes()))
    return [document.sections[0].header.paragraphs[0].text, document.paragraphs[0].text]


def wrong_outputs(out: Path, releases: dict[str, int | None], now: int,
                  gone: set[str] = frozenset()) -> list[str]:
    """Each way `out` is not right for `now`: an output missing or saying the wrong
    thing, or an output of a release in `gone` still there."""
    wrong = []
    for rid, embargo in releases.items():
        want = expected_line(embargo, now)
        for fmt in FORMATS:
            path = out / f"{rid}.{fmt}"
            if not path.exists():
                wrong.append(f"{path.name} is missing")
            elif any(line != want for line in top_lines(path)):
                wrong.append(f"{path.name} says {top_lines(path)}, not {want!r}")
    for rid in gone:
        wrong += [f"{p.name} of a deleted release remains" for p in out.glob(f"{rid}.*")]
    return wrong
