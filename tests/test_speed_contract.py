"""What keeps the commands quick, checked as a contract rather than timed.

`--help`, `check` and `status` must never import reportlab or python-docx (with
lxml, about 100 ms of every start); a text-only build needs neither. Each command
runs in a fresh interpreter with `-X importtime`, which names every module imported.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

HEAVY = ("reportlab", "docx", "lxml")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "releases", folder / "releases")
    shutil.copytree(ROOT / "templates", folder / "templates")
    return folder


def imported(args: list[str], cwd) -> set[str]:
    """The top-level names of every module `pressgen ARGS` imports."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "pressgen", *args],
                            cwd=cwd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name.split(".")[0])
    assert "click" in names, "no -X importtime output"
    return names


@pytest.mark.parametrize("args", [
    ["--help"],
    ["build", "--help"],
    ["check"],
    ["status", "--as-of", "2026-01-28 12:00"],
    ["build", "--format", "txt", "--as-of", "2026-01-28 12:00", "--out", "dist-txt"],
])
def test_command_never_imports_the_pdf_or_docx_libraries(project, args):
    heavy = imported(args, project) & set(HEAVY)
    assert not heavy, f"`pressgen {' '.join(args)}` imported {sorted(heavy)}"


def test_help_imports_nothing_of_pressgen_but_the_cli(project):
    names = imported(["--help"], project)
    for module in ("jsonschema", "yaml", "markdown_it", "jinja2", "pathlib"):
        assert module not in names, f"--help imported {module}"
