"""Issue 9, items 3 and 4: what an error message may print of a file, and how many.

A message quotes at most a short excerpt (40 characters, cut with …) of text
it does not know: an unknown key, a wrong value, an unknown id, a bad time or
zone. A file that is not what it seems (a release that is really a key file,
a pasted token) must not reach a CI log whole. And one mistake repeated
100,000 times is reported 50 times and counted, in linear time.
"""

from __future__ import annotations

import time

import pytest

from conftest import HOUSE, MINIMAL, problems_of
from pressgen.resources import Resources
from pressgen.errors import ALIKE, EXCERPT, Problem, ReleaseError, excerpt
from pressgen.load import load_house

TOKEN = "ghp_" + "Xy7Qm2Lp9Rt4Vw8Zb3Nc6Hd1Kf5Gj0Ts" * 4  # 132 characters, secret-like


def assert_no_long_quote(lines: list[str], secret: str = TOKEN) -> None:
    """No line holds more than EXCERPT characters in a row of `secret`."""
    for line in lines:
        for start in range(len(secret) - EXCERPT):
            assert secret[start:start + EXCERPT + 1] not in line, f"quotes too much: {line}"


@pytest.mark.parametrize("text", [
    f"{MINIMAL}{TOKEN}: 1\n",                                    # an unknown key
    f"{MINIMAL}'{TOKEN}': x\n",
    MINIMAL.replace("contacts: [press-office]", f"contacts: [{TOKEN}]"),   # an unknown id
    f"{MINIMAL}standard_notes: [{TOKEN}]\n",
    f"{MINIMAL}status: {TOKEN}\n",                               # a value not in a list
    f"{MINIMAL}embargo: {TOKEN}\n",                              # not a time
    f"{MINIMAL}embargo: 2026-01-29 {TOKEN}\n",
    MINIMAL.replace("2026-01-29", TOKEN),                        # not a date
    f"{MINIMAL}headline: {TOKEN}\n",                             # a duplicate key (value)
    f"{MINIMAL}{TOKEN}: 1\n{TOKEN}: 2\n",                        # a duplicate unknown key
    f"{MINIMAL}summary: !{TOKEN} x\n",                           # a YAML tag
    f"{MINIMAL}summary: !{TOKEN}! x\n",                          # a YAML tag handle
    f"{MINIMAL}notes: {{{TOKEN}: x}}\n",                         # wrong type, id in path
    MINIMAL.replace("contacts: [press-office]",
                    f"contacts:\n  - name: X\n    email: {TOKEN}\n"),  # not an email address
    MINIMAL.replace("contacts: [press-office]",
                    f"contacts:\n  - name: X\n    phone: '{TOKEN}'\n"),  # not a phone number
], ids=lambda t: t.splitlines()[-1][:24])
def test_a_release_message_quotes_only_an_excerpt(write, load, text):
    path = write(text)
    with pytest.raises(ReleaseError) as info:
        load(path)
    lines = problems_of(info)
    assert lines
    assert_no_long_quote(lines)


