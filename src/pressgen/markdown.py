"""Markdown from a release into model blocks and inlines (spec §5).

markdown-it-py is started from its empty preset with an explicit list of rules.
Rules for constructs we refuse (tables, images, code, rules) are switched on too,
so that each is found and reported at its line instead of passing as odd text.
Raw HTML is recognised only so that it can be printed as the literal text it is
(`<b>` stays `<b>`, its quotes straight); entities stay off, so `&amp;` is printed
as written. Bare URLs and emails are linkified so the typographer leaves them
exactly as written.

Every link is checked here, at its line (see links.py): only http, https, mailto
and tel targets are clickable, and link text that is an address must lead there.
markdown-it's own filter (which silently turns `javascript:` links into plain
text) is switched off so that each refused link is reported instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pressgen.links import (
    CLICKABLE, address_in, link_fault, misleading_text, near_text, normalize_link,
    quick_link_pretest, scheme_of,
)
from pressgen.model import (
    Block, BulletList, Emphasis, Heading, Inline, LineBreak, Link, ListItem, NumberedList,
    Paragraph, Quote, Strong, Text, plain_text,
)

_TYPOGRAPHY = ["replacements", "smartquotes"]
_BLOCK_RULES = ["heading", "lheading", "list", "blockquote", "table", "code", "fence", "hr",
                "reference"]
_INLINE_RULES = ["newline", "escape", "emphasis", "link", "autolink", "linkify", "image",
                 "backticks", "strikethrough"]

_REFUSED_BLOCKS = {
    "table_open": "tables are not supported; write the figures as a list",
    "code_block": "a code block is not supported (a line indented by 4 or more spaces reads "
                  "as code); remove the indentation",
    "fence": "code blocks are not supported; remove the ``` fences",
    "hr": "horizontal rules (---, ***) are not supported; remove the line or use a heading",
}
_REFUSED_INLINES = {
    "image": "images are not supported; remove the ![...](...) or link to the image instead",
    "code_inline": "inline code (`...`) is not supported; remove the backticks",
    "s_open": "strikethrough (~~...~~) is not supported; remove the tildes",
}


@dataclass(frozen=True)
class MarkdownProblem:
    """A construct we refuse, at a line counted from 0 within the Markdown text;
    `near`: text of the construct to look for on that line, for the column."""

    line: int
    message: str
    near: str = ""


class MarkdownError(ValueError):
    def __init__(self, problems: list[MarkdownProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


@cache
def _parser(kind: str) -> MarkdownIt:
    # html=True makes raw HTML its own tokens, which we print literally (never render),
    # so the typographer and linkify leave the tag text alone.
    opts = {"typographer": True, "html": True, "linkify": True}
    md = MarkdownIt("zero", opts)
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # links.py decides, and says so
    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    md.enable(_TYPOGRAPHY)
    md.enable(["linkify", "html_inline"])
    quick_link_pretest(md)
    if kind == "plain":  # headline, summary, roles: quotes and dashes only
        return md
    md.enable(_INLINE_RULES)
    if kind == "body":
        md.enable(_BLOCK_RULES + ["html_block"])
    return md


def parse_body(text: str) -> tuple[Block, ...]:
    """The body's blocks; every refused construct is reported, each at its line."""
    tokens = _parser("body").parse(text)
    problems: list[MarkdownProblem] = []
    blocks, _ = _blocks(tokens, 0, None, problems, depth=0)
    if problems:
        raise MarkdownError(problems)
    return tuple(blocks)


def parse_inline(text: str) -> tuple[Inline, ...]:
    """One paragraph of inline Markdown (notes to editors)."""
    problems: list[MarkdownProblem] = []
    tokens = _parser("inline").parseInline(text)
    inlines = _inlines(tokens[0].children or [], 0, problems) if tokens else ()
    if problems:
        raise MarkdownError(problems)
    return inlines


