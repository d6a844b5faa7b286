"""The build's state in its output folder (issue 9): what is on disk is right for the moment.

Each reproducer of the issue that concerns the build's own state, as a test that
failed before: a preview then a build, two builds either side of a lift, a FIFO
or a malformed record, a symlinked temporary folder, an output folder that holds
an input, a bad SOURCE_DATE_EPOCH, two files with one id. And what makes them
pass: the lock, the window, the record's rendered state.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from projects import (
    IMMEDIATE, at, build_command, expected_line, iso, new_project, pressgen_build, release_text,
    top_lines, wrong_outputs,
)
from pressgen.cli import main

BEFORE, LIFT, AFTER = at(9), at(10), at(11)
RELEASES = {"a": LIFT, "b": None}


@pytest.fixture
def project(tmp_path) -> Path:
    return new_project(tmp_path / "project", RELEASES)


def build(project: Path, *args: str, at_moment: int | None = BEFORE, env_epoch: str = ""):
    """`pressgen build` of the project in this process (quick: the writers stay loaded)."""
    moment = ["--as-of", iso(at_moment)] if at_moment is not None else []
    return CliRunner().invoke(main, ["build", str(project / "releases"), "--out",
                                     str(project / "dist"), "--house",
                                     str(project / "templates" / "house.yaml"), "--jobs", "1",
                                     *moment, *args], env={"SOURCE_DATE_EPOCH": env_epoch})


def many(project: Path, count: int, embargo: int | None = LIFT) -> dict[str, int | None]:
    releases = dict(RELEASES)
    for n in range(count):
        rid = f"m{n:03d}"
        (project / "releases" / f"{rid}.yaml").write_text(release_text(f"Release {n}", embargo))
        releases[rid] = embargo
    return releases


# ---------------------------------------------------------------- the rendered state


def test_a_preview_then_a_build_at_the_real_moment_is_right(project):
    assert build(project, at_moment=AFTER).exit_code == 0
    assert top_lines(project / "dist" / "a.txt") == [IMMEDIATE]
    result = build(project)
    assert result.exit_code == 0 and "1 built, 1 unchanged" in result.stderr
    assert wrong_outputs(project / "dist", RELEASES, BEFORE) == []


def test_a_build_by_the_clock_after_a_preview_is_right_for_the_clock(project):
    """The one test that reads the clock: `pressgen build` with no --as-of, after a
    preview for a moment years away and one long past."""
    for preview in (at(9) + 10 * 365 * 86400, at(9) - 10 * 365 * 86400):
        assert build(project, at_moment=preview).exit_code == 0
        assert build(project, at_moment=None).exit_code == 0
        assert wrong_outputs(project / "dist", RELEASES, int(time.time())) == []


def test_a_build_of_one_format_puts_every_format_of_the_release_right(project):
    """A preview of all formats, then `--format txt` at the real moment: the PDF
    and DOCX of the preview are rendered again too, not left saying it lifted."""
    assert build(project, at_moment=AFTER).exit_code == 0
    assert build(project, "--format", "txt").exit_code == 0
    assert wrong_outputs(project / "dist", RELEASES, BEFORE) == []


def test_a_file_replaced_under_the_build_is_not_recorded_as_its_own(project, monkeypatch):
    """Issue 9, two overlapping builds: the stamp was taken by path after the rename,
    so the record could pair `embargoed` with another process's FOR IMMEDIATE
    RELEASE file, and every later build called it unchanged. Here that other
    process's rename lands just after ours."""
    real_replace = os.replace
    other = project / "other.txt"

    def then_another_build(src, dst, *args, **kwargs):
        real_replace(src, dst, *args, **kwargs)
        if str(dst).endswith("a.txt") and not other.exists():
            other.write_text(IMMEDIATE + "\n")
            real_replace(other, dst)
            other.write_text("done")

    monkeypatch.setattr(os, "replace", then_another_build)
    assert build(project).exit_code == 0
    monkeypatch.setattr(os, "replace", real_replace)
    assert top_lines(project / "dist" / "a.txt") == [IMMEDIATE]
    result = build(project)
    assert result.exit_code == 0 and "1 built" in result.stderr
    assert wrong_outputs(project / "dist", RELEASES, BEFORE) == []


