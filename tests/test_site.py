"""`pressgen site` (spec §10): the embargo gate, the feed, previews, withdrawal, state.

The must-show test: one minute before a lift, not one byte under the site folder
names the release (its id, headline or any sentence of its body); at the lift,
all of them are there. The property test repeats that over every clock change
of 2026–2030 in Europe/London and America/New_York, in one project per zone, so
each example also runs after the last one's builds (a lift moved later than a
page already published must take the page down).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from pressgen.cli import main

RID = "2026-03-29-clock-change-report"
HEADLINE = "Inspectors find new approach to supervision is working"
SENTENCES = ("The inspectorate published its thematic review of supervision today.",
             "Inspectors visited twelve probation delivery units over six weeks.",
             "Practitioners said the new approach gave them more time with each person.")
SUMMARY = "A review of supervision across twelve units."
EXAMPLES = int(os.environ.get("PRESSGEN_FUZZ_EXAMPLES", "6"))


def release_yaml(lifts: datetime, zone: ZoneInfo, status: str = "final") -> str:
    local = lifts.astimezone(zone)
    offset = local.strftime("%z")
    body = " ".join(SENTENCES[:2]) + "\n\n  " + SENTENCES[2]
    return (f"headline: {HEADLINE}\nsummary: {SUMMARY}\ndate: {local:%Y-%m-%d}\n"
            f"embargo: {local:%Y-%m-%dT%H:%M}{offset[:3]}:{offset[3:]}\nstatus: {status}\n"
            f"body: |\n  {body}\ncontacts: [press-office]\n")


def new_site_project(folder: Path, zone: str = "Europe/London") -> Path:
    (folder / "releases").mkdir(parents=True)
    shutil.copytree(ROOT / "templates", folder / "templates")
    house = folder / "templates" / "house.yaml"
    house.write_text(house.read_text().replace("timezone: Europe/London", f"timezone: {zone}"))
    return folder


def site(project: Path, moment: datetime, *args: str, env: dict | None = None):
    return CliRunner(env=env).invoke(main, [
        "site", str(project / "releases"), "--house", str(project / "templates" / "house.yaml"),
        "--out", str(project / "site"), "--preview-out", str(project / "site-preview"),
        "--as-of", f"@{int(moment.timestamp())}", *args], catch_exceptions=False)


def everything_under(folder: Path) -> tuple[list[str], bytes]:
    """Every path name (relative) and every byte of every file under `folder`."""
    names, data = [], b""
    for path in sorted(folder.rglob("*")):
        names.append(str(path.relative_to(folder)))
        if path.is_file():
            data += path.read_bytes()
    return names, data


def secrets() -> list[str]:
    return [RID, HEADLINE, SUMMARY, *SENTENCES]


def leaks(folder: Path) -> list[str]:
    names, data = everything_under(folder)
    found = [s for s in secrets() if s.encode() in data]
    return found + [n for n in names if RID in n]


def present(folder: Path) -> list[str]:
    """What of the release is missing from the site."""
    page = folder / RID / "index.html"
    if not page.exists():
        return ["its page"]
    html = page.read_text()
    index = (folder / "index.html").read_text()
    missing = [s for s in (HEADLINE, SUMMARY, *SENTENCES) if s not in html]
    missing += [what for what in (HEADLINE, f'href="{RID}/"') if what not in index]
    missing += [name for name in (f"{RID}.pdf", f"{RID}.docx") if not (folder / RID / name).stat().st_size]
    return missing


# ---------------------------------------------------------------- the must-show test


def test_nothing_of_the_release_is_under_the_site_a_minute_before_its_lift(tmp_path):
    project = new_site_project(tmp_path / "p")
    lifts = datetime(2026, 3, 29, 9, 30, tzinfo=timezone.utc)
    (project / "releases" / f"{RID}.yaml").write_text(release_yaml(lifts, ZoneInfo("Europe/London")))
    key = {"PRESSGEN_PREVIEW_KEY": "office secret"}
    result = site(project, lifts - timedelta(minutes=1), env=key)
    assert result.exit_code == 0, result.stderr
    assert leaks(project / "site") == []
    assert (project / "site" / "index.html").exists()  # the site itself is there, empty
    # the state is outside the site; the preview is in its own folder, under the token
    assert (project / ".pressgen" / "site-record.json").exists()
    token = hmac.new(b"office secret", RID.encode(), hashlib.sha256).hexdigest()[:32]
    preview = (project / "site-preview" / token / "index.html").read_text()
    assert "noindex" in preview and "EMBARGOED UNTIL 10:30 BST, Sunday 29 March 2026" in preview
    result = site(project, lifts, env=key)
    assert result.exit_code == 0, result.stderr
    assert present(project / "site") == []
    assert not (project / "site-preview" / token).exists()  # removed at the lift


# ---------------------------------------------------------------- over every clock change


def clock_changes(zone: str) -> list[datetime]:
    """Every instant of 2026–2030 at which `zone`'s offset changes, to the minute."""
    tz = ZoneInfo(zone)
    changes = []
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    while moment.year < 2031:
        later = moment + timedelta(hours=6)
        if moment.astimezone(tz).utcoffset() != later.astimezone(tz).utcoffset():
            low, high = moment, later
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = mid
                else:
                    high = mid
            changes.append(high)
        moment = later
    return changes