def typographic(text: str) -> str:
    """Plain text with straight quotes curled and -- / --- made dashes; URLs untouched."""
    tokens = _parser("plain").parseInline(text)
    out = ""
    for tok in tokens[0].children or []:
        if tok.type == "text":
            out += _curl_leftovers(tok.content, out[-1:] or " ") if tok.content else ""
        elif tok.type == "html_inline":
            out += tok.content
    return out


_OPENERS = " \t\n([{“‘–—/"


def _curl_leftovers(text: str, before: str) -> str:
    """Curl the straight quotes the typographer left because they had no partner.

    markdown-it pairs quotes within one paragraph only, so a quotation running
    over two paragraphs keeps its opening `"` straight; a quote after a space or
    an opening bracket opens, any other closes.
    """
    if '"' not in text and "'" not in text:
        return text
    chars = []
    for ch in text:
        if ch in "\"'":
            opens = before in _OPENERS
            ch = ("“" if opens else "”") if ch == '"' else ("‘" if opens else "’")
        chars.append(ch)
        before = ch
    return "".join(chars)


QUOTE_DEPTH = 3  # a quote in a quote in a quote; each level narrows the PDF's column


def _blocks(tokens: list[Token], i: int, close: str | None, problems: list[MarkdownProblem],
            depth: int, quotes: int = 0) -> tuple[list[Block], int]:
    """Blocks from tokens[i] until the token of type `close`; returns them and the next
    index. `depth`: lists around them; `quotes`: block quotes around them."""
    blocks: list[Block] = []
    while i < len(tokens):
        tok = tokens[i]
        line = tok.map[0] if tok.map else 0
        if tok.type == close:
            return blocks, i + 1
        if tok.type == "paragraph_open":
            blocks.append(Paragraph(_inlines(tokens[i + 1].children or [], line, problems)))
            i += 3
        elif tok.type == "heading_open":
            level = int(tok.tag[1])
            if level not in (2, 3):
                problems.append(MarkdownProblem(line, f"a level-{level} heading is not supported;"
                                                " use ## or ### (the headline is the title)"))
            inlines = _inlines(tokens[i + 1].children or [], line, problems)
            blocks.append(Heading(3 if level > 2 else 2, inlines))  # type: ignore[arg-type]
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            if depth == 2:  # reported once, at the first list too deep, not at every level
                problems.append(MarkdownProblem(line, "lists nest one level only; move this list "
                                                "out to the level above"))
            closing = tok.type.replace("_open", "_close")
            items, i = _items(tokens, i + 1, closing, problems, depth + 1, quotes)
            if tok.type == "bullet_list_open":
                blocks.append(BulletList(items))
            else:
                blocks.append(NumberedList(int(tok.attrGet("start") or 1), items))
        elif tok.type == "html_block":
            blocks.append(Paragraph((Text(tok.content.strip()),)))
            i += 1
        elif tok.type == "blockquote_open":
            if quotes == QUOTE_DEPTH:  # reported once, at the first quote too deep
                problems.append(MarkdownProblem(line, f"block quotes nest {QUOTE_DEPTH} deep at "
                                                "most; take this quote out a level (remove "
                                                "one `>`)"))
            inner, i = _blocks(tokens, i + 1, "blockquote_close", problems, depth, quotes + 1)
            blocks.append(Quote(tuple(inner)))
        else:
            problems.append(MarkdownProblem(line, _REFUSED_BLOCKS.get(
                tok.type, f"`{tok.type}` is not supported in a release")))
            i = _skip(tokens, i)
    return blocks, i


def _items(tokens: list[Token], i: int, close: str, problems: list[MarkdownProblem],
           depth: int, quotes: int = 0) -> tuple[tuple[ListItem, ...], int]:
    items: list[ListItem] = []
    while tokens[i].type != close:
        inner, i = _blocks(tokens, i + 1, "list_item_close", problems, depth, quotes)
        items.append(ListItem(tuple(inner)))
    return tuple(items), i + 1


def _skip(tokens: list[Token], i: int) -> int:
    """The index after a refused block and everything nested inside it."""
    if tokens[i].nesting != 1:
        return i + 1
    level = 1
    while level:
        i += 1
        level += tokens[i].nesting
    return i + 1


