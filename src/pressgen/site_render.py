"""The newsroom's page folders, rendered and written, on every core (site.py decides
which). A worker renders a release's PDF, DOCX and page and writes them into its
folder (the PDF and DOCX first, then the page that links them, each atomically);
the site build waits for all of them before it writes the index that links them.

Workers are forked, as the build's are (build.py): they inherit the state
folder's lock and die with the site build (worker_life.py), so none writes after
a killed one. A release whose rendering fails is reported, never raised, and the
sweep then removes whatever of it is there.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pressgen import record as rec
from pressgen.atomic import write_atomic
from pressgen.errors import Problem, ReleaseError
from pressgen.model import Release
from pressgen.resources import Renders, Resources
from pressgen.site_record import PREVIEW, PUBLISHED, SiteEntry

if TYPE_CHECKING:
    from pressgen.site import SiteJob

COLLECT_EVERY = 10  # python-docx's documents are cycles only the collector frees


@dataclass
class Written:
    """A release folder as written: each file's stamp, and what rendering it read."""

    files: dict[str, list[int]]
    pages: str  # id of the set of dependencies
    deps: dict[str, str]


Task = tuple[Release, SiteEntry]
_WORKER: tuple[SiteJob, Path] | None = None
_DONE = 0


def render_all(tasks: list[Task], job: SiteJob, folder: Path,
               jobs: int) -> list[Written | list[Problem]]:
    """Each task's folder written, in task order; on `jobs` processes when worth it."""
    global _WORKER
    if jobs <= 1 or len(tasks) <= 1:
        _WORKER = (job, folder)
        return [render_one(task) for task in tasks]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context,
                             initializer=_init, initargs=(job, folder, os.getpid())) as pool:
        return list(pool.map(render_one, tasks, chunksize=max(1, min(8, len(tasks) // (jobs * 8)))))


def _init(job: SiteJob, folder: Path, parent: int) -> None:
    from pressgen.worker_life import die_with_parent

    global _WORKER
    _WORKER = (job, folder)
    die_with_parent(parent)


def render_one(task: Task) -> Written | list[Problem]:
    """One release's folder; its problems instead when it cannot be rendered or written."""
    global _DONE
    assert _WORKER is not None
    job, folder = _WORKER
    release, entry = task
    try:
        return write_release(release, entry, job, folder)
    except ReleaseError as exc:
        return exc.problems
    except OSError as exc:
        return [Problem(release.source, 1, 1, f"cannot write {exc.filename or job.out}: "
                        f"{exc.strerror or exc}; check that the site folder is writable, "
                        "with space")]
    except Exception as exc:  # noqa: BLE001 - the one place a bug becomes a message
        return [Problem(release.source, 1, 1, f"internal error ({type(exc).__name__}: {exc}); "
                        "this is a bug in pressgen: please report it with this file")]
    finally:
        _DONE += 1
        if _DONE % COLLECT_EVERY == 0:
            gc.collect()


def write_release(release: Release, entry: SiteEntry, job: SiteJob, folder: Path) -> Written:
    """The release's folder: the PDF and DOCX first, then the page that links them."""
    from pressgen.writers.html import PageSite, downloads_of, render_page

    renders = Renders(release, job.house.templates)
    pdf, noted_pdf = renders.render("pdf")
    docx, noted_docx = renders.render("docx")
    resources = Resources(job.house.templates, format="html")
    published = entry.state == PUBLISHED
    site = PageSite(f"{job.base_url}{release.id}/" if published else "", "../",
                    release.organisation.name, noindex=entry.state == PREVIEW)
    page = render_page(release, resources, downloads_of(release), site)
    deps = rec.dependencies({**noted_pdf, **noted_docx, **resources.noted}, folder)
    name = release.id if published else entry.token
    target = (job.out if published else job.preview_out) / name
    _fresh_folder(target)
    files: dict[str, list[int]] = {}
    for file_name, data in ((f"{release.id}.pdf", pdf), (f"{release.id}.docx", docx),
                            ("index.html", page)):
        files[f"{name}/{file_name}"] = list(rec.stamp_of(write_atomic(target / file_name, data)))
    return Written(files, rec.set_id(deps), deps)


def _fresh_folder(path: Path) -> None:
    """A real folder at `path` (a link or file there is replaced, never followed)."""
    if os.path.islink(path) or (os.path.lexists(path) and not path.is_dir()):
        os.unlink(path)
    path.mkdir(parents=True, exist_ok=True)
