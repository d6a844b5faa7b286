"""Property tests (hypothesis): no input crashes pressgen, and no word of a body is lost.

- The loaders: any value in any field of a release or house file, any text as a
  whole file, any edit of a valid file, gives a Release (or House) or our one
  ReleaseError, never another exception; every problem is one line at a real
  line and column of the file.
- The writers: releases made through YAML (so the loader decides what is valid)
  and straight through the model, with arbitrary Unicode in every field. Each
  writer returns bytes or raises ReleaseError, and every word of the body comes
  back out of the text, the PDF (pypdf) and the DOCX (python-docx).

PRESSGEN_FUZZ_EXAMPLES sets the examples per test: 200 by default, derandomized so
a run is reproducible; `make fuzz` runs 5,000 per test with fresh randomness and
prints what the examples came to.
"""

from __future__ import annotations

import os
import string
import tempfile
import unicodedata
import zipfile
from collections import Counter
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink

from conftest import HOUSE
from factory import sample_release
from pressgen import formats
from pressgen import model as m
from pressgen.embargo import parse_moment
from pressgen.errors import ReleaseError
from pressgen.glyphs import _runs
from pressgen.load import load_house, load_release
from pressgen.resources import Resources
from pressgen.writers import writer

FUZZING = "PRESSGEN_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("PRESSGEN_FUZZ_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not FUZZING,
    database=None if not FUZZING else settings.default.database,
    suppress_health_check=list(HealthCheck),
)
WRITERS = formats.names()  # every registered format


@pytest.fixture(scope="module")
def work():
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def now(house):
    return parse_moment("2026-01-28 12:00", house.tz)


# ---------------------------------------------------------------- characters

def _covered() -> list[str]:
    """Every character the bundled fonts draw, bar the ones the loader refuses."""
    starts, ends = _runs()
    chars = [chr(c) for a, b in zip(starts, ends) for c in range(a, b + 1)]
    return [c for c in chars if unicodedata.category(c) not in ("Cc", "Cs")]


COVERED = _covered()
# a release's words: letters from many scripts, typography, and the characters
# Markdown and markup give a meaning to ...
SAFE = sorted(set(
    string.ascii_letters + string.digits + "àéîõüçñßøåæœłśńżźřőűễŁŚŻĐđŞğİı"
    + "αβγδΩπЖжШщЯяЁё" + "“”‘’–—…€£§°±×÷" + ".,;:!?'\"()-/&<>*_[]#\\{}|=%$@^+"
) | {"\u00ad", "\u200b", "\u0301", "\u00a0"})  # soft hyphen, zero-width space, accent, nbsp
# ... and a few the loader must refuse: no font has them, a bell, inline code marks
RISKY = ["😀", "张", "\a", "`", "~", "\u2028"]
word_chars = st.sampled_from([c for c in SAFE if not c.isspace()])
safe_text = st.text(st.sampled_from(SAFE), min_size=1, max_size=30)
any_text = st.one_of(
    safe_text, safe_text, safe_text,
    st.text(st.sampled_from(COVERED), min_size=1, max_size=30),
    st.text(st.sampled_from(SAFE + RISKY), min_size=1, max_size=30),
    st.text(max_size=20),  # any code point at all
)
words = st.text(word_chars, min_size=1, max_size=10)


# ---------------------------------------------------------------- releases as YAML

@st.composite
def inline_markdown(draw) -> str:
    out = []
    for word in draw(st.lists(words, min_size=1, max_size=8)):
        form = draw(st.sampled_from(["{}"] * 6 + ["**{}**", "*{}*", "[{}](https://example.org/{})"]))
        out.append(form.format(word, word))
    return " ".join(out)


@st.composite
def body_markdown(draw) -> str:
    blocks = []
    for kind in draw(st.lists(st.sampled_from(["p", "p", "p", "h", "ul", "ol", "quote", "break"]),
                              min_size=1, max_size=6)):
        line = draw(inline_markdown())
        if kind == "p":
            blocks.append(line)
        elif kind == "h":
            blocks.append(draw(st.sampled_from(["## ", "### "])) + line)
        elif kind == "ul":
            items = [f"- {draw(inline_markdown())}" for _ in range(draw(st.integers(1, 3)))]
            if draw(st.booleans()):
                items.append(f"  - {draw(inline_markdown())}")
            blocks.append("\n".join(items))
        elif kind == "ol":
            blocks.append("\n".join(f"{n}. {draw(inline_markdown())}"
                                    for n in range(1, draw(st.integers(1, 3)) + 1)))
        elif kind == "quote":
            blocks.append(f"> {line}")
        else:
            blocks.append(f"{line}\\\n{draw(inline_markdown())}")
    return "\n\n".join(blocks)


