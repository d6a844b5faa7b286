"""The plain-text writer: UTF-8 for email and the wire, through a Jinja2 template.

The template (`release.txt.j2`, house folder first) arranges the sections; this
module lays out the body (lists, quotes, headings) and wraps at 72 columns.
Release strings are only ever values in the template, never template source, so
`{{ }}` in a release prints as written.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from typing import Iterable

import jinja2

from pressgen.errors import ReleaseError
from pressgen.model import (
    Block, Heading, Inline, Link, NumberedList, Paragraph, Quote, Release, Text,
    plain_text,
)
from pressgen.resources import Resources

WIDTH = 72
NARROWEST = 0.6  # of WIDTH: how narrow a balanced line may get
TEMPLATE = "release.txt.j2"


def render(release: Release, resources: Resources) -> bytes:
    path = resources.template_path(TEMPLATE)
    template = _template(resources.template(TEMPLATE), str(path))
    try:
        text = template.render(release=release, body=body_text(release))
    except jinja2.TemplateError as exc:
        raise ReleaseError.at(path, getattr(exc, "lineno", 1) or 1, 1,
                              f"the text template failed: {exc}") from None
    lines = within_columns(line.rstrip() for line in text.split("\n"))
    return ("\n".join(lines).strip("\n") + "\n").encode("utf-8")


def within_columns(lines: Iterable[str], width: int = WIDTH) -> list[str]:
    """Every line within `width` columns (spec §8.7), whatever the template
    printed unwrapped (a long organisation name, a contact's name and role):
    a longer line is wrapped at its own indent, balanced. A URL or a single word longer
    than the width stays whole on a line of its own."""
    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[:len(line) - len(line.lstrip())]
        out += wrap(line.lstrip(), width, indent=indent, balance=True).split("\n")
    return out


@lru_cache(maxsize=8)
def _template(source: bytes, path: str) -> jinja2.Template:
    """The template compiled once per process for each text it has (and its place,
    which its errors name)."""
    env = jinja2.Environment(
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(wrap=wrap, inline=inline_text, pad=lambda s, n: s.ljust(n))
    try:
        return env.from_string(source.decode("utf-8"))
    except jinja2.TemplateSyntaxError as exc:
        raise ReleaseError.at(path, exc.lineno or 1, 1,
                              f"the text template is broken: {exc.message}") from None
    except UnicodeDecodeError as exc:
        raise ReleaseError.at(path, 1, 1, f"cannot read the text template: {exc}") from None


def wrap(text: str, width: int = WIDTH, indent: str = "", first: str | None = None,
         balance: bool = False) -> str:
    """Wrap each hard line of `text`; words (and so URLs) are never broken.

    With `balance` (the headline, summary and notes), a hard line that would
    end with one word alone on its last line is wrapped narrower, if a
    narrower measure gives the same number of lines and two words or more on
    the last."""
    out: list[str] = []
    lead = indent if first is None else first
    for hard_line in text.split("\n"):
        lines = _wrapped(hard_line, width, lead, indent)
        for narrower in range(width - 1, int(width * NARROWEST), -1):
            if not balance or len(lines) < 2 or len(lines[-1][len(indent):].split()) > 1:
                break
            tried = _wrapped(hard_line, narrower, lead, indent)
            if len(tried) == len(lines) and len(tried[-1][len(indent):].split()) > 1:
                lines = tried
        out += lines
        lead = indent
    return "\n".join(out)


def _wrapped(line: str, width: int, lead: str, indent: str) -> list[str]:
    return textwrap.wrap(line, width, initial_indent=lead, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [lead.rstrip()]


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """Inline nodes as text: emphasis dropped, a link as `text <url>`."""
    return plain_text(inlines, link=_link_text)


def _link_text(node: Link, label: str) -> str:
    """`text <url>`; a bare URL or email, whose text is its target, only once."""
    return label if label == node.href.removeprefix("mailto:") else f"{label} <{node.href}>"


def body_text(release: Release) -> str:
    """The body as wrapped text, the dateline opening its first top-level paragraph."""
    blocks = list(release.body)
    dateline = release.dateline
    first = next((i for i, b in enumerate(blocks) if isinstance(b, Paragraph)), None)
    if dateline and first is not None:
        para = blocks[first]
        assert isinstance(para, Paragraph)
        blocks[first] = Paragraph((Text(dateline + " "),) + para.inlines)
    elif dateline:
        blocks.insert(0, Paragraph((Text(dateline),)))
    return "\n\n".join(_block(b, "") for b in blocks)


def _block(block: Block, indent: str) -> str:
    if isinstance(block, Paragraph):
        return wrap(inline_text(block.inlines), indent=indent)
    if isinstance(block, Heading):
        return wrap(inline_text(block.inlines), indent=indent)
    if isinstance(block, Quote):
        return "\n\n".join(_block(b, indent + "    ") for b in block.blocks)
    numbered = isinstance(block, NumberedList)
    items = []
    for n, item in enumerate(block.items, start=block.start if numbered else 1):
        marker = f"{n}." if numbered else "-"
        inner = indent + " " * (len(marker) + 1)
        parts = [_block(b, inner) for b in item.blocks] or [""]
        parts[0] = indent + marker + " " + parts[0][len(inner):]
        items.append("\n".join(parts))
    return "\n".join(items)
