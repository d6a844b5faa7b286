"""The SMTP server a send goes through: `PRESSGEN_SMTP_URL`, with smtplib (spec §9).

`smtp://[user@]host[:port]` (port 25 by default) upgrades to TLS with STARTTLS
whenever the server offers it; `smtps://` (port 465) is TLS from the start. The
password is only ever read from `PRESSGEN_SMTP_PASSWORD`, never from a file of
the project, and is never sent over a connection that is not encrypted (except
to this machine itself, where nothing crosses a network).

One transaction is MAIL FROM, a RCPT TO per address of the batch, DATA. Each
reply is kept: a 4xx is temporary (the caller retries), a 5xx permanent (the
caller reports that address, or the whole batch, and goes on).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import unquote, urlsplit

URL_VARIABLE = "PRESSGEN_SMTP_URL"
PASSWORD_VARIABLE = "PRESSGEN_SMTP_PASSWORD"
TIMEOUT = 60.0  # seconds a server may take to answer one command
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class ServerError(Exception):
    """The server URL or credentials are unusable; the message says how to fix it."""


class Temporary(Exception):
    """The server or the network failed for now (a 4xx, a dropped connection): retry."""


@dataclass(frozen=True)
class ServerAddress:
    tls: bool  # TLS from the start (smtps)
    host: str
    port: int
    user: str | None
    password: str | None

    def __str__(self) -> str:
        scheme = "smtps" if self.tls else "smtp"
        user = f"{self.user}@" if self.user else ""
        return f"{scheme}://{user}{self.host}:{self.port}"


def server_address(environ: Mapping[str, str]) -> ServerAddress:
    """The server of `PRESSGEN_SMTP_URL`; ServerError when it is missing or malformed."""
    url = environ.get(URL_VARIABLE, "").strip()
    if not url:
        raise ServerError(f"{URL_VARIABLE} is not set; set it to the mail server, e.g. "
                          f"{URL_VARIABLE}=smtp://press@mail.example.org:587 (the password "
                          f"in {PASSWORD_VARIABLE})")
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment:
        raise ServerError(f"{URL_VARIABLE} must be smtp://[user@]host[:port] or "
                          "smtps://[user@]host[:port]")
    if parts.password is not None:
        raise ServerError(f"{URL_VARIABLE} must not hold the password; put it in "
                          f"{PASSWORD_VARIABLE}")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise ServerError(f"{URL_VARIABLE} has a port that is not a number from 1 to "
                          "65535") from None
    user = unquote(parts.username) if parts.username else None
    password = environ.get(PASSWORD_VARIABLE) or None
    if user and password is None:
        raise ServerError(f"{URL_VARIABLE} names the user `{user}` but {PASSWORD_VARIABLE} "
                          "is not set; set it in the environment (never in a file)")
    return ServerAddress(parts.scheme == "smtps", parts.hostname, port, user, password)


@dataclass
class Reply:
    code: int
    text: str

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()

    @property
    def temporary(self) -> bool:
        return 400 <= self.code < 500


@dataclass
class Outcome:
    """What the server said to one transaction."""

    accepted: list[str]  # addresses the message was delivered to
    temporary: dict[str, Reply]  # address -> 4xx reply: try again
    refused: dict[str, Reply]  # address -> 5xx reply: permanent
    reply: Reply  # the reply to DATA (or to the last command, when there was no DATA)


class Connection:
    """One session with the server, opened on first use and again after a drop."""

    def __init__(self, server: ServerAddress) -> None:
        self.server = server
        self._smtp: smtplib.SMTP | None = None

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _open(self) -> smtplib.SMTP:
        server = self.server
        context = ssl.create_default_context()
        try:
            if server.tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port,
                                                      timeout=TIMEOUT, context=context)
            else:
                smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
            smtp.ehlo()
            secure = server.tls
            if not server.tls and smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
                secure = True
            if server.user:
                if not secure and server.host not in LOOPBACK:
                    smtp.close()
                    raise ServerError(f"{server.host} offers no STARTTLS, and pressgen sends "
                                      "no password in the clear; use smtps:// or a server "
                                      "that offers STARTTLS")
                smtp.login(server.user, server.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise ServerError(f"{server} refused the login: {_text(exc.smtp_error)}; check "
                              f"the user and {PASSWORD_VARIABLE}") from None
        except ssl.SSLError as exc:
            raise ServerError(f"TLS with {server.host} failed: {exc.reason or exc}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise Temporary(f"cannot reach {server}: {_describe(exc)}") from None
        return smtp

    def send(self, sender: str, addresses: list[str], message: bytes) -> Outcome:
        """One transaction; raises Temporary when the session failed as a whole."""
        if self._smtp is None:
            self._smtp = self._open()
        smtp = self._smtp
        try:
            reply = Reply(*_decoded(smtp.mail(sender)))
            if reply.code != 250:
                return self._failed_whole(addresses, reply)
            accepted, temporary, refused = [], {}, {}
            for address in addresses:
                answer = Reply(*_decoded(smtp.rcpt(address)))
                if answer.code in (250, 251):
                    accepted.append(address)
                elif answer.code == 421:
                    raise Temporary(f"the server closed the session: {answer}")
                elif answer.temporary:
                    temporary[address] = answer
                else:
                    refused[address] = answer
            if not accepted:
                smtp.rset()
                return Outcome([], temporary, refused, reply)
            final = Reply(*_decoded(smtp.data(message)))
        except smtplib.SMTPDataError as exc:  # DATA itself refused, before the message
            final = Reply(exc.smtp_code, _text(exc.smtp_error))
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise Temporary(_describe(exc)) from None
        if final.code == 250:
            return Outcome(accepted, temporary, refused, final)
        if final.code == 421:
            self._drop()
            raise Temporary(f"the server closed the session: {final}")
        # the message itself was refused: the same for every accepted address
        failed = {a: final for a in accepted}
        if final.temporary:
            return Outcome([], {**temporary, **failed}, refused, final)
        return Outcome([], temporary, {**refused, **failed}, final)

    def _failed_whole(self, addresses: list[str], reply: Reply) -> Outcome:
        if reply.code == 421:
            self._drop()
            raise Temporary(f"the server closed the session: {reply}")
        try:
            self._smtp.rset()  # type: ignore[union-attr]
        except (smtplib.SMTPException, OSError):
            self._drop()
        everyone = {a: reply for a in addresses}
        if reply.temporary:
            return Outcome([], everyone, {}, reply)
        return Outcome([], {}, everyone, reply)

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()


def _decoded(reply: tuple[int, bytes]) -> tuple[int, str]:
    return reply[0], _text(reply[1])


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc) or type(exc).__name__
    return str(exc) or type(exc).__name__
