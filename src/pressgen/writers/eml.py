"""The email writer: one RFC 5322 message per release, for journalists (spec §9).

The message is made of the other formats' bytes, got through the resources
(`composes` in the registry): the text output as the `text/plain` part, the HTML
output as its `text/html` alternative when pressgen has an HTML writer, the PDF
(and the DOCX when the house's `email.attach` lists it) attached as `<id>.pdf`.

Byte-identical on rebuild: Python's `email` package would pick a random MIME
boundary and `make_msgid()` a random Message-ID, so both are derived here from
a digest of the release's id and the message's content; `Date` is the release's
output timestamp (spec §7). Recipients are never in a header of the file: `send`
passes them to the server in the envelope only (Bcc in effect).
"""

from __future__ import annotations

import hashlib
import re
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from pressgen import formats
from pressgen.errors import ReleaseError
from pressgen.mailconfig import mailbox_address
from pressgen.model import Release
from pressgen.resources import Resources

UNDISCLOSED = "undisclosed-recipients:;"
_MEDIA = {"pdf": ("application", "pdf"),
          "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")}


def render(release: Release, resources: Resources) -> bytes:
    if release.email is None:
        raise ReleaseError.at(release.source, 1, 1, "`--format eml` needs the house file's "
                              "`email:` section with `from:` (the sender); add "
                              "`email: {from: Press Office <press@example.org>}` to it")
    text = resources.output("txt", release)
    html = _page_without_downloads(release, resources)
    files = {fmt: resources.output(fmt, release) for fmt in release.email.attach}
    return message_bytes(release, text, html, files)


def _page_without_downloads(release: Release, resources: Resources) -> bytes:
    """The release's HTML page without its "Download the PDF" links: they name files
    beside the page, which a mail client does not have (the PDF is attached)."""
    from pressgen.writers.html import render_page

    return render_page(release, resources, ())


def subject(release: Release, correction: bool = False) -> str:
    """The subject (§9): `EMBARGOED UNTIL <lift>: <headline>` while embargoed at the
    build moment, else the headline; `DRAFT: ` before a draft's, and `CORRECTION: `
    before a correction's (a send after the content changed). Every word is the
    release's language's (its Words), the lift written by the loader."""
    words = release.words
    line = release.headline
    if release.embargoed and release.embargo is not None:
        moment = release.embargo.moment or release.embargo.line
        lead = f"{words.embargoed_until} {moment}" if release.embargo.moment else moment
        line = f"{lead}: {line}"
    if release.draft:
        line = words.subject_draft + line
    if correction:
        line = words.subject_correction + line
    return _LINE_BREAKS.sub(" ", line)


#: what str.splitlines (and so the email package) takes for a line end: a
#: subject is one line, whatever a headline holds (no-break spaces are kept)
_LINE_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")


def message_bytes(release: Release, text: bytes, html: bytes | None,
                  files: dict[str, bytes], correction: bool = False) -> bytes:
    """The whole message, CRLF line ends (`policy.SMTP`), nothing random in it."""
    assert release.email is not None
    settings = release.email
    title = subject(release, correction)
    digest = hashlib.sha256()
    for piece in (release.id.encode(), title.encode(), settings.sender.encode(),
                  (settings.reply_to or "").encode(), text, html or b"",
                  *(files[fmt] for fmt in sorted(files))):
        digest.update(len(piece).to_bytes(8, "big") + piece)
    seal = digest.hexdigest()
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = settings.sender
    if settings.reply_to:
        msg["Reply-To"] = settings.reply_to
    msg["To"] = UNDISCLOSED
    msg["Subject"] = title
    msg["Date"] = format_datetime(release.timestamp)
    msg["Message-ID"] = message_id(release.id, seal, settings.sender)
    # quoted-printable keeps every part 7-bit, so no server needs 8BITMIME
    msg.set_content(text.decode("utf-8"), subtype="plain", charset="utf-8",
                    cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html.decode("utf-8"), subtype="html", charset="utf-8",
                            cte="quoted-printable")
    for fmt, data in files.items():
        maintype, subtype = _MEDIA[fmt]
        msg.add_attachment(data, maintype=maintype, subtype=subtype,
                           filename=f"{release.id}.{formats.get(fmt).extension}")
    msg["Content-Language"] = release.language  # after the parts: set_content clears it
    for n, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        # "=_" never occurs in quoted-printable or base64 text, so no part can hold it
        part.set_boundary(f"=_pressgen_{seal[:32]}_{n}")
    return unfold_lone_values(msg.as_bytes(policy=policy.SMTP))


def unfold_lone_values(raw: bytes) -> bytes:
    """Python's folder puts a value that fits on a line of its own on the line after
    its name (`Subject:` CRLF ` The headline`), which readers show with a leading
    space; join such a value back to its name (the line stays far under 998)."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    return re.sub(rb"(?m)^([A-Za-z-]+):\r\n ", rb"\1: ", head) + sep + body


def message_id(release_id: str, seal: str, sender: str) -> str:
    """`<id.digest@sender's domain>`: the same for the same content, never random."""
    address = mailbox_address(sender) or "pressgen@localhost"
    domain = address.rsplit("@", 1)[1]
    return f"<{release_id.replace('.', '-')}.{seal[:24]}@{domain}>"
