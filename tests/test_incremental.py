"""Incremental builds: with nothing changed nothing is rendered; each kind of change
rebuilds exactly the outputs it affects. And the outputs do not depend on --jobs.

A few small releases keep this quick. "Rebuilt" is read off the files: every
write replaces the file, so a rewritten output has a new inode or time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from pressgen import build as build_module
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
    run()

    def no_loading(*args, **kwargs):
        raise AssertionError("an unchanged release was loaded")

    monkeypatch.setattr(build_module, "load_release", no_loading)
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
    run()
    fonts = tmp_path_factory.mktemp("fonts")
    for font in build_module.FONTS.glob("*.ttf"):
        shutil.copy(font, fonts / font.name)
    with open(fonts / "NotoSans-Bold.ttf", "ab") as changed:
        changed.write(b"\0")
    monkeypatch.setattr(build_module, "FONTS", fonts)
    assert rebuilt() == {f"{i}.pdf" for i in IDS}


def test_a_new_version_or_new_code_rebuilds_everything(project, monkeypatch):
    run()
    code_digest = build_module.code_digest
    monkeypatch.setattr(build_module, "__version__", "99.0")
    code_digest.cache_clear()
    try:
        assert rebuilt() == ALL
        monkeypatch.setattr(build_module, "code_digest", lambda: "other code")
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


# ---------------------------------------------------------------- make

needs_make = pytest.mark.skipif(
    shutil.which("make") is None or not (ROOT / ".venv" / ".installed").exists(),
    reason="needs make and the project's .venv (made by `make`)")


@pytest.fixture
def make_project(project):
    """The project with the repository's Makefile, code and venv, and a stamp that
    says everything was built just now (make -n then shows what a change runs)."""
    for name in ("Makefile", "src", ".venv"):
        (project / name).symlink_to(ROOT / name)
    shutil.copyfile(ROOT / "pyproject.toml", project / "pyproject.toml")
    os.utime(project / "pyproject.toml", (0, 0))  # never reinstall from a test
    (project / "dist").mkdir()
    (project / "dist" / ".make-stamp").touch()
    return project


def make_says(project: Path) -> list[str]:
    """The arguments of the `pressgen build` that make would run."""
    says = subprocess.run(["make", "-n", "--no-print-directory"], cwd=project, check=True,
                          capture_output=True, text=True).stdout
    line = next(line for line in says.splitlines() if "pressgen build" in line)
    return line.split("pressgen build --out dist", 1)[1].split()


def changed(path: Path) -> None:
    """Date `path` after the stamp, as if saved a moment after the last build."""
    later = (project_stamp(path).stat().st_mtime_ns + 10**9)
    os.utime(path, ns=(later, later))


def project_stamp(path: Path) -> Path:
    return next(p for p in path.parents if (p / "dist").exists()) / "dist" / ".make-stamp"


@needs_make
def test_make_with_nothing_changed_runs_nothing(make_project):
    result = subprocess.run(["make", "-q"], cwd=make_project)
    assert result.returncode == 0, "make would run a build"


@needs_make
def test_make_names_the_changed_releases(make_project):
    changed(make_project / "releases" / "b.yaml")
    assert make_says(make_project) == ["releases/b.yaml"]


@needs_make
def test_make_passes_the_folder_when_a_template_or_many_releases_changed(make_project):
    changed(make_project / "templates" / "release.txt.j2")
    assert make_says(make_project) == ["releases"]

    os.utime(make_project / "templates" / "release.txt.j2", (0, 0))
    for n in range(150):  # 150 names would make a long line; the folder is one word
        path = make_project / "releases" / f"many-{n:03d}.yaml"
        path.write_text(release_text(1))
        changed(path)
    assert make_says(make_project) == ["releases"]
