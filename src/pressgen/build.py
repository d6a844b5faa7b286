"""Batch builds: find releases, render each in a worker, write atomically, skip the current.

One bad release never stops the others: every release yields an Outcome, and a
release that fails leaves no output behind, not even an old one.

Each build into a folder holds the folder's lock for its whole run and deletes
the validity window before anything else (state.py); it reads the record of
what is there (record.py), brings each release's outputs up to date in a worker
(outputs.py), records what it did, and only then writes a new window. What
loading and rendering read is reported as it is read (reading.noting_reads,
resources.py), so the record names every input, kinds added later included.

Besides the releases it is given, a build

- removes the outputs of a release whose file has gone from a folder it builds;
- renders again (or, with no file left, removes) any other recorded output that
  says FOR IMMEDIATE RELEASE before the lift it was rendered for: no build leaves
  in place a leak that its record shows.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pressgen import formats, state
from pressgen import record as rec
from pressgen.atomic import remove_outputs
from pressgen.errors import Problem
from pressgen.outputs import Job, Outcome, Task, build_one, current_outcome, init

__all__ = ["Job", "Outcome", "build", "default_jobs", "discover", "same_ids"]


def discover(paths: Iterable[Path]) -> list[Path]:
    """Release files named, or found in folders named, in a stable order; a file
    named twice (`releases/x.yaml`, `./releases/x.yaml`, the folder) counts once."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")
                            and not p.name.startswith("."))
        else:
            found.append(path)
    seen: set[tuple[str, str]] = set()
    unique = []
    for path in found:
        key = (os.path.realpath(path), path.stem)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def same_ids(sources: list[Path]) -> dict[Path, Problem]:
    """A problem for each of two or more files with one id (`x.yaml` and `x.yml`, or
    one name in two folders): they would write the same outputs, so neither is built."""
    by_id: dict[str, list[Path]] = {}
    for source in sources:
        by_id.setdefault(source.stem, []).append(source)
    problems = {}
    for group in (g for g in by_id.values() if len(g) > 1):
        for source in group:
            others = ", ".join(str(p) for p in group if p != source)
            problems[source] = Problem(source, 1, 1, f"{others} has the same release id "
                                       f"`{source.stem}`, so both would write the same outputs; "
                                       "rename or delete one of them")
    return problems


def build(sources: list[Path], job: Job, jobs: int = 1, folders: Iterable[Path] = (),
          on_wait: Callable[[], None] = lambda: None) -> Iterator[Outcome]:
    """Build every release, yielding each outcome in source order (after those of
    releases removed, and followed by those of other recorded releases that leak).

    `folders`: the folders the sources were found in, whose vanished releases are
    removed. The outputs do not depend on `jobs`."""
    job.out.mkdir(parents=True, exist_ok=True)
    with state.locked(job.out, on_wait):
        state.remove_window(job.out)  # before any output changes: make must not skip
        now = job.now or datetime.now(timezone.utc).astimezone(job.house.tz)
        record = rec.read_record(job.out)
        job = replace(job, now=now, record=record, current=rec.current_sets(record, job.out),
                      refused=same_ids(sources))
        tasks, removals = _plan(job, sources, folders)
        try:
            for outcome in removals:
                yield _settle(record, job, outcome)
            for outcome in _run(tasks, job, jobs):
                yield _settle(record, job, outcome)
        finally:
            rec.write_record(job.out, record)
        state.write_window(job.out, record)


def _plan(job: Job, sources: list[Path], folders: Iterable[Path]) -> tuple[list[Task], list[Outcome]]:
    """What this build does: the sources, then other recorded releases that leak;
    and the recorded releases it removes (gone from a folder built, or leaking with
    no file left)."""
    gone = [Outcome(path, removed=True) for path in _vanished(job, sources, folders)]
    building = {s.stem for s in sources} | {o.source.stem for o in gone}
    elsewhere, lost = _leaking_elsewhere(job, building)
    return [(s, None) for s in sources] + elsewhere, gone + lost


