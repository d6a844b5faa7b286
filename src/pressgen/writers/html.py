"""The HTML writer: a standalone, accessible HTML5 page of one release (spec §10).

The page is laid out by a Jinja2 template (`release.html.j2`, house folder
first) in a sandboxed environment with autoescape on, so every string of a
release is text: `<script>` in a headline prints as the characters it is. The
body is turned into markup here, node by node, from the model's blocks and
inlines (each text escaped as it is written, never marked safe), with an
exhaustive `match` so a new node type cannot vanish silently.

`render` is the `--format html` output (`DIR/<id>.html`, the PDF and DOCX
beside it linked); `render_page` is the same page with what the newsroom adds
(its canonical address, Open Graph tags, a way back to the index, `noindex`
on a preview). Every fixed word comes from the release's `Words`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, assert_never

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from pressgen.errors import ReleaseError
from pressgen.model import (
    Block, BulletList, Contact, Dateline, Emphasis, Heading, Inline, LineBreak, Link, NumberedList,
    Paragraph, Quote, Release, Strong, Text, plain_text,
)
from pressgen.resources import Resources

TEMPLATE = "release.html.j2"
STYLESHEET = "newsroom.css"


@dataclass(frozen=True)
class Download:
    """A file offered beside the page: its link text (a word) and its address."""

    label: str
    href: str


@dataclass(frozen=True)
class PageSite:
    """What the newsroom adds to a release page; None for `--format html`."""

    url: str  # the page's own absolute address (canonical, og:url)
    index_href: str  # the way back to the newsroom's index, relative
    site_name: str  # the newsroom's name for og:site_name
    noindex: bool = False  # a preview: search engines must not list it


def render(release: Release, resources: Resources) -> bytes:
    """`DIR/<id>.html`: the page, with the PDF and DOCX of the same build beside it."""
    return render_page(release, resources, downloads_of(release))


def downloads_of(release: Release) -> tuple[Download, ...]:
    """The PDF and DOCX, linked by their file names (beside the page in DIR and in
    each page's folder of the site alike)."""
    return (Download(release.words.download_pdf, f"{release.id}.pdf"),
            Download(release.words.download_docx, f"{release.id}.docx"))


def render_page(release: Release, resources: Resources, downloads: tuple[Download, ...],
                site: PageSite | None = None) -> bytes:
    return page_from_template(
        resources, TEMPLATE, "HTML",
        release=release, words=release.words, body=body_html(release),
        notes=tuple(inlines_html(n.inlines) for n in release.notes),
        translation=release.translation,
        translation_body=blocks_html(release.translation.body) if release.translation else "",
        translation_notes=tuple(inlines_html(n.inlines) for n in release.translation.notes)
        if release.translation else (),
        contacts=tuple(contact_lines(c, release) for c in release.contacts),
        downloads=downloads, site=site,
        description=release.summary or first_sentence_text(release))


def page_from_template(resources: Resources, name: str, what: str, **values: object) -> bytes:
    """A page from the HTML template `name` (house folder first) and `values`, with the
    stylesheet inlined (a standalone page needs no second request); blank lines and
    trailing spaces dropped. Also the newsroom's index (site_pages.py)."""
    path = resources.template_path(name)
    template = _template(resources.template(name), str(path))
    css = resources.template(STYLESHEET).decode("utf-8", "replace")
    try:
        page = template.render(stylesheet=Markup(css.replace("</", "<\\/")), **values)
    except jinja2.TemplateError as exc:  # a sandbox refusal (SecurityError) included
        raise ReleaseError.at(path, getattr(exc, "lineno", 1) or 1, 1,
                              f"the {what} template failed: {exc}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:  # `{{ 1/0 }}`
        raise ReleaseError.at(path, 1, 1, f"the {what} template failed: "
                              f"{type(exc).__name__}: {exc}") from None
    lines = (line.rstrip() for line in page.split("\n"))
    return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")


@lru_cache(maxsize=8)
def _template(source: bytes, path: str) -> jinja2.Template:
    """Compiled once per process per template text. Sandboxed: a template edited by
    a user can print the model, never reach Python beyond it."""
    env = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True)
    try:
        return env.from_string(source.decode("utf-8"))
    except jinja2.TemplateSyntaxError as exc:
        raise ReleaseError.at(path, exc.lineno or 1, 1,
                              f"the HTML template is broken: {exc.message}") from None
    except UnicodeDecodeError as exc:
        raise ReleaseError.at(path, 1, 1, f"cannot read the HTML template: {exc}") from None


# ---------------------------------------------------------------- blocks and inlines


def body_html(release: Release) -> Markup:
    """The body as markup; the loader has placed the dateline in it."""
    return blocks_html(release.body)


def blocks_html(blocks: tuple[Block, ...]) -> Markup:
    return Markup("\n").join(block_html(block) for block in blocks)


def block_html(block: Block) -> Markup:
    match block:
        case Paragraph(inlines=inlines):
            return Markup("<p>{}</p>").format(inlines_html(inlines))
        case Heading(level=level, inlines=inlines):
            # the headline is the page's one h1; body headings sit below it
            return Markup("<h{0}>{1}</h{0}>").format(int(level), inlines_html(inlines))
        case BulletList(items=items):
            return Markup("<ul>\n{}\n</ul>").format(_items(items))
        case NumberedList(start=start, items=items):
            opening = Markup("<ol>") if start == 1 else \
                Markup('<ol start="{}">').format(int(start))
            return opening + Markup("\n{}\n</ol>").format(_items(items))
        case Quote(blocks=inner):
            return Markup("<blockquote>\n{}\n</blockquote>").format(
                Markup("\n").join(block_html(b) for b in inner))
        case _:
            assert_never(block)


def _items(items: Iterable) -> Markup:
    return Markup("\n").join(
        Markup("<li>{}</li>").format(Markup("\n").join(block_html(b) for b in item.blocks))
        for item in items)


def inlines_html(inlines: tuple[Inline, ...]) -> Markup:
    return Markup("").join(inline_html(node) for node in inlines)


def inline_html(node: Inline) -> Markup:
    match node:
        case Text(text=text):
            return escape(text)
        case Strong(children=children):
            return Markup("<strong>{}</strong>").format(inlines_html(children))
        case Emphasis(children=children):
            return Markup("<em>{}</em>").format(inlines_html(children))
        case Link(href=href, children=children):
            # the address exactly as written; escaping only makes it an attribute
            return Markup('<a href="{}">{}</a>').format(href, inlines_html(children))
        case LineBreak():
            return Markup("<br>")
        case Dateline(text=text, separator=separator):
            return Markup('<span class="dateline">{}</span>{}').format(text, separator)
        case _:
            assert_never(node)


# ---------------------------------------------------------------- contacts and text


@dataclass(frozen=True)
class ContactLine:
    """One way to reach a contact: its label (a word), the text and its link."""

    label: str
    text: str
    href: str


def contact_lines(contact: Contact, release: Release) -> tuple[Contact, tuple[ContactLine, ...]]:
    """Each phone (its label in brackets) as a tel: link, then the email as mailto:."""
    words = release.words
    lines = [ContactLine(f"{words.phone} ({phone.label})" if phone.label else words.phone,
                         phone.text, phone.tel) for phone in contact.phones]
    if contact.email:
        lines.append(ContactLine(words.email, contact.email, f"mailto:{contact.email}"))
    return contact, tuple(lines)


def first_sentence_text(release: Release) -> str:
    """A description for search results and link previews when there is no
    summary: the body's first paragraph as plain text, cut at about 200 characters."""
    para = next((b for b in release.body if isinstance(b, Paragraph)), None)
    text = " ".join(plain_text(para.inlines).split()) if para else release.headline
    return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"
