"""The one document model every writer reads.

A release is loaded, validated and resolved once (embargo wording, note order,
date text, typographic quotes) into these frozen dataclasses. Writers only walk
them: they never parse YAML or Markdown and never decide wording, so the three
outputs cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Literal, Union, assert_never

# ---------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    """Literal text, already typographic; never markup."""

    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A clickable link; `href` is exactly as written (mailto: for emails)."""

    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph."""


@dataclass(frozen=True)
class Dateline:
    """The dateline (`London, 29 January 2026 –`, `NEW YORK, Jan. 29, 2026 —`), placed
    once by the loader at the start of the body's first top-level paragraph (spec §6,
    §8.3). Writers show `text` set apart (bold), then `separator` as plain text: a
    space before the paragraph's words, nothing when it stands alone."""

    text: str
    separator: str = " "


Inline = Union[Text, Strong, Emphasis, Link, LineBreak, Dateline]

# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    level: Literal[2, 3]
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class ListItem:
    """A list item: paragraphs and at most one level of nested list."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class NumberedList:
    """Numbered from `start`; every list restarts its own numbering."""

    start: int
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class Quote:
    blocks: tuple[Block, ...]


Block = Union[Paragraph, Heading, BulletList, NumberedList, Quote]

# ---------------------------------------------------------------- release


@dataclass(frozen=True)
class Words:
    """Every fixed word of one language, resolved at load from its words file
    (`src/pressgen/words/<tag>.yaml`, overridden key by key from the house folder's
    `words/<tag>.yaml`), as pandoc keeps `data/translations`. Writers and templates
    print these; none holds a fixed word of its own."""

    language: str  # the BCP 47 tag, e.g. "cy"
    embargoed_until: str
    immediate: str
    draft: str
    draft_notice: str
    end_mark: str
    notes_heading: str
    contacts_heading: str
    about: str  # "About {name}"
    page: str  # "Page {page} of {pages}"
    phone: str
    email: str
    media_release: str
    subject_draft: str
    subject_correction: str
    embargoed: str
    published: str
    download_pdf: str
    download_docx: str
    newsroom: str
    latest: str
    feed: str
    skip_to_content: str

    def page_label(self, page: int | str, pages: int | str) -> str:
        """"Page 2 of 5" in this language; the numbers may be field codes' stand-ins."""
        return self.page.replace("{page}", str(page)).replace("{pages}", str(pages))

    def page_pieces(self) -> tuple[str, ...]:
        """The page label cut at its numbers: ("Page ", "{page}", " of ", "{pages}"),
        for a writer that puts live page fields where the numbers go (DOCX)."""
        return tuple(p for p in re.split(r"(\{page\}|\{pages\})", self.page) if p)

    def about_heading(self, name: str) -> str:
        return self.about.replace("{name}", name)


@dataclass(frozen=True)
class Logo:
    """A letterhead logo: where it is and its text alternative. Not its bytes: the
    PDF and DOCX writers read them through `resources` (so the build records the
    file for exactly the outputs that show it), and a logo edited leaves the model,
    and so the text output, unchanged."""

    path: Path
    alt: str


@dataclass(frozen=True)
class Organisation:
    name: str
    website: str | None = None
    lines: tuple[str, ...] = ()  # letterhead lines under the name (spec §8.1)
    logo: Logo | None = None


@dataclass(frozen=True)
class Phone:
    """One phone number: `text` as written, `tel` its link (`tel:+12125550143;ext=12`)."""

    text: str
    tel: str
    label: str | None = None


@dataclass(frozen=True)
class Contact:
    name: str
    role: str | None = None
    phones: tuple[Phone, ...] = ()
    email: str | None = None
    note: str | None = None

    @property
    def phone(self) -> str | None:
        """The first number as written (what a one-phone contact shows)."""
        return self.phones[0].text if self.phones else None


@dataclass(frozen=True)
class Note:
    """One note to editors; its number is its position in `Release.notes` + 1."""

    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class EmailSettings:
    """What the message of a release needs from the house's `email:` (spec §9)."""

    sender: str  # `email.from`: "HMI Probation Press Office <media@example.org>"
    reply_to: str | None = None
    attach: tuple[str, ...] = ("pdf",)  # formats attached, in the registry's names


