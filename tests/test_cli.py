"""Spec §7: the commands, their exit codes and the error format, through click's runner."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import HOUSE, MINIMAL, ROOT, SEED
from pressgen.cli import main

AS_OF = ["--as-of", "2026-01-28 12:00"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the project's releases and templates, as the working directory."""
    shutil.copytree(ROOT / "releases", tmp_path / "releases")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_build_writes_every_format_of_every_release(project):
    result = run("build", *AS_OF)
    assert result.exit_code == 0, result.stderr
    for release in (project / "releases").glob("*.yaml"):
        for ext in ("pdf", "docx", "txt"):
            assert (project / "dist" / f"{release.stem}.{ext}").stat().st_size > 0
    assert "4 built" in result.stderr


def test_embargo_line_then_immediate(project):
    seed = "dist/2026-01-29-kss-public-protection.txt"
    assert run("build", "--format", "txt", *AS_OF).exit_code == 0
    assert Path(seed).read_text().split("\n")[0] == \
        "EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026"
    assert run("build", "--format", "txt", "--as-of", "2026-01-29 00:01").exit_code == 0
    assert Path(seed).read_text().split("\n")[0] == "FOR IMMEDIATE RELEASE"


def test_misspelt_key_fails_one_release_and_builds_the_others(project):
    bad = project / "releases" / "bad.yaml"
    bad.write_text(MINIMAL + "embagro: 2026-01-29 00:01\n")
    result = run("build", "--format", "txt", *AS_OF)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ["releases/bad.yaml:5:1: error: unknown key `embagro`; did you mean `embargo`?"]
    assert not (project / "dist" / "bad.txt").exists()
    assert (project / "dist" / "2026-01-29-kss-public-protection.txt").exists()
    assert "Traceback" not in result.output


def test_failed_release_removes_its_old_outputs(project):
    assert run("build", "--format", "txt", *AS_OF).exit_code == 0
    seed = project / "releases" / "2026-01-29-kss-public-protection.yaml"
    seed.write_text(seed.read_text().replace("headline:", "headlin:"))
    assert run("build", "--format", "txt", *AS_OF).exit_code == 1
    assert not (project / "dist" / "2026-01-29-kss-public-protection.txt").exists()


def test_paths_and_formats_and_out(project):
    result = run("build", SEED.name and "releases/2026-01-29-kss-public-protection.yaml",
                 "--format", "txt", "--format", "pdf", "--out", "elsewhere", *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (project / "elsewhere").iterdir() if not p.name.startswith(".")) \
        == ["2026-01-29-kss-public-protection.pdf", "2026-01-29-kss-public-protection.txt"]


def test_same_input_gives_identical_bytes(project):
    assert run("build", *AS_OF).exit_code == 0
    first = {p.name: p.read_bytes() for p in (project / "dist").glob("*.*")}
    assert run("build", "--force", "--out", "again", *AS_OF).exit_code == 0
    for name, data in first.items():
        if not name.startswith("."):
            assert (project / "again" / name).read_bytes() == data, name


def test_unchanged_release_is_not_rendered_again(project):
    assert run("build", "--format", "txt", *AS_OF).exit_code == 0
    result = run("build", "--format", "txt", *AS_OF)
    assert "0 built, 4 unchanged" in result.stderr
    # the embargo lifting changes the seed's output, so only it is rebuilt
    result = run("build", "--format", "txt", "--as-of", "2026-01-29 00:01")
    assert "1 built, 3 unchanged" in result.stderr


def test_check_writes_nothing_and_reports(project):
    result = run("check")
    assert result.exit_code == 0 and not (project / "dist").exists()
    (project / "releases" / "bad.yaml").write_text("headline: x\n")
    result = run("check")
    assert result.exit_code == 1
    assert "releases/bad.yaml:1:1: error: missing required key `date`" in result.stderr


def test_status_lists_states(project):
    result = run("status", "--as-of", "2026-06-17 20:00")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "2026-01-29-kss-public-protection  lifted at 00:01 GMT, Thursday 29 January 2026" in lines[0]
    assert "immediate" in lines[1]
    assert "embargoed until 00:01 BST, Thursday 18 June 2026 (4 h 1 min left)" in lines[2]


@pytest.mark.parametrize("args", [
    ["build", "--as-of", "yesterday"],
    ["build", "--as-of", "2026-03-29 01:30"],
    ["status", "--as-of", "soon"],
    ["build", "--format", "rtf"],
    ["build", "no-such-folder"],
    ["frobnicate"],
])
def test_usage_errors_exit_2(project, args):
    assert run(*args).exit_code == 2


def test_broken_house_file_is_reported_at_its_lines(project):
    (project / "templates" / "house.yaml").write_text("organisation: {}\ntimezone: Mars/Base\ncontacts: {}\n")
    result = run("build")
    assert result.exit_code == 1
    assert "templates/house.yaml:1:15: error: missing required key `name`" in result.stderr
    assert "templates/house.yaml:2:11: error: `timezone`: unknown time zone" in result.stderr


def test_new_writes_a_skeleton_that_passes_check(project):
    result = run("new", "2026-12-01-winter-report")
    assert result.exit_code == 0
    path = project / "releases" / "2026-12-01-winter-report.yaml"
    assert "# " in path.read_text() and "embargo" in path.read_text()
    assert run("check", path).exit_code == 0
    assert run("new", "2026-12-01-winter-report").exit_code == 1  # never overwritten
    assert run("new", "Bad Slug").exit_code == 2


def test_every_command_has_help_and_a_readme_line():
    readme = (ROOT / "README.md").read_text()
    for name, command in main.commands.items():
        assert command.help, name
        assert f"pressgen {name}" in readme, name
