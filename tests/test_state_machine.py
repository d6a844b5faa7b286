"""The embargo invariant under any sequence of builds (issue 9), as a hypothesis state machine.

A handful of releases with embargoes on one morning, and a simulated clock. The
steps interleave `make NOW=t`, `pressgen build` at t (`--as-of @t` stands for the
real clock), previews before and after the lifts (some of one format only), two
builds at once, builds (and makes) killed with SIGKILL at a random moment (now
and then the build alone, so its workers must die with it), edits of a release's
text and embargo, deleting and adding releases, and the clock moving on.

After every step the invariant is checked, on copies of the project so the check
itself changes nothing: the next `make NOW=t`, and (in another copy) the next
`pressgen build --as-of @t`, leave every output right for t (the text's first
line, the PDF's first line, the DOCX's header and first line), and nothing of a
deleted release.

PRESSGEN_FUZZ_EXAMPLES sets the examples (default 3, about 30 s); each runs up to
STEPS steps.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from projects import (
    at, build_command, linked_copy, make, needs_make, new_project, release_text, wrong_outputs,
)
from pressgen.cli import main

EXAMPLES = int(os.environ.get("PRESSGEN_FUZZ_EXAMPLES", "3"))
STEPS = int(os.environ.get("PRESSGEN_FUZZ_STEPS", "8"))
IDS = ("a", "b", "c")
START = at(9, 50)
LIFTS = st.sampled_from([None, at(9, 55), at(10), at(10, 5), at(10, 30), at(11)])
PREVIEW = st.sampled_from([-3600, -300, 60, 300, 900, 7200])  # seconds from the clock
FORMATS = st.sampled_from([(), ("txt",), ("pdf", "docx")])


def _formats(chosen: tuple[str, ...]) -> list[str]:
    return [arg for fmt in chosen for arg in ("--format", fmt)]


class EmbargoInvariant(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="pressgen-state-"))
        self.project = self.root / "project"
        self.releases: dict[str, int | None] = {}  # what releases/ holds: id -> embargo
        self.gone: set[str] = set()
        self.clock = START
        self.edits = 0
        self.checks = 0

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _write(self, rid: str, embargo: int | None) -> None:
        self.edits += 1
        (self.project / "releases" / f"{rid}.yaml").write_text(
            release_text(f"Release {rid}, version {self.edits}", embargo))
        self.releases[rid] = embargo
        self.gone.discard(rid)

    def _build_here(self, moment: int, chosen: tuple[str, ...] = ()) -> None:
        project = self.project
        result = CliRunner().invoke(main, [
            "build", str(project / "releases"), "--out", str(project / "dist"), "--house",
            str(project / "templates" / "house.yaml"), "--jobs", "1", "--as-of", f"@{moment}",
            *_formats(chosen)])
        assert result.exit_code == 0, result.output

    # ------------------------------------------------------------ steps

    @initialize(lifts=st.tuples(LIFTS, LIFTS, LIFTS))
    def start(self, lifts):
        new_project(self.project, {}, make=True)
        for rid, lift in zip(IDS, lifts):
            self._write(rid, lift)
        self.make_now()  # make's stamp, so its quick path is in play from the start

    @rule()
    def make_now(self):
        result = make(self.project, self.clock)
        assert result.returncode == 0, result.stdout + result.stderr

    @rule(chosen=FORMATS)
    def build_now(self, chosen):
        self._build_here(self.clock, chosen)

    @rule(offset=PREVIEW, chosen=FORMATS)
    def preview(self, offset, chosen):
        self._build_here(self.clock + offset, chosen)

    @rule(offset=PREVIEW, jobs=st.sampled_from(["1", "2"]))
    def two_builds_at_once(self, offset, jobs):
        builds = [subprocess.Popen(build_command(self.project, "--jobs", jobs, "--as-of",
                                                 f"@{moment}"), stderr=subprocess.DEVNULL)
                  for moment in (self.clock, self.clock + offset)]
        assert [b.wait(timeout=120) for b in builds] == [0, 0]

    @rule(delay=st.floats(0.0, 1.0), on_write=st.booleans(), offset=PREVIEW,
          jobs=st.sampled_from(["1", "2"]), alone=st.booleans(), of_make=st.booleans())
    def killed(self, delay, on_write, offset, jobs, alone, of_make):
        """SIGKILL after `delay` seconds, or (`on_write`) that share of a third of a
        second after the build's first output lands: mid-way through its writes."""
        command = ["make", "--no-print-directory", f"NOW={self.clock}"] if of_make else \
            build_command(self.project, "--jobs", jobs, "--force", "--as-of",
                          f"@{self.clock + offset}")
        before = _outputs(self.project)
        process = subprocess.Popen(command, cwd=self.project, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        if on_write:
            deadline = time.monotonic() + 30
            while _outputs(self.project) == before and process.poll() is None \
                    and time.monotonic() < deadline:
                time.sleep(0.002)
            delay /= 3
        time.sleep(delay)
        try:
            if alone and not of_make:
                os.kill(process.pid, signal.SIGKILL)
            else:
                os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it had finished
        process.wait()
        _wait_until_gone(process.pid)

    @rule(rid=st.sampled_from(IDS), lift=LIFTS)
    def edit(self, rid, lift):
        self._write(rid, lift)

    @precondition(lambda self: len(self.releases) > 1)
    @rule(data=st.data())
    def delete(self, data):
        rid = data.draw(st.sampled_from(sorted(self.releases)))
        (self.project / "releases" / f"{rid}.yaml").unlink()
        del self.releases[rid]
        self.gone.add(rid)

    @rule(minutes=st.sampled_from([1, 4, 5, 10, 30, 60]))
    def wait(self, minutes):
        self.clock += 60 * minutes

    # ------------------------------------------------------------ the invariant

    @invariant()
    def the_next_make_and_build_are_right(self):
        if not self.releases:
            return  # before `start`
        self.checks += 1
        made = linked_copy(self.project, self.root / f"check-make-{self.checks}")
        result = make(made, self.clock)
        assert result.returncode == 0, result.stdout + result.stderr
        assert wrong_outputs(made / "dist", self.releases, self.clock, self.gone) == []
        shutil.rmtree(made)
        built = linked_copy(self.project, self.root / f"check-build-{self.checks}")
        result = CliRunner().invoke(main, [
            "build", str(built / "releases"), "--out", str(built / "dist"), "--house",
            str(built / "templates" / "house.yaml"), "--jobs", "1", "--as-of",
            f"@{self.clock}"])
        assert result.exit_code == 0, result.output
        assert wrong_outputs(built / "dist", self.releases, self.clock, self.gone) == []
        shutil.rmtree(built)


def _outputs(project: Path) -> dict[str, int]:
    """Each output's inode: a write replaces the file, so a new inode is a write."""
    try:
        with os.scandir(project / "dist") as listing:
            return {e.name: e.inode() for e in listing if not e.name.startswith(".")}
    except FileNotFoundError:
        return {}


def _wait_until_gone(group: int) -> None:
    """Every process of a killed build's group has ended (its workers die with it)."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    pytest.fail("a process of the killed build outlived it")


EmbargoInvariant.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None,
    derandomize="PRESSGEN_FUZZ_EXAMPLES" not in os.environ,
    database=None, suppress_health_check=list(HealthCheck))

TestEmbargoInvariant = needs_make(EmbargoInvariant.TestCase)