CHANGES = [(zone, instant) for zone in ("Europe/London", "America/New_York")
           for instant in clock_changes(zone)]


def test_the_clock_changes_are_the_ones_expected():
    assert len(CHANGES) == 20  # two a year in each zone
    assert (("Europe/London", datetime(2026, 3, 29, 1, 0, tzinfo=timezone.utc)) in CHANGES)
    assert (("America/New_York", datetime(2026, 11, 1, 6, 0, tzinfo=timezone.utc)) in CHANGES)


@pytest.fixture(scope="module")
def zone_projects(tmp_path_factory):
    return {zone: new_site_project(tmp_path_factory.mktemp(zone.replace("/", "-")), zone)
            for zone in ("Europe/London", "America/New_York")}


@settings(max_examples=EXAMPLES, deadline=None, derandomize="PRESSGEN_FUZZ_EXAMPLES" not in os.environ,
          suppress_health_check=list(HealthCheck), database=None)
@given(change=st.sampled_from(CHANGES), minutes=st.integers(-180, 180))
def test_no_leak_a_minute_before_any_lift_around_every_clock_change(zone_projects, change, minutes):
    zone, instant = change
    project = zone_projects[zone]
    lifts = instant + timedelta(minutes=minutes)
    local = lifts.astimezone(ZoneInfo(zone))
    if local.hour == 0 and local.minute == 0:
        lifts += timedelta(minutes=1)  # a lift at local midnight is still on its date
    (project / "releases" / f"{RID}.yaml").write_text(release_yaml(lifts, ZoneInfo(zone)))
    before = site(project, lifts - timedelta(minutes=1))
    assert before.exit_code == 0, before.stderr
    assert leaks(project / "site") == [], (zone, lifts)
    after = site(project, lifts)
    assert after.exit_code == 0, after.stderr
    assert present(project / "site") == [], (zone, lifts)


# ---------------------------------------------------------------- the feed, withdrawal, drafts


def three_releases(project: Path) -> dict[str, datetime]:
    london = ZoneInfo("Europe/London")
    lifts = {"a-published": datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc),
             "b-embargoed": datetime(2026, 3, 4, 9, 0, tzinfo=timezone.utc),
             "c-draft": datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc),
             "d-published": datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)}
    for rid, moment in lifts.items():
        text = release_yaml(moment, london, "draft" if rid == "c-draft" else "final")
        (project / "releases" / f"{rid}.yaml").write_text(
            text.replace(HEADLINE, f"Headline {rid}"))
    return lifts


