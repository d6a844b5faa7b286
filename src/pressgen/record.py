"""The record of what a build wrote into its output folder (`DIR/.pressgen-cache.json`).

For each release: its source and what loading it read; for each output: the
model it was rendered from, the files its writer read (each with its digest,
as reported while reading: see resources.py), the embargo state it was
rendered for (embargoed or not, and the lift instant), and the stamp of the
file written (inode, size, mtime), taken from the open descriptor before the
rename (atomic.write_atomic), never from a path afterwards. An output is
current only while all of those still hold and its rendered state is right for
the build's moment (outputs.py decides).

Dependencies are keys: `file:` and a path from DIR (so a project copied or
moved whole keeps its record), `pkg:` and a path inside pressgen (its
templates and fonts), and `code` for pressgen's code and version. Sets of them
are stored once and shared, as most outputs of one format read the same files.

A record that cannot be read (a FIFO, a folder, too large), is not JSON, or is
malformed in any field, is no record: every output is rendered again, and none
is deleted for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pressgen import __version__, formats
from pressgen.atomic import write_atomic
from pressgen.reading import ReadError, read_bounded
from pressgen.resources import digest_now

RECORD = ".pressgen-cache.json"
LAYOUT = 3  # bumped when the record's shape changes; another layout is no record
MAX_RECORD_BYTES = 512 << 20  # ~1 kB a release: far more than any folder of releases
EARLIEST, LATEST = -99_999_999_999, 99_999_999_999  # beyond any lift
PACKAGE = Path(__file__).parent
CODE = "code"  # the dependency that stands for pressgen's own code and version
OUTPUT_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")


@dataclass
class Output:
    """One output file as it was rendered."""

    file: str  # its name in DIR
    model: str  # digest of the release's model (moment-free, see build.model_digest)
    inputs: str  # id of the set of dependencies its writer read
    embargoed: bool  # the state it was rendered for...
    lifts: int | None  # ...and the lift instant it was rendered with
    stamp: tuple[int, int, int]  # inode, size, mtime_ns of the file written

    def right_at(self, now: float, lifts: int | None) -> bool:
        """Whether it says what the release (lifting at `lifts`) must say at `now`."""
        return self.lifts == lifts and self.embargoed == embargoed_at(now, lifts)

    def leaks_at(self, now: float) -> bool:
        """Whether it says FOR IMMEDIATE RELEASE before the lift it was rendered for."""
        return not self.embargoed and self.lifts is not None and now < self.lifts


@dataclass
class Entry:
    """One release: where it came from, what loading it read, and its outputs."""

    source: str  # dependency key of the release file
    digest: str  # of the release file's bytes
    inputs: str  # id of the set of what else loading it read (house file, code)
    epoch: int | None  # SOURCE_DATE_EPOCH it was loaded with
    model: str
    lifts: int | None
    outputs: dict[str, Output] = field(default_factory=dict)  # format name -> output


@dataclass
class Record:
    releases: dict[str, Entry] = field(default_factory=dict)  # release id -> entry
    sets: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> {key: digest}


def embargoed_at(now: float, lifts: int | None) -> bool:
    return lifts is not None and now < lifts


# ------------------------------------------------------------------ dependencies


def key_of(path: Path, out: Path) -> str:
    """A file's dependency key: `pkg:` and its place in pressgen, or `file:` and
    its path from DIR, so a project moved or copied whole keeps its record."""
    absolute = os.path.abspath(path)
    package = str(PACKAGE)
    if absolute.startswith(package + os.sep):
        return "pkg:" + os.path.relpath(absolute, package)
    return "file:" + os.path.relpath(absolute, os.path.abspath(out))


def path_of(key: str, out: Path) -> Path | None:
    """The file a dependency key names; None for one that is not a file."""
    if key.startswith("pkg:"):
        return PACKAGE / key[4:]
    if key.startswith("file:"):
        return Path(os.path.normpath(os.path.join(os.path.abspath(out), key[5:])))
    return None


def set_id(deps: dict[str, str]) -> str:
    return _digest(json.dumps(sorted(deps.items())))[:32]


def dependencies(noted: dict[Path, str], out: Path, leave_out: Path | None = None) -> dict[str, str]:
    """Files noted while reading, as dependency keys, with pressgen's code added."""
    deps = {key_of(path, out): digest for path, digest in noted.items() if path != leave_out}
    deps[CODE] = code_digest()
    return deps


