"""One release's outputs brought up to date: the work of a build's worker.

An output is current while the release's model, every file its writer read,
pressgen's code, the file on disk and the embargo state it was rendered for all
still hold for the build's moment (record.py keeps them). Only the outputs that
are not current are rendered; all of them are rendered before any is written,
and each is recorded with the stamp of the very file written. While the
release's file and everything loading it read are as recorded, and every output
wanted is current, the release is not even loaded.

Which formats are wanted: those asked for (with no `--format`, the defaults and
every format already built for the release), plus any recorded output whose
embargo state is wrong for the moment, so that no format is left behind saying
the wrong thing.
"""

from __future__ import annotations

import gc
import hashlib
import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from pressgen import formats
from pressgen import record as rec
from pressgen.atomic import remove_outputs, write_atomic
from pressgen.errors import Problem, ReleaseError
from pressgen.lint import lint_release
from pressgen.load import House, load_release
from pressgen.model import Release
from pressgen.reading import ReadError, noting_reads, read_bounded
from pressgen.resources import Renders
from pressgen.worker_life import die_with_parent
from pressgen.yamlsource import MAX_BYTES

# python-docx's documents are cycles that only the collector frees: collect this
# often, or a worker grows by ~150 KiB per release
COLLECT_EVERY = 10
Task = tuple[Path, "tuple[str, ...] | None"]  # a release file, and only these formats (or all)


@dataclass(frozen=True)
class Job:
    """What every worker needs to know about this build."""

    house: House
    out: Path
    formats: tuple[str, ...] | None  # None: the defaults and whatever DIR already has
    now: datetime | None  # None: the clock, read once the build holds the folder
    epoch: int | None
    force: bool = False
    house_reads: dict[Path, str] = field(default_factory=dict)  # what loading the house read
    record: rec.Record = field(default_factory=rec.Record)  # as read at the start
    current: frozenset[str] = frozenset()  # ids of the record's sets still current
    refused: dict[Path, Problem] = field(default_factory=dict)  # sources failed up front


@dataclass
class Outcome:
    source: Path
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    entry: rec.Entry | None = None  # the release's record entry after this build
    sets: dict[str, dict[str, str]] = field(default_factory=dict)  # new dependency sets
    removed: bool = False  # its file is gone: its outputs were removed
    warnings: list[Problem] = field(default_factory=list)  # editorial lint, never fatal

    @property
    def failed(self) -> bool:
        return bool(self.problems)


_JOB: Job | None = None
_BUILT = 0


def init(job: Job, parent: int | None = None) -> None:
    global _JOB, _BUILT
    _JOB, _BUILT = job, 0
    if parent is not None:
        die_with_parent(parent)


def build_one(task: Task) -> Outcome:
    """Load, render and write one release; never raises."""
    assert _JOB is not None
    source, only = task
    outcome = Outcome(source)
    try:
        if source in _JOB.refused:
            raise ReleaseError(_JOB.refused[source])
        _bring_up_to_date(source, only, _JOB, outcome)
    except ReleaseError as exc:
        outcome.problems = exc.problems
    except OSError as exc:
        where = exc.filename or _JOB.out
        outcome.problems = [Problem(source, 1, 1, f"cannot write {where}: "
                                    f"{exc.strerror or exc}; check that the output folder "
                                    "exists, is writable and has space")]
    except Exception as exc:  # noqa: BLE001 - the one place a bug becomes a message
        outcome.problems = [Problem(source, 1, 1, f"internal error ({type(exc).__name__}: {exc});"
                                    " this is a bug in pressgen: please report it with this file")]
    if outcome.failed:
        remove_outputs(_JOB.out, source.stem, formats.extensions())
    if outcome.written:
        _collect_now_and_then()
    return outcome


def current_outcome(task: Task, job: Job) -> Outcome | None:
    """The outcome of a release whose wanted outputs are all current, found without
    loading it (cheap enough for the build's own process: a read, a digest and a
    stat per output); None when it needs a worker."""
    source, only = task
    entry = None if source in job.refused else \
        _unchanged_entry(source, job, job.record.releases.get(source.stem))
    if entry is None:
        return None
    assert job.now is not None
    now = job.now.timestamp()
    wanted = _wanted(job, only, entry, now)
    if not all(_current(job, entry, fmt, now) for fmt in wanted):
        return None
    return Outcome(source, skipped=[entry.outputs[fmt].file for fmt in wanted], entry=entry)


