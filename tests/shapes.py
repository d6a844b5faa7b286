"""Releases of pathological shape, each just under the loader's 1 MB cap.

A release of ordinary shape (a few paragraphs, a few notes) says nothing about
the cost of a writer that is quadratic somewhere: these do. Each shape is the
one thing a release has a lot of (one paragraph, notes, list items, headings,
links, emphasis runs, line breaks, contacts, nesting), as much of it as fits in
1 MB. tests/test_shapes.py builds each through every writer under a generous
ceiling; bench/shapes.py times each.
"""

from __future__ import annotations

import random
from typing import Callable

CAP = 1_000_000
TARGET = 960_000  # room for the keys around the body

HEAD = """\
headline: A release of unusual shape
date: 2026-01-29
embargo: 2026-01-29 00:01
status: final
"""
CONTACTS = "contacts: [press-office]\n"


def _words(rng: random.Random, count: int) -> str:
    vocabulary = ("probation", "inspection", "public", "protection", "region", "cases",
                  "service", "Zoë", "Siân", "Łukasz", "report", "the", "and", "of", "a")
    return " ".join(rng.choice(vocabulary) for _ in range(count))


def _block(body_lines: list[str]) -> str:
    return "body: |\n" + "".join(f"  {line}\n" if line else "\n" for line in body_lines)


def _fill(make_line: Callable[[int], str], budget: int | None = None, joiner: str = "") -> list[str]:
    lines, size, i = [], 0, 0
    budget = TARGET if budget is None else budget
    while size < budget:
        line = make_line(i)
        lines.append(line)
        if joiner:
            lines.append(joiner)
        size += len(line.encode()) + 3 + len(joiner)
        i += 1
    return lines


def one_paragraph(rng: random.Random) -> str:
    """One 1 MB paragraph: PDF must not lay the rest of it out again on every page."""
    words = _words(rng, TARGET // 8)
    lines = [words[i:i + 70] for i in range(0, len(words), 70)]
    return HEAD + _block(lines) + CONTACTS


def one_word(rng: random.Random) -> str:
    """A 'paragraph' of one 1 MB word: nowhere to break a line."""
    return HEAD + "body: " + "x" * TARGET + "\n" + CONTACTS


def notes(rng: random.Random) -> str:
    """30,000 notes to editors: each a numbered paragraph in every output."""
    rows = _fill(lambda i: f"  - Note {i}, {_words(rng, 3)}", TARGET)
    return HEAD + "body: One paragraph.\nnotes:\n" + "\n".join(rows) + "\n" + CONTACTS


def list_items(rng: random.Random) -> str:
    """20,000 bullet items, some with a nested item."""
    return HEAD + _block(_fill(lambda i: f"- item {i} {_words(rng, 5)}" if i % 10 else
                               f"- item {i}\n    - nested {_words(rng, 3)}")) + CONTACTS


def numbered_lists(rng: random.Random) -> str:
    """10,000 numbered lists, each restarting its numbering (a list of its own in DOCX)."""
    return HEAD + _block(_fill(lambda i: f"{i % 7 + 1}. step {_words(rng, 4)}\n\n  Then {i}.\n",
                               joiner="")) + CONTACTS


def headings(rng: random.Random) -> str:
    """10,000 headings, each with a short paragraph: every heading kept with what follows."""
    return HEAD + _block(_fill(lambda i: f"## Heading {i}\n\n  {_words(rng, 8)}",
                               joiner="")) + CONTACTS


def deep_quotes(rng: random.Random) -> str:
    """Block quotes nested as deep as allowed (markdown.QUOTE_DEPTH), line after line."""
    return HEAD + _block(_fill(lambda i: "> " * (1 + i % 3) + _words(rng, 8) + "\n",
                               joiner="")) + CONTACTS


def too_deep_quotes(rng: random.Random) -> str:
    """Block quotes nested 20 deep (markdown-it's limit), line after line: refused."""
    return HEAD + _block(_fill(lambda i: "> " * (1 + i % 20) + _words(rng, 8) + "\n",
                               joiner="")) + CONTACTS


def links(rng: random.Random) -> str:
    """50,000 links in running text: hyperlinks in DOCX, annotations in PDF."""
    return HEAD + _block(_fill(lambda i: f"see [page {i}](https://example.org/p/{i}) and",
                               budget=TARGET)) + CONTACTS


def emphasis(rng: random.Random) -> str:
    """One paragraph of 60,000 bold and italic runs."""
    return HEAD + _block(_fill(lambda i: f"**bold {i}** and *it {i}*")) + CONTACTS


def line_breaks(rng: random.Random) -> str:
    """One paragraph of 60,000 hard line breaks."""
    return HEAD + _block(_fill(lambda i: f"line {i} {_words(rng, 1)}\\")) + CONTACTS


def inline_contacts(rng: random.Random) -> str:
    """10,000 contacts of the release's own."""
    rows = _fill(lambda i: f"  - {{name: Person {i}, role: Press officer, "
                           f"email: p{i}@example.org}}")
    return HEAD + "body: One paragraph.\ncontacts:\n" + "\n".join(rows) + "\n"


def long_headline(rng: random.Random) -> str:
    """A 1 MB headline (and so a 1 MB document title)."""
    return HEAD.replace("A release of unusual shape", _words(rng, TARGET // 8)) + \
        "body: One paragraph.\n" + CONTACTS


SHAPES: dict[str, Callable[[random.Random], str]] = {
    "one-paragraph": one_paragraph,
    "one-word": one_word,
    "notes": notes,
    "list-items": list_items,
    "numbered-lists": numbered_lists,
    "headings": headings,
    "deep-quotes": deep_quotes,
    "too-deep-quotes": too_deep_quotes,
    "links": links,
    "emphasis": emphasis,
    "line-breaks": line_breaks,
    "inline-contacts": inline_contacts,
    "long-headline": long_headline,
}


def shape(name: str, seed: int = 1) -> str:
    """The release text of shape `name`; always under the 1 MB cap."""
    text = SHAPES[name](random.Random(seed))
    assert len(text.encode()) <= CAP, (name, len(text.encode()))
    return text