def test_two_overlapping_builds_either_side_of_the_lift_then_a_build_is_right(project):
    """Issue 9: two builds at once into one folder, one before the lift and one after
    (two cron runs, a preview beside a normal build). They take turns (the lock);
    whichever ends last, the next build at the real moment puts everything right."""
    releases = many(project, 40)
    logs = [open(project / f"build-{n}.log", "w") for n in range(2)]
    builds = [subprocess.Popen(build_command(project, "--format", "txt", "--jobs", "2",
                                             "--as-of", iso(moment)), stderr=log)
              for moment, log in zip((BEFORE, AFTER), logs)]
    for process in builds:
        assert process.wait(timeout=120) == 0
    assert build(project, "--format", "txt").exit_code == 0
    for rid, embargo in releases.items():
        assert top_lines(project / "dist" / f"{rid}.txt") == [expected_line(embargo, BEFORE)]


def test_builds_into_one_folder_take_turns(project):
    (project / "dist").mkdir()
    lock = open(project / "dist" / ".pressgen-lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # another build holds the folder
    log = project / "build.log"
    waiting = subprocess.Popen(build_command(project, "--as-of", iso(BEFORE)),
                               stderr=log.open("w"))
    deadline = time.monotonic() + 60
    while "waiting" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    assert waiting.poll() is None, "the second build did not wait"
    assert not list((project / "dist").glob("*.txt"))
    lock.close()
    assert waiting.wait(timeout=120) == 0
    said = log.read_text()
    assert said.count("another build into") == 1, said
    assert wrong_outputs(project / "dist", RELEASES, BEFORE) == []


# ---------------------------------------------------------------- kills


def test_a_killed_build_leaves_no_window_and_its_workers_die_with_it(project):
    releases = many(project, 60)
    assert build(project, "--format", "txt").exit_code == 0
    window = project / "dist" / ".pressgen-window"
    assert window.exists()
    killed = subprocess.Popen(build_command(project, "--jobs", "2", "--force", "--as-of",
                                            iso(AFTER)),
                              stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list((project / "dist").glob("*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(killed.pid, signal.SIGKILL)  # the build only: its workers must follow it
    killed.wait()
    assert not window.exists()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(killed.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("a worker of the killed build is still running")
    result = build(project, "--format", "txt")
    assert result.exit_code == 0 and "waiting" not in result.stderr
    for rid, embargo in releases.items():
        assert top_lines(project / "dist" / f"{rid}.txt") == [expected_line(embargo, BEFORE)]


# ---------------------------------------------------------------- the window


def window_of(project: Path) -> list[str]:
    return (project / "dist" / ".pressgen-window").read_text().split()


def test_the_window_covers_every_release_in_the_record(project):
    assert build(project).exit_code == 0
    assert window_of(project) == ["-99999999999", str(LIFT), "-"]
    result = CliRunner().invoke(main, ["build", str(project / "releases" / "b.yaml"), "--out",
                                       str(project / "dist"), "--house",
                                       str(project / "templates" / "house.yaml"), "--as-of",
                                       iso(BEFORE)])
    assert result.exit_code == 0
    assert window_of(project) == ["-99999999999", str(LIFT), "-"]  # a's embargo still counts
    assert build(project, at_moment=AFTER).exit_code == 0
    assert window_of(project) == [str(LIFT), "99999999999", "-"]


def test_no_window_while_the_folder_holds_an_output_the_record_does_not_know(project):
    assert build(project).exit_code == 0
    (project / "dist" / "stray.txt").write_text(IMMEDIATE + "\n")
    assert build(project).exit_code == 0
    assert not (project / "dist" / ".pressgen-window").exists()


# ---------------------------------------------------------------- releases come and go


def test_a_deleted_release_is_removed_by_a_build_of_its_folder(project):
    assert build(project).exit_code == 0
    (project / "releases" / "b.yaml").unlink()
    one = CliRunner().invoke(main, ["build", str(project / "releases" / "a.yaml"), "--out",
                                    str(project / "dist"), "--house",
                                    str(project / "templates" / "house.yaml"), "--as-of",
                                    iso(BEFORE)])
    assert one.exit_code == 0 and (project / "dist" / "b.txt").exists()  # not its folder
    result = build(project)
    assert result.exit_code == 0 and "1 removed" in result.stderr
    assert not list((project / "dist").glob("b.*"))
    assert "b" not in json.loads((project / "dist" / ".pressgen-cache.json").read_text())[
        "releases"]


def test_a_leaking_output_of_another_folder_is_put_right(project):
    (project / "archive").mkdir()
    (project / "archive" / "x.yaml").write_text(release_text("Archived", LIFT))
    preview = CliRunner().invoke(main, ["build", str(project / "archive"), "--out",
                                        str(project / "dist"), "--house",
                                        str(project / "templates" / "house.yaml"),
                                        "--as-of", iso(AFTER)])
    assert preview.exit_code == 0
    assert build(project).exit_code == 0  # releases/ only
    assert wrong_outputs(project / "dist", {**RELEASES, "x": LIFT}, BEFORE) == []


def test_x_yaml_and_x_yml_are_each_an_error_naming_the_other(project):
    """Issue 9: they overwrote each other's outputs silently, and the record never settled."""
    (project / "releases" / "a.yml").write_text(release_text("The other a"))
    result = build(project)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    yaml, yml = project / "releases" / "a.yaml", project / "releases" / "a.yml"
    assert errors == [
        f"{yaml}:1:1: error: {yml} has the same release id `a`, so both would write the "
        "same outputs; rename or delete one of them",
        f"{yml}:1:1: error: {yaml} has the same release id `a`, so both would write the "
        "same outputs; rename or delete one of them"]
    assert not list((project / "dist").glob("a.*"))
    assert (project / "dist" / "b.txt").exists()
    checked = CliRunner().invoke(main, ["check", str(project / "releases"), "--house",
                                        str(project / "templates" / "house.yaml")])
    assert checked.exit_code == 1
    assert [line for line in checked.stderr.splitlines() if ": error: " in line] == errors


# ---------------------------------------------------------------- hostile state files


def test_a_fifo_as_the_record_does_not_hang_the_build(project):
    """Issue 9: a FIFO as the cache file hung the build."""
    (project / "dist").mkdir()
    os.mkfifo(project / "dist" / ".pressgen-cache.json")
    try:
        result = pressgen_build(project, "--as-of", iso(BEFORE), timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the build hung on a FIFO record")
    assert result.returncode == 0, result.stderr
    assert (project / "dist" / ".pressgen-cache.json").is_file()
    assert wrong_outputs(project / "dist", RELEASES, BEFORE) == []


def test_a_fifo_or_link_as_the_lock_is_a_clear_error_and_as_the_window_is_replaced(project,
                                                                                  tmp_path):
    (project / "dist").mkdir()
    os.mkfifo(project / "dist" / ".pressgen-window")
    assert build(project).exit_code == 0
    assert (project / "dist" / ".pressgen-window").is_file()
    (project / "dist" / ".pressgen-lock").unlink()
    for hostile in (lambda p: os.mkfifo(p), lambda p: p.symlink_to(tmp_path / "elsewhere")):
        hostile(project / "dist" / ".pressgen-lock")
        result = build(project)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert ".pressgen-lock is not a plain file; delete it" in result.stderr
        assert not (tmp_path / "elsewhere").exists()
        (project / "dist" / ".pressgen-lock").unlink()


def test_a_release_become_a_fifo_does_not_hang_the_quick_check(project):
    assert build(project).exit_code == 0
    (project / "releases" / "b.yaml").unlink()
    os.mkfifo(project / "releases" / "b.yaml")
    try:
        result = pressgen_build(project, "--as-of", iso(BEFORE), timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the build hung on a FIFO release")
    assert result.returncode == 1
    assert "b.yaml:1:1: error: this is not a regular file" in result.stderr
    assert not list((project / "dist").glob("b.*"))
    assert wrong_outputs(project / "dist", {"a": LIFT}, BEFORE) == []


def _wrong_types(data, path=()):
    """Every (path, value) that puts a wrong type somewhere in the record."""
    for wrong in ([], 7, "x", None, {"k": 1}, True):
        if type(wrong) is not type(data):
            yield path, wrong
            break
    children = data.items() if isinstance(data, dict) else \
        enumerate(data) if isinstance(data, list) else ()
    for key, value in children:
        yield from _wrong_types(value, path + (key,))


def _with(data, path, value):
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _with(data[path[0]], path[1:], value)
    return copy


def test_a_malformed_record_is_no_record(project):
    """Issue 9: a malformed cache record gave an internal error and deleted that
    release's outputs. A wrong type anywhere in it: the build renders again, and
    never fails or deletes an output for it."""
    assert build(project, "--format", "txt").exit_code == 0
    record = project / "dist" / ".pressgen-cache.json"
    good = json.loads(record.read_text())
    cases = list(_wrong_types(good)) + [((), "{"), ((), "[" * 100_000)]
    for path, value in cases:
        text = value if path == () and isinstance(value, str) else json.dumps(_with(good, path,
                                                                                   value))
        record.write_text(text)
        result = build(project, "--format", "txt")
        assert result.exit_code == 0 and "error" not in result.stderr, (path, result.stderr)
        for rid, embargo in RELEASES.items():
            assert top_lines(project / "dist" / f"{rid}.txt") == [expected_line(embargo, BEFORE)]
    assert len(cases) > 20


def test_a_symlinked_temporary_folder_never_deletes_files_elsewhere(project, tmp_path):
    """Issue 9: a `.dist.pressgen-tmp` symlink made a build delete `*.tmp` files elsewhere."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for name in ("a.txt.dead00.tmp", "notes.tmp"):
        (elsewhere / name).write_text("someone else's file\n")
    (project / ".dist.pressgen-tmp").symlink_to(elsewhere)
    assert build(project).exit_code == 0
    assert sorted(p.name for p in elsewhere.iterdir()) == ["a.txt.dead00.tmp", "notes.tmp"]
    assert wrong_outputs(project / "dist", RELEASES, BEFORE) == []
    assert not list((project / "dist").glob(".*.tmp"))


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand a folder to another user")
def test_a_temporary_folder_of_another_user_is_left_alone(project):
    folder = project / ".dist.pressgen-tmp"
    folder.mkdir()
    (folder / "a.txt.dead00.tmp").write_text("theirs\n")
    os.chown(folder, 65534, 65534)
    assert build(project).exit_code == 0
    assert (folder / "a.txt.dead00.tmp").exists()
    assert wrong_outputs(project / "dist", RELEASES, BEFORE) == []


# ---------------------------------------------------------------- the command line


@pytest.mark.parametrize("out", ["templates", "releases", ".", "link-to-templates"])
def test_an_output_folder_that_holds_an_input_is_a_usage_error(project, monkeypatch, out):
    """Issue 9: `--out templates` overwrote reference.docx."""
    monkeypatch.chdir(project)
    (project / "link-to-templates").symlink_to(project / "templates")
    before = (project / "templates" / "reference.docx").read_bytes()
    result = CliRunner().invoke(main, ["build", "--out", out, "--as-of", iso(BEFORE)])
    assert result.exit_code == 2, result.output
    assert "choose a folder of their own, e.g. --out dist" in result.stderr
    assert (project / "templates" / "reference.docx").read_bytes() == before
    assert not list(project.rglob("*.pdf"))


@pytest.mark.parametrize("value", ["-1", "99999999999999999999", "12a", "１２", " 5", "1.5",
                                   "\x1b[31m"])
def test_a_bad_source_date_epoch_is_a_usage_error(project, value):
    """Issue 9: a bad SOURCE_DATE_EPOCH gave a traceback."""
    result = build(project, env_epoch=value)
    assert result.exit_code == 2 and not isinstance(result.exception, Exception)
    assert "SOURCE_DATE_EPOCH must be whole seconds since 1970" in result.stderr
    assert "\x1b" not in result.stderr
    assert not (project / "dist").exists()


def test_as_of_takes_seconds_since_1970(project):
    assert build(project, "--as-of", f"@{LIFT - 1}", at_moment=None).exit_code == 0
    assert top_lines(project / "dist" / "a.txt") == [expected_line(LIFT, BEFORE)]
    assert build(project, "--as-of", f"@{LIFT}", at_moment=None).exit_code == 0
    assert top_lines(project / "dist" / "a.txt") == [IMMEDIATE]
    for bad in ("@", "@soon", "@-5", "@1.5", "@999999999999"):
        result = CliRunner().invoke(main, ["build", "--as-of", bad])
        assert result.exit_code == 2, bad
