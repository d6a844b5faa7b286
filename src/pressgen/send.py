"""`pressgen send`: a release's message to every address of its lists, each once (spec §9).

The order of things is what makes a send safe to interrupt:

1. plan (`plan_send`): load the release (a draft or a release with any problem is
   refused before anything is built or sent), read the lists (one bad row
   refuses the send), build the `.eml` through the ordinary build (so it is
   current and right for the moment), and leave out everyone the log already
   holds for this release and content;
2. deliver (`deliver`), batch by batch, Bcc in effect (the addresses go in the
   envelope only): after the server accepts a batch, its addresses are logged in
   one transaction before the next batch begins.

A kill between batches therefore loses nothing and repeats nothing; a kill while
a batch is in flight repeats that batch on the next run (twice rather than
never). A temporary failure (4xx, a dropped connection) is retried with
back-off, doubling from a sixtieth of the retry budget (five minutes, or
`PRESSGEN_SMTP_RETRY_SECONDS`) up to a fifth of it; when the budget runs out the
send stops and the next run resumes it. A permanent refusal (5xx) of an address
fails that address alone.

Corrections: a release whose content changed since it was sent (another content
digest in the log) is sent to those who had it only with `resend_changed`, and
then with `CORRECTION: ` (the language's word) before its subject.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Callable, Iterator

from pressgen import formats
from pressgen.errors import ReleaseError
from pressgen.load import House, load_release
from pressgen.mailconfig import mailbox_address
from pressgen.mailserver import Connection, Reply, ServerError, Temporary
from pressgen.model import Release
from pressgen.recipients import Recipient, recipients
from pressgen.sendlog import SendLog
from pressgen.writers import eml

RETRY_VARIABLE = "PRESSGEN_SMTP_RETRY_SECONDS"
RETRY_SECONDS = 300.0


@dataclass
class Plan:
    """What one `send` will do, decided before anything is sent."""

    release: Release
    digest: str  # the release's content, moment-free (see content_digest)
    subject: str
    message: bytes
    message_id: str
    sender: str  # the envelope's address
    batches: list[list[Recipient]]
    already: int = 0  # addresses logged for this content: skipped
    earlier: list[Recipient] = field(default_factory=list)  # had an earlier content: skipped
    correction: bool = False

    @property
    def count(self) -> int:
        return sum(len(b) for b in self.batches)


@dataclass
class Report:
    sent: int = 0
    refused: dict[str, Reply] = field(default_factory=dict)  # address -> 5xx reply
    unsent: list[str] = field(default_factory=list)  # left for the next run
    reason: str = ""  # why they were left

    @property
    def complete(self) -> bool:
        return not self.refused and not self.unsent


def content_digest(release: Release) -> str:
    """The release's content, independent of the moment and of the timestamp stored in
    outputs: the same release lifted or not, built today or tomorrow, is one content."""
    from pressgen.outputs import model_digest

    return model_digest(replace(release, timestamp=datetime(2000, 1, 1)))


def refuse_release(source: Path, house: House, now: datetime, epoch: int | None,
                   real_now: datetime | None = None) -> Release:
    """The release, loaded for `now`; ReleaseError if it has problems or is a draft, or
    if `now` (an --as-of) is past a lift that the real moment `real_now` is not: the
    message would go out today saying an embargo has lifted that has not."""
    release = load_release(source, house, now, epoch)
    lift = release.embargo.lifts_at if release.embargo else None
    if real_now is not None and lift is not None and real_now < lift <= now:
        raise ReleaseError.at(source, 1, 1, f"--as-of is after the embargo lifts "
                              f"({release.embargo.line}), but a message is sent now, before "
                              "it lifts: it would leak the release; send it without --as-of "
                              "(its subject then says the embargo)")
    if release.draft:
        from pressgen.yamlsource import load_yaml

        doc = load_yaml(source)
        raise ReleaseError(doc.problem(("status",) if "status" in doc.data else (),
                                       "a draft is never sent; set `status: final` when it "
                                       "is ready"))
    if house.email is None:
        raise ReleaseError.at(house.file, 1, 1, "the house file has no `email:` section; add "
                              "`email:` with `from:` and `lists:` (see README, Sending)")
    return release


def plan_send(source: Path, house: House, lists: tuple[str, ...], now: datetime,
              epoch: int | None, log: SendLog, out: Path | None, resend_changed: bool,
              real_now: datetime | None = None) -> Plan:
    """Everything checked and the message built (into `out`; with None, composed in
    memory only, for a dry run); raises ReleaseError with every problem. `real_now`:
    the clock's moment, when `now` is an --as-of."""
    release = refuse_release(source, house, now, epoch, real_now)
    assert house.email is not None
    people = recipients(house.email, lists)
    digest = content_digest(release)
    logged_now = log.sent_to(release.id, digest)
    logged_before = log.sent_to(release.id) - logged_now
    correction = bool(log.digests(release.id) - {digest})
    earlier = [] if resend_changed else [p for p in people if p.key in logged_before]
    skip = logged_now | {p.key for p in earlier}
    todo = [p for p in people if p.key not in skip]
    message, message_id = b"", ""
    if todo:  # with nobody left to send to, nothing is built
        message = _message(release, source, house, now, epoch, out)
        if correction:
            message = _as_correction(release, message)
        message_id = str(message_from_bytes(message, policy=policy.SMTP)["Message-ID"])
    size = house.email.batch
    return Plan(release, digest, eml.subject(release, correction), message, message_id,
                mailbox_address(house.email.message.sender) or "",
                [todo[i:i + size] for i in range(0, len(todo), size)],
                already=sum(1 for p in people if p.key in logged_now), earlier=earlier,
                correction=correction)


