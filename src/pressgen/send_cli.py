"""The bodies of `pressgen send` and `pressgen sent` (spec §9), kept out of cli.py so
that module stays a list of commands; like cli.py, the only other place that prints
or exits."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pressgen import cli

if TYPE_CHECKING:
    from pressgen.send import Plan


def run_send(release: Path, lists: tuple[str, ...], house: Path, as_of: str | None, out: Path,
             dry_run: bool, yes: bool, resend_changed: bool) -> None:
    """The body of `pressgen send`: refusals, the plan, confirmation, delivery, report."""
    from pressgen import send as mail
    from pressgen.errors import ReleaseError
    from pressgen.mailserver import Connection, ServerError, server_address
    from pressgen.sendlog import SendLog, log_path

    loaded = cli._house(house)
    now = cli._moment(as_of, loaded)
    try:
        server = None if dry_run else server_address(os.environ)
    except ServerError as exc:
        cli._fail(f"pressgen: {exc}; nothing was sent")
    where = log_path(loaded.file)
    with mail.one_send_at_a_time(where, lambda: click.echo(
            "pressgen: another send is running; waiting for it to finish", err=True),
            dry_run):
        with SendLog(where, create=not dry_run) as log:  # a dry run writes nothing
            try:
                plan = mail.plan_send(release, loaded, lists, now, cli._epoch(), log,
                                      None if dry_run else out, resend_changed,
                                      None if as_of is None else cli._moment(None, loaded))
            except ReleaseError as exc:
                cli._report(exc.problems)
                cli._fail("pressgen: nothing was sent")
            _say_plan(plan, loaded.email.batch if loaded.email else 0)
            if dry_run:
                for number, batch in enumerate(plan.batches, start=1):
                    for person in batch:
                        click.echo(f"batch {number}\t{person.address}\t{person.name}\t"
                                   f"{person.outlet}")
                sys.exit(0)
            if not plan.count:
                sys.exit(0)
            if not yes and not click.confirm(
                    f"Send “{plan.subject}” to {plan.count} recipient"
                    f"{'s' * (plan.count != 1)} through {server}?", err=True):
                cli._fail("pressgen: nothing was sent")
            assert server is not None
            report = mail.deliver(plan, Connection(server), log, lambda done, total: click.echo(
                f"pressgen: batch {done} of {total} accepted", err=True))
    for address, reply in report.refused.items():
        click.echo(f"pressgen: {address}: error: refused by the server: {reply}", err=True)
    if report.unsent:
        click.echo(f"pressgen: {len(report.unsent)} not sent yet ({report.reason}); run the "
                   "same `pressgen send` again to send them", err=True)
    click.echo(f"pressgen: sent to {report.sent} of {plan.count}; "
               f"{len(report.refused)} refused, {len(report.unsent)} left", err=True)
    sys.exit(0 if report.complete else 1)


def _say_plan(plan: Plan, batch: int) -> None:
    """What the send will do, before it asks: the subject, how many, who is skipped."""
    click.echo(f"Subject: {plan.subject}", err=True)
    batches = len(plan.batches)
    click.echo(f"pressgen: {plan.count} recipient{'s' * (plan.count != 1)} in {batches} "
               f"batch{'es' * (batches != 1)} of up to {batch}"
               + (f"; {plan.already} already have it" if plan.already else ""), err=True)
    if plan.earlier:
        click.echo(f"pressgen: {len(plan.earlier)} had an earlier version and are skipped; "
                   "pass --resend-changed to send them the correction", err=True)


def run_sent(release: Path, house: Path) -> None:
    """The body of `pressgen sent`: the log of one release, oldest first."""
    from pressgen.sendlog import SendLog, log_path

    where = log_path(house)
    if not where.exists():
        click.echo(f"pressgen: nothing has been sent (no {where})", err=True)
        sys.exit(0)
    with SendLog(where, create=False) as log:  # read only
        entries = log.entries(release.stem)
    for entry in entries:
        click.echo(f"{entry.sent_at}\t{entry.address}\t{entry.digest[:12]}\t{entry.reply}")
    contents = len({e.digest for e in entries})
    click.echo(f"pressgen: {release.stem}: {len(entries)} sent, {contents} "
               f"version{'s' * (contents != 1)}", err=True)
