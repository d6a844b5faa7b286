"""`--format eml` (spec §9): the message parsed back, byte-identical on rebuild, and
its subject computed from the model over every DST switch of 2026–2030."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from conftest import HOUSE, ROOT
from pressgen.embargo import parse_moment
from pressgen.load import load_house, load_release
from pressgen.writers.eml import subject

SEED_ID = "2026-01-29-kss-public-protection"
LONDON = ZoneInfo("Europe/London")
EXAMPLES = int(os.environ.get("PRESSGEN_FUZZ_EXAMPLES", "40"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The project's releases built twice, in two fresh processes, eml with the rest."""
    place = tmp_path_factory.mktemp("eml")
    shutil.copytree(ROOT / "releases", place / "releases")
    shutil.copytree(ROOT / "templates", place / "templates")
    for out, seed in (("dist", "1"), ("again", "2")):
        subprocess.run([sys.executable, "-m", "pressgen", "build", "releases", "--out", out,
                        "--format", "eml", "--format", "pdf", "--format", "txt",
                        "--format", "html",
                        "--as-of", "2026-01-28 12:00"], cwd=place, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True)
    return place


def parsed(path: Path):
    return message_from_bytes(path.read_bytes(), policy=policy.SMTP)


def test_the_message_carries_the_text_and_the_pdf_of_the_build(built):
    dist = built / "dist"
    msg = parsed(dist / f"{SEED_ID}.eml")
    assert msg["From"] == "HMI Probation Press Office <media@hmiprobation.gov.uk>"
    assert msg["Reply-To"] == "media@hmiprobation.gov.uk"
    assert msg["To"] == "undisclosed-recipients:;"
    assert msg["Bcc"] is None and msg["Cc"] is None
    assert msg["Subject"] == ("EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026: Chief "
                              "Inspector of Probation flags concerns in first public "
                              "protection inspection")
    assert msg["Date"].datetime == datetime(2026, 1, 29, tzinfo=timezone.utc)
    text = msg.get_body(("plain",))
    assert text.get_content().replace("\r\n", "\n") == (dist / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    html = msg.get_body(("html",)).get_content().replace("\r\n", "\n")
    page = (dist / f"{SEED_ID}.html").read_text(encoding="utf-8")
    # the page without its download links, which would name files a mail client lacks
    assert f'href="{SEED_ID}.pdf"' in page and f'href="{SEED_ID}.pdf"' not in html
    assert "Download the PDF" not in html
    assert html.split("<main")[0].split("<title>")[1] == page.split("<main")[0].split("<title>")[1]
    assert [p.get_content_type() for p in msg.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == f"{SEED_ID}.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == (dist / f"{SEED_ID}.pdf").read_bytes()
    raw = (dist / f"{SEED_ID}.eml").read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998  # RFC 5322 2.1.1
    assert raw.isascii()  # 7-bit: any server takes it


def test_rebuilt_in_another_process_the_message_is_byte_identical(built):
    for eml in (built / "dist").glob("*.eml"):
        assert eml.read_bytes() == (built / "again" / eml.name).read_bytes(), eml.name


def test_message_ids_differ_by_release_and_are_not_random(built):
    ids = [parsed(p)["Message-ID"] for p in sorted((built / "dist").glob("*.eml"))]
    assert len(set(ids)) == len(ids) == 4
    assert all(i.endswith("@hmiprobation.gov.uk>") for i in ids)


def test_a_draft_subject_begins_draft_and_an_immediate_one_is_the_headline(built):
    draft = parsed(built / "dist" / "2026-10-29-draft-prisons-recall.eml")["Subject"]
    assert draft.startswith("DRAFT: EMBARGOED UNTIL 00:01 GMT, Thursday 29 October 2026: ")
    plain = parsed(built / "dist" / "2026-03-05-youth-justice-wales.eml")["Subject"]
    assert plain == "Youth justice services in Wales praised for work with children and families"


def test_a_house_without_email_settings_gets_an_error_not_a_message(tmp_path):
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    house = tmp_path / "templates" / "house.yaml"
    house.write_text(house.read_text().split("\nemail:")[0] + "\n")
    (tmp_path / "releases").mkdir()
    shutil.copy(ROOT / "releases" / f"{SEED_ID}.yaml", tmp_path / "releases")
    result = subprocess.run([sys.executable, "-m", "pressgen", "build", "--format", "eml",
                             "--as-of", "2026-01-28 12:00"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert f"releases/{SEED_ID}.yaml:1:1: error: `--format eml` needs" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_subject_is_in_the_house_language(tmp_path):
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    house = tmp_path / "templates" / "house.yaml"
    house.write_text(house.read_text().replace("timezone:", "language: cy\ntimezone:"))
    loaded = load_house(house)
    release = load_release(ROOT / "releases" / f"{SEED_ID}.yaml", loaded,
                           parse_moment("2026-01-28 12:00", loaded.tz))
    assert subject(release).startswith("DAN EMBARGO TAN 00:01 GMT, Dydd Iau 29 Ionawr 2026: ")
    assert subject(release, correction=True).startswith("CYWIRIAD: DAN EMBARGO TAN")


# ------------------------------------------------------------------ DST switches

def _switches() -> list[datetime]:
    """Every instant Europe/London changed its offset in 2026–2030, found by walking
    the hours (not from a table: the zone database is the authority)."""
    found = []
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    while moment.year < 2031:
        after = moment + timedelta(hours=1)
        if moment.astimezone(LONDON).utcoffset() != after.astimezone(LONDON).utcoffset():
            found.append(after)
        moment = after
    return found


SWITCHES = _switches()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = ("January February March April May June July August September October "
          "November December").split()


def test_there_are_two_switches_a_year():
    assert len(SWITCHES) == 10


@settings(max_examples=EXAMPLES, deadline=None)
@given(switch=st.sampled_from(SWITCHES), minutes=st.integers(-26 * 60, 26 * 60),
       before=st.integers(1, 3 * 24 * 60))
def test_the_subject_says_the_lift_in_the_zone_of_that_instant(switch, minutes, before):
    lifts = switch + timedelta(minutes=minutes)
    local = lifts.astimezone(LONDON)
    zone = "BST" if local.utcoffset() else "GMT"
    expected = (f"EMBARGOED UNTIL {local:%H:%M} {zone}, {WEEKDAYS[local.weekday()]} "
                f"{local.day} {MONTHS[local.month - 1]} {local.year}: A headline")
    house = _house()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.yaml"
        path.write_text(f"headline: A headline\ndate: {local:%Y-%m-%d}\n"
                        f"embargo: {lifts:%Y-%m-%dT%H:%M}+00:00\nstatus: final\n"
                        "body: Text.\ncontacts: [press-office]\n")
        release = load_release(path, house, lifts - timedelta(minutes=before))
        assert subject(release) == expected
        after = load_release(path, house, lifts)
        assert subject(after) == "A headline"


_HOUSE = []


def _house():
    if not _HOUSE:
        _HOUSE.append(load_house(HOUSE))
    return _HOUSE[0]