def _message(release: Release, source: Path, house: House, now: datetime, epoch: int | None,
             out: Path | None) -> bytes:
    """The release's `.eml`: built first if missing or stale, by the ordinary build
    (with the default formats beside it, so `out` holds the PDF it attaches)."""
    if out is None:
        from pressgen.resources import Renders

        return Renders(release, house.templates).render("eml")[0]
    from pressgen import build as batch

    job = batch.Job(house, out, formats.in_build_order(formats.defaults() + ("eml",)), now,
                    epoch)
    problems = [p for o in batch.build([source], job, 1) for p in o.problems
                if o.source == source]
    if problems:
        raise ReleaseError(problems)
    return (out / f"{release.id}.{formats.get('eml').extension}").read_bytes()


def _as_correction(release: Release, message: bytes) -> bytes:
    """The message with `CORRECTION: ` before its subject, and a Message-ID of its own."""
    parsed = message_from_bytes(message, policy=policy.SMTP)
    parsed.replace_header("Subject", eml.subject(release, correction=True))
    old = str(parsed["Message-ID"])
    parsed.replace_header("Message-ID", old.replace(".", ".correction.", 1))
    return eml.unfold_lone_values(parsed.as_bytes(policy=policy.SMTP))


def deliver(plan: Plan, connection: Connection, log: SendLog,
            on_batch: Callable[[int, int], None] = lambda done, total: None) -> Report:
    """Send every batch of the plan, logging each as the server accepts it."""
    report = Report()
    budget = retry_seconds()
    for number, batch in enumerate(plan.batches, start=1):
        try:
            left = _send_batch(plan, batch, connection, log, report, budget)
        except ServerError as exc:  # a refused login, TLS that fails: no retry helps
            report.reason, left = str(exc), batch
        if left:
            report.unsent = [p.address for p in left] + \
                [p.address for later in plan.batches[number:] for p in later]
            break
        on_batch(number, len(plan.batches))
    connection.close()
    return report


def _send_batch(plan: Plan, batch: list[Recipient], connection: Connection, log: SendLog,
                report: Report, budget: float) -> list[Recipient]:
    """One batch until every address is sent or refused; what is left when the retry
    budget runs out (then the whole send stops: the server is not taking mail)."""
    pending = list(batch)
    delay, deadline = budget / 60, None
    while pending:
        by_address = {p.address: p for p in pending}
        try:
            outcome = connection.send(plan.sender, list(by_address), plan.message)
        except Temporary as exc:
            report.reason = str(exc)
        else:
            if outcome.accepted:
                log.record_batch(plan.release.id, plan.digest,
                                 [by_address[a].key for a in outcome.accepted],
                                 str(outcome.reply), plan.message_id)
                report.sent += len(outcome.accepted)
                delay, deadline = budget / 60, None  # progress: a new failure starts afresh
            report.refused.update(outcome.refused)
            pending = [by_address[a] for a in outcome.temporary]
            if outcome.temporary:
                report.reason = str(next(iter(outcome.temporary.values())))
        if not pending:
            break
        now = time.monotonic()
        deadline = deadline if deadline is not None else now + budget
        if now + delay > deadline:
            return pending
        time.sleep(delay)
        delay = min(delay * 2, budget / 5)
    return []


def retry_seconds() -> float:
    """How long a temporary failure is retried: five minutes, or the environment's."""
    value = os.environ.get(RETRY_VARIABLE, "")
    try:
        return max(float(value), 0.0) if value else RETRY_SECONDS
    except ValueError:
        return RETRY_SECONDS


@contextmanager
def one_send_at_a_time(log_path: Path, on_wait: Callable[[], None],
                       dry_run: bool = False) -> Iterator[None]:
    """Hold `.pressgen/send.lock` for the whole send: two sends at once would each
    see the other's recipients as not yet logged and mail them twice. A dry run
    sends nothing and writes nothing, so it takes no lock."""
    if dry_run:
        yield
        return
    from pressgen.state import locked

    log_path.parent.mkdir(parents=True, exist_ok=True)
    with locked(log_path.parent, on_wait, "send.lock"):
        yield
