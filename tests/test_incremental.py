"""Incremental builds: with nothing changed nothing is rendered; each kind of change
rebuilds exactly the outputs it affects. And the outputs do not depend on --jobs.

A few small releases keep this quick. "Rebuilt" is read off the files: every
write replaces the file, so a rewritten output has a new inode or time.
"""

from __future__ import annotations

import shutil
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from pressgen import record, resources
from pressgen.cli import main

AS_OF = ["--as-of", "2026-01-28 12:00"]
RELEASE = """\
headline: Release {n}
date: 2026-02-0{n}
{extra}
body: |
  The inspectorate published report number {n} today.

  ## Findings

  - One finding.
  - Another finding.
contacts: [{contact}]
"""
IDS = ("a", "b", "c")
ALL = {f"{i}.{ext}" for i in IDS for ext in ("pdf", "docx", "txt")}


def release_text(n: int, contact: str = "press-office", extra: str = "status: final") -> str:
    return RELEASE.format(n=n, contact=contact, extra=extra)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Three releases (`b` with its own contact) and a copy of the templates."""
    (tmp_path / "releases").mkdir()
    for n, name in enumerate(IDS, start=1):
        contact = "regional" if name == "b" else "press-office"
        (tmp_path / "releases" / f"{name}.yaml").write_text(release_text(n, contact))
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    house = tmp_path / "templates" / "house.yaml"
    house.write_text(house.read_text().replace("contacts:\n", textwrap.dedent("""\
        contacts:
          regional:
            name: Ceri Morgan
            email: ceri.morgan@example.org
        """), 1))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    """One build, on one job unless told (workers would import the writers each time)."""
    jobs = [] if "--jobs" in args else ["--jobs", "1"]
    result = CliRunner().invoke(main, ["build", *jobs, *args, *AS_OF], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def snapshot(out: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in out.iterdir() if not p.name.startswith(".")}


def rebuilt(*args: str) -> set[str]:
    """The outputs a `pressgen build` rewrites."""
    out = Path("dist")
    before = snapshot(out) if out.exists() else {}
    run(*args)
    after = snapshot(out)
    return {name for name, state in after.items() if before.get(name) != state}


def test_first_build_renders_all_and_a_second_nothing(project):
    assert rebuilt() == ALL
    assert rebuilt() == set()
    assert rebuilt("releases/a.yaml", "./releases/b.yaml", str(project / "releases")) == set()


def test_nothing_changed_loads_nothing(project, monkeypatch):
    from pressgen import outputs

    run()

    def no_loading(*args, **kwargs):
        raise AssertionError("an unchanged release was loaded")

    monkeypatch.setattr(outputs, "load_release", no_loading)
    result = run("--jobs", "1")
    assert "0 built, 3 unchanged" in result.stderr


def test_a_changed_release_rebuilds_only_itself(project):
    run()
    Path("releases/b.yaml").write_text(release_text(2, "regional").replace("number 2", "no. 2"))
    assert rebuilt() == {"b.pdf", "b.docx", "b.txt"}


def test_a_change_that_leaves_the_model_alone_rebuilds_nothing(project):
    run()
    path = Path("releases/c.yaml")
    path.write_text("# a comment, and the same release\n" + path.read_text())
    assert rebuilt() == set()


def test_the_house_file_rebuilds_the_releases_that_use_what_changed(project):
    run()
    house = Path("templates/house.yaml")
    house.write_text(house.read_text().replace("Ceri Morgan", "Ceri Jones"))
    assert rebuilt() == {"b.pdf", "b.docx", "b.txt"}  # only b names that contact
    house.write_text(house.read_text().replace("independent inspector", "inspector"))
    assert rebuilt() == ALL  # the `always` note is in every release


def test_the_text_template_rebuilds_only_text(project):
    run()
    template = Path("templates/release.txt.j2")
    template.write_text(template.read_text() + "\nEnd of release.\n")
    assert rebuilt() == {f"{i}.txt" for i in IDS}


def test_the_reference_docx_rebuilds_only_docx(project):
    run()
    with zipfile.ZipFile("templates/reference.docx", "a") as restyled:
        restyled.comment = b"restyled"
    assert rebuilt() == {f"{i}.docx" for i in IDS}


def test_a_font_rebuilds_only_pdf(project, tmp_path_factory, monkeypatch):
    """pressgen's fonts from a copy (as if pressgen's own changed): the record names
    the very files the PDF writer read, so a change to one of them rebuilds PDFs."""
    fonts = tmp_path_factory.mktemp("fonts")
    for font in resources.FONTS.glob("*.ttf"):
        shutil.copy(font, fonts / font.name)
    monkeypatch.setattr(resources, "FONTS", fonts)
    run()
    with open(fonts / "NotoSans-Bold.ttf", "ab") as changed:
        changed.write(b"\0")
    assert rebuilt() == {f"{i}.pdf" for i in IDS}
    assert rebuilt() == set()


def test_a_new_version_or_new_code_rebuilds_everything(project, monkeypatch):
    run()
    code_digest = record.code_digest
    monkeypatch.setattr(record, "__version__", "99.0")
    code_digest.cache_clear()
    try:
        assert rebuilt() == ALL
        monkeypatch.setattr(record, "code_digest", lambda: "other code")
        assert rebuilt() == ALL
    finally:
        code_digest.cache_clear()


def test_a_lifting_embargo_rebuilds_only_its_release(project):
    Path("releases/a.yaml").write_text(release_text(1, extra="embargo: 2026-02-01 00:01"))
    run()
    result = CliRunner().invoke(main, ["build", "--jobs", "1", "--as-of", "2026-02-01 00:01"])
    assert "1 built, 2 unchanged" in result.stderr


def test_a_deleted_or_edited_output_is_rebuilt(project):
    run()
    Path("dist/a.pdf").unlink()
    Path("dist/c.txt").write_text("edited by hand\n")
    assert rebuilt() == {"a.pdf", "c.txt"}


def test_source_date_epoch_rebuilds_everything(project, monkeypatch):
    run()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769644800")
    assert rebuilt() == ALL


def test_outputs_do_not_depend_on_the_number_of_jobs(project):
    run("--jobs", "1", "--out", "one")
    run("--jobs", "2", "--out", "two")
    one = {p.name: p.read_bytes() for p in Path("one").iterdir() if not p.name.startswith(".")}
    two = {p.name: p.read_bytes() for p in Path("two").iterdir() if not p.name.startswith(".")}
    assert set(one) == ALL
    assert one == two


def _logo(path: Path, colour: tuple[int, int, int]) -> None:
    from PIL import Image

    Image.new("RGB", (90, 30), colour).save(path, "PNG")


def test_a_logo_rebuilds_only_the_pdf_and_docx(project):
    house = Path("templates/house.yaml")
    _logo(Path("templates/logo.png"), (11, 60, 93))
    house.write_text(house.read_text().replace(
        "  website:", "  logo: logo.png\n  logo_alt: HMIP logo\n  website:", 1))
    run()
    _logo(Path("templates/logo.png"), (160, 20, 30))
    assert rebuilt() == {f"{i}.{ext}" for i in IDS for ext in ("pdf", "docx")}


def test_a_words_file_rebuilds_the_releases_in_its_language_only(project):
    Path("releases/c.yaml").write_text(release_text(3, extra="status: final\nlanguage: cy"))
    run()
    Path("templates/words").mkdir()
    Path("templates/words/en-GB.yaml").write_text("words:\n  notes_heading: Editors’ notes\n")
    assert rebuilt() == ALL - {"c.pdf", "c.docx", "c.txt"}  # added: its absence was noted
    Path("templates/words/cy.yaml").write_text("words:\n  notes_heading: Nodiadau\n")
    assert rebuilt() == {"c.pdf", "c.docx", "c.txt"}
    assert "Nodiadau\n" in Path("dist/c.txt").read_text()
