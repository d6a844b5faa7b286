"""The format registry: every output format pressgen writes, in one plain table.

As pandoc's `Writers.hs` is a list of (name, writer) pairs, this is a tuple of
`Format` entries that the CLI's `--format` choices, the build, the record of
what was built and the tests all read. Adding a format is one writer module
(`render(release, resources) -> bytes`) plus one entry here; nothing else lists
formats. A format that is made from others (an email carrying the text, the
HTML and the PDF) names them in `composes` and gets their bytes through its
resources object (`resources.output(name, release)`), never by rendering them
itself.

This module imports nothing beyond `typing` (which click imports anyway), so
reading the registry costs `pressgen --help` nothing: the writers themselves
are imported only when a format is rendered (see `pressgen.writers`).
"""

from __future__ import annotations

from typing import NamedTuple


class Format(NamedTuple):
    """One output format. A NamedTuple, so entries are frozen and cheap to import."""

    name: str  # what `--format` takes
    extension: str  # the output is DIR/<id>.<extension>
    module: str  # the writer module, whose `render(release, resources)` makes the bytes
    default: bool  # built when no `--format` is given
    composes: tuple[str, ...] = ()  # formats whose bytes this one is made from


#: Every format, in build order (a format comes after those it composes).
FORMATS: tuple[Format, ...] = (
    Format("pdf", "pdf", "pressgen.writers.pdf", default=True),
    Format("docx", "docx", "pressgen.writers.docx", default=True),
    Format("txt", "txt", "pressgen.writers.text", default=True),
    # spec §7 keeps the default at the three above; §10 adds html on request
    Format("html", "html", "pressgen.writers.html", default=False),
    # the message of §9: the text (and HTML) as its body, the PDF (and DOCX) attached
    Format("eml", "eml", "pressgen.writers.eml", default=False,
           composes=("pdf", "docx", "txt")),  # and the html page, made without its download links
)


def names() -> tuple[str, ...]:
    """Every format's name, in build order."""
    return tuple(f.name for f in FORMATS)


def defaults() -> tuple[str, ...]:
    """The formats built when `--format` is not given."""
    return tuple(f.name for f in FORMATS if f.default)


def get(name: str) -> Format:
    """The registry entry of `name`; KeyError for a name it does not hold."""
    for entry in FORMATS:
        if entry.name == name:
            return entry
    raise KeyError(name)


def extensions() -> tuple[str, ...]:
    """Every output file's extension, so a release's outputs can be found or removed."""
    return tuple(dict.fromkeys(f.extension for f in FORMATS))


def in_build_order(chosen: tuple[str, ...] | list[str] | set[str]) -> tuple[str, ...]:
    """`chosen` (names of the registry) in the registry's order, each once."""
    wanted = set(chosen)
    return tuple(f.name for f in FORMATS if f.name in wanted)
