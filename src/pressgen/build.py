"""Batch builds: find releases, render each in a worker, write atomically, skip the unchanged.

One bad release never stops the others: every release yields an Outcome, and a
release that fails leaves no output behind, not even an old one.

An output is rendered again exactly when something it is made from changed:

- its release's model (so a change to the release, or to the part of the house
  file the release uses, or the embargo lifting, rebuilds that release only; a
  comment or a reflowed line in the YAML rebuilds nothing);
- what its format reads besides the model: `release.txt.j2` for text, the
  reference DOCX for Word, the bundled fonts for PDF;
- pressgen itself (its version and every file of its code).

The record of what was built lives in `DIR/.pressgen-cache.json`. Each output is
recorded with the fingerprint of its inputs and the size and time of the file
written, so a deleted or edited output is rebuilt too. Loading a release (YAML,
schema, Markdown) costs more than the check, so each release is also recorded
with a digest of its raw inputs (its bytes, the house file's, pressgen's code,
SOURCE_DATE_EPOCH) and whether it was embargoed: while those match and every
output is in place, the release is not even loaded.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from pressgen import __version__
from pressgen.atomic import remove_outputs, write_atomic
from pressgen.errors import Problem, ReleaseError
from pressgen.load import House, load_release
from pressgen.model import Release
from pressgen.reading import ReadError, read_bounded
from pressgen.templates import FONTS, Templates
from pressgen.writers import writer
from pressgen.yamlsource import MAX_BYTES

CACHE = ".pressgen-cache.json"
CACHE_LAYOUT = 2  # bumped when the record's shape changes; an old record is ignored
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "txt": "txt"}
# what each format reads besides the model, so a change to it rebuilds that format only
TEMPLATE_OF = {"txt": "release.txt.j2", "docx": "reference.docx", "pdf": None}
PACKAGE = Path(__file__).parent
# python-docx's documents are cycles that only the collector frees: collect this
# often, or a worker grows by ~150 KiB per release
COLLECT_EVERY = 10


@dataclass(frozen=True)
class Job:
    """What every worker needs to know about this build."""

    house: House
    out: Path
    formats: tuple[str, ...]
    now: datetime
    epoch: int | None
    cache: dict[str, Any] = field(default_factory=dict)  # as read from CACHE
    inputs: dict[str, str] = field(default_factory=dict)  # format -> digest of what it reads
    base: str = ""  # digest of the raw inputs every release shares


@dataclass
class Outcome:
    source: Path
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    stamps: dict[str, str] = field(default_factory=dict)  # output name -> cache stamp
    record: dict[str, Any] | None = None  # the release's raw-input record, see module doc
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
    """Build every release, yielding each outcome in source order.

    The outputs do not depend on `jobs`: each release is rendered by one worker
    from the same inputs, and outcomes come back in source order.
    """
    job.out.mkdir(parents=True, exist_ok=True)
    cache = _read_cache(job.out)
    inputs = {fmt: _format_digest(fmt, job.house.templates) for fmt in job.formats}
    job = replace(job, cache=cache, inputs=inputs, base=_base_digest(job))
    parallel = jobs > 1 and len(sources) > 1
    if parallel:
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(sources)),
                                   initializer=_init, initargs=(job,))
        outcomes: Iterable[Outcome] = pool.map(_build_one, sources,
                                                chunksize=chunk_size(len(sources), jobs))
    else:
        _init(job)
        outcomes = map(_build_one, sources)
    done = 0
    try:
        try:
            for outcome in outcomes:
                _record(cache, outcome)
                done += 1
                yield outcome
        except BrokenProcessPool:
            # A worker died (the OOM killer, a crash in C code): build what is left
            # one release per process, so only the release that kills one fails.
            for source in sources[done:]:
                outcome = _isolated(source, job)
                _record(cache, outcome)
                yield outcome
    finally:
        if parallel:
            pool.shutdown(cancel_futures=True)
        else:
            gc.unfreeze()  # this process goes on (tests, a library caller): let it all go
        _write_cache(job.out, cache)


def _isolated(source: Path, job: Job) -> Outcome:
    """One release in a process of its own; its death is reported, not raised."""
    with ProcessPoolExecutor(max_workers=1, initializer=_init, initargs=(job,)) as pool:
        try:
            return pool.submit(_build_one, source).result()
        except BrokenProcessPool:
            remove_outputs(job.out, source.stem, EXTENSIONS.values())
            return Outcome(source, problems=[Problem(
                source, 1, 1, "internal error (the process building it died); this is a bug "
                "in pressgen or too little memory: please report it with this file")])


def chunk_size(count: int, jobs: int) -> int:
    """Releases handed to a worker at a time: few enough that the workers finish
    together (about eight chunks each), and at most 8 so progress moves."""
    return max(1, min(8, count // (jobs * 8)))


# ------------------------------------------------------------------ in a worker

_JOB: Job | None = None
_BUILT = 0


def _init(job: Job) -> None:
    global _JOB, _BUILT
    _JOB, _BUILT = job, 0


def _build_one(source: Path) -> Outcome:
    """Load, render and write one release; never raises."""
    assert _JOB is not None
    job = _JOB
    outcome = Outcome(source)
    try:
        if not _unchanged(source, job, outcome):
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
    if outcome.written:
        _collect_now_and_then()
    return outcome


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


def _unchanged(source: Path, job: Job, outcome: Outcome) -> bool:
    """True, filling in `outcome`, when the release's raw inputs and embargo state
    are as last recorded and every output is in place: then it is not loaded."""
    try:  # bounded, as the loader reads it: a FIFO, /dev/zero or a 2 GB file costs nothing
        raw = read_bounded(source, MAX_BYTES, root=job.house.root)
    except ReadError:
        return False  # load_release reports it
    quick = _digest(job.base, raw)
    record = job.cache.get("sources", {}).get(source.stem)
    if not isinstance(record, dict) or record.get("quick") != quick:
        outcome.record = {"quick": quick}
        return False
    lifts_at = _moment(record.get("lifts"))
    embargoed = lifts_at is not None and job.now < lifts_at
    if embargoed != record.get("embargoed"):
        outcome.record = {"quick": quick}
        return False
    stamps = {}
    for fmt in job.formats:
        target = job.out / f"{source.stem}.{EXTENSIONS[fmt]}"
        _, stamp, current = _output_state(job, record.get("model", ""), fmt, target)
        if not current:
            outcome.record = {"quick": quick}
            return False
        stamps[target.name] = stamp
    outcome.skipped = list(stamps)
    outcome.stamps = stamps
    outcome.record = record
    outcome.lifts_at = lifts_at if embargoed else None
    return True


def _render_all(release: Release, job: Job, outcome: Outcome) -> None:
    model = model_digest(release)
    outcome.record = {
        "quick": (outcome.record or {}).get("quick", ""),
        "model": model,
        "lifts": release.embargo.lifts_at.isoformat() if release.embargo else None,
        "embargoed": release.embargoed,
    }
    prints: dict[Path, str] = {}
    rendered: dict[Path, bytes] = {}
    for fmt in job.formats:
        target = job.out / f"{release.id}.{EXTENSIONS[fmt]}"
        prints[target], stamp, current = _output_state(job, model, fmt, target)
        if current:
            outcome.skipped.append(target.name)
            outcome.stamps[target.name] = stamp
            continue
        rendered[target] = writer(fmt)(release, job.house.templates)
    for target, data in rendered.items():  # all rendered before any is written
        write_atomic(target, data)
        outcome.written.append(target.name)
        outcome.stamps[target.name] = _stamp(prints[target], target)


def _output_state(job: Job, model: str, fmt: str, target: Path) -> tuple[str, str, bool]:
    """An output's fingerprint, its stamp on disk, and whether the record says it is current."""
    print_ = _digest(model, job.inputs[fmt])
    stamp = _stamp(print_, target)
    return print_, stamp, job.cache.get("outputs", {}).get(target.name) == stamp


