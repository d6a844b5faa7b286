"""Issue 9, item 5: which links are clickable, and link text that hides its target.

Only http, https, mailto and tel targets become links; any other scheme, and a
relative or `#` target, is an error at the link's line (and column), saying
what is allowed. Link text that is itself an address must lead to that
address. Body, release notes and the house's notes alike.
"""

from __future__ import annotations

import io

import pypdf
import pytest

from conftest import HOUSE, MINIMAL, problems_of
from pressgen.resources import Resources
from pressgen.errors import ReleaseError
from pressgen.load import load_house
from pressgen.markdown import MarkdownError, parse_body, parse_inline
from pressgen.model import Link, Text
from pressgen.writers import writer

ALLOWED = "a link must go to an http:, https:, mailto: or tel: address"


def body_release(write, body: str) -> str:
    return write(MINIMAL.replace("body: A paragraph.", "body: |\n" + "".join(
        f"  {line}\n" if line else "\n" for line in body.split("\n"))))


@pytest.mark.parametrize("target", [
    "smb://fileserver/share/report.docx", "search-ms:query=report&crumb=location:\\\\evil",
    "launch:calc", "file:///etc/passwd", "javascript:alert(1)", "JavaScript:alert(1)",
    "ftp://ftp.example.org/x", "vbscript:msgbox", "data:text/html;base64,PHNjcmlwdD4=",
    "ms-word:ofe|u|https://evil.example/x.docx", "news:comp.lang", "ssh://host",
])
def test_a_link_with_another_scheme_is_an_error_at_its_line_and_column(write, load, target):
    path = body_release(write, f"First paragraph.\n\nSee the [report](<{target}>) today.")
    with pytest.raises(ReleaseError) as info:
        load(path)
    (line,) = problems_of(info)
    scheme = target.split(":")[0].lower()
    assert line == (f"{path}:6:21: error: `body`: a link to `{scheme}:` is not allowed; "
                    f"{ALLOWED}")


@pytest.mark.parametrize("target", ["#top", "report.pdf", "/news/2026", "../x", "//evil.example/x",
                                    "?q=1", "www.gov.uk"])
def test_a_relative_or_fragment_link_is_an_error(write, load, target):
    path = body_release(write, f"One.\nTwo [here]({target}).")
    with pytest.raises(ReleaseError) as info:
        load(path)
    (line,) = problems_of(info)
    assert line.startswith(f"{path}:5:")
    assert f"the link `{target}` is not a full address" in line and ALLOWED in line


def test_autolinks_and_reference_links_are_checked_too(write, load):
    path = body_release(write, "A <smb://server/share>.\n\nB [x][ref].\n\n[ref]: launch:calc")
    with pytest.raises(ReleaseError) as info:
        load(path)
    lines = problems_of(info)
    # the reference link is reported where its target is written: the definition
    assert [line.split(": error: ")[0].rsplit(":", 2)[1] for line in lines] == ["4", "8"]
    assert "`smb:`" in lines[0] and "`launch:`" in lines[1]


@pytest.mark.parametrize("target, words", [
    ("https:example.org", "names no site"), ("http://", "names no site"),
    ("https://www.gov.uk@evil.example/", "has a name and `@` before its site"),
    ("mailto:press", "is not an email address"), ("tel:call-us", "is not a phone number"),
    ("https://exa\u202emple.org", "holds an invisible character"),
])
def test_a_clickable_scheme_still_needs_a_real_address(target, words):
    with pytest.raises(MarkdownError) as info:
        parse_body(f"[x](<{target}>)")
    assert words in info.value.problems[0].message


@pytest.mark.parametrize("source, href", [
    ("[site](https://www.gov.uk/guidance)", "https://www.gov.uk/guidance"),
    ("[site](HTTP://example.org)", "HTTP://example.org"),
    ("[write](mailto:press@example.org)", "mailto:press@example.org"),
    ("[call](tel:+442079460000)", "tel:+442079460000"),
    ("[call](<tel:+44 20 7946 0000>)", "tel:+44%2020%207946%200000"),
    ("<https://example.org/a?b=c#d>", "https://example.org/a?b=c#d"),
])
def test_allowed_links_stay_clickable(source, href):
    (para,) = parse_body(source)
    assert [n.href for n in para.inlines if isinstance(n, Link)] == [href]


