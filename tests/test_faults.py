"""Faults outside the input: a killed build, an unwritable folder, a full disk, a bug.

Nothing half-written (spec §7): outputs are renamed into place whole, a failed
release leaves no output behind, and a build killed with SIGKILL leaves neither
a partial output nor a temporary file in the output folder. Nothing crashes: an
unexpected error in one release is one line asking for a bug report, and the
other releases are still built.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import HOUSE, MINIMAL
from pressgen.atomic import temp_folder_of, write_atomic
from pressgen.cli import main

AS_OF = ["--as-of", "2026-01-28 12:00"]
OUTPUT_SUFFIXES = (".pdf", ".docx", ".txt")
# the build's own files: the record and the window (written atomically), and the lock
BOOKKEEPING = {".pressgen-cache.json", ".pressgen-window", ".pressgen-lock"}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def release_text(n: int, paragraphs: int = 8) -> str:
    body = "\n\n".join(f"Paragraph {i} of release {n}: the inspectorate found that work to "
                       "keep people safe had improved, though not everywhere. " * 3
                       for i in range(paragraphs))
    return (f"headline: Release number {n}\ndate: 2026-01-29\nembargo: 2026-01-29 00:01\n"
            f"status: final\ncontacts: [press-office]\nbody: |\n{textwrap.indent(body, '  ')}\n")


def write_releases(folder: Path, count: int, paragraphs: int = 8) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"2026-01-29-release-{n:04d}.yaml"
        path.write_text(release_text(n, paragraphs), encoding="utf-8")
        paths.append(path)
    return paths


def assert_complete(path: Path) -> None:
    """An output that a reader can open: never a prefix of one."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        assert data.rstrip().endswith(b"%%EOF"), path
        assert len(PdfReader(BytesIO(data)).pages) >= 1, path
    elif path.suffix == ".docx":
        import docx

        assert zipfile.ZipFile(BytesIO(data)).testzip() is None, path
        assert docx.Document(BytesIO(data)).paragraphs, path
    else:
        assert data.endswith(b"\n") and data.decode("utf-8").startswith("EMBARGOED UNTIL"), path


def assert_only_outputs(out: Path) -> list[Path]:
    """The output folder holds outputs and build bookkeeping, and no temporary file."""
    outputs = []
    for path in out.iterdir():
        if path.name in BOOKKEEPING:
            continue
        assert not path.name.startswith("."), f"hidden leftover {path.name}"
        assert path.suffix in OUTPUT_SUFFIXES, f"leftover {path.name}"
        outputs.append(path)
    return outputs


# ---------------------------------------------------------------- SIGKILL mid-build

