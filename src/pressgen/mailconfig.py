"""The house's `email:` section (spec §9), checked once when the house file loads.

The schema has already said which keys exist and of what type; this module checks
what a schema cannot (that `from` and `reply_to` are addresses a mail server will
take), reports each problem at its line, and keeps the places of `email.lists`
so that `pressgen send --to` naming a list the house lacks is reported there.
The message's own needs (sender, reply-to, attachments) go into every release's
model as `EmailSettings`; the lists, suppression file and batch size are only
`send`'s, so they stay here, out of the model (a new list must not rebuild a PDF).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from pressgen.errors import Problem
from pressgen.model import EmailSettings
from pressgen.yamlsource import Located

DEFAULT_BATCH = 50
# one address as a mail server takes it: local part, @, a domain with a dot in it
ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class MailConfig:
    """The house's `email:`: the message's settings and what `send` reads."""

    message: EmailSettings
    lists: dict[str, Path]  # list id -> CSV file (absolute or from the working folder)
    suppress: Path | None
    batch: int
    lists_at: Problem | None = None  # where `email.lists` is (or `email`), for errors
    house_file: Path = field(default=Path("templates/house.yaml"))


def is_address(text: str) -> bool:
    """Whether `text` is one bare address (`name@example.org`) a server will take."""
    return ADDRESS.fullmatch(text) is not None


def mailbox_address(text: str) -> str | None:
    """The address of a `Name <name@example.org>` or bare-address header value, or None
    when `text` is not exactly one well-formed mailbox."""
    if "\n" in text or "\r" in text:
        return None
    found = getaddresses([text])
    if len(found) != 1 or not is_address(found[0][1]):
        return None
    try:
        Address(display_name=found[0][0], addr_spec=found[0][1])
    except (ValueError, IndexError):
        return None
    return found[0][1]


def mail_config(doc: Located, house_file: Path, problems: list[Problem]) -> MailConfig | None:
    """The checked `email:` section of the house file, or None when it has none (or
    one the schema refused: its problems are already in `problems`)."""
    data = doc.data.get("email") if isinstance(doc.data, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("from"), str):
        return None
    found: list[Problem] = []
    for key in ("from", "reply_to"):
        value = data.get(key)
        if isinstance(value, str) and mailbox_address(value) is None:
            found.append(doc.problem(("email", key), f"`email.{key}` `{value}` is not one "
                                     "email address; write `Press Office <press@example.org>` "
                                     "or `press@example.org`"))
    problems += found
    folder = house_file.parent
    lists = {name: folder / path for name, path in _mapping(data.get("lists")).items()
             if isinstance(path, str)}
    suppress = data.get("suppress")
    where = ("email", "lists") if "lists" in data else ("email",)
    return MailConfig(
        message=EmailSettings(
            sender=" ".join(data["from"].split()),
            reply_to=" ".join(data["reply_to"].split()) if isinstance(data.get("reply_to"), str)
            else None,
            attach=tuple(dict.fromkeys(data["attach"])) if isinstance(data.get("attach"), list)
            else ("pdf",)),
        lists=lists,
        suppress=folder / suppress if isinstance(suppress, str) else None,
        batch=data["batch"] if isinstance(data.get("batch"), int) else DEFAULT_BATCH,
        lists_at=doc.problem(where, ""),
        house_file=house_file,
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
