"""Which links a release may make clickable, and link text that hides where a link goes.

A press release is opened by journalists in Word and PDF readers, where a click on
`smb://host/share` leaks the reader's Windows credentials, `search-ms:` and
`launch:` open programs, `file:` opens the reader's own files and `javascript:`
runs code. So a link is clickable only to `http`, `https`, `mailto` and `tel`;
any other scheme, and a relative or `#` target (which leads nowhere once the
release is sent, or somewhere the writer did not mean), is an error at its line.

A link whose text is itself an address (`[https://www.gov.uk/](https://evil.example)`,
`[www.gov.uk](...)`, `[press@gov.uk](mailto:...)`) promises the reader a site:
it must lead to that site.
"""

from __future__ import annotations

import re
from typing import Callable
from urllib.parse import unquote, urlsplit

from pressgen.errors import excerpt
from pressgen.text_checks import INVISIBLE

CLICKABLE = ("http", "https", "mailto", "tel")
ALLOWED_WORDS = "a link must go to an http:, https:, mailto: or tel: address"

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_TEL = re.compile(r"\+?[0-9][0-9().-]*(?:;ext=[0-9]+)?")


def scheme_of(href: str) -> str | None:
    """The scheme of `href`, lower-cased (`https`), or None for a relative target."""
    match = _SCHEME.match(href)
    return match[1].lower() if match else None


def link_fault(href: str) -> str | None:
    """What is wrong with a link to `href` (as markdown-it normalised it), or None."""
    shown = excerpt(unquote(href))
    scheme = scheme_of(href)
    if scheme is None:
        return (f"the link `{shown}` is not a full address (a relative or `#` link leads "
                f"nowhere once the release is sent); {ALLOWED_WORDS}, written in full, "
                "e.g. https://example.org/page")
    if scheme not in CLICKABLE:
        return f"a link to `{excerpt(scheme)}:` is not allowed; {ALLOWED_WORDS}"
    if INVISIBLE.search(unquote(href)):
        return (f"the link `{shown}` holds an invisible character, which hides where it "
                "leads; type the address again")
    rest = href[len(scheme) + 1:]
    if scheme in ("http", "https"):
        parts = urlsplit(href)
        if not rest.startswith("//") or not _hostname(href):
            return f"the link `{shown}` names no site; write it as https://example.org/page"
        if "@" in parts.netloc:
            return (f"the link `{shown}` has a name and `@` before its site, which hides where "
                    "it leads; remove the part before the `@`")
    elif scheme == "mailto" and "@" not in rest:
        return f"the link `{shown}` is not an email address; write it as mailto:name@example.org"
    elif scheme == "tel" and not _TEL.fullmatch(unquote(rest).replace(" ", "")):
        return f"the link `{shown}` is not a phone number; write it as tel:+442079460000"
    return None


def misleading_text(label: str, href: str, find_link: Callable[[str], str | None]) -> str | None:
    """The fault when link text that is itself an address names another site (or,
    for an email address, another mailbox) than `href`; `find_link` gives the
    normalised address a text consists of, or None."""
    named = find_link(label.strip().rstrip(".,;:!?)"))
    if named is None:
        return None
    if scheme_of(named) == "mailto":
        if scheme_of(href) == "mailto" and _mailbox(named) == _mailbox(href):
            return None
        promised = "an email address"
    else:
        if _host(named) is not None and _host(named) == _host(href):
            return None
        promised = "a site"
    leads = _host(href) if scheme_of(href) != "mailto" else _mailbox(href)
    return (f"the link's text `{excerpt(label.strip())}` names {promised} but the link "
            f"leads to `{excerpt(leads or unquote(href))}`; make the text say where the link "
            "goes, or link to the address it names")


def _mailbox(href: str) -> str:
    return unquote(href[len("mailto:"):].split("?", 1)[0]).lower()


def _host(href: str) -> str | None:
    """The site an address leads to, as compared: `www.` and case set aside; for an
    email, its domain."""
    scheme = scheme_of(href)
    if scheme in ("http", "https"):
        host = _hostname(href)
    elif scheme == "mailto":
        host = _mailbox(href).rpartition("@")[2]
    else:
        return None
    host = (host or "").lower().rstrip(".")
    return host.removeprefix("www.") or None


def _hostname(href: str) -> str | None:
    try:
        return urlsplit(href).hostname
    except ValueError:  # a malformed port or IPv6 literal
        return None