def test_a_feed_reader_reads_every_published_release_and_no_other(tmp_path):
    project = new_site_project(tmp_path / "p")
    three_releases(project)
    assert site(project, datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc)).exit_code == 0
    feed = feedparser.parse((project / "site" / "feed.atom").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    base = "https://www.justiceinspectorates.gov.uk/hmiprobation/"
    assert [e.link for e in feed.entries] == [f"{base}d-published/", f"{base}a-published/"]
    assert [e.title for e in feed.entries] == ["Headline d-published", "Headline a-published"]
    index = (project / "site" / "index.html").read_text()
    assert index.index("Headline d-published") < index.index("Headline a-published")
    sitemap = (project / "site" / "sitemap.xml").read_text()
    assert f"{base}a-published/" in sitemap and "b-embargoed" not in sitemap
    assert sorted(p.name for p in (project / "site").iterdir()) == [
        "a-published", "d-published", "feed.atom", "index.html", "sitemap.xml"]


def test_the_feed_holds_the_newest_fifty():
    from pressgen.model import Organisation, default_words
    from pressgen.site_pages import Listed, feed_atom

    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    shown = [Listed(f"r{n:02d}", f"https://x.org/r{n:02d}/", f"r{n:02d}/", f"H{n}", None,
                    "2026-01-01", "1 January 2026", "en-GB", moment - timedelta(hours=n))
             for n in range(60)]
    feed = feedparser.parse(feed_atom(shown, Organisation("Org"), default_words(), "https://x.org/"))
    assert [e.title for e in feed.entries] == [f"H{n}" for n in range(50)]


def test_a_lift_moved_later_withdraws_the_page_and_says_so(tmp_path):
    project = new_site_project(tmp_path / "p")
    london = ZoneInfo("Europe/London")
    lifts = datetime(2026, 3, 29, 9, 30, tzinfo=timezone.utc)
    source = project / "releases" / f"{RID}.yaml"
    source.write_text(release_yaml(lifts, london))
    assert site(project, lifts).exit_code == 0
    assert present(project / "site") == []
    source.write_text(release_yaml(lifts + timedelta(hours=2), london))
    result = site(project, lifts + timedelta(minutes=5))
    assert result.exit_code == 0, result.stderr
    assert f"withdrew {RID}" in result.stderr and "until 12:30 BST" in result.stderr
    assert leaks(project / "site") == []


def test_a_rebuild_changes_nothing_and_two_builds_are_byte_identical(tmp_path):
    first, second = (new_site_project(tmp_path / name) for name in ("one", "two"))
    for project in (first, second):
        three_releases(project)
    moment = datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc)
    assert site(first, moment).exit_code == 0
    stamps = {p: p.stat().st_mtime_ns for p in (first / "site").rglob("*")}
    again = site(first, moment)
    assert "2 unchanged" in again.stderr and "published" not in again.stderr.split(",")[0]
    assert {p: p.stat().st_mtime_ns for p in (first / "site").rglob("*")} == stamps
    assert site(second, moment, "--jobs", "1").exit_code == 0  # one process, or several
    assert everything_under(first / "site") == everything_under(second / "site")


def test_pages_are_written_before_the_index_and_removals_after(tmp_path, monkeypatch):
    import pressgen.site as site_module

    project = new_site_project(tmp_path / "p")
    three_releases(project)
    assert site(project, datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)).exit_code == 0
    order: list[str] = []
    import pressgen.site_render as render_module

    real_write, real_remove = site_module.write_atomic, site_module._remove
    for module in (site_module, render_module):  # release folders are written by the latter
        monkeypatch.setattr(module, "write_atomic", lambda path, data: order.append(
            f"write {path.name}") or real_write(path, data))
    monkeypatch.setattr(site_module, "_remove",
                        lambda path: order.append(f"remove {path.name}") or real_remove(path))
    (project / "releases" / "a-published.yaml").write_text(
        (project / "releases" / "a-published.yaml").read_text().replace("final", "draft"))
    assert site(project, datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc),
                "--jobs", "1").exit_code == 0  # in this process, where the calls are seen
    writes = [o for o in order if o.startswith("write")]
    assert writes[:3] == ["write d-published.pdf", "write d-published.docx", "write index.html"]
    assert writes[3] == "write index.html"  # the site's index, after the page it links
    assert order.index("remove a-published") > order.index("write sitemap.xml")
    assert not (project / "site" / "a-published").exists()


def test_status_prints_the_preview_token(tmp_path):
    project = new_site_project(tmp_path / "p")
    three_releases(project)
    result = CliRunner(env={"PRESSGEN_PREVIEW_KEY": "k"}).invoke(main, [
        "status", str(project / "releases"), "--house", str(project / "templates" / "house.yaml"),
        "--as-of", "2026-03-03 12:00", "--preview"])
    token = hmac.new(b"k", b"b-embargoed", hashlib.sha256).hexdigest()[:32]
    line = next(l for l in result.stdout.splitlines() if l.startswith("b-embargoed"))
    assert line.endswith(f"preview {token}/")
    assert "preview" not in next(l for l in result.stdout.splitlines() if l.startswith("c-draft"))
    no_key = CliRunner(env={"PRESSGEN_PREVIEW_KEY": ""}).invoke(main, [
        "status", str(project / "releases"), "--house", str(project / "templates" / "house.yaml"),
        "--preview"])
    assert no_key.exit_code == 2


