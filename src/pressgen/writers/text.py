"""The plain-text writer: UTF-8 for email and the wire, through a Jinja2 template.

The template (`release.txt.j2`, house folder first) arranges the sections; this
module lays out the body (lists, quotes, headings) and wraps at 72 columns.
Release strings are only ever values in the template, never template source, so
`{{ }}` in a release prints as written. The template itself is the user's to edit
and may come with a project from anywhere, so it runs in Jinja's sandbox: it can
read the release's fields and call our filters, but `{{ ''.__class__.__mro__ }}`
and the like are refused, as an error at the template's line.
"""

from __future__ import annotations

import textwrap
import traceback
from functools import lru_cache
from pathlib import Path
from typing import Iterable, assert_never

import jinja2
import jinja2.sandbox

from pressgen.errors import ReleaseError, excerpt
from pressgen.model import (
    Block, BulletList, Heading, Inline, Link, NumberedList, Paragraph, Quote, Release,
    plain_text,
)
from pressgen.resources import Resources

WIDTH = 72
NARROWEST = 0.6  # of WIDTH: how narrow a balanced line may get
BALANCED_LINES = 8  # a longer text is not balanced (not a headline; not worth the tries)
TEMPLATE = "release.txt.j2"


def render(release: Release, resources: Resources) -> bytes:
    path = resources.template_path(TEMPLATE)
    template = _template(resources.template(TEMPLATE), str(path))
    try:
        parts = [release] + ([release.translation] if release.translation else [])
        text = template.render(
            release=release, parts=parts, body=body_text(release.body),
            translation_body=body_text(release.translation.body) if release.translation else "")
    except jinja2.sandbox.SecurityError as exc:
        raise ReleaseError.at(path, _template_line(exc, path), 1,
                              f"the text template tried something not allowed ({excerpt(exc, 120)}); "
                              "a template may use the release's fields and the filters wrap, "
                              "inline and pad, not Python's internals") from None
    except jinja2.TemplateError as exc:
        raise ReleaseError.at(path, _template_line(exc, path), 1,
                              f"the text template failed: {excerpt(exc, 200)}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:  # `{{ 1/0 }}`, a huge range
        raise ReleaseError.at(path, _template_line(exc, path), 1, "the text template failed: "
                              f"{type(exc).__name__}: {excerpt(exc, 200)}") from None
    lines = within_columns(line.rstrip() for line in text.split("\n"))
    return ("\n".join(lines).strip("\n") + "\n").encode("utf-8")


def within_columns(lines: Iterable[str], width: int = WIDTH) -> list[str]:
    """Every line within `width` columns (spec §8.7), whatever the template
    printed unwrapped (a long organisation name, a contact's name and role):
    a longer line is wrapped at its own indent, balanced. A URL or a single
    word longer than the width stays whole on a line of its own."""
    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[:len(line) - len(line.lstrip())]
        out += wrap(line.lstrip(), width, indent=indent, balance=True).split("\n")
    return out


def _template_line(exc: Exception, path: Path) -> int:
    """The template's line an error happened at: Jinja gives a syntax error's line,
    and puts the template's own lines into the traceback of an error while rendering."""
    line = getattr(exc, "lineno", None)
    for frame, frame_line in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == str(path):
            line = frame_line
    return line or 1


@lru_cache(maxsize=8)
def _template(source: bytes, path: str) -> jinja2.Template:
    """The template compiled once per process for each text it has (and its place,
    which its errors name)."""
    env = jinja2.sandbox.SandboxedEnvironment(
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(wrap=wrap, inline=inline_text, pad=lambda s, n: s.ljust(n))
    try:
        # compiled under the file's name, so an error while rendering names its line
        code = env.compile(source.decode("utf-8"), name=Path(path).name, filename=path)
        return env.template_class.from_code(env, code, env.make_globals(None))
    except jinja2.TemplateSyntaxError as exc:
        raise ReleaseError.at(Path(path), exc.lineno or 1, 1,
                              f"the text template is broken: {exc.message}") from None
    except UnicodeDecodeError:
        raise ReleaseError.at(Path(path), 1, 1, "the text template is not valid UTF-8; save it "
                              "as UTF-8") from None


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
            if (not balance or not 2 <= len(lines) <= BALANCED_LINES
                    or len(lines[-1][len(indent):].split()) > 1):
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


def body_text(blocks: tuple[Block, ...]) -> str:
    """The body as wrapped text (its dateline, placed by the loader, opens it)."""
    return "\n\n".join(_block(b, "") for b in blocks)


def _block(block: Block, indent: str) -> str:
    match block:
        case Paragraph() | Heading():
            return wrap(inline_text(block.inlines), indent=indent)
        case Quote():
            return "\n\n".join(_block(b, indent + "    ") for b in block.blocks)
        case BulletList() | NumberedList():
            return _list(block, indent)
        case _:
            assert_never(block)


def _list(block: BulletList | NumberedList, indent: str) -> str:
    numbered = isinstance(block, NumberedList)
    items = []
    for n, item in enumerate(block.items, start=block.start if numbered else 1):
        marker = f"{n}." if numbered else "-"
        inner = indent + " " * (len(marker) + 1)
        parts = [_block(b, inner) for b in item.blocks] or [""]
        parts[0] = indent + marker + " " + parts[0][len(inner):]
        items.append("\n".join(parts))
    return "\n".join(items)
