"""Batch builds: find releases, render each in a worker, write atomically, skip the unchanged.

One bad release never stops the others: every release yields an Outcome, and a
release that fails leaves no output behind, not even an old one. Outputs whose
inputs are unchanged (same model for this build moment, same template, same
pressgen) are not rendered again; the record of what was built lives in
`DIR/.pressgen-cache.json`.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

from pressgen import __version__
from pressgen.atomic import remove_outputs, write_atomic
from pressgen.errors import Problem, ReleaseError
from pressgen.load import House, load_release
from pressgen.model import Release
from pressgen.writers import FORMATS, writer

CACHE = ".pressgen-cache.json"
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "txt": "txt"}
# which template file each format reads, so a change to it rebuilds that format
TEMPLATE_OF = {"txt": "release.txt.j2", "docx": "reference.docx", "pdf": None}


@dataclass(frozen=True)
class Job:
    """What every worker needs to know about this build."""

    house: House
    out: Path
    formats: tuple[str, ...]
    now: datetime
    epoch: int | None
    cache: dict[str, str] = field(default_factory=dict)  # output name -> fingerprint


@dataclass
class Outcome:
    source: Path
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)
    lifts_at: datetime | None = None  # a future embargo lift, when output will change

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def discover(paths: Iterable[Path]) -> list[Path]:
    """Release files named, or found in folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")
                            and not p.name.startswith("."))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def build(sources: list[Path], job: Job, jobs: int = 1) -> Iterator[Outcome]:
    """Build every release, yielding each outcome in source order."""
    job.out.mkdir(parents=True, exist_ok=True)
    cache = _read_cache(job.out)
    job = Job(job.house, job.out, job.formats, job.now, job.epoch, cache)
    if jobs <= 1 or len(sources) <= 1:
        _init(job)
        outcomes: Iterable[Outcome] = map(_build_one, sources)
    else:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(job,))
        chunk = max(1, min(16, len(sources) // (jobs * 8)))
        outcomes = pool.map(_build_one, sources, chunksize=chunk)
    try:
        for outcome in outcomes:
            _record(cache, outcome, job.out)
            yield outcome
    finally:
        if jobs > 1 and len(sources) > 1:
            pool.shutdown(cancel_futures=True)
        _write_cache(job.out, cache)


_JOB: Job | None = None
_BUILT = 0


def _init(job: Job) -> None:
    global _JOB
    _JOB = job


def _build_one(source: Path) -> Outcome:
    """Load, render and write one release; never raises."""
    global _BUILT
    assert _JOB is not None
    job = _JOB
    outcome = Outcome(source)
    try:
        release = load_release(source, job.house, job.now, job.epoch)
        if release.embargoed and release.embargo:
            outcome.lifts_at = release.embargo.lifts_at
        _render_all(release, job, outcome)
    except ReleaseError as exc:
        outcome.problems = exc.problems
    except OSError as exc:
        where = exc.filename or job.out
        outcome.problems = [Problem(source, 1, 1, f"cannot write {where}: "
                                    f"{exc.strerror or exc}; check that the output folder "
                                    "exists, is writable and has space")]
    except Exception as exc:  # noqa: BLE001 - the one place a bug becomes a message
        outcome.problems = [Problem(source, 1, 1, f"internal error ({type(exc).__name__}: {exc});"
                                    " this is a bug in pressgen: please report it with this file")]
    if outcome.failed:
        remove_outputs(job.out, source.stem, EXTENSIONS.values())
    _BUILT += 1
    if _BUILT % 25 == 0:  # python-docx documents are freed only by the cycle collector
        gc.collect()
    return outcome


def _render_all(release: Release, job: Job, outcome: Outcome) -> None:
    rendered: dict[Path, bytes] = {}
    for fmt in job.formats:
        name = f"{release.id}.{EXTENSIONS[fmt]}"
        target = job.out / name
        print_ = fingerprint(release, fmt, job)
        outcome.fingerprints[name] = print_
        if job.cache.get(name) == _stamp(print_, target):
            outcome.skipped.append(name)
            continue
        rendered[target] = writer(fmt)(release, job.house.templates)
    for target, data in rendered.items():  # all rendered before any is written
        write_atomic(target, data)
        outcome.written.append(target.name)


def fingerprint(release: Release, fmt: str, job: Job) -> str:
    """What an output depends on: the resolved model, its template, pressgen's version."""
    digest = hashlib.sha256(f"{__version__}\0{fmt}\0{release!r}".encode())
    template = TEMPLATE_OF[fmt]
    if template:
        digest.update(_file_digest(job.house.templates.path(template)).encode())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _stamp(print_: str, target: Path) -> str:
    """The fingerprint bound to the file on disk, so a deleted or edited output is rebuilt."""
    try:
        st = target.stat()
    except OSError:
        return "absent"
    return f"{print_}:{st.st_size}:{st.st_mtime_ns}"


def _record(cache: dict[str, str], outcome: Outcome, out: Path) -> None:
    if outcome.failed:
        for ext in EXTENSIONS.values():
            cache.pop(f"{outcome.source.stem}.{ext}", None)
        return
    for name, print_ in outcome.fingerprints.items():
        cache[name] = _stamp(print_, out / name)


def _read_cache(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / CACHE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_cache(out: Path, cache: dict[str, str]) -> None:
    try:
        write_atomic(out / CACHE, json.dumps(cache, sort_keys=True, indent=0).encode())
    except OSError:
        pass  # the cache only saves time; a build without it is still right


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