# ------------------------------------------------------------------ fingerprints


def model_digest(release: Release) -> str:
    """The resolved model, which is all a writer reads of the release and the
    house file. The source's path is left out: the same file named another way
    (`releases/x.yaml`, `./releases/x.yaml`, an absolute path) is the same input."""
    return hashlib.sha256(repr(replace(release, source=Path(release.id))).encode()).hexdigest()


def _format_digest(fmt: str, templates: Templates) -> str:
    """pressgen's code and version, and the files format `fmt` reads besides the model."""
    files = [FONTS / name for name in _font_files()] if fmt == "pdf" else \
        [templates.path(TEMPLATE_OF[fmt])] if TEMPLATE_OF.get(fmt) else []
    return _digest(code_digest(), fmt, *(_file_digest(path) for path in files))


def _base_digest(job: Job) -> str:
    """What every release's model is made from besides its own file."""
    return _digest(code_digest(), _file_digest(job.house.file), str(job.epoch))


@cache
def code_digest() -> str:
    """pressgen's version and every file of its code (not its fonts or templates,
    which only some formats read). Read once per process."""
    parts = [__version__]
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if path.is_file() and relative.parts[0] not in ("fonts", "templates", "__pycache__") \
                and path.suffix != ".pyc":
            parts += [str(relative), _file_digest(path)]
    return _digest(*parts)


@cache
def _font_files() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in FONTS.glob("*.ttf")))


def _digest(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode()
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _moment(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _stamp(print_: str, target: Path) -> str:
    """The fingerprint bound to the file on disk, so a deleted or edited output is rebuilt."""
    try:
        st = target.stat()
    except OSError:
        return "absent"
    return f"{print_}:{st.st_size}:{st.st_mtime_ns}"


# ------------------------------------------------------------------ the record


def _record(cache: dict[str, Any], outcome: Outcome) -> None:
    outputs, sources = cache["outputs"], cache["sources"]
    stem = outcome.source.stem
    if outcome.failed:
        for ext in EXTENSIONS.values():
            outputs.pop(f"{stem}.{ext}", None)
        sources.pop(stem, None)
        return
    outputs.update(outcome.stamps)
    if outcome.record and "model" in outcome.record:
        sources[stem] = outcome.record


def _read_cache(out: Path) -> dict[str, Any]:
    empty: dict[str, Any] = {"layout": CACHE_LAYOUT, "outputs": {}, "sources": {}}
    try:
        data = json.loads((out / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    if not isinstance(data, dict) or data.get("layout") != CACHE_LAYOUT \
            or not isinstance(data.get("outputs"), dict) or not isinstance(data.get("sources"), dict):
        return empty
    return data


def _write_cache(out: Path, cache: dict[str, Any]) -> None:
    try:
        write_atomic(out / CACHE, json.dumps(cache, sort_keys=True, indent=0).encode())
    except OSError:
        pass  # the cache only saves time; a build without it is still right


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
