"""`pressgen schema` and the editor's copy (issue 14): the exported JSON Schema, read
as an editor reads YAML (a plain YAML 1.2 loader, no positions, nothing of
pressgen's), accepts every release in releases/ and rejects every corpus file that
`check` rejects for a schema reason; it is no stricter than `check` either."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from conftest import HOUSE, ROOT
from pressgen.cli import main
from pressgen.errors import ReleaseError
from pressgen.schema import HOUSE as HOUSE_SCHEMA
from pressgen.schema import RELEASE, validate
from pressgen.yamlsource import load_yaml
from test_corpus import CORPUS, TABLE


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML with the YAML 1.2 core schema's scalars, as yaml-language-server reads
    YAML: `no`, `on` and `2026-01-29` are text; only true/false, null and numbers are not."""


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
):
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))


def _integer(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    """YAML 1.2: `0123` is decimal (1.1 read it as octal); too long a number is still one."""
    text = node.value
    try:
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
    except ValueError:
        return float("inf")


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _integer)


def exported(kind: str) -> Draft202012Validator:
    """The schema as `pressgen schema KIND` prints it, read back from its JSON."""
    result = CliRunner().invoke(main, ["schema", kind], catch_exceptions=False)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def plain(path: Path):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
    except (yaml.YAMLError, UnicodeDecodeError):
        return None  # not YAML an editor could read either


def schema_reason(path: Path, schema: dict, what: str) -> bool | None:
    """Whether `check` rejects the file for a schema reason: the one problem the corpus
    table names for it is one that schema.validate reports. None: pressgen's YAML
    loader refuses it before any schema is applied (syntax, anchors, tags...)."""
    try:
        doc = load_yaml(path)
    except ReleaseError:
        return None
    where, words = next((w, m) for name, w, m in TABLE if name == path.name)
    return any(f"{p.line}:{p.column}" == where and words in p.message
               for p in validate(doc, schema, what))


def test_the_schema_is_draft_2020_12_and_every_key_is_described():
    for kind in ("release", "house"):
        schema = json.loads(CliRunner().invoke(main, ["schema", kind]).stdout)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] and schema["title"] and schema["description"]
        undescribed = [path for path, node in _properties(schema, ()) if not node.get("description")]
        assert undescribed == [], f"{kind}: keys with no description: {undescribed}"


def _properties(node, path):
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield path + (name,), sub
            yield from _properties(sub, path + (name,))
        for key in ("items", "additionalProperties", "if", "then", "else"):
            if isinstance(node.get(key), dict):
                yield from _properties(node[key], path + ("*",))
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key) or []:
                yield from _properties(sub, path)


def test_every_release_in_releases_is_valid():
    validator = exported("release")
    releases = sorted((ROOT / "releases").glob("*.yaml"))
    assert releases
    for path in releases:
        assert list(validator.iter_errors(plain(path))) == [], path
    assert list(exported("house").iter_errors(plain(HOUSE))) == []


@pytest.mark.parametrize("kind", ["release", "house"])
def test_the_schema_rejects_what_check_rejects_for_a_schema_reason(kind):
    validator = exported(kind)
    schema = RELEASE if kind == "release" else HOUSE_SCHEMA
    rows = [(n, w) for n, w, _ in TABLE if n.startswith("house-") == (kind == "house")]
    rejected, accepted = [], []
    for name, where in rows:
        path = CORPUS / name
        reason = None if where == "ok" else schema_reason(
            path, schema, "a release" if kind == "release" else "the house file")
        data = plain(path)
        if reason is None and where != "ok":
            continue  # refused before the schema; an editor's YAML parser says why
        errors = list(validator.iter_errors(data)) if data is not None else ["unreadable"]
        if reason:
            rejected.append(name)
            assert errors, f"{name}: check rejects it for a schema reason, the schema accepts it"
        elif name not in _STRICTER_ON_PURPOSE:
            accepted.append(name)
            assert not errors, f"{name}: check accepts its shape, the schema says {errors[0]}"
    # the classification found the schema cases (wrong types, missing and unknown keys,
    # empty text, bad emails, phones and dates, ids); a loader change must not empty it
    assert len(rejected) >= (25 if kind == "release" else 8), rejected


# a key that is not a word (`1: x`): pressgen's loader refuses it before the schema, a
# plain loader hands the schema an integer key, which it refuses as unknown: both refuse
_STRICTER_ON_PURPOSE = {"key-not-a-word.yaml"}


def test_new_writes_the_schema_line_and_the_copy(tmp_path, monkeypatch):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "house.yaml").write_text(HOUSE.read_text())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["new", "first-release"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "releases" / "first-release.yaml").read_text()
    assert text.split("\n")[0] == \
        "# yaml-language-server: $schema=../.pressgen/schema/release.schema.json"
    copy = tmp_path / ".pressgen" / "schema" / "release.schema.json"
    assert copy.read_text() == CliRunner().invoke(main, ["schema", "release"]).stdout
    assert (tmp_path / ".pressgen" / "schema" / "house.schema.json").exists()
    # the skeleton as written is valid for the schema as for check
    assert list(Draft202012Validator(json.loads(copy.read_text())).iter_errors(
        plain(tmp_path / "releases" / "first-release.yaml"))) == []
    assert CliRunner().invoke(main, ["check", "releases/first-release.yaml"]).exit_code == 0
