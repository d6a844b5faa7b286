"""Spec §1-§3: loading and validating releases and the house file."""

import pytest

from conftest import MINIMAL, SEED, problems_of
from pressgen.errors import ReleaseError
from pressgen.model import IMMEDIATE, plain_text


def test_seed_release_loads_completely(load):
    release = load(SEED)
    assert release.id == "2026-01-29-kss-public-protection"
    assert release.release_line == "EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026"
    assert release.date_text == "29 January 2026"
    assert not release.draft
    assert [c.name for c in release.contacts] == ["Louise Cordell"]
    assert release.organisation.name == "HM Inspectorate of Probation"


def test_release_line_after_lift(load):
    assert load(SEED, as_of="2026-01-29 00:01").release_line == IMMEDIATE


def test_notes_order_own_then_standard_then_always(load):
    notes = [plain_text(n.inlines) for n in load(SEED).notes]
    assert notes[0].startswith("HM Inspectorate’s Dynamic Inspection")
    assert notes[3].startswith("Probation Delivery Units")  # standard_notes: [pdus, ratings]
    assert notes[4].startswith("The Inspectorate typically uses")
    assert notes[5].startswith("HM Inspectorate of Probation is the independent")  # always
    assert len(notes) == 6


def test_always_note_listed_explicitly_is_not_repeated(write, load):
    release = load(write(MINIMAL + "standard_notes: [about, ratings]\n"))
    texts = [plain_text(n.inlines) for n in release.notes]
    assert len(texts) == 2 and texts[0].startswith("HM Inspectorate of Probation is")


def test_status_defaults_to_draft(write, load):
    assert load(write(MINIMAL)).draft is True
    assert load(write(MINIMAL + "status: final\n")).draft is False


def test_misspelt_key_is_one_error_naming_the_right_key(write, load):
    path = write(MINIMAL + "embagro: 2026-01-29 00:01\n")
    with pytest.raises(ReleaseError) as info:
        load(path)
    assert problems_of(info) == [f"{path}:5:1: error: unknown key `embagro`; did you mean `embargo`?"]


def test_every_problem_in_a_file_is_reported(write, load):
    path = write("""\
        headline: 42
        date: 2026-02-30
        status: published
        body: A paragraph.
        contacts: [nobody]
        colour: blue
        """)
    with pytest.raises(ReleaseError) as info:
        load(path)
    lines = problems_of(info)
    assert len(lines) == 5, lines
    assert lines[0].startswith(f"{path}:1:11: error: `headline` must be text, not a number")
    assert lines[1].startswith(f"{path}:2:7: error: `date` 2026-02-30 is not a real day")
    assert lines[2].startswith(f"{path}:3:9: error: `status` must be `draft` or `final`")
    assert lines[3].startswith(f"{path}:5:12: error: unknown contact `nobody`")
    assert lines[4].startswith(f"{path}:6:1: error: unknown key `colour`")


def test_missing_required_keys(write, load):
    path = write("headline: Only a headline\n")
    with pytest.raises(ReleaseError) as info:
        load(path)
    text = "\n".join(problems_of(info))
    for key in ("date", "body", "contacts"):
        assert f"missing required key `{key}`" in text


def test_yaml_1_1_words_stay_text(write, load):
    release = load(write(MINIMAL.replace("A headline", "no") + "location: off\n"))
    assert release.headline == "no" and release.location == "off"


def test_boolean_where_choice_expected_is_refused(write, load):
    with pytest.raises(ReleaseError, match="`status` must be `draft` or `final`"):
        load(write(MINIMAL + "status: true\n"))


def test_phone_number_as_number_asks_for_quotes(write, load):
    path = write(MINIMAL.replace("[press-office]", "\n  - name: A\n    phone: 07523805224\n"))
    with pytest.raises(ReleaseError) as info:
        load(path)
    assert 'put it in quotes: "07523805224"' in problems_of(info)[0]


def test_inline_contact_and_house_contact(write, load):
    release = load(write(MINIMAL.replace("[press-office]", """
  - press-office
  - name: Ceri Morgan
    role: Regional press officer
    email: ceri.morgan@example.org
""")))
    assert [c.name for c in release.contacts] == ["Louise Cordell", "Ceri Morgan"]
    assert release.contacts[1].email == "ceri.morgan@example.org"


def test_contact_needs_phone_or_email(write, load):
    with pytest.raises(ReleaseError, match="needs a `phone` or an `email`"):
        load(write(MINIMAL.replace("[press-office]", "\n  - name: Nobody\n")))


def test_bad_email_is_refused(write, load):
    with pytest.raises(ReleaseError, match="not an email address"):
        load(write(MINIMAL.replace("[press-office]", "\n  - name: A\n    email: a.example.org\n")))


