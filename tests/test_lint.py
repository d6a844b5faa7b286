"""Editorial lint (issue 14): one test per rule, each at its exact FILE:LINE:COL, and
each with the case just inside the threshold that must stay quiet."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import HOUSE, MINIMAL
from pressgen.cli import main
from pressgen.embargo import parse_moment
from pressgen.errors import ReleaseError
from pressgen.lint import HOUSE_RULES, RELEASE_RULES, lint_house, lint_release
from pressgen.lint_settings import RULE_NAMES
from pressgen.load import load_house, load_release
from pressgen.yamlsource import load_yaml

AS_OF = "2026-01-28 12:00"


def lint(path: Path, house, as_of: str = AS_OF) -> list[str]:
    now = parse_moment(as_of, house.tz)
    return [str(p) for p in lint_release(load_release(path, house, now), house, now)]


def release(write, name: str = "release.yaml", **keys: str) -> Path:
    """MINIMAL with keys replaced or added (in MINIMAL's order, new ones after)."""
    lines = dict(line.split(": ", 1) for line in MINIMAL.strip().split("\n"))
    lines.update(keys)
    return write("".join(f"{k}: {v}\n" for k, v in lines.items()), name)


def house_with(tmp_path: Path, extra: str):
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "house.yaml").write_text(HOUSE.read_text() + textwrap.dedent(extra))
    return load_house(folder / "house.yaml")


def test_every_rule_has_a_function_and_a_test():
    assert set(RELEASE_RULES) | set(HOUSE_RULES) == set(RULE_NAMES)
    source = Path(__file__).read_text()
    for name in RULE_NAMES:
        assert f"[{name}]" in source, f"no test names the rule {name}"


def test_headline_length(write, house):
    assert lint(release(write, headline="x" * 65), house) == []
    path = release(write, headline="A" + "b" * 65)
    assert lint(path, house) == [f"{path}:1:11: warning: the headline is 66 characters, over 65: "
                                 "search results and subject lines cut it short; shorten it "
                                 "[headline-length]"]


def test_headline_in_capitals(write, house):
    assert lint(release(write, headline="NHS opens 40 clinics"), house) == []
    assert lint(release(write, headline="NHS"), house) == []  # one acronym is no shouting
    path = release(write, headline="NHS TO OPEN 40 NEW CLINICS")
    got = lint(path, house)
    assert len(got) == 1 and got[0].startswith(f"{path}:1:11: warning: the headline is in capitals")
    assert got[0].endswith("[headline-capitals]")


def test_summary_length(write, house):
    assert lint(release(write, summary="s" * 160), house) == []
    path = release(write, summary="s" * 161)
    assert lint(path, house) == [f"{path}:5:10: warning: the summary is 161 characters, over "
                                 "160; keep it to one short sentence or two [summary-length]"]


def test_sentence_length_points_at_the_sentence(write, house):
    thirty = " ".join(["word"] * 29) + " end."
    path = write(f"headline: A headline\ndate: 2026-01-29\nbody: |\n  Short one. {thirty}\n\n"
                 f"  A second paragraph, with \"quotes\". Long {thirty}\ncontacts: [press-office]\n")
    got = lint(path, house)
    # the first paragraph's sentence is 30 words (quiet); the second's 31, at its first word
    assert got == [f"{path}:6:38: warning: a sentence of 31 words (over 30) starts here "
                   "(“Long word word word word word …”); split it [sentence-length]"]
    assert path.read_text().split("\n")[5][37:41] == "Long"


def test_embargo_at_midnight_or_noon(write, house):
    assert lint(release(write, embargo="2026-01-29 00:01"), house) == []
    path = release(write, embargo="2026-01-29 00:00")
    assert lint(path, house) == [f"{path}:5:10: warning: the embargo lifts at 00:00, which "
                                 "readers place on either day; use 00:01 (or 23:59 the day "
                                 "before) [embargo-round-hour]"]
    # written with an offset, it is the house zone's local time that counts
    path = release(write, embargo="2026-01-29T12:00+00:00")
    got = lint(path, house)
    assert len(got) == 1 and got[0].startswith(f"{path}:5:10: warning: the embargo lifts at 12:00")


