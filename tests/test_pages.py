"""Pagination (spec §8.7): no page of the PDF holds only the tail of a release.

Releases of every length from a few lines to five pages (tests/paged.py) are
rendered and read back page by page with pypdf: the last page always holds the
end mark with at least three lines of body before it, and no page ends with a
heading. A few lengths in the suite; PRESSGEN_FUZZ_EXAMPLES (as in `make fuzz`)
sets how many, and any value runs every one of the 300 lengths as well.
"""

from __future__ import annotations

import io
import os
from dataclasses import replace

import pytest
from hypothesis import given, settings, strategies as st
from pypdf import PdfReader

from pressgen import model as m
from pressgen.writers.pdf import build_pdf

from factory import para, sample_release
from paged import last_page_problem, release_of_length

FUZZING = "PRESSGEN_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("PRESSGEN_FUZZ_EXAMPLES", "12"))
LENGTHS = 300


def pages_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not FUZZING, database=None)
@given(length=st.integers(0, LENGTHS - 1), paper=st.sampled_from(["a4", "letter"]),
       draft=st.booleans())
def test_no_last_page_holds_only_the_tail(length, paper, draft):
    release = replace(release_of_length(length), paper=paper, draft=draft)
    assert last_page_problem(pages_of(build_pdf(release)), release) is None


@pytest.mark.skipif(not FUZZING, reason="every length only under PRESSGEN_FUZZ_EXAMPLES")
def test_no_length_leaves_the_tail_alone():
    problems = {}
    for length in range(LENGTHS):
        release = release_of_length(length)
        problem = last_page_problem(pages_of(build_pdf(release)), release)
        if problem:
            problems[length] = problem
    assert problems == {}


def test_a_release_that_fits_one_page_stays_one_page():
    """The seed-sized sample fits one page with its tail: grouping must not push it on."""
    assert len(pages_of(build_pdf(sample_release()))) == 1


def test_a_tail_taller_than_a_page_breaks_between_notes_never_inside_a_contact():
    notes = tuple(m.Note((m.Text(f"Note {n}. " + "Background for editors. " * 12),))
                  for n in range(1, 16))
    contacts = tuple(m.Contact(f"Person {n}", "Press Officer", (m.Phone("020 7946 0000", "tel:+442079460000"),),
                               f"p{n}@example.org") for n in range(1, 9))
    release = sample_release(body=(para("One paragraph of body."),), notes=notes,
                             contacts=contacts)
    pages = pages_of(build_pdf(release))
    assert len(pages) >= 2
    for text in pages:  # each contact's four lines on one page
        for n in range(1, 9):
            if f"Person {n}" in text.split("\n"):
                assert f"p{n}@example.org" in text
    last = pages[-1]
    assert "Note 15." in last and release.contacts_heading in last


def test_a_heading_before_the_last_lines_goes_with_them():
    """A body ending `## Heading` and a two-line paragraph: if those and the tail
    move on, the heading moves too (it never ends a page)."""
    filler = tuple(para(f"Paragraph {n}. " + "Words that fill the page. " * 20)
                   for n in range(1, 10))
    for extra in range(0, 12):
        body = (*filler, para("More. " * (8 * extra + 1)),
                m.Heading(2, (m.Text("Closing heading"),)),
                para("The end of the body, " * 6))
        release = sample_release(body=body)
        assert last_page_problem(pages_of(build_pdf(release)), release) is None, extra


# ---------------------------------------------------------------- headlines set with care

def test_no_headline_ends_with_a_word_alone_on_its_line():
    """Every headline from 4 to 30 words, at A4's measure: the last line holds two
    words or more, the line count as greedy breaking gives it."""
    from pressgen.resources import Resources
    from pressgen.writers._pdf_balance import balance, last_line_words
    from pressgen.writers._pdf_fonts import register_fonts
    from pressgen.writers._pdf_layout import Para
    from pressgen.writers._pdf_styles import styles

    register_fonts(Resources())
    words = ("Minister announces new funding for coastal flood defences across the "
             "south west as storms batter towns in August and September while councils "
             "warn of rising costs for homes and farms").split()
    width = 453.5  # A4 less the margins
    lone = 0
    for count in range(4, len(words) + 1):
        headline = " ".join(words[:count])
        plain = Para(headline, styles().headline)
        plain.wrap(width, 1e6)
        lone += len(plain.blPara.lines) > 1 and last_line_words(plain.blPara) == 1
        para_ = balance(Para(headline, styles().headline), width)
        assert len(para_.blPara.lines) == len(plain.blPara.lines), headline
        if len(para_.blPara.lines) > 1:
            assert last_line_words(para_.blPara) >= 2, headline
    assert lone  # greedy breaking did leave a word alone somewhere: the test can fail
