"""Every Block and every Inline of the model renders in every registered format:
none vanishes, none crashes (Sphinx's unknown_visit; the writers' `assert_never`)."""

from __future__ import annotations

import io
from typing import get_args

import pytest

from factory import para, sample_release
from pressgen import formats
from pressgen import model as m
from pressgen.resources import Resources
from pressgen.writers import writer

WORD = "Quixotic"
INLINES = {
    m.Text: m.Text(WORD), m.Strong: m.Strong((m.Text(WORD),)),
    m.Emphasis: m.Emphasis((m.Text(WORD),)),
    m.Link: m.Link("https://example.org/q", (m.Text(WORD),)),
    m.LineBreak: m.LineBreak(), m.Dateline: m.Dateline(WORD, ""),
}
ITEM = m.ListItem((para(WORD),))
BLOCKS = {
    m.Paragraph: para(WORD), m.Heading: m.Heading(2, (m.Text(WORD),)),
    m.BulletList: m.BulletList((ITEM,)), m.NumberedList: m.NumberedList(3, (ITEM,)),
    m.Quote: m.Quote((para(WORD),)),
}


def test_the_cases_cover_every_member_of_each_union():
    assert set(INLINES) == set(get_args(m.Inline))
    assert set(BLOCKS) == set(get_args(m.Block))


def text_of(fmt: str, data: bytes) -> str:
    if fmt == "pdf":
        import pypdf

        return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    if fmt == "docx":
        from docx import Document

        return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    return data.decode("utf-8", "replace")


CASES = [(kind.__name__, (para("Before", node, "after") if kind is not m.LineBreak else
                          para(WORD, node, "after"),))
         for kind, node in INLINES.items()]
CASES += [(kind.__name__, (node,)) for kind, node in BLOCKS.items()]


@pytest.mark.parametrize("fmt", formats.names())
@pytest.mark.parametrize("name, body", CASES, ids=[c[0] for c in CASES])
def test_every_type_renders_in_every_format(fmt, name, body):
    # the eml needs a sender (the house's `email:`); every other format ignores it
    release = sample_release(body=body, location=None, notes=(),
                             email=m.EmailSettings("Press <press@example.org>"))
    data = writer(fmt)(release, Resources())
    assert WORD in text_of(fmt, data), (fmt, name)
