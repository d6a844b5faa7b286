"""The newsroom in a real browser: headless Chromium, driven by selenium, runs
axe-core on the index and on every release page (and on a preview page), served
over HTTP from 127.0.0.1. Zero WCAG 2.1 A/AA violations is the bar (spec §10).

Skips, saying why, where Chromium or its driver is not installed (Debian:
`apt-get install chromium chromium-driver`; .ci/run installs them when it can).
"""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from pressgen.cli import main

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
DRIVER = shutil.which("chromedriver")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="needs Chromium and chromedriver (Debian: apt-get install chromium chromium-driver)")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test's output is axe's report, not access lines
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The repository's releases published as of 20 June 2026 (three public, one
    draft), with previews on, served from 127.0.0.1 on a free port."""
    project = tmp_path_factory.mktemp("newsroom")
    shutil.copytree(ROOT / "releases", project / "releases")
    shutil.copytree(ROOT / "templates", project / "templates")
    (project / "releases" / "2026-07-01-later.yaml").write_text(
        (project / "releases" / "2026-06-18-annual-report.yaml").read_text()
        .replace("2026-06-18", "2026-07-01"))
    result = CliRunner(env={"PRESSGEN_PREVIEW_KEY": "browser-test"}).invoke(main, [
        "site", str(project / "releases"), "--house", str(project / "templates" / "house.yaml"),
        "--out", str(project / "public" / "site"),
        "--preview-out", str(project / "public" / "preview"), "--as-of", "2026-06-20 12:00"])
    assert result.exit_code == 0, result.stderr
    handler = functools.partial(Quiet, directory=str(project / "public"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", project / "public"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1024,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)  # never a download
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def pages(public: Path) -> list[str]:
    site = public / "site"
    paths = ["site/"] + sorted(f"site/{p.parent.name}/" for p in site.glob("*/index.html"))
    return paths + sorted(f"preview/{p.parent.name}/" for p in (public / "preview").glob("*/index.html"))


def test_every_page_passes_axe_with_no_wcag_21_aa_violation(served, browser):
    base, public = served
    found = pages(public)
    assert len(found) == 1 + 3 + 1, found  # the index, three releases, one preview
    report = {}
    for path in found:
        result = run_axe(browser, base + path)
        # axe really ran the rules that matter here
        assert {"html-has-lang", "html-lang-valid", "document-title", "color-contrast", "bypass",
                "link-name"} <= set(result["passes"]), (path, result)
        report[path] = result["violations"]
    print("\naxe-core WCAG 2.1 A/AA violations:", {path: len(v) for path, v in report.items()})
    assert {path: v for path, v in report.items() if v} == {}


def test_the_axe_harness_reports_a_violation_when_there_is_one(served, browser):
    base, public = served
    (public / "bad.html").write_text('<!DOCTYPE html><html><head><title>x</title></head><body>'
                                     '<main><h1>x</h1><img src="a.png"><p style="color:#eee">'
                                     'pale</p></main></body></html>')
    ids = {v["id"] for v in run_axe(browser, base + "bad.html")["violations"]}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= ids


def run_axe(browser, url: str) -> dict:
    browser.get(url)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.html)})), passes: r.passes.map(p => p.id)}))"
        ".catch(e => done({error: String(e)}));", WCAG)
    assert "error" not in result, result
    return result


def test_pages_in_the_browser_have_their_language_one_h1_and_no_script(served, browser):
    base, public = served
    for path in pages(public):
        browser.get(base + path)
        facts = browser.execute_script(
            "return [document.documentElement.lang, document.querySelectorAll('h1').length,"
            " document.scripts.length, document.querySelectorAll('main, header, footer').length]")
        assert facts == ["en-GB", 1, 0, 3], (path, facts)