def test_a_batch_killed_mid_way_leaves_no_partial_or_temporary_file(tmp_path):
    count = 240
    write_releases(tmp_path / "releases", count)
    out = tmp_path / "dist"
    log = (tmp_path / "build.log").open("wb")
    build = subprocess.Popen(
        [sys.executable, "-m", "pressgen", "build", "releases", "--out", "dist", "--house",
         str(HOUSE), "--jobs", "2", *AS_OF],
        cwd=tmp_path, stdout=log, stderr=log, start_new_session=True)
    target = int(0.4 * 3 * count)
    temps = temp_folder_of(out)
    seen = 0
    deadline = time.monotonic() + 120
    try:
        # wait for 40% of the outputs; then kill at the first sight of a temporary
        # file (a write in flight), or 2 s later at the latest
        while time.monotonic() < deadline and build.poll() is None:
            names = [e.name for e in os.scandir(out)] if out.is_dir() else []
            if seen < target:
                seen = sum(1 for name in names if name.endswith(OUTPUT_SUFFIXES))
                deadline = min(deadline, time.monotonic() + 2) if seen >= target else deadline
            elif any(n.endswith(".tmp") for n in names) or _holds_any(temps):
                break
    finally:
        os.killpg(build.pid, signal.SIGKILL)  # the build and its workers, at once
        build.wait()
    assert build.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    assert seen >= target

    outputs = assert_only_outputs(out)
    assert target <= len(outputs) < 3 * count, len(outputs)
    for path in outputs:
        assert_complete(path)

    # a kill can leave a temporary in the sibling folder, never among the outputs;
    # the next build clears it and removes the folder
    result = run("build", tmp_path / "releases" / "2026-01-29-release-0000.yaml",
                 "--out", out, "--house", HOUSE, "--jobs", "1", *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert not temp_folder_of(out).exists()


def test_a_writer_killed_before_its_rename_leaves_nothing_among_the_outputs(tmp_path):
    """The moment a kill does the most harm, made certain: the temporary is whole
    and not yet renamed. It is outside the output folder, and the next write
    removes it and the emptied temporary folder."""
    out = tmp_path / "dist"
    out.mkdir()
    (out / "old.pdf").write_bytes(b"the old output")
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from pressgen import atomic
        os.replace = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
        atomic.write_atomic(Path({str(out / 'old.pdf')!r}), b"%PDF new" * 100_000)
        """)])
    assert child.returncode == -signal.SIGKILL
    assert [p.name for p in out.iterdir()] == ["old.pdf"]
    assert (out / "old.pdf").read_bytes() == b"the old output"
    leftovers = list(temp_folder_of(out).iterdir())
    assert len(leftovers) == 1 and leftovers[0].stat().st_size == 800_000

    write_atomic(out / "new.txt", b"new\n")
    assert sorted(p.name for p in out.iterdir()) == ["new.txt", "old.pdf"]
    assert not temp_folder_of(out).exists()


def test_a_failed_write_leaves_no_temporary_and_the_old_file_whole(tmp_path, monkeypatch):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "a.txt").write_bytes(b"old\n")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(out / "a.txt", b"new\n")
    assert [p.name for p in out.iterdir()] == ["a.txt"] and (out / "a.txt").read_bytes() == b"old\n"
    assert not temp_folder_of(out).exists()


def test_temporaries_of_live_writers_are_left_alone(tmp_path):
    import fcntl

    out = tmp_path / "dist"
    out.mkdir()
    folder = temp_folder_of(out)
    folder.mkdir()
    live = folder / "x.pdf.abc123.tmp"   # a writer in another build holds its lock
    dead = folder / "y.pdf.def456.tmp"   # nobody holds it: its writer is gone
    foreign = folder / "notes.txt"        # not a temporary of ours
    for path in (live, dead, foreign):
        path.write_bytes(b"x")
    with live.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        write_atomic(out / "a.txt", b"a\n")
    assert live.exists() and foreign.exists() and not dead.exists()
    assert (out / "a.txt").read_bytes() == b"a\n"


def test_the_output_folder_may_be_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_atomic(Path("a.txt"), b"a\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


# ---------------------------------------------------------------- unwritable output

@pytest.fixture
def releases(tmp_path):
    return write_releases(tmp_path / "releases", 2, paragraphs=2)


def test_out_inside_a_file_is_a_clear_error(tmp_path, releases):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    out = blocker / "dist"  # the parent is a file: fails for root too
    result = run("build", tmp_path / "releases", "--out", out, "--house", HOUSE, *AS_OF)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{out}:1:1: error: cannot write to the output folder: Not a directory" in result.stderr


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder that really refuses new files: chmod 555 (not for root), else /sys."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    for candidate in (folder, Path("/sys/kernel")):
        try:
            (candidate / ".pressgen-probe").write_bytes(b"")
        except OSError:
            return candidate
        (candidate / ".pressgen-probe").unlink()
    pytest.skip("no folder here refuses writes (root, and /sys is writable)")


def test_a_read_only_output_folder_is_a_clear_error(tmp_path, releases):
    """One line for the folder (the build cannot even take its lock there), not one
    per release."""
    out = _read_only_folder(tmp_path)
    try:
        result = run("build", tmp_path / "releases", "--out", out, "--house", HOUSE,
                     "--jobs", "1", *AS_OF)
    finally:
        (tmp_path / "read-only").chmod(0o755)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [f"{out}:1:1: error: cannot write to the output folder: Permission "
                      "denied; check that it is a folder you can write to, with space"]


def test_a_full_disk_fails_the_release_and_removes_its_old_outputs(tmp_path, releases):
    """A file-size limit (RLIMIT_FSIZE) makes every large write fail as a full disk
    would, for root too: the PDF cannot be written, so the release fails whole."""
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "pressgen", "build", "releases", "--out", "dist",
               "--house", str(HOUSE), "--jobs", "1", "--force", *AS_OF]
    assert subprocess.run(command, cwd=tmp_path, capture_output=True).returncode == 0
    assert len(assert_only_outputs(out)) == 6

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, not kills
        resource.setrlimit(resource.RLIMIT_FSIZE, (16_000, 16_000))

    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                            preexec_fn=small_disk)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 2
    for line in errors:
        assert ":1:1: error: cannot write dist: File too large; check that the output " \
               "folder exists, is writable and has space" in line
    assert assert_only_outputs(out) == [], "a failed release leaves no old output behind"
    assert not temp_folder_of(out).exists()


# ---------------------------------------------------------------- a bug in pressgen

def test_an_internal_error_is_one_line_and_the_other_releases_still_build(tmp_path, releases,
                                                                          monkeypatch):
    from pressgen.writers import text

    real = text.render

    def broken(release, resources):
        if release.id.endswith("0000"):
            raise RuntimeError("a bug")
        return real(release, resources)

    monkeypatch.setattr(text, "render", broken)
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", str(tmp_path / "releases"), "--out", str(out),
                                       "--house", str(HOUSE), "--jobs", "1", *AS_OF])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [f"{releases[0]}:1:1: error: internal error (RuntimeError: a bug); this is "
                      "a bug in pressgen: please report it with this file"]
    assert sorted(p.name for p in assert_only_outputs(out)) == [
        f"{releases[1].stem}.{ext}" for ext in ("docx", "pdf", "txt")]


def test_a_worker_that_dies_is_one_line_and_the_other_releases_still_build(tmp_path, monkeypatch):
    from pressgen.writers import text

    sources = write_releases(tmp_path / "releases", 6, paragraphs=1)
    real = text.render

    def dies(release, resources):
        if release.id == sources[2].stem:
            os._exit(9)  # as the OOM killer would end it
        return real(release, resources)

    monkeypatch.setattr(text, "render", dies)
    result = CliRunner().invoke(main, ["build", str(tmp_path / "releases"), "--out",
                                       str(tmp_path / "dist"), "--house", str(HOUSE),
                                       "--jobs", "2", *AS_OF])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{sources[2]}:1:1: error: internal error" in result.stderr
    assert len(assert_only_outputs(tmp_path / "dist")) >= 3


# ---------------------------------------------------------------- limits

def test_a_release_of_2000_paragraphs_builds_in_bounded_time(tmp_path, capsys):
    source = write_releases(tmp_path / "releases", 1, paragraphs=2000)[0]
    assert source.stat().st_size < 1_000_000  # under the size cap, so a valid release
    started = time.monotonic()
    result = run("build", source, "--out", tmp_path / "dist", "--house", HOUSE, "--jobs", "1",
                 *AS_OF)
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.stderr
    with capsys.disabled():
        print(f"\n2,000 paragraphs ({source.stat().st_size:,} bytes): PDF, DOCX and text "
              f"in {elapsed:.1f} s")
    assert elapsed < 60
    outputs = assert_only_outputs(tmp_path / "dist")
    assert len(outputs) == 3
    for path in outputs:
        assert_complete(path)
    text = (tmp_path / "dist" / f"{source.stem}.txt").read_text(encoding="utf-8")
    assert "Paragraph 1999 of release 0" in text


def test_an_over_large_release_is_refused_through_the_command_line(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(MINIMAL.encode() + b"summary: " + b"x" * 2_000_000 + b"\n")
    result = run("check", path, "--house", HOUSE)
    assert result.exit_code == 1
    size = path.stat().st_size
    assert f"{path}:1:1: error: the file is {size:,} bytes, over the limit of 1,000,000; a " \
           "release should be a few kilobytes" in result.stderr


def _holds_any(folder) -> bool:
    """Whether `folder` holds an entry now; the build may remove it between two looks."""
    try:
        return any(os.scandir(folder))
    except FileNotFoundError:
        return False
