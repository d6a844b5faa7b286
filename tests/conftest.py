"""Shared fixtures: the project's own house file and seed release, and a release writer."""

from __future__ import annotations

import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))  # for tests/factory.py

HOUSE = ROOT / "templates" / "house.yaml"
SEED = ROOT / "releases" / "2026-01-29-kss-public-protection.yaml"

MINIMAL = """\
headline: A headline
date: 2026-01-29
body: A paragraph.
contacts: [press-office]
"""


@pytest.fixture(scope="session")
def house():
    from pressgen.load import load_house

    return load_house(HOUSE)


@pytest.fixture
def write(tmp_path):
    """Write a release file (dedented) and return its path."""

    def _write(text: str, name: str = "release.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def load(house):
    """Load a release file at a fixed build moment."""
    from pressgen.load import load_release
    from pressgen.embargo import parse_moment

    def _load(path: Path, as_of: str = "2026-01-28 12:00", epoch: int | None = None):
        return load_release(path, house, parse_moment(as_of, house.tz), epoch)

    return _load


def problems_of(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]
