"""YAML text to a node tree with marks: YAML 1.2 core scalars, nothing that can expand.

PyYAML's composer builds the nodes (with the line, column and offset of each)
that yamlsource turns into data. Anchors and aliases are refused before they
expand (a few lines of them can make gigabytes), tags other than the plain ones
and nesting deeper than any release needs too, so no input can crash the loader
or exhaust the stack. Scalars resolve by the YAML 1.2 core schema: only
true/false, null and numbers are typed.

The events come from libyaml's C parser when PyYAML has it (about 7x faster: a
1 MB release is parsed in a fraction of a second, not seconds), and the nodes are
the same, marks included. A file it refuses is parsed again by PyYAML's own
parser, whose messages the error hints in yamlsource are written against.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.resolver import BaseResolver

from pressgen.errors import excerpt

try:
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CParser = None

MAX_DEPTH = 20  # a release nests 4 levels (contacts[1].email); deeper is a mistake or an attack

# tags that only say what the value already is: none, `!` (text), `!!str`, `!!map`, `!!seq`
_PLAIN_TAGS = {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map",
               "tag:yaml.org,2002:seq"}


class Refused(yaml.MarkedYAMLError):
    """Something valid YAML allows and a release may not use; the message says what."""

    def __init__(self, mark, problem: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(problem=problem, problem_mark=mark)


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


class _Checks:
    """The composer's refusals, for either parser underneath."""

    _depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, AliasEvent) or (
            isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.anchor
        ):
            raise Refused(event.start_mark, "YAML anchors and aliases (& and *) are not allowed; "
                          "write the value out in full")
        tag = getattr(event, "tag", None)
        if tag not in _PLAIN_TAGS:
            raise Refused(event.start_mark, f"the YAML tag `{excerpt(_short_tag(tag))}` is not "
                          "allowed; remove it (to keep a value as text, put it in quotes)")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise Refused(event.start_mark, f"the YAML nests more than {MAX_DEPTH} levels "
                              "deep; a release needs no more than 4")
            return Composer.compose_node(self, parent, index)  # type: ignore[arg-type]
        finally:
            self._depth -= 1


class _CoreLoader(_Checks, yaml.SafeLoader):
    """PyYAML's own parser, with the core schema and our refusals."""


_CoreLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
):
    _CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


if CParser is not None:
    class _FastLoader(_Checks, CParser, Composer, BaseResolver):  # type: ignore[misc, valid-type]
        """libyaml's events under PyYAML's (Python) composer and our checks."""

        yaml_implicit_resolvers = _CoreLoader.yaml_implicit_resolvers
        yaml_path_resolvers: dict = {}
        # CParser composes in C too; the composing must be Composer's, so that our
        # checks see every event before a node is made of it
        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document
        compose_scalar_node = Composer.compose_scalar_node
        compose_sequence_node = Composer.compose_sequence_node
        compose_mapping_node = Composer.compose_mapping_node

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            Composer.__init__(self)
            BaseResolver.__init__(self)


def compose(text: str) -> Any:
    """The document's root node (None for an empty one); a MarkedYAMLError at the
    fault, in PyYAML's words, for a file that is not a valid release's YAML."""
    if CParser is not None:
        try:
            return _FastLoader(text).get_single_node()
        except Refused:
            raise
        except yaml.YAMLError:
            pass  # said again below in the words the hints know
    loader = _CoreLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()
