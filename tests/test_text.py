"""The plain-text writer: the seed against a golden file, and the layout rules of §6."""

from pathlib import Path

from conftest import MINIMAL, SEED
from factory import sample_release
from pressgen.resources import Resources
from pressgen.templates import Templates
from pressgen.writers.text import render, wrap

GOLDEN = Path(__file__).parent / "golden"


def _text(release, templates=Templates()) -> str:
    return render(release, Resources(templates)).decode("utf-8")


def test_seed_matches_golden_file(load):
    """The seed as the wire receives it; regenerate deliberately if the layout changes."""
    assert _text(load(SEED)) == (GOLDEN / "seed-embargoed.txt").read_text(encoding="utf-8")


def test_first_line_is_the_release_line(load):
    assert _text(load(SEED)).split("\n")[0] == "EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026"
    assert _text(load(SEED, as_of="2026-01-29 00:01")).split("\n")[0] == "FOR IMMEDIATE RELEASE"


def test_draft_line_at_the_top(write, load):
    lines = _text(load(write(MINIMAL))).split("\n")
    assert lines[:2] == ["FOR IMMEDIATE RELEASE", "DRAFT"]


def test_sections_in_order_and_ends_alone():
    lines = _text(sample_release()).split("\n")
    order = ["HM Inspectorate of Probation", "Chief Inspector flags concerns in first inspection",
             "A short standfirst under the headline.", "29 January 2026", "ENDS",
             "Notes to editors", "Media enquiries"]
    positions = [lines.index(item) for item in order]
    assert positions == sorted(positions)
    assert lines[lines.index("ENDS") - 1] == "" and lines[lines.index("ENDS") + 1] == ""


def test_dateline_before_first_paragraph():
    text = _text(sample_release())
    assert "\nLondon, 29 January 2026 – HM Inspectorate of Probation has undertaken" in text


def test_links_as_text_and_url_in_angle_brackets():
    text = " ".join(_text(sample_release()).split())  # a wrap may fall between them
    assert "the report <https://example.org/report>" in text
    assert "See our site <https://example.org>." in text


def test_notes_numbered_and_contacts_complete():
    text = _text(sample_release())
    assert "\n1.  The first note.\n" in text and "\n2.  See our site" in text
    assert "Louise Cordell, Head of Communications\nPhone: 07523 805224\n" \
           "Email: media@hmiprobation.gov.uk" in text
    assert "Ceri Morgan\nEmail: ceri.morgan@example.org" in text


def test_lists_and_quote_layout():
    text = _text(sample_release())
    assert "- Second point with nesting.\n  - Nested point." in text
    assert "1. Step one.\n2. Step two." in text and "1. Again one." in text
    assert "    A quoted line.\n    A second line." in text


def test_wrapped_at_72_columns_except_urls():
    url = "https://example.org/" + "a" * 80
    assert wrap("word " * 40).count("\n") >= 2
    assert all(len(line) <= 72 for line in wrap("word " * 40).split("\n"))
    assert url in wrap(f"see {url} here").split("\n")


def test_release_strings_are_not_templates(write, load):
    path = write(MINIMAL.replace("A headline", "'{{ 7 * 7 }} {% if x %}'"))
    assert "{{ 7 * 7 }} {% if x %}" in _text(load(path))


def test_house_template_overrides_the_builtin(tmp_path, load):
    from dataclasses import replace

    (tmp_path / "release.txt.j2").write_text("{{ release.headline }}!\n")
    release = load(SEED)
    # the writer still keeps the house's lines within 72 columns (spec §8.7)
    assert _text(release, Templates(tmp_path)) == wrap(release.headline + "!", balance=True) + "\n"


def test_every_line_within_72_columns_even_a_long_name_and_role():
    """Spec §8.7: the template prints the organisation and a contact's line unwrapped;
    the writer wraps them (a URL or one long word may stand alone, longer)."""
    from pressgen import model as m

    long_word = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogochuchaf" * 2
    release = sample_release(
        organisation=m.Organisation(
            "The Department for Environment, Food and Rural Affairs of the United Kingdom",
            None),
        contacts=(m.Contact("Alexandra Montgomery-Whitfield",
                            "Deputy Director of Communications and Public Engagement",
                            (m.Phone("020 7946 0000", "tel:+442079460000"),),
                            "press@example.org"),
                  m.Contact(long_word, None, (), None)))
    lines = _text(release).split("\n")
    assert [line for line in lines if len(line) > 72] == [long_word]
    assert "The Department for Environment, Food and Rural Affairs of the" in lines
    assert "United Kingdom" in lines  # balanced: not "Kingdom" alone


def test_headline_never_ends_with_a_word_alone_when_a_better_break_exists():
    headline = "Minister announces new funding for coastal flood defences this August"
    assert len(headline) > 72 - 5
    lines = wrap(headline + " too", balance=True).split("\n")
    assert len(lines) == 2 and len(lines[-1].split()) >= 2
    assert wrap("A two-word", width=6, balance=True) == "A\ntwo-word"  # nothing better


def test_the_projects_template_is_pressgens_own():
    """templates/release.txt.j2 is the copy `make` builds releases/ with; it is
    pressgen's own (a house may edit its copy, this project does not), so a change
    to the built-in one must reach it: they once drifted, and releases/ lost the
    balanced headline (“… public protection / inspection” with one word alone)."""
    project = Path(__file__).parent.parent / "templates" / "release.txt.j2"
    builtin = Path(__file__).parent.parent / "src" / "pressgen" / "templates" / "release.txt.j2"
    assert project.read_bytes() == builtin.read_bytes()
