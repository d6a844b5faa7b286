"""The HTML writer (spec §10): semantic, accessible, escaped, every word from the model."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser

import pytest

from factory import para, sample_release
from pressgen.model import Contact, Phone, Text
from pressgen.resources import Resources
from pressgen.words import language_for
from pressgen.writers.html import PageSite, downloads_of, render, render_page

VOID = {"meta", "link", "br", "img", "hr", "input"}


class Page(HTMLParser):
    """The page as a list of (tag, attributes) and its visible text, nesting checked."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()
        assert self.open == [], f"unclosed: {self.open}"

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (tag, self.open)
        self.open.pop()

    def handle_data(self, data):
        if not self.open or self.open[-1] not in ("style", "title"):
            self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def words(self) -> str:
        return " ".join("".join(self.text).split())


def page_of(release, site=None) -> Page:
    data = render_page(release, Resources(), downloads_of(release), site) if site else \
        render(release, Resources())
    return Page(data.decode("utf-8"))


def test_landmarks_one_h1_lang_and_no_script():
    page = page_of(sample_release())
    assert page.all("html") == [{"lang": "en-GB"}]
    assert len(page.all("h1")) == 1
    for landmark in ("header", "main", "footer"):
        assert len(page.all(landmark)) == 1, landmark
    assert page.all("script") == [] and not any(
        k.startswith("on") for _, attrs in page.tags for k in attrs)
    assert page.all("a")[0] == {"class": "skip", "href": "#content"}
    assert page.all("main")[0]["id"] == "content"


def test_sections_in_the_order_of_every_output():
    words = page_of(sample_release()).words
    order = ["EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026", "HM Inspectorate of Probation",
             "Chief Inspector flags concerns", "A short standfirst", "29 January 2026",
             "London, 29 January 2026 – HM Inspectorate", "Dvořák", "ENDS", "Notes to editors",
             "The first note.", "Media enquiries", "Louise Cordell, Head of Communications"]
    at = 0
    for item in order:  # each found after the one before it
        at = words.index(item, at) + len(item)


def test_every_block_and_inline_becomes_its_element():
    page = page_of(sample_release())
    tags = [name for name, _ in page.tags]
    for tag in ("p", "h2", "h3", "ul", "ol", "li", "blockquote", "strong", "em", "br", "a"):
        assert tag in tags, tag
    hrefs = [a["href"] for a in page.all("a")]
    assert "https://example.org/report" in hrefs  # as written
    assert "sample.pdf" in hrefs and "sample.docx" in hrefs


def test_contacts_link_mailto_and_tel():
    hrefs = [a["href"] for a in page_of(sample_release()).all("a")]
    assert "mailto:media@hmiprobation.gov.uk" in hrefs
    assert "tel:+447523805224" in hrefs
    none = sample_release(contacts=(Contact("A", None, (), "a@example.org"),))
    assert not [h for h in (a["href"] for a in page_of(none).all("a")) if h.startswith("tel:")]
    labelled = sample_release(contacts=(Contact("A", None, (
        Phone("(212) 555-0143", "tel:+12125550143", "out of hours"),), None, "No texts, please."),))
    page = page_of(labelled)
    assert "tel:+12125550143" in [a["href"] for a in page.all("a")]
    assert "(out of hours): (212) 555-0143" in page.words and "No texts, please." in page.words


def test_release_text_is_never_markup():
    evil = '<script>alert(1)</script> & "{{ 7*7 }}"'
    release = sample_release(headline=evil, summary=evil, body=(para(evil),),
                             contacts=(Contact(evil, evil, (), "a@example.org", evil),))
    data = render(release, Resources()).decode()
    page = Page(data)
    assert page.all("script") == []
    assert evil in page.words and "{{ 7*7 }}" in page.words and "49" not in page.words
    assert "<script>" not in data


def test_every_fixed_word_comes_from_the_language():
    welsh = language_for("cy", None).words
    # the loader resolves the end mark and contacts heading (they depend on the style
    # and on a translation); the page prints what the model says
    page = page_of(sample_release(language="cy", words=welsh, end_mark=welsh.end_mark,
                                  contacts_heading=welsh.contacts_heading))
    assert page.all("html") == [{"lang": "cy"}]
    for word in (welsh.notes_heading, welsh.contacts_heading, welsh.end_mark,
                 welsh.download_pdf, welsh.skip_to_content):
        assert word in page.words, word
    assert "Notes to editors" not in page.words and "Download the PDF" not in page.words


def test_a_draft_says_so_and_a_lifted_release_says_for_immediate_release():
    page = page_of(sample_release(draft=True, embargoed=False, release_line="FOR IMMEDIATE RELEASE"))
    assert page.words.startswith("Skip to content FOR IMMEDIATE RELEASE DRAFT ")


def test_the_newsroom_page_adds_canonical_open_graph_and_a_way_back():
    site = PageSite("https://example.org/news/sample/", "../", "HM Inspectorate of Probation")
    page = page_of(sample_release(), site)
    meta = {m.get("property"): m.get("content") for m in page.all("meta") if m.get("property")}
    assert meta["og:title"] == "Chief Inspector flags concerns in first inspection"
    assert meta["og:url"] == "https://example.org/news/sample/"
    assert meta["og:description"] == "A short standfirst under the headline."
    assert {"rel": "canonical", "href": "https://example.org/news/sample/"} in page.all("link")
    assert any(a["href"] == "../" for a in page.all("a"))
    assert not [m for m in page.all("meta") if m.get("name") == "robots"]
    preview = page_of(sample_release(), replace(site, noindex=True))
    robots = [m["content"] for m in preview.all("meta") if m.get("name") == "robots"]
    assert robots and "noindex" in robots[0]
    assert not preview.all("link") and not any(a["href"] == "../" for a in preview.all("a"))


@pytest.mark.parametrize("changes", [{"summary": None}, {"location": None}, {"notes": ()},
                                     {"body": (para(Text("Only one.")),)}])
def test_optional_parts_may_be_absent(changes):
    page = page_of(sample_release(**changes))
    assert len(page.all("h1")) == 1


def test_byte_identical():
    assert render(sample_release(), Resources()) == render(sample_release(), Resources())


@pytest.mark.parametrize("source", ["{{ ''.__class__.__mro__[1].__subclasses__() }}",
                                    "{{ 1 / 0 }}", "{% for %}"])
def test_a_bad_or_hostile_template_is_our_error(tmp_path, source):
    from pressgen.errors import ReleaseError
    from pressgen.templates import Templates

    (tmp_path / "release.html.j2").write_text(source)
    with pytest.raises(ReleaseError) as caught:
        render(sample_release(), Resources(Templates(tmp_path)))
    assert "release.html.j2" in str(caught.value.problems[0])