@pytest.mark.parametrize("change", [
    lambda h: h.replace("timezone: Europe/London", f"timezone: {TOKEN}"),
    lambda h: h.replace("timezone: Europe/London", f"timezone: Europe/{TOKEN}"),
    lambda h: h + f"reference_docx: {TOKEN}.docx\n",
    lambda h: h.replace("  press-office:", f"  {TOKEN}:")       # an id, in the message's key
               .replace("email: media@", "email: media"),
    lambda h: h.replace("  press-office:", f"  '{TOKEN}!':"),
    lambda h: h + f"{TOKEN}: x\n",
    lambda h: h.replace("website: https://", f"website: {TOKEN}https://"),
])
def test_a_house_message_quotes_only_an_excerpt(tmp_path, change):
    house = tmp_path / "house.yaml"
    house.write_text(change(HOUSE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ReleaseError) as info:
        load_house(house)
    assert_no_long_quote(problems_of(info))


def test_a_file_of_secret_lines_is_refused_with_excerpts_only(write, load):
    """The shape of /etc/shadow (or of a .env file) read as a release."""
    lines = [f"user{i}: $6${TOKEN}{i}:19000:0:99999:7:::" for i in range(5)]
    path = write("\n".join(lines) + "\n")
    with pytest.raises(ReleaseError) as info:
        load(path)
    assert_no_long_quote(problems_of(info))


def test_an_excerpt_is_one_short_line_cut_with_an_ellipsis():
    assert excerpt("short") == "short"
    assert excerpt("x" * 40) == "x" * 40
    assert excerpt("x" * 41) == "x" * 39 + "…"
    assert excerpt("a\nb   c") == "a b c"
    assert len(excerpt("y" * 10_000_000)) == 40


# ---------------------------------------------------------------- how many

def test_110k_unknown_standard_notes_check_quickly_and_report_50_and_a_count(write, load):
    ids = ", ".join(f"n{i}" for i in range(110_000))
    path = write(f"{MINIMAL}standard_notes: [{ids}]\n")
    started = time.monotonic()
    with pytest.raises(ReleaseError) as info:
        load(path)
    elapsed = time.monotonic() - started
    lines = problems_of(info)
    assert elapsed < 30, f"{elapsed:.1f} s"  # 105 s before, ~4 s now (YAML); generous for CI
    assert len(lines) == ALIKE + 1
    assert all("unknown standard note" in line for line in lines)
    assert lines[-1].endswith(f"(and {110_000 - ALIKE - 1:,} more like this after it, not shown)")


def test_a_repeated_note_is_listed_once(write, load):
    path = write(f"{MINIMAL}standard_notes: [{', '.join(['ratings'] * 20_000)}]\n")
    started = time.monotonic()
    release = load(path)
    assert time.monotonic() - started < 30
    assert len(release.notes) == 2  # ratings, then the house's `always` note


def test_problems_of_different_kinds_are_each_counted_apart():
    problems = [Problem("f.yaml", i, 1, f"unknown key `k{i}`") for i in range(1, 80)]
    problems += [Problem("f.yaml", i, 2, "a control character (U+0001) is in the file")
                 for i in range(1, 60)]
    problems += [Problem("g.yaml", 1, 1, "unknown key `x`")]
    shown = ReleaseError(problems).problems
    assert len([p for p in shown if p.file == "f.yaml" and "unknown key" in p.message]) == ALIKE + 1
    assert len([p for p in shown if "control" in p.message]) == ALIKE + 1
    assert [p for p in shown if p.file == "g.yaml"] == problems[-1:]
    counted = [p for p in shown if "more like this" in p.message]
    assert [p.message.rsplit("(", 1)[1] for p in counted] == [
        "and 28 more like this after it, not shown)", "and 8 more like this after it, not shown)"]


def test_a_hundred_thousand_control_characters_are_placed_in_linear_time(tmp_path, load):
    path = tmp_path / "bells.yaml"
    path.write_bytes(MINIMAL.replace("A paragraph.", "a\a" * 200_000).encode())
    started = time.monotonic()
    with pytest.raises(ReleaseError) as info:
        load(path)
    assert time.monotonic() - started < 10
    lines = problems_of(info)
    assert lines[0].endswith(":3:8: error: a control character (U+0007) is in the file; delete it")
    assert lines[-1].endswith("not shown)") and len(lines) == ALIKE + 1


def test_escaped_control_characters_in_quotes_are_placed_in_linear_time(write, load):
    path = write(MINIMAL.replace("A paragraph.", '"' + "a  \\a" * 100_000 + '"'))
    started = time.monotonic()
    with pytest.raises(ReleaseError) as info:
        load(path)
    assert time.monotonic() - started < 10
    lines = problems_of(info)
    assert ":3:11: error: a control character (U+0007) is in the text" in lines[0]
    assert ":3:16: error: a control character (U+0007)" in lines[1]


def test_bidirectional_controls_are_shown_escaped_in_a_message(write, load):
    """A right-to-left override in a quoted key would make the terminal show the
    line's end reversed: it is printed as its escape."""
    path = write(MINIMAL + "\"emb\\u202eargo\": x\n")
    with pytest.raises(ReleaseError) as info:
        load(path)
    (line,) = problems_of(info)
    assert "\u202e" not in line and "unknown key `emb\\u202eargo`" in line