any_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=6)
moments = st.one_of(
    st.builds("2026-01-{:02d} {:02d}:{:02d}".format, st.integers(1, 31), st.integers(0, 23),
              st.integers(0, 59)),
    st.sampled_from(["2026-01-29T00:01+00:00", "2026-01-29T00:01Z", "2026-03-29 01:30",
                     "2026-10-25 01:30", "0001-01-01T00:00+14:00"]),
    any_text)
emails = st.builds("{}@{}.org".format, st.text(st.sampled_from(string.ascii_lowercase + "ëø._-"),
                                               min_size=1, max_size=8),
                   st.text(st.sampled_from(string.ascii_lowercase), min_size=1, max_size=8))
inline_contact = st.fixed_dictionaries(
    {"name": any_text},
    optional={"role": any_text, "email": st.one_of(emails, any_text),
              "phone": st.one_of(st.just("07523 805224"), any_text)})


def release_fields(value=None):
    """A release's keys, each of the right shape with any text in it, and an unknown
    key now and then; with `value`, any field may hold any YAML value instead."""
    def field(strategy):
        return strategy if value is None else st.one_of(strategy, strategy, value)

    return st.fixed_dictionaries(
        {"headline": field(any_text),
         "date": field(st.one_of(st.just("2026-01-29"), st.dates().map(str), any_text)),
         "body": field(st.one_of(body_markdown(), body_markdown(), body_markdown(), any_text)),
         "contacts": field(st.one_of(st.just(["press-office"]),
                                     st.lists(st.one_of(st.just("press-office"), inline_contact,
                                                        any_text), min_size=1, max_size=2)))},
        optional={"summary": field(any_text), "location": field(any_text),
                  "embargo": field(moments),
                  "status": field(st.sampled_from(["draft", "final", "no", "Final"])),
                  "notes": field(st.lists(inline_markdown(), max_size=3)),
                  "standard_notes": field(st.lists(st.sampled_from(["about", "ratings", "pdus",
                                                                    "rating"]), max_size=3)),
                  "embagro": any_text})


def likely_release():
    """A release that is valid more often than not, with any text in its fields:
    what the writers are given after the loader has had its say."""
    return st.fixed_dictionaries(
        {"headline": any_text, "date": st.just("2026-01-29"), "body": body_markdown(),
         "contacts": st.one_of(st.just(["press-office"]),
                               st.lists(st.fixed_dictionaries({"name": any_text, "email": emails},
                                                              optional={"role": any_text}),
                                        min_size=1, max_size=2))},
        optional={"summary": any_text, "location": any_text,
                  "embargo": st.builds("2026-01-{:02d} {:02d}:{:02d}".format, st.integers(20, 29),
                                       st.integers(0, 23), st.integers(0, 59)),
                  "status": st.sampled_from(["draft", "final"]),
                  "notes": st.lists(inline_markdown(), max_size=3),
                  "standard_notes": st.lists(st.sampled_from(["about", "ratings", "pdus"]),
                                             max_size=3)})


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # never write anchors (the loader refuses them)
        return True


def _str(dumper, text):
    style = "|" if "\n" in text and text.strip() == text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=60)


# ---------------------------------------------------------------- the loader never crashes

def assert_well_placed(exc: ReleaseError, text: str) -> None:
    lines = text.count("\n") + 2
    assert exc.problems
    for problem in exc.problems:
        assert 1 <= problem.line <= lines and problem.column >= 1, problem
        assert "\n" not in str(problem) and problem.message, problem


def load_text(work: Path, house, data: bytes | str, name: str = "release.yaml"):
    path = work / name
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    try:
        return load_release(path, house, now(house))
    except ReleaseError as exc:
        assert_well_placed(exc, data if isinstance(data, str) else data.decode("utf-8", "replace"))
        return exc


def test_loader_takes_any_value_in_any_field(house, work):
    @SETTINGS
    @given(release_fields(any_value))
    def check(fields):
        load_text(work, house, to_yaml(fields))

    check()


def test_loader_takes_any_file(house, work):
    @SETTINGS
    @given(st.one_of(st.text(), st.binary(),
                     st.text(st.sampled_from(SAFE + RISKY + ["\n", " ", ":", "-", "\t"]))))
    def check(data):
        load_text(work, house, data)

    check()