def test_embargo_in_the_weeks_the_clocks_disagree(write, tmp_path):
    house = house_with(tmp_path, "lint:\n  zones: [America/New_York]\n")
    quiet = release(write, date="2026-04-20", embargo="2026-04-20 12:01")
    assert lint(quiet, house, "2026-04-01 12:00") == []
    path = release(write, date="2026-03-20", embargo="2026-03-20 12:01")
    assert lint(path, house, "2026-03-01 12:00") == [
        f"{path}:5:10: warning: the embargo lifts at 12:01 GMT 20 March 2026 in Europe/London, "
        "which is 08:01 EDT 20 March 2026 in America/New_York: the two change their clocks on "
        "different days (Europe/London on 29 March 2026, America/New_York on 8 March 2026), and "
        "in between they are 4 hours apart (5 hours before and after); give both local times "
        "[embargo-clock-change]"]


def test_final_release_built_after_its_embargo_day(write, house):
    path = release(write, embargo="2026-01-29 00:01", status="final")
    assert lint(path, house, "2026-01-29 23:59") == []
    assert lint(release(write, "draft.yaml", embargo="2026-01-29 00:01", status="draft"), house,
                "2026-02-02 09:00") == []
    got = lint(path, house, "2026-01-30 00:00")
    assert got == [f"{path}:5:10: warning: this final release is built after its embargo's day "
                   "(29 January 2026): it is old news to anyone who gets it now; check the date "
                   "and embargo, or leave it out of the build [final-after-embargo]"]


def test_bare_www_link_in_the_body(write, house):
    assert lint(release(write, body="See https://www.example.org for more."), house) == []
    path = write("headline: A headline\ndate: 2026-01-29\nbody: |\n  First.\n\n"
                 "  - See www.example.org/report for more.\ncontacts: [press-office]\n")
    assert lint(path, house) == [f"{path}:6:9: warning: the link `www.example.org/report` is "
                                 "written without https://, and not every reader's software "
                                 "links it; write `https://www.example.org/report` [bare-www]"]


def _house_line(text: str, key: str) -> int:
    return text.split("\n").index(f"  {key}:") + 1


def test_standard_note_and_contact_never_used(tmp_path, house):
    text = HOUSE.read_text()
    uses_ratings = tmp_path / "a.yaml"
    uses_ratings.write_text(MINIMAL + "standard_notes: [ratings]\n")
    got = [str(p) for p in lint_house(house, [load_yaml(uses_ratings)])]
    # `about` is added to every release (always: true), so it counts as used
    assert got == [f"{HOUSE}:{_house_line(text, 'pdus')}:3: warning: the standard note `pdus` is "
                   "used by no release; remove it, or add it to a release's `standard_notes` "
                   "[unused-standard-note]"]
    inline = tmp_path / "b.yaml"
    inline.write_text(MINIMAL.replace("[press-office]", "[{name: A, email: a@example.org}]")
                      + "standard_notes: [ratings, pdus]\n")
    got = [str(p) for p in lint_house(house, [load_yaml(inline)])]
    assert got == [f"{HOUSE}:{_house_line(text, 'press-office')}:3: warning: the contact "
                   "`press-office` is named by no release; remove it, or add it to a "
                   "release's `contacts` [unused-contact]"]


# ---------------------------------------------------------------- the house's `lint:`


def test_thresholds_and_switches_come_from_the_house_file(write, tmp_path):
    house = house_with(tmp_path, "lint:\n  headline_max: 10\n  off: [embargo-round-hour]\n")
    path = release(write, headline="Eleven char", embargo="2026-01-29 00:00")
    got = lint(path, house)
    assert len(got) == 1 and "the headline is 11 characters, over 10" in got[0]


