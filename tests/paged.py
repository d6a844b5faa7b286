"""Releases of every length, and what a reader finds on their last page.

`release_of_length(n)` is a release whose body has about 10 + 7n words
(a few lines at n = 0, five A4 pages at n = 300), shaped by `n` alone: long and
short paragraphs, a heading now and then, lists, a quote, 0–3 notes and 1–3
contacts. The pagination property test and bench/pages.py (which adds the
DOCX as LibreOffice lays it out) both use it, so they count the same releases.

`last_page_problem(pages, release)` reads the text of each page (as pypdf
extracts it from the PDF) and says what is wrong with the last page, if
anything: only the tail on it, or fewer than three lines of body before the end
mark; also a page that ends with a heading of the body.
"""

from __future__ import annotations

import random

from pressgen import model as m

from factory import para, sample_release

WORDS = ("inspectors found that work to keep people safe had improved across the "
         "region while staff shortages and high caseloads remained a serious concern "
         "for probation services courts and partners alike").split()
LINE_WORDS = 13  # about one line of 10.5 pt body text at A4's measure


def _sentence(rng: random.Random, words: int) -> str:
    picked = [rng.choice(WORDS) for _ in range(max(1, words))]
    return " ".join(picked).capitalize() + "."


def _body(rng: random.Random, words: int) -> tuple[m.Block, ...]:
    blocks: list[m.Block] = []
    left = words / LINE_WORDS  # in lines
    while left > 0:
        shape = rng.random()
        if shape < 0.08 and blocks:
            blocks.append(m.Heading(rng.choice((2, 3)), (m.Text(_sentence(rng, 3)[:-1]),)))
            left -= 1
        elif shape < 0.16:
            count = rng.randint(2, 4)
            blocks.append(m.BulletList(tuple(
                m.ListItem((para(_sentence(rng, rng.randint(5, 20))),)) for _ in range(count))))
            left -= count
        elif shape < 0.2:
            blocks.append(m.Quote((para(_sentence(rng, rng.randint(15, 40))),)))
            left -= 3
        else:
            size = min(left, rng.choice((1, 2, 3, 4, 5, 6, 8)))
            blocks.append(para(_sentence(rng, round(size * LINE_WORDS) - rng.randint(0, 6))))
            left -= size
    return tuple(blocks)


def release_of_length(n: int) -> m.Release:
    """A release with about 10 + 7n words of body, its shape chosen by `n`."""
    rng = random.Random(n)
    notes = tuple(m.Note((m.Text(_sentence(rng, rng.randint(8, 40))),))
                  for _ in range(rng.randint(0, 3)))
    contacts = tuple(
        m.Contact(f"Contact {k} {rng.choice(WORDS).title()}", "Press Officer",
                  (m.Phone("020 7946 0000", "tel:+442079460000"),), f"press{k}@example.org")
        for k in range(1, rng.randint(1, 3) + 1))
    return sample_release(id=f"length-{n}", body=_body(rng, 10 + 7 * n), notes=notes,
                          contacts=contacts, summary=_sentence(rng, rng.randint(8, 30)))


def headings(release: m.Release) -> set[str]:
    return {m.plain_text(b.inlines) for b in release.body if isinstance(b, m.Heading)}


def last_page_problem(pages: list[str], release: m.Release) -> str | None:
    """What is wrong with how the release ends, in words; None when nothing is.

    `pages` is each page's text, its first line the header (the release line),
    its last the footer. A one-page release is always right."""
    ends = release.end_mark or ""
    for number, text in enumerate(pages[:-1], start=1):
        lines = _content(text)
        if lines and lines[-1] in headings(release):
            return f"page {number} ends with the heading {lines[-1]!r}"
    if len(pages) == 1:
        return None
    last = [line.replace(" ", "") for line in _content(pages[-1])]  # "E N D S" in a DOCX
    if ends not in last:
        return "the last page holds only the tail (no end mark on it)"
    body_lines = last.index(ends)
    if body_lines < 3:
        return f"the last page holds {body_lines} line(s) of body before the end mark"
    return None


def _content(page: str) -> list[str]:
    """A page's lines without its header (release line, DRAFT) and footer."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    lines = lines[1:]  # the release line
    if lines and lines[0] == m.default_words().draft:  # the English DRAFT of paged releases
        lines = lines[1:]
    return lines[:-1]  # the footer
