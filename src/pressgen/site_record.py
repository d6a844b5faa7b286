"""The newsroom's own state, kept outside the site (spec §10): `.pressgen/` in the
folder above the house file's folder.

- `.pressgen/site-record.json`: for each release, what it was when last seen
  (its file's digest, what loading it read, its model digest, final or draft,
  its lift, the words the index and feed print of it) and where it stands on
  the site (published, previewed or hidden) with the stamps of the files
  written for it, so an unchanged release is neither loaded nor rendered again.
- `.pressgen/.pressgen-lock`: held by every site build for its whole run
  (state.locked), so two never interleave.
- `.pressgen/site-window`, `FROM UNTIL EPOCH PREVIEWS DIR`: the moments for which
  the site in DIR (relative to the project folder) is right, built with previews
  `on` or `off` (PRESSGEN_PREVIEW_KEY set or not), as `make site` reads it
  before deciding to run pressgen at all; deleted before anything is written,
  written after the record (as state.py's window for builds).

The site folder holds only what is published; its state (which names the
headlines of embargoed releases) never goes there. A record that cannot be
read, or was written for another site folder, preview folder or base URL, is no
record: every published release is rendered again.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pressgen.atomic import write_atomic
from pressgen.reading import ReadError, read_bounded
from pressgen.record import EARLIEST, LATEST, embargoed_at

STATE = ".pressgen"
RECORD = "site-record.json"
WINDOW = "site-window"
LAYOUT = 1
MAX_RECORD_BYTES = 512 << 20

PUBLISHED, PREVIEW, HIDDEN = "published", "preview", "hidden"


@dataclass
class SiteEntry:
    """One release as the site last saw it."""

    source: str  # dependency key of its file (record.key_of from the state folder)
    digest: str  # of its file's bytes
    inputs: str  # id of the set of what else loading it read
    epoch: int | None
    model: str  # record-free digest of its model (outputs.model_digest)
    final: bool
    lifts: int | None  # the embargo's lift, seconds since 1970
    headline: str
    summary: str | None
    date: str  # ISO date
    date_text: str
    language: str
    state: str = HIDDEN  # where it stands: published, preview or hidden
    files: dict[str, list[int]] = field(default_factory=dict)  # path from its folder -> stamp
    pages: str = ""  # id of the set of what rendering its files read
    token: str = ""  # its preview folder's name, when previewed

    def state_at(self, now: float, previews: bool) -> str:
        """Published when final and lifted (or never embargoed); previewed when final
        and embargoed with a preview key; otherwise nowhere."""
        if not self.final:
            return HIDDEN
        if not embargoed_at(now, self.lifts):
            return PUBLISHED
        return PREVIEW if previews else HIDDEN


@dataclass
class SiteRecord:
    out: str = ""  # the site folder and the preview folder, from the project folder
    preview_out: str = ""
    base_url: str = ""
    releases: dict[str, SiteEntry] = field(default_factory=dict)
    sets: dict[str, dict[str, str]] = field(default_factory=dict)
    # index.html, feed.atom and sitemap.xml as last written: the digest of what they
    # were made from, the set of files that made them, and each file's stamp
    shared: dict[str, Any] = field(default_factory=dict)


def state_folder(house_file: Path) -> Path:
    """`.pressgen/` in the folder above the house file's folder (the project)."""
    return Path(os.path.abspath(house_file)).parent.parent / STATE


def read_site_record(folder: Path) -> SiteRecord:
    try:
        data = json.loads(read_bounded(folder / RECORD, MAX_RECORD_BYTES))
        if not isinstance(data, dict) or data.get("layout") != LAYOUT:
            return SiteRecord()
        releases = {rid: SiteEntry(**raw) for rid, raw in data["releases"].items()}
        for entry in releases.values():
            if not (isinstance(entry.files, dict) and isinstance(entry.final, bool)):
                raise ValueError("malformed entry")
        shared = data["shared"]
        if not isinstance(shared, dict):
            raise ValueError("malformed shared files")
        return SiteRecord(str(data["out"]), str(data["preview_out"]), str(data["base_url"]),
                          releases, dict(data["sets"]), shared)
    except (ReadError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return SiteRecord()


def write_site_record(folder: Path, record: SiteRecord, old: SiteRecord) -> None:
    """The record, unless it is what was read (a no-op run writes nothing)."""
    used = {e.inputs for e in record.releases.values()} | \
        {e.pages for e in record.releases.values() if e.pages} | {record.shared.get("inputs")}
    record.sets = {k: v for k, v in record.sets.items() if k in used}
    if record == old and (folder / RECORD).is_file():
        return
    data: dict[str, Any] = {
        "layout": LAYOUT, "out": record.out, "preview_out": record.preview_out,
        "base_url": record.base_url, "shared": record.shared,
        "releases": {rid: vars(e) for rid, e in record.releases.items()},
        "sets": record.sets,
    }
    write_atomic(folder / RECORD, json.dumps(data, sort_keys=True, separators=(",", ":")).encode())


def remove_window(folder: Path) -> None:
    try:
        os.unlink(folder / WINDOW)
    except FileNotFoundError:
        pass


def write_window(folder: Path, record: SiteRecord, epoch: int | None, previews: bool) -> None:
    """FROM: the latest lift of a release shown as lifted; UNTIL: the earliest lift
    of a final release still embargoed (its preview goes, its page comes)."""
    start, end = EARLIEST, LATEST
    for entry in record.releases.values():
        if entry.lifts is None or not entry.final:
            continue
        if entry.state == PUBLISHED:
            start = max(start, entry.lifts)
        else:
            end = min(end, entry.lifts)
    shown = "-" if epoch is None else str(epoch)
    on = "on" if previews else "off"
    write_atomic(folder / WINDOW, f"{start} {end} {shown} {on} {record.out}\n".encode())