def test_unknown_standard_note_suggests(write, load):
    with pytest.raises(ReleaseError, match="did you mean `ratings`"):
        load(write(MINIMAL + "standard_notes: [rating]\n"))


def test_anchors_and_aliases_are_refused(write, load):
    path = write(MINIMAL + "summary: &s Hello\nlocation: *s\n")
    with pytest.raises(ReleaseError, match="anchors and aliases") as info:
        load(path)
    assert problems_of(info)[0].startswith(f"{path}:5:10:")


def test_duplicate_key_is_refused(write, load):
    with pytest.raises(ReleaseError, match="duplicate key `headline`"):
        load(write(MINIMAL + "headline: Again\n"))


@pytest.mark.parametrize("name", ["Bad Name.yaml", "_x.yaml", "UPPER.yaml"])
def test_file_name_must_be_an_id(write, load, name):
    path = write(MINIMAL, name)
    with pytest.raises(ReleaseError, match="not a valid release id") as info:
        load(path)
    assert problems_of(info)[0].startswith(f"{path}:1:1:")


def test_whole_file_problems_in_plain_words(tmp_path, load):
    cases = {
        "empty.yaml": (b"", "the file is empty"),
        "blank.yaml": (b"\n  \n", "the file is empty"),
        "latin1.yaml": (b"headline: Zo\xeb\n", "not valid UTF-8"),
        "list.yaml": (b"- a\n- b\n", "a release must be a mapping of keys"),
    }
    for name, (data, words) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ReleaseError) as info:
            load(path)
        assert words in problems_of(info)[0], (name, problems_of(info))


def test_bom_and_crlf_are_accepted(tmp_path, load):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode())
    assert load(path).headline == "A headline"


def test_control_character_is_refused_at_its_place(write, load):
    path = write(MINIMAL.replace("A paragraph.", '"A para\\x07graph."'))
    with pytest.raises(ReleaseError, match="control character") as info:
        load(path)
    assert problems_of(info)[0].startswith(f"{path}:3:")


def test_embargo_after_the_date_is_refused(write, load):
    with pytest.raises(ReleaseError, match="after the release's date"):
        load(write(MINIMAL + "embargo: 2026-01-30 00:01\n"))


def test_embargo_in_gap_and_fold(write, load):
    gap = MINIMAL.replace("2026-01-29", "2026-03-29") + "embargo: 2026-03-29 01:30\n"
    with pytest.raises(ReleaseError, match="does not exist") as info:
        load(write(gap))
    assert problems_of(info)[0].split(":")[1:3] == ["5", "10"]
    fold = MINIMAL.replace("2026-01-29", "2026-10-25") + "embargo: 2026-10-25 01:30\n"
    with pytest.raises(ReleaseError, match="explicit offset"):
        load(write(fold))


def test_typography_in_headline_summary_notes_roles(write, load):
    release = load(write("""\
        headline: 'The "best" -- and the worst --- of it'
        summary: It's 'fine'
        date: 2026-01-29
        body: See https://example.org/a--b and mail a--b@example.org
        notes: ['A "note"']
        contacts:
          - name: A
            role: Head -- Press
            email: a@example.org
        """))
    assert release.headline == "The “best” – and the worst — of it"
    assert release.summary == "It’s ‘fine’"
    assert plain_text(release.notes[0].inlines) == "A “note”"
    assert release.contacts[0].role == "Head – Press"
    body = plain_text(release.body[0].inlines)
    assert "https://example.org/a--b" in body and "a--b@example.org" in body


def test_source_date_epoch_sets_timestamp(write, load):
    path = write(MINIMAL)
    assert load(path, epoch=1_700_000_000).timestamp.timestamp() == 1_700_000_000
    assert load(path).timestamp.isoformat() == "2026-01-29T00:00:00+00:00"


def test_house_file_errors_are_its_own(tmp_path):
    from pressgen.load import load_house

    path = tmp_path / "house.yaml"
    path.write_text("organisation:\n  nam: X\ntimezone: Europe/Londn\ncontacts: {}\n")
    with pytest.raises(ReleaseError) as info:
        load_house(path)
    text = "\n".join(problems_of(info))
    assert f"{path}:2:3: error: unknown key `nam` in `organisation`; did you mean `name`?" in text
    assert f"{path}:3:11: error: `timezone`: unknown time zone `Europe/Londn`" in text
    assert f"{path}:4:11: error: `contacts` is empty" in text


def test_text_is_composed_so_every_output_matches(write, load):
    """A name typed with combining accents loads as its composed form (NFC)."""
    release = load(write(MINIMAL.replace("A headline", "Zoe\u0308 Nguye\u0302\u0303n")))
    assert release.headline == "Zoë Nguyễn"
