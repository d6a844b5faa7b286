"""The send log: every recipient a server accepted, in SQLite (spec §9).

`.pressgen/sent.sqlite` in the project root (the folder above the house file's
folder). One row per accepted address: release id, content digest, address,
time, server reply, and the Message-ID sent. The log is what makes a send
resumable: `send` skips everyone logged for the same release and content, and
each accepted batch is written in one transaction right after the server
accepted it, before the next batch starts. So a kill at any moment loses at most
the batch in flight, which the next run sends again (twice rather than never).

WAL journal (a reader, `pressgen sent`, never blocks a send) with synchronous
FULL: a committed batch survives the process being killed and the machine
losing power.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

FOLDER = ".pressgen"
NAME = "sent.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (
    release    TEXT NOT NULL,
    digest     TEXT NOT NULL,
    address    TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    reply      TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (release, digest, address)
)
"""


@dataclass(frozen=True)
class Sent:
    release: str
    digest: str
    address: str
    sent_at: str  # ISO 8601, UTC
    reply: str  # the server's reply to the message, e.g. "250 OK queued as 1234"
    message_id: str


def log_path(house_file: Path) -> Path:
    """`.pressgen/sent.sqlite` in the folder above the house file's folder."""
    from pressgen.reading import project_root

    return Path(project_root(Path(house_file))).resolve() / FOLDER / NAME


class SendLog:
    """The log, open for one command."""

    def __init__(self, path: Path, create: bool = True) -> None:
        """Open the log; with `create` False it is only read (a dry run, `sent`), and a
        log that does not exist yet reads as empty and is not made."""
        self.path = path
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
        elif path.exists():
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                       isolation_level=None, timeout=30)
            return
        else:
            self._db = sqlite3.connect(":memory:", isolation_level=None)
        self._db.execute(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "SendLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sent_to(self, release: str, digest: str | None = None) -> set[str]:
        """Addresses logged for `release` (for this content only, given `digest`)."""
        query = "SELECT address FROM sent WHERE release = ?"
        args: tuple[str, ...] = (release,)
        if digest is not None:
            query, args = query + " AND digest = ?", (release, digest)
        with closing(self._db.execute(query, args)) as rows:
            return {row[0] for row in rows}

    def digests(self, release: str) -> set[str]:
        """Every content digest `release` was sent with."""
        with closing(self._db.execute("SELECT DISTINCT digest FROM sent WHERE release = ?",
                                      (release,))) as rows:
            return {row[0] for row in rows}

    def record_batch(self, release: str, digest: str, addresses: Iterable[str], reply: str,
                     message_id: str) -> None:
        """Log one accepted batch, all of it or none of it."""
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows = [(release, digest, a, now, reply, message_id) for a in addresses]
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany("INSERT OR IGNORE INTO sent VALUES (?, ?, ?, ?, ?, ?)", rows)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def entries(self, release: str) -> list[Sent]:
        """The log of `release`, oldest first."""
        with closing(self._db.execute(
                "SELECT release, digest, address, sent_at, reply, message_id FROM sent "
                "WHERE release = ? ORDER BY sent_at, rowid", (release,))) as rows:
            return [Sent(*row) for row in rows]
