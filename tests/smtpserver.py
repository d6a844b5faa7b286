"""A real SMTP server for the send tests: aiosmtpd on 127.0.0.1, on a free port.

It keeps every message it accepted (envelope and bytes) and can misbehave on cue,
as real servers do: drop the connection from the Nth transaction on, answer DATA
with a temporary failure, refuse one address for good, or call back at the start
of the Nth transaction (the send tests kill the sender there: by then it has
logged every earlier batch and not begun the next).
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from typing import Callable

from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self):
        return message_from_bytes(self.data, policy=policy.SMTP)


@dataclass
class Misbehaviour:
    drop_from: int | None = None  # drop the connection at MAIL of this transaction and later
    data_replies: list[str] = field(default_factory=list)  # replies to DATA before 250
    refuse: dict[str, str] = field(default_factory=dict)  # address -> RCPT reply
    at_transaction: dict[int, Callable[[], None]] = field(default_factory=dict)


class Handler:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.transactions = 0  # MAIL commands seen
        self.misbehave = Misbehaviour()
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, options):  # noqa: N802
        with self.lock:
            self.transactions += 1
            number = self.transactions
        hook = self.misbehave.at_transaction.get(number)
        if hook is not None:
            hook()
        drop = self.misbehave.drop_from
        if drop is not None and number >= drop:
            server.transport.close()
            return "421 4.3.0 closing"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        reply = self.misbehave.refuse.get(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.misbehave.data_replies:
            return self.misbehave.data_replies.pop(0)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          bytes(envelope.original_content or envelope.content)))
            number = len(self.received)
        return f"250 2.0.0 Ok: queued as {number}"

    def all_recipients(self) -> list[str]:
        return [r for message in self.received for r in message.recipients]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A started server; `url` is what PRESSGEN_SMTP_URL takes."""

    def __init__(self, scheme: str = "smtp", user: str | None = None, **options) -> None:
        """`options` go to aiosmtpd's controller (tls_context, ssl_context,
        require_starttls, authenticator, ...)."""
        self.handler = Handler()
        self.port = free_port()
        self.scheme, self.user = scheme, user
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                     **options)
        self.controller.start()

    @property
    def url(self) -> str:
        user = f"{self.user}@" if self.user else ""
        return f"{self.scheme}://{user}127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.controller.stop()