def _settle(record: rec.Record, job: Job, outcome: Outcome) -> Outcome:
    """Fold one outcome into the record; a failed or vanished release leaves nothing."""
    stem = outcome.source.stem
    if outcome.failed or outcome.removed:
        remove_outputs(job.out, stem, formats.extensions())
        record.releases.pop(stem, None)
    elif outcome.entry is not None:
        record.releases[stem] = outcome.entry
        record.sets.update(outcome.sets)
    return outcome


def _vanished(job: Job, sources: list[Path], folders: Iterable[Path]) -> Iterator[Path]:
    """Recorded releases of a folder being built whose file is no longer in it."""
    built = {os.path.realpath(f) for f in folders}
    present = {s.stem for s in sources}
    real = cache(os.path.realpath)  # most releases share a folder
    for stem, entry in list(job.record.releases.items()):
        path = rec.path_of(entry.source, job.out)
        if stem not in present and path is not None and real(str(path.parent)) in built:
            yield path


def _leaking_elsewhere(job: Job, building: set[str]) -> tuple[list[Task], list[Outcome]]:
    """Other recorded releases with an output that, by the record, says FOR IMMEDIATE
    RELEASE before its lift: tasks that render those outputs again for the moment,
    and the removal of those whose file is gone."""
    assert job.now is not None
    now = job.now.timestamp()
    tasks: list[Task] = []
    lost: list[Outcome] = []
    for stem, entry in job.record.releases.items():
        path = rec.path_of(entry.source, job.out)
        leaking = [fmt for fmt, output in entry.outputs.items() if output.leaks_at(now)]
        if stem in building or path is None or not leaking:
            continue
        if os.path.lexists(path):
            tasks.append((path, formats.in_build_order(leaking)))
        else:
            lost.append(Outcome(path, removed=True))
    return tasks, lost


def _run(tasks: list[Task], job: Job, jobs: int) -> Iterator[Outcome]:
    """Outcomes of the releases whose outputs are all current first (found here, in
    a few hundred microseconds each), then those of the others, loaded and rendered
    by workers, in source order."""
    pending = []
    for task in tasks:
        done = current_outcome(task, job)
        if done is None:
            pending.append(task)
        else:
            yield done
    yield from _render(pending, job, jobs)


def _render(tasks: list[Task], job: Job, jobs: int) -> Iterator[Outcome]:
    parallel = jobs > 1 and len(tasks) > 1
    if not parallel:
        init(job)
        try:
            yield from map(build_one, tasks)
        finally:
            gc.unfreeze()  # this process goes on (tests, a library caller): let it all go
        return
    pool = _pool(min(jobs, len(tasks)), job)
    done = 0
    try:
        for outcome in pool.map(build_one, tasks, chunksize=chunk_size(len(tasks), jobs)):
            done += 1
            yield outcome
    except BrokenProcessPool:
        # A worker died (the OOM killer, a crash in C code): build what is left
        # one release per process, so only the release that kills one fails.
        for task in tasks[done:]:
            yield _isolated(task, job)
    finally:
        pool.shutdown(cancel_futures=True)


def _pool(workers: int, job: Job) -> ProcessPoolExecutor:
    """Forked workers: they inherit the folder's lock and die with the build
    (worker_life.py), so no worker of a killed build writes after it."""
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init,
                               initargs=(job, os.getpid()))


def _isolated(task: Task, job: Job) -> Outcome:
    """One release in a process of its own; its death is reported, not raised."""
    with _pool(1, job) as pool:
        try:
            return pool.submit(build_one, task).result()
        except BrokenProcessPool:
            return Outcome(task[0], problems=[Problem(
                task[0], 1, 1, "internal error (the process building it died); this is a bug "
                "in pressgen or too little memory: please report it with this file")])


def chunk_size(count: int, jobs: int) -> int:
    """Releases handed to a worker at a time: few enough that the workers finish
    together (about eight chunks each), and at most 8 so progress moves."""
    return max(1, min(8, count // (jobs * 8)))


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
