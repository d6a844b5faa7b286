"""Spec §5: the body's Markdown, what it supports and what it refuses, at which line."""

import pytest

from conftest import MINIMAL, problems_of
from pressgen.errors import ReleaseError
from pressgen.markdown import MarkdownError, parse_body, parse_inline, typographic
from pressgen.model import (
    BulletList, Emphasis, Heading, LineBreak, Link, NumberedList, Paragraph, Quote, Strong, Text,
)


def test_supported_constructs_become_model_blocks():
    blocks = parse_body(
        "A **bold** and *italic* [link](https://example.org/x).  \nNext line.\n\n"
        "## Heading two\n\n### Heading three\n\n"
        "- one\n- two\n  - nested\n\n"
        "3. three\n4. four\n\n"
        "> quoted\n")
    para, h2, h3, bullets, numbers, quote = blocks
    assert para == Paragraph((Text("A "), Strong((Text("bold"),)), Text(" and "),
                              Emphasis((Text("italic"),)), Text(" "),
                              Link("https://example.org/x", (Text("link"),)), Text("."),
                              LineBreak(), Text("Next line.")))
    assert h2 == Heading(2, (Text("Heading two"),)) and h3.level == 3
    assert isinstance(bullets, BulletList) and len(bullets.items) == 2
    assert isinstance(bullets.items[1].blocks[1], BulletList)
    assert isinstance(numbers, NumberedList) and numbers.start == 3
    assert isinstance(quote, Quote)


def test_typographer_quotes_and_dashes_but_not_urls_or_emails():
    (para,) = parse_body('"Quoted" -- it\'s --- see https://ex.org/a--b"c or x--y@ex.org')
    text = "".join(n.text if isinstance(n, Text) else n.children[0].text for n in para.inlines)
    assert text.startswith("“Quoted” – it’s — see https://ex.org/a--b")
    assert "x--y@ex.org" in text
    links = [n for n in para.inlines if isinstance(n, Link)]
    assert [link.href for link in links] == ["https://ex.org/a--b", "mailto:x--y@ex.org"]


def test_quotation_over_two_paragraphs_is_curled():
    first, second = parse_body('He said: "One.\n\nTwo."')
    assert first.inlines[0].text.endswith("“One.")
    assert second.inlines[0].text == "Two.”"


def test_raw_html_and_entities_are_literal_text():
    (para,) = parse_body('<b>bold</b> <img src="http://x/y.png"> AT&T &amp; {{ x }} a < b')
    assert para == Paragraph((Text('<b>bold</b> <img src="http://x/y.png"> AT&T &amp; {{ x }} a < b'),))
    (block,) = parse_body('<div class="x">\nhi\n</div>')
    assert block == Paragraph((Text('<div class="x">\nhi\n</div>'),))


def test_unsafe_link_schemes_are_refused_not_hidden():
    # markdown-it alone turns `javascript:` links into plain text, silently; now it is an
    # error, like every scheme that is not http, https, mailto or tel (see test_links.py)
    with pytest.raises(MarkdownError) as info:
        parse_body("[x](javascript:alert(1))")
    assert "a link to `javascript:` is not allowed" in info.value.problems[0].message


@pytest.mark.parametrize("source, words", [
    ("# Title", "level-1 heading"),
    ("#### Deep", "level-4 heading"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "tables are not supported"),
    ("![alt](x.png)", "images are not supported"),
    ("```\ncode\n```", "code blocks are not supported"),
    ("    indented code", "code block is not supported"),
    ("Some `code` here", "inline code"),
    ("---", "horizontal rules"),
    ("~~gone~~", "strikethrough"),
    ("- a\n  - b\n    - c", "nest one level only"),
])
def test_unsupported_constructs_are_refused(source, words):
    with pytest.raises(MarkdownError) as info:
        parse_body(source)
    assert words in info.value.problems[0].message


def test_refused_construct_is_reported_at_its_file_line(write, load):
    path = write(MINIMAL.replace("body: A paragraph.", "body: |\n  Fine.\n\n  ## Ok\n\n  ![x](y.png)\n\n  # Bad"))
    with pytest.raises(ReleaseError) as info:
        load(path)
    assert problems_of(info) == [
        f"{path}:8:3: error: `body`: images are not supported; remove the ![...](...) or link "
        "to the image instead",
        f"{path}:10:3: error: `body`: a level-1 heading is not supported; use ## or ### "
        "(the headline is the title)",
    ]


def test_notes_allow_inline_markup_only():
    assert parse_inline("See *this* [site](https://x.org)") == (
        Text("See "), Emphasis((Text("this"),)), Text(" "), Link("https://x.org", (Text("site"),)))


def test_plain_fields_keep_markup_characters():
    assert typographic("Stars *stay* and <b>tags</b> -- \"quoted\"") == \
        "Stars *stay* and <b>tags</b> – “quoted”"
