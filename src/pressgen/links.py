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
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

import mdurl
from markdown_it.common import normalize_url

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


# ---------------------------------------------------------------- markdown-it's side

def normalize_link(url: str) -> str:
    """markdown-it's normalised target, except that one holding an invisible
    character keeps it (percent-encoded) for links.py to refuse: the normal form
    would turn `exa\u202emple.org` into punycode, where it can no longer be seen."""
    if INVISIBLE.search(url):
        return mdurl.encode(url)
    return normalize_url.normalizeLink(url)


# Every link linkify-it can find has a scheme (http: https: ftp: mailto: //), an @,
# a dot before something other than a space, `www.` or `localhost`.
_MAY_LINK = re.compile(r"(?:https?|ftp|mailto):|//|@|\.\S|www\.|localhost", re.IGNORECASE)


def quick_link_pretest(md: Any) -> None:
    """linkify-it's pretest runs a regex of every top-level domain over each
    paragraph, only to decide whether its exact `test` is worth running on the
    paragraph's runs of text. _MAY_LINK makes the same decision (it passes
    everything the pretest passes, and some more, which `test` then turns down)
    for a fraction of the cost, and `test` is skipped where _MAY_LINK finds
    nothing. Same links found; a release's Markdown parsed ~2x faster."""
    test = md.linkify.test
    md.linkify.pretest = lambda text: _MAY_LINK.search(text) is not None
    md.linkify.test = lambda text: _MAY_LINK.search(text) is not None and test(text)


def near_text(href: str, md: Any) -> str:
    """What of a link's target to look for on its line, for the column: its scheme
    as written (`smb:`), else markdown-it's normalised target decoded back."""
    scheme = scheme_of(href)
    if scheme is not None:
        return href[:len(scheme) + 1]
    return md.normalizeLinkText(href)[:40]


def address_in(text: str, md: Any) -> str | None:
    """The normalised address `text` consists of entirely (a URL, a domain such as
    `www.gov.uk`, an email address), as linkify-it finds it; else None."""
    if not text or any(ch.isspace() for ch in text):
        return None
    found = md.linkify.match(text)
    if not found or len(found) != 1 or found[0].index != 0 or found[0].last_index != len(text):
        return None
    return md.normalizeLink(found[0].url)
