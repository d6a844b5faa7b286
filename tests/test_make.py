"""`make` (issue 9): it skips its build only when that is right for NOW, and runs no file name.

Each test drives the repository's Makefile in a project of its own, with the
moment given as `make NOW=<seconds>` (passed to pressgen as `--as-of @NOW`).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from projects import (
    IMMEDIATE, at, expected_line, make, needs_make, new_project, pressgen_build, release_text,
    top_lines, wrong_outputs,
)

pytestmark = needs_make

BEFORE, LIFT, AFTER = at(9), at(10), at(11)


@pytest.fixture
def project(tmp_path) -> Path:
    return new_project(tmp_path / "project", {"a": LIFT, "b": None}, make=True)


def ran_build(result: subprocess.CompletedProcess) -> bool:
    return "pressgen build" in result.stdout


def first_line(project: Path, name: str) -> str:
    return top_lines(project / "dist" / name)[0]


def test_make_with_nothing_changed_runs_nothing(project):
    first = make(project, BEFORE)
    assert first.returncode == 0 and ran_build(first), first.stderr
    again = make(project, BEFORE)
    assert again.returncode == 0 and not ran_build(again)
    assert "Nothing to be done" in again.stdout
    assert subprocess.run(["make", "-q", f"NOW={BEFORE}"], cwd=project).returncode == 0


def test_make_builds_when_an_embargo_lifts_and_only_then(project):
    assert make(project, BEFORE).returncode == 0
    assert not ran_build(make(project, LIFT - 1))
    assert ran_build(make(project, LIFT))
    assert first_line(project, "a.txt") == IMMEDIATE
    assert not ran_build(make(project, AFTER))


def test_a_preview_build_then_make_puts_the_embargo_back(project):
    """Issue 9: `pressgen build --as-of <tomorrow>` into dist/, then `make`, left FOR
    IMMEDIATE RELEASE in dist/ before the lift ("Nothing to be done")."""
    assert make(project, BEFORE).returncode == 0
    preview = pressgen_build(project, "--as-of", f"@{AFTER}")
    assert preview.returncode == 0, preview.stderr
    assert first_line(project, "a.txt") == IMMEDIATE  # the preview, as asked
    result = make(project, BEFORE)
    assert ran_build(result), result.stdout
    assert wrong_outputs(project / "dist", {"a": LIFT, "b": None}, BEFORE) == []


def test_make_after_editing_one_release_while_another_lifts(project):
    """Issue 9: make after editing one release wrote the next lift from that release
    alone, so another that lifted meanwhile kept its embargo line for ever."""
    assert make(project, BEFORE).returncode == 0
    (project / "releases" / "b.yaml").write_text(release_text("Release b, edited"))
    assert ran_build(make(project, BEFORE + 60))
    result = make(project, AFTER)
    assert ran_build(result), result.stdout
    assert wrong_outputs(project / "dist", {"a": LIFT, "b": None}, AFTER) == []


def test_make_after_a_build_of_one_format_brings_the_others_up_to_date(project):
    assert make(project, BEFORE).returncode == 0
    (project / "releases" / "b.yaml").write_text(release_text("Release b, edited"))
    assert pressgen_build(project, "--format", "txt", "--as-of", f"@{BEFORE}").returncode == 0
    os.utime(project / "releases" / "b.yaml", (0, 0))  # as if make had seen the edit
    result = make(project, BEFORE)
    assert ran_build(result) and "1 built" in result.stderr
    import docx

    words = [p.text for p in docx.Document(str(project / "dist" / "b.docx")).paragraphs]
    assert "Release b, edited" in words


def test_a_killed_build_leaves_no_window_so_make_builds(project):
    assert make(project, BEFORE).returncode == 0
    os.unlink(project / "dist" / ".pressgen-window")  # what a build does first
    assert ran_build(make(project, BEFORE))
    assert (project / "dist" / ".pressgen-window").exists()


ODD_NAMES = ["a`id>X`.yaml", "a`touch X`.yaml", "x;sh<evil;.yaml", "a b.yaml", "$(touch Y).yaml",
             "c'd.yaml", '"e".yaml', "-rf.yaml", "f\ng.yaml", "h*.yaml", "%.yaml", "#.yaml"]


def test_a_file_name_never_runs_and_is_an_error_for_that_release_alone(project):
    """Issue 9: ``releases/a`id>X`.yaml`` or `releases/x;sh<evil;.yaml` ran the command
    (the changed names reached the shell), and a space aborted the whole build."""
    (project / "evil").write_text("touch PWNED\n")
    assert make(project, BEFORE).returncode == 0  # then the odd names are the changes
    for name in ODD_NAMES:
        (project / "releases" / name).write_text(release_text("Odd name"))
    result = make(project, BEFORE)
    assert result.returncode != 0  # pressgen's exit 1 for the bad releases
    for planted in ("X", "Y", "PWNED"):
        assert not (project / planted).exists(), "make ran a command from a file name"
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == len(ODD_NAMES), result.stderr
    assert all("is not a valid release id" in line for line in errors)
    assert wrong_outputs(project / "dist", {"a": LIFT, "b": None}, BEFORE) == []
    assert ran_build(make(project, BEFORE)), "a failed build must not move make's stamp"


def test_a_deleted_release_loses_its_outputs(project):
    assert make(project, BEFORE).returncode == 0
    (project / "releases" / "b.yaml").unlink()
    result = make(project, BEFORE)
    assert ran_build(result) and "1 removed" in result.stderr
    assert sorted(p.name for p in (project / "dist").glob("*.*") if p.name[0] != ".") == \
        ["a.docx", "a.pdf", "a.txt"]


def test_another_source_date_epoch_rebuilds(project):
    assert make(project, BEFORE).returncode == 0
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1769644800"}
    result = subprocess.run(["make", "--no-print-directory", f"NOW={BEFORE}"], cwd=project,
                            env=env, capture_output=True, text=True)
    assert ran_build(result) and "2 built" in result.stderr


@pytest.mark.parametrize("now", ["soon", "12 34", "", "-5", "1e9"])
def test_now_must_be_seconds(project, now):
    result = subprocess.run(["make", f"NOW={now}"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 2 and "NOW must be whole seconds since 1970" in result.stderr
    assert not (project / "dist").exists()


def test_now_from_the_environment_is_ignored(project):
    """A stray NOW in the environment never sets the build's moment: only the clock
    (the one test here that reads it) or the command line does."""
    env = {**os.environ, "NOW": str(BEFORE)}
    result = subprocess.run(["make", "--no-print-directory"], cwd=project, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"@{BEFORE}" not in result.stdout
    assert first_line(project, "a.txt") == expected_line(LIFT, int(time.time()))
