"""The body of `pressgen site` (spec §10), kept out of cli.py so that module stays a
list of commands; like cli.py it is the only other place that prints or exits."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import click

from pressgen import cli
from pressgen.embargo import moment_text


def run_site(paths: tuple[Path, ...], out: Path, preview_out: Path, house: Path,
             as_of: str | None, base_url: str | None, jobs: int | None, force: bool) -> None:
    from datetime import datetime, timezone

    from pressgen.build import discover
    from pressgen.preview import preview_key
    from pressgen.reading import noting_reads
    from pressgen.site import SiteJob, publish
    from pressgen.site_record import state_folder

    started = time.monotonic()
    epoch = cli._epoch()
    with noting_reads() as house_reads:
        loaded = cli._house(house)
    url = _base_url(base_url or loaded.organisation.website)
    for folder in (out, preview_out):
        cli._check_out(folder, house, paths)
    _check_apart(out, preview_out, state_folder(house))
    now = cli._moment(as_of, loaded) if as_of is not None else \
        datetime.now(timezone.utc).astimezone(loaded.tz)
    job = SiteJob(loaded, out, preview_out, url, now, epoch, preview_key(), house_reads, force,
                  jobs)
    sources = discover(paths)
    counts = {"published": 0, "previewed": 0, "unchanged": 0, "not public": 0,
              "withdrawn": 0, "failed": 0}
    try:
        for outcome in publish(sources, job, on_wait=lambda: cli._waiting(out)):
            cli._report(outcome.problems)
            if outcome.withdrawn:
                counts["withdrawn"] += 1
                click.echo(f"pressgen: withdrew {outcome.source.stem} from {out}/: "
                           + _why(outcome, loaded.tz), err=True)
            key = "failed" if outcome.problems else "withdrawn" if outcome.withdrawn else \
                "not public" if outcome.state == "hidden" else "unchanged" \
                if not outcome.written else "previewed" if outcome.state == "preview" \
                else "published"
            if not outcome.withdrawn:
                counts[key] += 1
    except OSError as exc:
        cli._fail(f"{exc.filename or out}:1:1: error: cannot write the site: "
                  f"{exc.strerror or exc}; check that the folders are writable, with space")
    summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    click.echo(f"pressgen: {summary or 'nothing to publish'} in "
               f"{time.monotonic() - started:.1f} s ({len(sources)} release"
               f"{'s' * (len(sources) != 1)} → {out}/)", err=True)
    sys.exit(1 if counts["failed"] else 0)


def _why(outcome, tz) -> str:  # type: ignore[no-untyped-def]
    """Why a release once published is no longer on the site."""
    from datetime import datetime, timezone

    if outcome.problems:
        return "it has errors (above); fix them and run `pressgen site` again"
    if outcome.state != "hidden" or outcome.lifts is not None:
        when = datetime.fromtimestamp(outcome.lifts, timezone.utc).astimezone(tz)
        return f"it is embargoed again, until {moment_text(when)}, and returns then"
    return "it is a draft again, or its file is gone"


def _base_url(url: str | None) -> str:
    """The site's absolute address, ending in `/`; a usage error without one."""
    if not url:
        raise click.UsageError("the site needs its address for absolute links: give "
                               "--base-url https://… or set `organisation.website` in the "
                               "house file")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
            or parts.fragment:
        raise click.UsageError(f"--base-url must be an http(s) address such as "
                               f"https://example.org/news/, not `{url}`")
    return url.strip() if url.strip().endswith("/") else url.strip() + "/"


def _check_apart(out: Path, preview_out: Path, state: Path) -> None:
    """The site, the previews and the build's state: three folders, none inside another
    (an embargoed preview or the record's headlines inside the site would publish them)."""
    places = {"--out": out, "--preview-out": preview_out, "the state folder": state}
    real = {name: os.path.realpath(p) for name, p in places.items()}
    for a, pa in real.items():
        for b, pb in real.items():
            if a != b and (pa == pb or pa.startswith(pb.rstrip(os.sep) + os.sep)):
                raise click.UsageError(f"{a} ({places[a]}) is inside or the same as {b} "
                                       f"({places[b]}); keep them apart, e.g. --out site "
                                       "--preview-out site-preview")