@dataclass(frozen=True)
class Embargo:
    """When the embargo lifts, already placed in the house time zone."""

    lifts_at: datetime  # aware, in the house zone
    line: str  # "EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026 (19:01 EST, …)"
    zones: tuple[str, ...] = ()  # IANA names of the further zones on the line (§8.4)
    # the lift in the release's language, house zone only: "00:01 GMT, Thursday 29
    # January 2026" (the email subject's, spec §9); empty when not resolved
    moment: str = ""


@dataclass(frozen=True)
class Translation:
    """The release's second language (spec §8.5): its own release line, headline,
    summary, date and body (dateline inside), and its notes to editors."""

    language: str
    words: Words
    release_line: str  # in this language; moment-dependent like Release.release_line
    headline: str
    summary: str | None
    date_text: str
    body: tuple[Block, ...]
    notes: tuple[Note, ...]
    label: str | None = None


@dataclass(frozen=True)
class Release:
    """A release resolved for one build moment.

    `release_line` is the first line of every output: the embargo line while
    embargoed at the build moment, else FOR IMMEDIATE RELEASE.
    """

    id: str
    source: Path
    organisation: Organisation
    headline: str
    summary: str | None
    date: date
    date_text: str  # "29 January 2026"
    embargo: Embargo | None
    embargoed: bool  # at the build moment
    release_line: str
    location: str | None
    draft: bool
    body: tuple[Block, ...]
    notes: tuple[Note, ...]
    contacts: tuple[Contact, ...]
    language: str = "en-GB"
    words: Words = field(default_factory=lambda: default_words())
    paper: Literal["a4", "letter"] = "a4"
    timestamp: datetime = field(default=datetime(2000, 1, 1))  # stored inside outputs
    style: str = "uk"
    end_mark: str | None = "ENDS"  # None: the house prints none (`end_mark: none`)
    label: str | None = None  # above the headline (`MEDIA RELEASE`)
    partners: tuple[Organisation, ...] = ()  # a joint release's, in letterhead order
    translation: Translation | None = None
    contacts_heading: str = "Media enquiries"  # bilingual: both languages, " / "
    email: EmailSettings | None = None  # the house's `email:`, for --format eml (§9)

    @property
    def organisations(self) -> tuple[Organisation, ...]:
        """The letterhead: the organisation, then each partner."""
        return (self.organisation,) + self.partners

    @property
    def dateline(self) -> str | None:
        """The dateline's text as placed in the body, or None."""
        return dateline_of(self.body)

    @property
    def notes_heading(self) -> str:
        return self.words.notes_heading


def default_words() -> Words:
    """British English, the default language (spec §8.2)."""
    from pressgen.words import language_for

    return language_for("en-GB", None).words


IMMEDIATE = "FOR IMMEDIATE RELEASE"


def with_dateline(blocks: tuple[Block, ...], text: str) -> tuple[Block, ...]:
    """`blocks` with the dateline opening the first top-level paragraph (after any
    heading before it), or as a paragraph of its own when there is none."""
    for n, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            opened = Paragraph((Dateline(text),) + block.inlines)
            return blocks[:n] + (opened,) + blocks[n + 1:]
    return (Paragraph((Dateline(text, ""),)),) + blocks


def dateline_of(blocks: tuple[Block, ...]) -> str | None:
    for block in blocks:
        if isinstance(block, Paragraph):
            first = block.inlines[0] if block.inlines else None
            return first.text if isinstance(first, Dateline) else None
    return None


def plain_text(inlines: tuple[Inline, ...],
               link: Callable[[Link, str], str] | None = None) -> str:
    """The visible words of inlines; a link as its text, or as `link(node, text)` makes it."""
    parts: list[str] = []
    for node in inlines:
        match node:
            case Text():
                parts.append(node.text)
            case Dateline():
                parts.append(node.text + node.separator)
            case LineBreak():
                parts.append("\n")
            case Strong() | Emphasis():
                parts.append(plain_text(node.children, link))
            case Link():
                words = plain_text(node.children, link)
                parts.append(link(node, words) if link else words)
            case _:
                assert_never(node)
    return "".join(parts)
