"""Issue 9, item 7: a release of any shape under the 1 MB cap builds in bounded time.

Each pathological shape of tests/shapes.py (one huge paragraph, 30,000 notes,
20,000 list items, 10,000 headings, 50,000 links, ...) is loaded and rendered in
every format, and each step must finish under a generous ceiling of CPU time
(not wall time: a busy CI machine must not fail it). The ceiling is not a
benchmark (`bench/shapes.py` times the shapes, at full size): it is there to fail
when something is quadratic again, which at full size takes minutes, not
seconds. To keep `make test` quick the shapes are built at a quarter of the cap;
PRESSGEN_SHAPES_SCALE=1 builds them at full size.
"""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest

import shapes
from pressgen.resources import Resources
from pressgen.errors import ReleaseError
from pressgen.writers import writer

SCALE = float(os.environ.get("PRESSGEN_SHAPES_SCALE", "0.25"))
CEILING = 20.0  # seconds for any one step; the slowest takes a few at full size
REFUSED = {"too-deep-quotes": "block quotes nest 3 deep at most"}


@pytest.fixture
def scaled(monkeypatch):
    monkeypatch.setattr(shapes, "TARGET", int(shapes.TARGET * SCALE))


def timed(step):
    started = time.process_time()
    result = step()
    return result, time.process_time() - started


@pytest.mark.parametrize("name", [n for n in shapes.SHAPES if n not in REFUSED])
def test_every_shape_builds_in_every_format_in_bounded_time(write, load, house, scaled, name):
    path = write(shapes.shape(name), f"{name}.yaml")
    release, seconds = timed(lambda: load(path))
    assert seconds < CEILING, f"loading {name} took {seconds:.1f} s"
    outputs = {}
    for fmt in ("txt", "docx", "pdf"):
        outputs[fmt], seconds = timed(lambda: writer(fmt)(release, Resources(house.templates)))
        assert seconds < CEILING, f"{fmt} of {name} took {seconds:.1f} s of CPU"
    text = outputs["txt"].decode("utf-8")
    assert text.startswith("EMBARGOED UNTIL 00:01 GMT") and "\nENDS\n" in text
    assert text.rstrip().endswith(release.contacts[-1].email)  # all of it, to the end
    with zipfile.ZipFile(io.BytesIO(outputs["docx"])) as archive:
        assert release.contacts[-1].email.encode() in archive.read("word/document.xml")
    assert outputs["pdf"].startswith(b"%PDF-") and outputs["pdf"].rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_shape_beyond_what_a_release_may_hold_is_refused_quickly(write, load, scaled, name):
    path = write(shapes.shape(name), f"{name}.yaml")
    started = time.process_time()
    with pytest.raises(ReleaseError) as info:
        load(path)
    assert time.process_time() - started < CEILING
    assert REFUSED[name] in info.value.problems[0].message
    assert len(info.value.problems) <= 51, "one mistake, reported 50 times and counted"


def test_every_shape_is_under_the_cap_at_full_size():
    for name in shapes.SHAPES:
        assert len(shapes.shape(name).encode()) <= shapes.CAP