def _bring_up_to_date(source: Path, only: tuple[str, ...] | None, job: Job,
                      outcome: Outcome) -> None:
    """Load the release and render its wanted outputs that are not current (the
    build has found that some are not: see `current_outcome`)."""
    assert job.now is not None
    now = job.now.timestamp()
    old = job.record.releases.get(source.stem)
    with noting_reads() as read:
        located: list = []
        release = load_release(source, job.house, job.now, job.epoch, located)
    outcome.warnings = lint_release(release, job.house, job.now, located[0])  # issue 14
    loaded = rec.dependencies({**job.house_reads, **read}, job.out, leave_out=_abs(source))
    outcome.sets[rec.set_id(loaded)] = loaded
    entry = rec.Entry(
        source=rec.key_of(source, job.out), digest=read.get(_abs(source), ""),
        inputs=rec.set_id(loaded), epoch=job.epoch, model=model_digest(release),
        lifts=_instant(release), outputs=dict(old.outputs) if old else {})
    wanted = _wanted(job, only, entry, now)
    stale = [fmt for fmt in wanted if not _current(job, entry, fmt, now)]
    renders = Renders(release, job.house.templates)
    rendered = {fmt: renders.render(fmt) for fmt in stale}  # all rendered before any is written
    for fmt, (data, noted) in rendered.items():
        deps = rec.dependencies(noted, job.out)
        outcome.sets[rec.set_id(deps)] = deps
        name = f"{release.id}.{formats.get(fmt).extension}"
        written = write_atomic(job.out / name, data)
        entry.outputs[fmt] = rec.Output(name, entry.model, rec.set_id(deps), release.embargoed,
                                        entry.lifts, rec.stamp_of(written))
        outcome.written.append(name)
    outcome.skipped = [entry.outputs[fmt].file for fmt in wanted if fmt not in stale]
    outcome.entry = entry


def _unchanged_entry(source: Path, job: Job, entry: rec.Entry | None) -> rec.Entry | None:
    """The recorded entry, if the release's file and all that loading it read are as
    they were: then its model is known without loading it."""
    if entry is None or entry.source != rec.key_of(source, job.out) or entry.epoch != job.epoch \
            or entry.inputs not in job.current:
        return None
    try:
        raw = read_bounded(source, MAX_BYTES, root=job.house.root)
    except ReadError:
        return None  # loading it reports why
    return entry if hashlib.sha256(raw).hexdigest() == entry.digest else None


def _wanted(job: Job, only: tuple[str, ...] | None, entry: rec.Entry | None,
            now: float) -> tuple[str, ...]:
    """The formats to bring up to date: those asked for (or the defaults and every
    format already built for it), and any recorded one wrong for the moment."""
    if only is not None:
        return only
    recorded = entry.outputs if entry else {}
    chosen = list(job.formats or formats.defaults() + tuple(recorded))
    chosen += [fmt for fmt, o in recorded.items()
               if entry is not None and not o.right_at(now, entry.lifts)]
    return formats.in_build_order(chosen)


def _current(job: Job, entry: rec.Entry, fmt: str, now: float) -> bool:
    output = entry.outputs.get(fmt)
    return (output is not None and not job.force and output.model == entry.model
            and output.inputs in job.current and output.right_at(now, entry.lifts)
            and rec.file_stamp(os.path.join(job.out, output.file)) == output.stamp)


def _collect_now_and_then() -> None:
    """python-docx's documents are freed only by the cycle collector; a full
    collection every few releases keeps a worker small. The modules imported by
    then are frozen out of the collector's view, which makes each collection
    cheap (it walks only what the last few releases left)."""
    global _BUILT
    _BUILT += 1
    if _BUILT == 1:
        gc.collect()
        gc.freeze()
    elif _BUILT % COLLECT_EVERY == 0:
        gc.collect()


# ------------------------------------------------------------------ fingerprints


def model_digest(release: Release) -> str:
    """The resolved model, which is all a writer reads of the release and the house
    file, less the moment: the embargo state is recorded beside it, so a lift is
    told apart from an edit. The source's path is left out too: the same file
    named another way (`releases/x.yaml`, `./releases/x.yaml`) is the same input."""
    neutral = replace(release, source=Path(release.id), embargoed=False, release_line="")
    if release.translation is not None:  # its release line is the moment's too
        neutral = replace(neutral, translation=replace(release.translation, release_line=""))
    return hashlib.sha256(repr(neutral).encode()).hexdigest()


def _instant(release: Release) -> int | None:
    return int(release.embargo.lifts_at.timestamp()) if release.embargo else None


def _abs(path: Path) -> Path:
    return Path(os.path.abspath(path))