def _inlines(children: list[Token], line: int, problems: list[MarkdownProblem]) -> tuple[Inline, ...]:
    """Nested inline nodes from markdown-it's flat open/close token stream.

    `line` is the block's first line; each line break inside it moves on one, so a
    link is reported at its own line. Text is gathered as pieces and joined once
    per run (see `_merged`): adding to a growing string would copy it each time."""
    stack: list[tuple[str, str, list[Inline | str]]] = [("root", "", [])]
    links_open = 0
    for tok in children:
        kind = tok.type
        if kind == "text":
            out = stack[-1][2]
            _append_text(out, tok.content if links_open else _curl_leftovers(tok.content, _last(out)))
        elif kind == "html_inline":
            _append_text(stack[-1][2], tok.content)
            line += tok.content.count("\n")
        elif kind == "softbreak":
            _append_text(stack[-1][2], " ")
            line += 1
        elif kind == "hardbreak":
            stack[-1][2].append(LineBreak())
            line += 1
        elif kind in ("strong_open", "em_open"):
            stack.append((kind, "", []))
        elif kind == "link_open":
            links_open += 1
            stack.append(_open_link(tok, line, problems))
        elif kind in ("strong_close", "em_close", "link_close"):
            opened, href, inner = stack.pop()
            links_open -= kind == "link_close"
            if opened == "as_text":  # a bare address not to be clickable: its text stays
                stack[-1][2].extend(inner)
                continue
            nodes = _merged(inner)
            if opened == "link_open":
                _check_text(href, nodes, line, problems)
            stack[-1][2].append(_close(opened, href, nodes))
        elif kind in _REFUSED_INLINES:
            problems.append(MarkdownProblem(line, _REFUSED_INLINES[kind]))
        elif kind != "s_close":
            problems.append(MarkdownProblem(line, f"`{kind}` is not supported in a release"))
    return _merged(stack[0][2])


def _open_link(tok: Token, line: int,
               problems: list[MarkdownProblem]) -> tuple[str, str, list[Inline | str]]:
    """The stack entry for a link: "link_open" with its target, or "as_text" when a
    bare address found by linkify has a scheme we do not make clickable
    (`ftp://`, `//host`): the writer asked for no link, so its text stays, unlinked."""
    href = str(tok.attrGet("href") or "")
    if tok.markup == "linkify" and scheme_of(href) not in CLICKABLE:
        return ("as_text", href, [])
    fault = link_fault(href)
    if fault:
        problems.append(MarkdownProblem(line, fault, near_text(href, _parser("inline"))))
    return ("link_open", href, [])


def _check_text(href: str, inner: tuple[Inline, ...], line: int,
                problems: list[MarkdownProblem]) -> None:
    label = plain_text(inner)
    fault = misleading_text(label, href, lambda text: address_in(text, _parser("inline")))
    if fault:
        problems.append(MarkdownProblem(line, fault, label.strip()[:40]))


def _last(out: list[Inline | str]) -> str:
    """The character before the next text, for deciding which way a quote faces."""
    for item in reversed(out):  # the last character of the text run at the end, if any
        if not isinstance(item, str):
            break
        if item:
            return item[-1]
    return " " if not out or isinstance(out[-1], LineBreak) else "x"


def _append_text(out: list[Inline | str], text: str) -> None:
    out.append(text)


def _merged(items: list[Inline | str]) -> tuple[Inline, ...]:
    """The nodes of `items`, each run of text pieces joined into one Text."""
    nodes: list[Inline] = []
    run: list[str] = []
    for item in items:
        if isinstance(item, str):
            run.append(item)
            continue
        if run:
            nodes.append(Text("".join(run)))
            run = []
        nodes.append(item)
    if run:
        nodes.append(Text("".join(run)))
    return tuple(nodes)


def _close(opened: str, href: str, inner: tuple[Inline, ...]) -> Inline:
    if opened == "strong_open":
        return Strong(inner)
    if opened == "em_open":
        return Emphasis(inner)
    return Link(href, inner)