def current_sets(record: Record, out: Path) -> frozenset[str]:
    """The ids of the recorded sets whose every dependency has the same digest now.
    Each file is read once however many sets name it."""
    now: dict[str, str] = {}
    current = set()
    for ident, deps in record.sets.items():
        for key, digest in deps.items():
            if key not in now:
                path = path_of(key, out)
                now[key] = code_digest() if key == CODE else \
                    digest_now(path) if path is not None else "unknown"
            if now[key] != digest:
                break
        else:
            current.add(ident)
    return frozenset(current)


@cache
def code_digest() -> str:
    """pressgen's version and every file of its code (not its fonts or templates,
    which writers read through their resources). Read once per process."""
    parts = [__version__]
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if path.is_file() and relative.parts[0] not in ("fonts", "templates", "__pycache__") \
                and path.suffix != ".pyc":
            parts += [str(relative), hashlib.sha256(path.read_bytes()).hexdigest()]
    return _digest(*parts)


def _digest(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode()
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def file_stamp(path: str | Path) -> tuple[int, int, int] | None:
    """The stamp of whatever is at `path` now (not following a link), or None."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return stamp_of(st)


def stamp_of(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


# ------------------------------------------------------------------ reading and writing


def read_record(out: Path) -> Record:
    """The record in `out`, or an empty one if it is missing, unreadable or malformed."""
    try:
        data = json.loads(read_bounded(out / RECORD, MAX_RECORD_BYTES))
        return _parse(data)
    except (ReadError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return Record()


def write_record(out: Path, record: Record) -> None:
    used = {e.inputs for e in record.releases.values()} | \
        {o.inputs for e in record.releases.values() for o in e.outputs.values()}
    data = {
        "layout": LAYOUT,
        "releases": {rid: _entry_json(e) for rid, e in record.releases.items()},
        "sets": {ident: deps for ident, deps in record.sets.items() if ident in used},
    }
    write_atomic(out / RECORD, json.dumps(data, sort_keys=True, separators=(",", ":")).encode())


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {"source": entry.source, "digest": entry.digest, "inputs": entry.inputs,
            "epoch": entry.epoch, "model": entry.model, "lifts": entry.lifts,
            "outputs": {fmt: {"file": o.file, "model": o.model, "inputs": o.inputs,
                              "embargoed": o.embargoed, "lifts": o.lifts, "stamp": list(o.stamp)}
                        for fmt, o in entry.outputs.items()}}


def _parse(data: Any) -> Record:
    """The record, checked to the last field: anything unexpected raises ValueError."""
    _need(isinstance(data, dict) and data.get("layout") == LAYOUT)
    sets = _mapping(data["sets"])
    for deps in sets.values():
        _need(all(isinstance(v, str) for v in _mapping(deps).values()))
    releases = {}
    for rid, raw in _mapping(data["releases"]).items():
        raw = _mapping(raw)
        source = _text(raw["source"])
        # an entry speaks only of its own release's files, so no record can make a
        # build consider, or remove, any other file
        _need(OUTPUT_NAME.fullmatch(rid) is not None and source.startswith("file:")
              and Path(source).stem == rid)
        outputs = {}
        for fmt, o in _mapping(raw["outputs"]).items():
            o = _mapping(o)
            stamp = o["stamp"]
            _need(isinstance(stamp, list) and len(stamp) == 3 and all(_is_int(n) for n in stamp))
            _need(_text(o["file"]).rpartition(".")[::2] == (rid, fmt_extension(fmt)))
            outputs[fmt] = Output(o["file"], _text(o["model"]), _text(o["inputs"]),
                                  _flag(o["embargoed"]), _instant(o["lifts"]), tuple(stamp))
        releases[rid] = Entry(source, _text(raw["digest"]), _text(raw["inputs"]),
                              _instant(raw["epoch"]), _text(raw["model"]),
                              _instant(raw["lifts"]), outputs)
    return Record(releases, sets)


def fmt_extension(fmt: str) -> str:
    """The extension of a registered format; a format pressgen does not know makes
    the record malformed (it was written by another pressgen)."""
    try:
        return formats.get(fmt).extension
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} in the record") from None


def _need(condition: bool) -> None:
    if not condition:
        raise ValueError("malformed record")


def _mapping(value: Any) -> dict[str, Any]:
    _need(isinstance(value, dict) and all(isinstance(k, str) for k in value))
    return value


def _text(value: Any) -> str:
    _need(isinstance(value, str))
    return value


def _flag(value: Any) -> bool:
    _need(isinstance(value, bool))
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _instant(value: Any) -> int | None:
    _need(value is None or (_is_int(value) and EARLIEST < value < LATEST))
    return value
