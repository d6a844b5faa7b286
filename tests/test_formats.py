"""The format registry and the resources writers read through.

A format is one writer module plus one registry entry: the CLI, the build and
the record read the registry. A throwaway format defined here (not shipped)
composes the text output, to show that a composing format gets the other's
bytes through its resources, and that what the composed writer read rebuilds it.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from conftest import ROOT
from pressgen import build as batch
from pressgen import cli, formats, writers
from pressgen.embargo import parse_moment
from pressgen.formats import Format
from pressgen.load import load_house
from pressgen.reading import noting_reads
from pressgen.resources import MISSING, Resources
from projects import at, new_project

PAIR = Format("pair", "pair", __name__, default=False, composes=("txt",))
EXTRA = Format("extra", "extra", __name__, default=False)


def render(release, resources: Resources) -> bytes:
    """The throwaway writer of both test formats."""
    if resources.format == "extra":  # a new kind of input, read through resources
        return b"EXTRA " + resources.template("words.txt")
    return b"PAIR\n" + resources.output("txt", release)


# ---------------------------------------------------------------- the registry


def test_the_registry_is_the_only_list_of_formats():
    names = formats.names()
    assert names == ("pdf", "docx", "txt", "html", "eml")
    assert len(set(names)) == len(names)
    assert len(set(formats.extensions())) == len(formats.FORMATS)
    assert set(formats.defaults()) <= set(names)
    build_option = next(p for p in cli.build.params if p.name == "chosen")
    assert tuple(build_option.type.choices) == names
    for stale in ((cli, "FORMAT_NAMES"), (batch, "EXTENSIONS"), (batch, "TEMPLATE_OF"),
                  (writers, "FORMATS")):
        assert not hasattr(*stale), stale


@pytest.mark.parametrize("entry", formats.FORMATS, ids=lambda f: f.name)
def test_every_entry_names_a_writer_and_only_earlier_formats(entry):
    assert callable(importlib.import_module(entry.module).render)
    earlier = formats.names()[:formats.names().index(entry.name)]
    assert set(entry.composes) <= set(earlier)


# ---------------------------------------------------------------- a throwaway format


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "FORMATS", formats.FORMATS + (PAIR, EXTRA))
    return new_project(tmp_path / "project", {"a": at(10)})


def run(project: Path, *chosen: str) -> list[batch.Outcome]:
    with noting_reads() as reads:
        house = load_house(project / "templates" / "house.yaml")
    job = batch.Job(house, project / "dist", chosen, parse_moment("@" + str(at(9)), house.tz,
                                                                  epoch=True),
                    None, house_reads=reads)
    return list(batch.build(batch.discover([project / "releases"]), job,
                            folders=[project / "releases"]))


def written(outcomes: list[batch.Outcome]) -> list[str]:
    assert not [p for o in outcomes for p in o.problems], outcomes
    return [name for o in outcomes for name in o.written]


def test_a_composing_format_gets_the_other_formats_bytes_through_its_resources(project):
    assert written(run(project, "pair")) == ["a.pair"]
    text = (project / "dist" / "a.pair").read_bytes()
    assert text.startswith(b"PAIR\nEMBARGOED UNTIL 10:00 GMT")
    assert not (project / "dist" / "a.txt").exists()  # composed, not written
    record = json.loads((project / "dist" / ".pressgen-cache.json").read_text())
    pair_set = record["sets"][record["releases"]["a"]["outputs"]["pair"]["inputs"]]
    assert "file:../templates/release.txt.j2" in pair_set  # what the text writer read
    assert written(run(project, "pair")) == []
    template = project / "templates" / "release.txt.j2"
    template.write_text(template.read_text() + "\nThe end.\n")
    assert written(run(project, "pair")) == ["a.pair"]
    assert written(run(project, "pair", "txt")) == ["a.txt"]  # one rendering shared...
    assert (project / "dist" / "a.pair").read_bytes() == \
        b"PAIR\n" + (project / "dist" / "a.txt").read_bytes()  # ...and the same bytes


def test_a_format_may_ask_only_for_what_its_entry_composes(project, monkeypatch):
    monkeypatch.setattr(formats, "FORMATS", formats.FORMATS[:4] + (PAIR._replace(composes=()),))
    [outcome] = run(project, "pair")
    assert "does not compose 'txt'" in outcome.problems[0].message


def test_a_new_kind_of_input_is_recorded_because_it_was_read(project):
    words = project / "templates" / "words.txt"
    words.write_text("one\n")
    assert written(run(project, "extra")) == ["a.extra"]
    assert written(run(project, "extra")) == []
    words.write_text("two\n")
    assert written(run(project, "extra")) == ["a.extra"]
    assert (project / "dist" / "a.extra").read_bytes() == b"EXTRA two\n"


def test_a_template_added_to_the_house_folder_later_rebuilds(project):
    """The built-in template was used because the house folder had none: that absence
    is recorded, so adding one there is a change."""
    own = project / "templates" / "release.txt.j2"
    own.unlink()
    assert written(run(project, "txt")) == ["a.txt"]
    assert written(run(project, "txt")) == []
    own.write_text("{{ release.headline }}\n")
    assert written(run(project, "txt")) == ["a.txt"]
    assert (project / "dist" / "a.txt").read_text() == "Release a\n"


def test_resources_note_what_was_read_and_what_was_looked_for(tmp_path):
    resources = Resources(load_house(ROOT / "templates" / "house.yaml").templates)
    resources.template("release.txt.j2")
    resources.font("NotoSans-Regular.ttf")
    assert {p.name for p in resources.noted} == {"release.txt.j2", "NotoSans-Regular.ttf"}
    bare = Resources(load_house(new_project(tmp_path / "p", {}) / "templates" / "house.yaml")
                     .templates)
    (tmp_path / "p" / "templates" / "release.txt.j2").unlink()
    bare.template("release.txt.j2")
    assert sorted(bare.noted.values()).count(MISSING) == 1
