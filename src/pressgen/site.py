"""`pressgen site`: the static newsroom, and the embargo gate in front of it (spec §10).

A release is on the site only while it is final and lifted at the build's
moment. Each run, under the lock of the state folder (`.pressgen/`, outside the
site: site_record.py), it

1. decides each release's place at the moment (published, previewed, hidden),
   from the record alone when the release's file and all that loading it read
   are unchanged (no load, no render: a no-op run reads, digests and stats);
2. writes the page folders of releases newly published or changed
   (`<id>/<id>.pdf`, `<id>/<id>.docx`, then `<id>/index.html`), and their
   previews (`PDIR/<token>/`);
3. then `index.html`, `feed.atom`, `sitemap.xml`, from published entries only;
4. only then removes what is no longer published (a release withdrawn because
   its lift moved later, made a draft, deleted or broken) and stale previews;

every file through `write_atomic`, so a reader sees a whole page or the old one,
and no index links to a page not yet there. The record comes last, then the
window `make site` reads.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

from pressgen import record as rec
from pressgen import state
from pressgen.atomic import write_atomic
from pressgen.errors import Problem, ReleaseError
from pressgen.load import House, load_release
from pressgen.model import Release, default_words
from pressgen.preview import preview_token
from pressgen.reading import noting_reads
from pressgen.resources import Resources
from pressgen.site_record import (
    HIDDEN, PREVIEW, PUBLISHED, SiteEntry, SiteRecord, read_site_record, remove_window,
    state_folder, write_site_record, write_window,
)


@dataclass(frozen=True)
class SiteJob:
    house: House
    out: Path  # the site folder, DIR
    preview_out: Path  # PDIR
    base_url: str  # absolute, ending in /
    now: datetime
    epoch: int | None = None
    preview_key: bytes | None = None
    house_reads: dict[Path, str] = field(default_factory=dict)
    force: bool = False
    jobs: int | None = None  # processes rendering at once; None: one per core


@dataclass
class SiteOutcome:
    source: Path
    state: str = HIDDEN
    written: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    was_published: bool = False  # by the last run
    lifts: int | None = None
    token: str = ""

    @property
    def withdrawn(self) -> bool:
        """Published by the last run, and not now."""
        return self.was_published and self.state != PUBLISHED


def publish(sources: list[Path], job: SiteJob,
            on_wait: Callable[[], None] = lambda: None) -> Iterator[SiteOutcome]:
    """Bring the site (and the preview folder) to what is right at `job.now`."""
    folder = state_folder(job.house.file)
    folder.mkdir(parents=True, exist_ok=True)
    job.out.mkdir(parents=True, exist_ok=True)
    with state.locked(folder, on_wait):
        remove_window(folder)  # from now until the record is written, make runs pressgen
        old = read_site_record(folder)
        new = SiteRecord(_rel(job.out, folder), _rel(job.preview_out, folder), job.base_url,
                         sets=dict(old.sets))
        fresh = (old.out, old.preview_out, old.base_url) == (new.out, new.preview_out,
                                                              new.base_url) and not job.force
        current = rec.current_sets(rec.Record(sets=old.sets), folder)
        refused = _same_ids(sources)
        placed = [_place(source, job, folder, old, new, current if fresh else frozenset(),
                         refused) for source in sources]
        _render(placed, job, folder, new)
        yield from (outcome for outcome, _ in placed)
        _write_shared(job, folder, old, new, current if fresh else frozenset())
        for rid in _sweep(job, old, new, {s.stem for s in sources}):
            yield SiteOutcome(Path(rid), was_published=True)
        write_site_record(folder, new, old)
        write_window(folder, new, job.epoch, job.preview_key is not None)


Placed = tuple["SiteOutcome", "tuple[Release, SiteEntry] | None"]


def _place(source: Path, job: SiteJob, folder: Path, old: SiteRecord, new: SiteRecord,
           current: frozenset[str], refused: dict[Path, Problem]) -> Placed:
    """One release: where it stands now, and (when its files are not current) the
    release and entry to render them from."""
    rid, outcome, task = source.stem, SiteOutcome(source), None
    before = old.releases.get(rid)
    try:
        if source in refused:
            raise ReleaseError(refused[source])
        release, entry = None, _unchanged(source, job, folder, before, current)
        if entry is None:
            release, entry = _load(source, job, folder, new)
        where = entry.state_at(job.now.timestamp(), job.preview_key is not None)
        token = preview_token(job.preview_key, rid) if where == PREVIEW and job.preview_key \
            else ""
        if where == HIDDEN:
            entry = replace(entry, state=HIDDEN, files={}, pages="", token="")
        elif _files_current(job, before, entry, where, token, current):
            assert before is not None
            entry = replace(entry, state=where, files=before.files, pages=before.pages,
                            token=token)
        else:
            if release is None:
                release, entry = _load(source, job, folder, new)
            entry = replace(entry, state=where, token=token)
            task = (release, entry)
        new.releases[rid] = entry
        outcome.state, outcome.lifts, outcome.token = where, entry.lifts, token
    except ReleaseError as exc:
        outcome.problems = exc.problems  # not placed: anything of it goes in the sweep
    outcome.was_published = before is not None and before.state == PUBLISHED
    return outcome, task


def _render(placed: list[Placed], job: SiteJob, folder: Path, new: SiteRecord) -> None:
    """Write every folder that is not current (on every core), and fold the results
    into the record; a release that fails is dropped from it (the sweep removes it)."""
    pending = [(outcome, task) for outcome, task in placed if task is not None]
    if not pending:
        return
    from pressgen.build import default_jobs
    from pressgen.site_render import render_all

    results = render_all([task for _, task in pending], job, folder, job.jobs or default_jobs())
    for (outcome, (release, entry)), result in zip(pending, results):
        if isinstance(result, list):
            outcome.problems, outcome.state = result, HIDDEN
            new.releases.pop(release.id, None)
            continue
        entry.files, entry.pages = result.files, result.pages
        new.sets[result.pages] = result.deps
        outcome.written = sorted(result.files)


def _unchanged(source: Path, job: SiteJob, folder: Path, before: SiteEntry | None,
               current: frozenset[str]) -> SiteEntry | None:
    """The recorded entry, when the release's file and what loading it read are as
    they were (then the model is known without loading it)."""
    if before is None or before.source != rec.key_of(source, folder) \
            or before.epoch != job.epoch or before.inputs not in current:
        return None
    from pressgen.resources import digest_now

    return before if digest_now(Path(os.path.abspath(source))) == before.digest else None


def _same_ids(sources: list[Path]) -> dict[Path, Problem]:
    """build.same_ids, imported only when two files share an id (build pulls in the
    writers' machinery, which a no-op run never needs)."""
    if len({s.stem for s in sources}) == len(sources):
        return {}
    from pressgen.build import same_ids

    return same_ids(sources)


def _load(source: Path, job: SiteJob, folder: Path,
          new: SiteRecord) -> tuple[Release, SiteEntry]:
    from pressgen.outputs import model_digest

    absolute = Path(os.path.abspath(source))
    with noting_reads() as read:
        release = load_release(source, job.house, job.now, job.epoch)
    loaded = rec.dependencies({**job.house_reads, **read}, folder, leave_out=absolute)
    new.sets[rec.set_id(loaded)] = loaded
    lifts = int(release.embargo.lifts_at.timestamp()) if release.embargo else None
    return release, SiteEntry(
        source=rec.key_of(source, folder), digest=read.get(absolute, ""),
        inputs=rec.set_id(loaded), epoch=job.epoch, model=model_digest(release),
        final=not release.draft, lifts=lifts, headline=release.headline,
        summary=release.summary, date=release.date.isoformat(), date_text=release.date_text,
        language=release.language)


def _files_current(job: SiteJob, before: SiteEntry | None, entry: SiteEntry, where: str,
                   token: str, current: frozenset[str]) -> bool:
    if before is None or before.state != where or before.model != entry.model \
            or before.token != token or before.pages not in current or not before.files:
        return False
    root = job.out if where == PUBLISHED else job.preview_out
    return all(rec.file_stamp(root / name) == tuple(stamp)
               for name, stamp in before.files.items())


def _write_shared(job: SiteJob, folder: Path, old: SiteRecord, new: SiteRecord,
                  current: frozenset[str]) -> None:
    """index.html, feed.atom and sitemap.xml, from the published entries only; not
    even rendered while what they are made from, the templates that made them and
    the files on disk are as recorded."""
    published = {rid: e for rid, e in sorted(new.releases.items()) if e.state == PUBLISHED}
    words = job.house.lang.words if job.house.lang else default_words()
    org = job.house.organisation
    digest = hashlib.sha256(repr((job.base_url, org, words, job.house.tz.key, [
        (rid, e.headline, e.summary, e.date, e.date_text, e.language, e.lifts)
        for rid, e in published.items()])).encode()).hexdigest()
    before = old.shared
    if before.get("digest") == digest and before.get("inputs") in current and all(
            rec.file_stamp(job.out / name) == tuple(stamp)
            for name, stamp in before.get("files", {}).items()):
        new.shared = before
        return
    from pressgen.site_pages import feed_atom, index_html, listing, sitemap_xml

    shown = listing(published, job.base_url, job.house.tz)
    resources = Resources(job.house.templates)
    files = {}
    for name, data in (("index.html", index_html(shown, org, words, job.base_url, resources)),
                       ("feed.atom", feed_atom(shown, org, words, job.base_url)),
                       ("sitemap.xml", sitemap_xml(shown, job.base_url))):
        files[name] = list(_write_if_changed(job.out / name, data))
    deps = rec.dependencies(resources.noted, folder)
    new.sets[rec.set_id(deps)] = deps
    new.shared = {"digest": digest, "inputs": rec.set_id(deps), "files": files}


def _write_if_changed(path: Path, data: bytes) -> tuple[int, int, int]:
    """The file's stamp, after writing `data` there unless it already holds it."""
    try:
        if not os.path.islink(path) and path.read_bytes() == data:
            return rec.stamp_of(os.lstat(path))
    except OSError:
        pass
    return rec.stamp_of(write_atomic(path, data))


def _sweep(job: SiteJob, old: SiteRecord, new: SiteRecord, named: set[str]) -> list[str]:
    """Remove every page folder of a release not published now (one the record knows,
    one of the releases named, or any folder in DIR that holds a release's PDF or
    DOCX under its own name, as a lost record would leave), and every preview not
    wanted now. Returns the ids once published whose files are gone altogether."""
    published = {rid for rid, e in new.releases.items() if e.state == PUBLISHED}
    known = set(old.releases) | set(new.releases) | named
    for rid in sorted(known - published) + _page_folders(job.out, published | known):
        _remove(job.out / rid)
    for rid, before in old.releases.items():
        entry = new.releases.get(rid)
        if before.token and (entry is None or entry.token != before.token):
            _remove(job.preview_out / before.token)
    return sorted(rid for rid, before in old.releases.items()
                  if rid not in new.releases and rid not in named and before.state == PUBLISHED)


def _page_folders(out: Path, known: set[str]) -> list[str]:
    """Folders in DIR, not of a known release, that hold `<name>/<name>.pdf|docx`."""
    try:
        names = [e.name for e in os.scandir(out) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []
    return sorted(n for n in names if n not in known and rec.OUTPUT_NAME.fullmatch(n) and any(
        os.path.lexists(out / n / f"{n}.{ext}") for ext in ("pdf", "docx", "html")))


def _remove(path: Path) -> None:
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)


def _rel(path: Path, folder: Path) -> str:
    return os.path.relpath(os.path.abspath(path), folder.parent)