def test_loader_takes_any_edit_of_a_valid_file(house, work):
    @SETTINGS
    @given(release_fields(), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 3),
                                                st.text(st.sampled_from(SAFE + RISKY + list("\n\t :-[]{}&*!|>'\"#")),
                                                        max_size=3)), min_size=1, max_size=4))
    def check(fields, edits):
        text = to_yaml(fields)
        for at, cut, insert in edits:
            at %= len(text) + 1
            text = text[:at] + insert + text[at + cut:]
        load_text(work, house, text)

    check()


def test_house_loader_takes_any_value_in_any_field(work):
    house_fields = st.fixed_dictionaries(
        {"organisation": st.one_of(st.fixed_dictionaries({"name": any_text},
                                                         optional={"website": any_text}),
                                   any_value),
         "timezone": st.one_of(st.sampled_from(["Europe/London", "Pacific/Kiritimati",
                                                "America/St_Johns", "UTC"]), any_text),
         "contacts": st.one_of(st.dictionaries(st.one_of(st.just("press-office"), any_text),
                                               inline_contact, min_size=1, max_size=2),
                               any_value)},
        optional={"language": any_text, "paper": st.sampled_from(["a4", "letter", "A4"]),
                  "reference_docx": any_text,
                  "notes": st.dictionaries(any_text, st.fixed_dictionaries(
                      {"text": any_text}, optional={"always": any_value}), max_size=2)})

    @SETTINGS
    @given(house_fields)
    def check(fields):
        text = to_yaml(fields)
        path = work / "house.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_house(path)
        except ReleaseError as exc:
            assert_well_placed(exc, text)

    check()


# ---------------------------------------------------------------- releases as the model

model_text = st.text(st.sampled_from(COVERED), min_size=1, max_size=25)
model_inline = st.recursive(
    st.builds(m.Text, model_text) | st.just(m.LineBreak()),
    lambda inner: st.one_of(
        st.builds(m.Strong, st.lists(inner, min_size=1, max_size=3).map(tuple)),
        st.builds(m.Emphasis, st.lists(inner, min_size=1, max_size=3).map(tuple)),
        st.builds(m.Link, st.one_of(st.just("https://example.org/a?b=1&c=2"),
                                    model_text.map(normalizeLink)),
                  st.lists(inner, min_size=1, max_size=3).map(tuple))),
    max_leaves=6)
inlines = st.lists(model_inline, min_size=1, max_size=5).map(tuple)
paragraph = st.builds(m.Paragraph, inlines)


def _list_of(item_blocks):
    items = st.lists(st.builds(m.ListItem, item_blocks), min_size=1, max_size=3).map(tuple)
    return st.one_of(st.builds(m.BulletList, items),
                     st.builds(m.NumberedList, st.integers(0, 999_999_999), items))


inner_list = _list_of(st.lists(paragraph, min_size=1, max_size=2).map(tuple))
outer_list = _list_of(st.tuples(paragraph) | st.tuples(paragraph, inner_list))
block = st.one_of(paragraph, paragraph, st.builds(m.Heading, st.sampled_from([2, 3]), inlines),
                  outer_list,
                  st.builds(m.Quote, st.lists(st.one_of(paragraph, outer_list), min_size=1,
                                              max_size=2).map(tuple)))
phones = st.just(()) | model_text.map(lambda t: (m.Phone(t, "tel:+441234567890"),))
contacts = st.builds(m.Contact, model_text, st.none() | model_text, phones,
                     st.none() | st.builds("{}@example.org".format, model_text.filter(
                         lambda t: not set(t) & set('@ <>()[],;:"') and not t.isspace())))


@st.composite
def model_release(draw) -> m.Release:
    embargoed = draw(st.booleans())
    return sample_release(
        headline=draw(model_text), summary=draw(st.none() | model_text),
        location=draw(st.none() | model_text), draft=draw(st.booleans()),
        embargoed=embargoed,
        release_line=sample_release().release_line if embargoed else m.IMMEDIATE,
        body=tuple(draw(st.lists(block, min_size=1, max_size=6))),
        notes=tuple(m.Note(n) for n in draw(st.lists(inlines, max_size=3))),
        contacts=tuple(draw(st.lists(contacts, min_size=1, max_size=2))),
        paper=draw(st.sampled_from(["a4", "letter"])),
        language=draw(st.sampled_from(["en-GB", "cy-GB", "fr"])),
    )


# ---------------------------------------------------------------- every word comes back

