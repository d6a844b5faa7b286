"""House styles as data (spec §8.3): the uk, us and au conventions.

Each style is `styles/<name>.yaml`: its end mark, default label, dateline pattern,
where the `about` boilerplate goes, and the body lines that are only an end mark.
The loader resolves a release's style here, once, against its language's words;
the model carries only the results (end mark text, label, dateline text), so no
writer knows which style it is printing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pressgen.model import Words
from pressgen.reading import read_bounded
from pressgen.words import fill

BUILTIN = Path(__file__).parent / "styles"
NAMES = ("uk", "us", "au")
NONE = "none"  # `end_mark: none` prints no end mark


@dataclass(frozen=True)
class Style:
    name: str
    end_mark: Any  # a string printed as written, or {word: <key>} of the language
    label: Any  # None, a string, or {word: <key>}
    dateline: str  # "{location}, {date} –"; {LOCATION} in capitals
    about: str  # "notes" or "section"
    body_end_marks: frozenset[str]  # casefolded


def default_style(language: str) -> str:
    """en-US → us, en-AU → au, else uk (spec §8.1)."""
    return {"en-us": "us", "en-au": "au"}.get(language.lower(), "uk")


@cache
def style(name: str) -> Style:
    """The built-in style `name` (one of NAMES; the schema refuses any other)."""
    from pressgen.yamlsource import load_yaml

    path = BUILTIN / f"{name}.yaml"
    read_bounded(path, 64_000)  # noted as an input of the release, like a words file
    data = load_yaml(path).data
    return Style(name, data["end_mark"], data.get("label"), data["dateline"], data["about"],
                 frozenset(str(m).casefold() for m in data["body_end_marks"]))


def word(value: Any, words: Words) -> str | None:
    """A style's value resolved in a language: None, a string, or {word: key}."""
    if isinstance(value, dict):
        return getattr(words, value["word"])
    return value


def end_mark(chosen: Style, override: str | None, words: Words) -> str | None:
    """The style's end mark, or the house's/release's `end_mark` (`none` = none)."""
    if override is not None:
        return None if override.strip().lower() == NONE else override
    return word(chosen.end_mark, words)


def label(chosen: Style, override: str | None, words: Words) -> str | None:
    return override if override is not None else word(chosen.label, words)


def dateline(chosen: Style, location: str, date_text: str) -> str:
    """`London, 29 January 2026 –` (uk, au); `NEW YORK, Jan. 29, 2026 —` (us)."""
    return fill(chosen.dateline, location=location, LOCATION=location.upper(), date=date_text)


def is_end_mark_line(line: str, chosen: Style) -> bool:
    """Whether a body line is only an end mark (`ENDS`, `-ENDS-`, `###`, `# # #`, `-30-`)."""
    return " ".join(line.split()).casefold() in chosen.body_end_marks