@pytest.mark.parametrize("args", [["--preview-out", "{site}/previews"], ["--out", "{root}/releases"],
                                  ["--base-url", "ftp://example.org/"]])
def test_usage_errors(tmp_path, args):
    project = new_site_project(tmp_path / "p")
    args = [a.format(site=project / "site", root=project) for a in args]
    assert site(project, datetime(2026, 3, 3, tzinfo=timezone.utc), *args).exit_code == 2


def test_no_base_url_is_a_usage_error(tmp_path):
    project = new_site_project(tmp_path / "p")
    house = project / "templates" / "house.yaml"
    house.write_text("\n".join(l for l in house.read_text().splitlines() if "website" not in l))
    result = site(project, datetime(2026, 3, 3, tzinfo=timezone.utc))
    assert result.exit_code == 2 and "--base-url" in result.stderr


# ---------------------------------------------------------------- make site


def test_make_site_publishes_at_the_lift_and_does_nothing_in_between(tmp_path):
    from projects import at, make, needs_make, new_project

    if needs_make.args[0]:
        pytest.skip(needs_make.kwargs["reason"])
    project = new_project(tmp_path / "p", {"a": at(10), "b": None}, make=True)
    first = make(project, at(10) - 60, "site")
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in (project / "site").iterdir()) == [
        "b", "feed.atom", "index.html", "sitemap.xml"]
    assert b"Release a" not in everything_under(project / "site")[1]
    assert "Nothing to be done" in make(project, at(10) - 30, "site").stdout
    lifted = make(project, at(10), "site")
    assert lifted.returncode == 0 and "pressgen site" in lifted.stdout
    assert "Release a" in (project / "site" / "a" / "index.html").read_text()
    assert "Nothing to be done" in make(project, at(11), "site").stdout


def test_a_lost_record_still_takes_down_what_must_not_be_there(tmp_path):
    project = new_site_project(tmp_path / "p")
    lifts = three_releases(project)
    assert site(project, datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc)).exit_code == 0
    shutil.rmtree(project / ".pressgen")
    (project / "releases" / "a-published.yaml").unlink()  # gone, and the record with it
    source = project / "releases" / "d-published.yaml"
    source.write_text(release_yaml(lifts["d-published"] + timedelta(days=2), ZoneInfo("Europe/London"))
                      .replace(HEADLINE, "Headline d-published"))
    (project / "site" / "notes").mkdir()  # a folder of the office's own is left alone
    assert site(project, datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc)).exit_code == 0
    assert sorted(p.name for p in (project / "site").iterdir()) == [
        "feed.atom", "index.html", "notes", "sitemap.xml"]


def test_the_index_follows_its_template_and_comes_back_when_deleted(tmp_path):
    project = new_site_project(tmp_path / "p")
    three_releases(project)
    moment = datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc)
    assert site(project, moment).exit_code == 0
    own = project / "templates" / "newsroom.html.j2"
    shutil.copyfile(ROOT / "src" / "pressgen" / "templates" / "newsroom.html.j2", own)
    own.write_text(own.read_text().replace("<main", "<!-- ours --><main"))
    assert site(project, moment).exit_code == 0
    assert "<!-- ours -->" in (project / "site" / "index.html").read_text()
    (project / "site" / "feed.atom").unlink()
    assert site(project, moment).exit_code == 0
    assert (project / "site" / "feed.atom").exists()


def test_a_page_that_cannot_be_rendered_is_reported_and_leaves_nothing(tmp_path):
    project = new_site_project(tmp_path / "p")
    three_releases(project)
    (project / "templates" / "release.html.j2").write_text("{% if %}\n")
    result = site(project, datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc))
    assert result.exit_code == 1
    assert "release.html.j2:1:1: error: the HTML template is broken" in result.stderr
    assert sorted(p.name for p in (project / "site").iterdir()) == [
        "feed.atom", "index.html", "sitemap.xml"]
    assert "Headline" not in (project / "site" / "index.html").read_text()