# ---------------------------------------------------------------- text that names a site

@pytest.mark.parametrize("source, named", [
    ("[https://www.gov.uk/](https://evil.example)", "https://www.gov.uk/"),
    ("[www.gov.uk](https://evil.example)", "www.gov.uk"),
    ("[gov.uk](https://gov.uk.evil.example/)", "gov.uk"),
    ("[**www.gov.uk**](https://evil.example)", "www.gov.uk"),
    ("[www.gov.uk.](https://evil.example)", "www.gov.uk."),
    ("[press@gov.uk](mailto:leak@evil.example)", "press@gov.uk"),
    ("[press@gov.uk](mailto:other@gov.uk)", "press@gov.uk"),
    ("[https://www.gov.uk](tel:+442079460000)", "https://www.gov.uk"),
    ("[bücher.de](https://evil.example)", "bücher.de"),
])
def test_link_text_naming_another_site_is_an_error(source, named):
    with pytest.raises(MarkdownError) as info:
        parse_body(f"Intro.\n\nThen {source} here.")
    (problem,) = info.value.problems
    assert problem.line == 2
    assert problem.message.startswith(f"the link's text `{named}` names ")
    assert "make the text say where the link goes" in problem.message


@pytest.mark.parametrize("source", [
    "[www.gov.uk](https://www.gov.uk/guidance/x)", "[gov.uk](https://www.gov.uk/)",
    "[https://www.gov.uk/](https://www.gov.uk/)", "[WWW.GOV.UK](https://www.gov.uk)",
    "[bücher.de](https://bücher.de/)", "[press@gov.uk](mailto:Press@gov.uk)",
    "[report.pdf](https://example.org/report.pdf)", "[the report](https://evil.example)",
    "[section 2.1](https://example.org)", "[see www.gov.uk for more](https://example.org)",
])
def test_link_text_that_names_its_own_target_or_no_site_is_fine(source):
    assert parse_body(source)


def test_bare_addresses_linkify_finds_stay_as_written(write, load):
    (para,) = parse_body("Mail press--office@example.org, see www.gov.uk/a--b, "
                         "ftp://ftp.example.org/x--y and //cdn.example.org/z.")
    links = [n for n in para.inlines if isinstance(n, Link)]
    assert [n.href for n in links] == ["mailto:press--office@example.org", "http://www.gov.uk/a--b"]
    text = "".join(n.text if isinstance(n, Text) else n.children[0].text for n in para.inlines)
    assert text == ("Mail press--office@example.org, see www.gov.uk/a--b, "
                    "ftp://ftp.example.org/x--y and //cdn.example.org/z.")


# ---------------------------------------------------------------- notes, the house's too

def test_a_link_in_a_release_note_is_checked(write, load):
    path = write(MINIMAL + "notes:\n  - Fine [site](https://example.org).\n"
                           "  - Bad [share](smb://server/x).\n")
    with pytest.raises(ReleaseError) as info:
        load(path)
    (line,) = problems_of(info)
    assert line.startswith(f"{path}:7:17: error: `notes[2]`: a link to `smb:` is not allowed")


def test_a_link_in_a_house_note_is_checked_at_the_house_file(tmp_path):
    text = HOUSE.read_text(encoding="utf-8").replace(
        "      Service in June 2021.", "      Service in June 2021. [Map](search-ms:query=x)")
    path = tmp_path / "house.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReleaseError) as info:
        load_house(path)
    (line,) = problems_of(info)
    assert line.startswith(f"{path}:29:35: error: `notes.pdus.text`: a link to `search-ms:`")


def test_inline_text_of_a_note_is_checked_like_the_body():
    with pytest.raises(MarkdownError, match="names a site"):
        parse_inline("[www.gov.uk](https://evil.example)")


def test_what_is_allowed_reaches_the_pdf_unchanged(write, load, house):
    release = load(body_release(write, "A [site](https://example.org/a?b=1) and "
                                       "[mail](mailto:a@example.org) and [call](tel:+441234567890)."))
    reader = pypdf.PdfReader(io.BytesIO(writer("pdf")(release, Resources(house.templates))))
    uris = [a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots", [])]
    assert "https://example.org/a?b=1" in uris and "tel:+441234567890" in uris
    assert all(u.split(":")[0] in ("https", "mailto", "tel") for u in uris)
