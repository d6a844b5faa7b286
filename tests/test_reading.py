"""Issue 9, item 3: every input read bounded and safely, through `reading.read_bounded`.

A FIFO never hangs a build, a device never floods it, a 2 GB file is refused
before a byte is read, and a release (or house file) that is a symbolic link is
read only when the link stays inside the project: a release linked to
/etc/shadow is refused, and no message quotes what it holds. The command-line
cases run `pressgen` in a process of its own with a timeout, so a hang fails the
test instead of stopping the suite.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import HOUSE, MINIMAL, problems_of
from pressgen import reading
from pressgen.errors import ReleaseError
from pressgen.load import load_house, load_release
from pressgen.embargo import parse_moment
from pressgen.reading import ReadError, read_bounded

AS_OF = ["--as-of", "2026-01-28 12:00"]
SECRET = "root:$6$Zq8yT2vLk0pWmN4xR7sB1cD9eF3gH5jK6lM8nO0pQ2rS4tU6vW8xY0zA:19000:0:99999:7:::"


@pytest.fixture
def project(tmp_path):
    """A project folder: templates/house.yaml and releases/good.yaml."""
    (tmp_path / "templates").mkdir()
    shutil.copy(HOUSE, tmp_path / "templates" / "house.yaml")
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "good.yaml").write_text(MINIMAL, encoding="utf-8")
    return tmp_path


def pressgen(project: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`pressgen ARGS` run in `project`, killed (and the test failed) after `timeout` s."""
    try:
        return subprocess.run([sys.executable, "-m", "pressgen", *args], cwd=project,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`pressgen {' '.join(args)}` did not return within {timeout} s")


def load_in(project: Path, name: str):
    house = load_house(project / "templates" / "house.yaml")
    return load_release(project / "releases" / name, house, parse_moment("2026-01-28 12:00", house.tz))


# ---------------------------------------------------------------- kinds of file

def test_a_fifo_in_releases_neither_hangs_build_nor_check(project):
    os.mkfifo(project / "releases" / "pipe.yaml")  # nobody ever writes to it
    for command in (["build", "--jobs", "1", *AS_OF], ["build", "--jobs", "2", *AS_OF], ["check"]):
        result = pressgen(project, *command)
        assert result.returncode == 1, result.stderr
        assert "releases/pipe.yaml:1:1: error: this is not a regular file" in result.stderr
        assert "Traceback" not in result.stderr
    assert (project / "dist" / "good.pdf").exists(), "the good release is still built"
    assert not list((project / "dist").glob("pipe.*"))


def test_a_link_to_dev_zero_is_refused_without_a_read(project):
    (project / "releases" / "zero.yaml").symlink_to("/dev/zero")
    started = time.monotonic()
    with pytest.raises(ReleaseError) as info:
        load_in(project, "zero.yaml")
    assert time.monotonic() - started < 2
    assert problems_of(info) == [
        f"{project / 'releases' / 'zero.yaml'}:1:1: error: the file is a symbolic link to a "
        f"file outside the project ({project}); copy the file into the project instead"]
    # named directly (no project to stay in), a device is still refused, unread
    with pytest.raises(ReadError, match="not a regular file"):
        read_bounded(Path("/dev/zero"), 1_000_000)


def test_a_2_gb_sparse_file_is_refused_before_it_is_read(project):
    path = project / "releases" / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(MINIMAL.encode())
        handle.truncate(2 * 1024 ** 3)  # 2 GB on paper, nothing on disk
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ReleaseError) as info:
            load_in(project, "huge.yaml")
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 1, f"refusing it took {elapsed:.2f} s: it was read"
    assert peak < 5_000_000, f"refusing it took {peak:,} bytes of memory: it was read"
    assert "the file is 2,147,483,648 bytes, over the limit of 1,000,000" in problems_of(info)[0]
    # and through a whole build (in a fresh process): quick, small, one error
    started = time.monotonic()
    # this build's own peak memory (and its workers'), from wait4: RUSAGE_CHILDREN
    # would be the largest child of the whole test session (a browser, a site build)
    process = subprocess.Popen([sys.executable, "-m", "pressgen", "build", "--jobs", "1", *AS_OF,
                                "--format", "txt"], cwd=project, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    assert time.monotonic() - started < 20
    assert process.returncode == 1 and "huge.yaml:1:1: error: the file is 2,147,483,648" in stderr
    assert usage.ru_maxrss < 400_000  # KiB


# ---------------------------------------------------------------- links out of the project

@pytest.fixture
def secret(tmp_path_factory):
    """A file outside every project, of lines no error message may print."""
    folder = tmp_path_factory.mktemp("elsewhere")
    path = folder / "shadow"
    path.write_text(f"{SECRET}\nheadline: {SECRET}\n{SECRET[:30]}: {SECRET}\n", encoding="utf-8")
    return path


def assert_quotes_none_of(text: str, secret: str = SECRET) -> None:
    for start in range(len(secret) - 20):
        assert secret[start:start + 20] not in text, f"quotes the file: {text!r}"


def test_a_release_linked_outside_the_project_is_refused_unquoted(project, secret):
    (project / "releases" / "shadow.yaml").symlink_to(secret)
    for command in (["build", "--jobs", "1", *AS_OF], ["check"], ["status", *AS_OF]):
        result = pressgen(project, *command)
        assert result.returncode == 1
        assert ("releases/shadow.yaml:1:1: error: the file is a symbolic link to a file outside "
                "the project") in result.stderr, result.stderr
        assert_quotes_none_of(result.stderr + result.stdout)
    assert not list((project / "dist").glob("shadow.*"))


def test_a_house_file_linked_outside_the_project_is_refused_unquoted(project, secret):
    house = project / "templates" / "house.yaml"
    house.unlink()
    house.symlink_to(secret)
    result = pressgen(project, "check")
    assert result.returncode == 1
    assert "templates/house.yaml:1:1: error: the file is a symbolic link to a file outside" \
        in result.stderr
    assert_quotes_none_of(result.stderr)


def test_a_folder_linked_outside_counts_as_outside(project, secret):
    (project / "releases" / "linked").symlink_to(secret.parent, target_is_directory=True)
    with pytest.raises(ReleaseError, match="symbolic link to a file outside the project"):
        load_in(project, "linked/shadow")


def test_links_inside_the_project_are_followed(project):
    shared = project / "shared"
    shared.mkdir()
    (shared / "common.yaml").write_text(MINIMAL.replace("A headline", "Shared"), encoding="utf-8")
    (project / "releases" / "linked.yaml").symlink_to("../shared/common.yaml")
    (project / "releases" / "alias.yaml").symlink_to("good.yaml")
    assert load_in(project, "linked.yaml").headline == "Shared"
    assert load_in(project, "alias.yaml").id == "alias"
    result = pressgen(project, "build", "--jobs", "1", *AS_OF, "--format", "txt")
    assert result.returncode == 0, result.stderr
    assert "Shared" in (project / "dist" / "linked.txt").read_text(encoding="utf-8")


def test_a_link_swapped_after_the_check_is_caught_on_the_open_file(project, secret, monkeypatch):
    """The link is checked, then opened: swapped in between, the open descriptor is
    not the file that was checked, and that is seen before a byte is read."""
    link = project / "releases" / "swapped.yaml"
    link.symlink_to("good.yaml")
    real_open = os.open

    def swap_then_open(path, flags, *args):
        if Path(path) == link:
            link.unlink()
            link.symlink_to(secret)
            fd = real_open(path, flags, *args)
            link.unlink()
            link.symlink_to("good.yaml")  # back, as a racing attacker would put it
            return fd
        return real_open(path, flags, *args)

    monkeypatch.setattr(reading.os, "open", swap_then_open)
    with pytest.raises(ReadError, match="changed while it was read"):
        read_bounded(link, 1_000_000, root=project)


def test_a_dangling_link_is_a_missing_file(project):
    (project / "releases" / "gone.yaml").symlink_to("nowhere.yaml")
    with pytest.raises(ReleaseError, match="the file does not exist"):
        load_in(project, "gone.yaml")