def test_a_wrong_lint_section_is_an_error_at_its_line(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    lines = len(HOUSE.read_text().split("\n"))
    (folder / "house.yaml").write_text(HOUSE.read_text() + "lint:\n  off: [shouting]\n"
                                       "  zones: [America/New_Yrok]\n")
    with pytest.raises(ReleaseError) as info:
        load_house(folder / "house.yaml")
    got = [str(p) for p in info.value.problems]
    assert got[0].startswith(f"{folder / 'house.yaml'}:{lines + 1}:9: error: `lint.off[1]` must be")
    assert got[1].startswith(f"{folder / 'house.yaml'}:{lines + 2}:11: error: `lint.zones[1]`: "
                             "unknown time zone `America/New_Yrok`")


# ---------------------------------------------------------------- the commands


@pytest.fixture
def project(tmp_path, monkeypatch):
    shutil.copytree(HOUSE.parent, tmp_path / "templates")
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "loud.yaml").write_text(
        MINIMAL.replace("A headline", "LOUD NEWS TODAY") + "standard_notes: [ratings, pdus]\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


WARNING = "releases/loud.yaml:1:11: warning: the headline is in capitals"


def test_lint_exits_0_and_1_with_strict(project):
    result = run("lint", "--as-of", AS_OF)
    assert result.exit_code == 0 and WARNING in result.stderr
    assert result.stderr.splitlines()[-1] == "pressgen: 1 release, 1 warning, 0 invalid"
    assert run("lint", "--as-of", AS_OF, "--strict").exit_code == 1
    (project / "releases" / "loud.yaml").write_text(MINIMAL + "standard_notes: [ratings, pdus]\n")
    assert run("lint", "--as-of", AS_OF, "--strict").exit_code == 0


def test_check_and_build_print_the_warnings_and_never_fail_on_them(project):
    checked = run("check", "--as-of", AS_OF)
    assert checked.exit_code == 0 and WARNING in checked.stderr
    built = run("build", "--as-of", AS_OF, "--format", "txt", "--jobs", "1")
    assert built.exit_code == 0 and WARNING in built.stderr
    assert (project / "dist" / "loud.txt").exists()


def test_an_invalid_release_fails_lint_with_its_error(project):
    (project / "releases" / "bad.yaml").write_text(MINIMAL + "embagro: x\n")
    result = run("lint", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "releases/bad.yaml:5:1: error: unknown key `embagro`" in result.stderr


def test_lint_of_the_folder_reports_house_notes_no_release_uses(project):
    (project / "releases" / "loud.yaml").write_text(MINIMAL + "standard_notes: [ratings]\n")
    line = _house_line(HOUSE.read_text(), "pdus")
    unused = f"templates/house.yaml:{line}:3: warning: the standard note `pdus` is used by no release"
    assert unused in run("lint", "--as-of", AS_OF).stderr
    # one file named is not the folder: nothing can be said of what the others use
    assert unused not in run("lint", "--as-of", AS_OF, "releases/loud.yaml").stderr
    assert unused not in run("check", "--as-of", AS_OF).stderr  # per-release warnings only


def test_the_clock_change_zones_come_from_embargo_zones_once_the_model_has_them(house):
    """Spec §8.1's `embargo_zones` (as the model resolves them on the embargo, else the
    release's, else the house's) wins over `lint.zones`: read from the model by name, as
    strings or zones, so the rule follows the key when it lands."""
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from pressgen.lint import Draft, other_zones

    with_zones = SimpleNamespace(embargo_zones=(ZoneInfo("America/New_York"), "Asia/Singapore"))
    assert other_zones(Draft(with_zones, None, house, None)) == ("America/New_York", "Asia/Singapore")
    assert other_zones(Draft(SimpleNamespace(), None, SimpleNamespace(
        embargo_zones=["Europe/Paris"]), None)) == ("Europe/Paris",)
    resolved = SimpleNamespace(embargo=SimpleNamespace(zones=("Australia/Sydney",)))
    assert other_zones(Draft(resolved, None, house, None)) == ("Australia/Sydney",)
    assert other_zones(Draft(SimpleNamespace(), None, house, None)) == ()  # no zones: quiet