def body_words(release: m.Release, fmt: str) -> list[str]:
    """The body's words as a reader sees them: in the text output a link's URL follows
    its text (as the writer spells it); a soft hyphen may become a visible hyphen at
    the end of a line, so it may part a word."""
    from pressgen.writers.text import inline_text

    spell = inline_text if fmt in ("txt", "eml") else m.plain_text  # eml: its text part
    texts: list[str] = []

    def walk(blocks):
        for node in blocks:
            if isinstance(node, (m.Paragraph, m.Heading)):
                texts.append(spell(node.inlines))
            elif isinstance(node, m.Quote):
                walk(node.blocks)
            else:
                for item in node.items:
                    walk(item.blocks)

    walk(release.body)
    return " ".join(texts).replace("\u00ad", " ").split()


def squash(text: str) -> str:
    """Text's letters as a reader finds them, whatever the layout: no spaces, line
    breaks or invisible format characters (soft hyphens, zero-width spaces), and no
    accents (they are counted apart, in `marks`: an output may compose them with
    their letter, and Unicode reorders marks that meet across a word's end)."""
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not c.isspace() and not _invisible_or_mark(c))


def marks(text: str) -> Counter:
    """How many of each combining mark `text` holds, once decomposed."""
    return Counter(c for c in unicodedata.normalize("NFD", text) if unicodedata.combining(c)
                   or unicodedata.category(c).startswith("M"))


def _invisible_or_mark(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or unicodedata.category(char).startswith("M")


def extract(fmt: str, data: bytes) -> str:
    if fmt == "txt":
        return data.decode("utf-8")
    if fmt == "eml":  # the message's text part (its attachments are the PDF's bytes)
        from email import message_from_bytes, policy

        return message_from_bytes(data, policy=policy.SMTP).get_body(("plain",)).get_content()
    if fmt == "html":
        return html_text(data.decode("utf-8"))
    if fmt == "pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(BytesIO(data))
    text, br = qn("w:t"), (qn("w:br"), qn("w:cr"), qn("w:tab"))
    return "\n".join("".join(e.text or "" if e.tag == text else "\n" if e.tag in br else ""
                             for e in p.iter()) for p in document.element.body.iter(qn("w:p")))


def html_text(markup: str) -> str:
    """What a browser shows of a page: its text outside <head>, entities decoded."""
    from html.parser import HTMLParser

    class Visible(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.hidden = 0

        def handle_starttag(self, tag, attrs):
            self.hidden += tag in ("head", "style")
            if tag == "br":
                self.parts.append("\n")

        def handle_endtag(self, tag):
            self.hidden -= tag in ("head", "style")

        def handle_data(self, data):
            if not self.hidden:
                self.parts.append(data)

    parser = Visible()
    parser.feed(markup)
    return "".join(parser.parts)


def _report(fmt: str, outcomes: Counter) -> None:
    total = sum(outcomes.values())
    parts = ", ".join(f"{n} {what}" for what, n in outcomes.most_common())
    print(f"\n{fmt}: {total} examples: {parts}")


@pytest.mark.parametrize("fmt", WRITERS)
def test_writer_returns_bytes_or_our_error_and_keeps_every_word(fmt, house, work, capsys):
    outcomes: Counter = Counter()
    render = writer(fmt)
    # a format made of others (the eml) renders them all each time: a fifth of the
    # examples in the suite, as many as the others when fuzzing
    composed = bool(formats.get(fmt).composes) and not FUZZING

    @settings(SETTINGS, max_examples=max(EXAMPLES // 5, 1) if composed else EXAMPLES)
    @given(st.one_of(likely_release().map(to_yaml), model_release()))
    def check(case):
        if isinstance(case, str):
            release = load_text(work, house, case, f"fuzz-{fmt}.yaml")
            if isinstance(release, ReleaseError):
                outcomes["refused by the loader"] += 1
                return
            source = "YAML"
        else:
            release, source = case, "model"
        if release.email is None:  # the eml writer needs the house's `email:` sender
            release = replace(release, email=m.EmailSettings("Press <press@example.org>"))
        try:
            data = render(release, Resources(house.templates))
        except ReleaseError:
            outcomes[f"refused by the writer ({source})"] += 1
            return
        text = extract(fmt, data)
        letters = squash(text)
        body = body_words(release, fmt)
        lost = [w for w in body if squash(w) not in letters]
        assert not lost, f"{fmt} lost {lost[:5]}"
        assert not marks(" ".join(body)) - marks(text), f"{fmt} lost accents"
        outcomes[f"rendered from {source}"] += 1

    check()
    with capsys.disabled():
        _report(fmt, outcomes)
    rendered = sum(n for what, n in outcomes.items() if what.startswith("rendered"))
    assert rendered >= 0.4 * sum(outcomes.values()), outcomes
