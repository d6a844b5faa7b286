"""Finding elements of an XML part by byte position, and cutting them out.

The reference DOCX is cleaned before python-docx (and lxml) are imported, so that
`check` stays quick: this is the standard library's expat, in one pass. It does
not build a tree. It records the few elements a caller can act on (the shallow
ones, and any element that points at a relationship with an `r:` attribute) with
where each starts and ends in the bytes, and `splice` rewrites exactly those
bytes, leaving every other byte of the part as it was: namespace prefixes,
`mc:Ignorable` lists and all (a round trip through ElementTree would rename the
prefixes that `mc:Ignorable` names, and Word would refuse the file).

A DOCTYPE is refused outright: no part of a Word document has one, and one is
how entity expansion ("billion laughs") and external entities get in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

#: the namespace of `r:id`, `r:embed` and every other pointer at a relationship
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class XmlRefused(Exception):
    """A part that is not well-formed XML, or has a DOCTYPE."""


@dataclass(eq=False)
class Element:
    """One recorded element. Names are `(namespace, local name)`; offsets are bytes."""

    name: tuple[str, str]
    prefix: str
    depth: int  # the root is 0
    attrs: dict[tuple[str, str], str]
    parent: Element | None
    start: int  # the `<` of its start tag
    inner: int = -1  # just past its start tag
    close: int = -1  # the `<` of its end tag (an empty `<x/>`: just past it, as `inner`)
    end: int = -1  # just past its end tag
    children: list[Element] = field(default_factory=list)  # the recorded ones

    def relationship_ids(self) -> list[str]:
        return [v for (uri, _), v in self.attrs.items() if uri == RELATIONSHIPS]


def scan(data: bytes, depth: int = 2) -> Element:
    """The part's root, with every element down to `depth` and every element
    carrying an `r:` attribute (at any depth) recorded under it."""
    return _Scanner(data, depth).root()


def splice(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """`data` with each `(start, end, replacement)` applied; an edit inside one
    already applied (an element within an element being removed) is skipped."""
    out: list[bytes] = []
    at = 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], -e[1])):
        if start < at:
            continue
        out += [data[at:start], replacement]
        at = end
    out.append(data[at:])
    return b"".join(out)


def remove(data: bytes, elements: list[Element]) -> bytes:
    return splice(data, [(e.start, e.end, b"") for e in elements])


def walk(element: Element):
    """Every recorded element under `element`, depth first."""
    for child in element.children:
        yield child
        yield from walk(child)


def _name(raw: str) -> tuple[tuple[str, str], str]:
    """expat's "uri local prefix" (namespace_prefixes=True) as ((uri, local), prefix)."""
    parts = raw.split(" ")
    if len(parts) == 1:
        return ("", parts[0]), ""
    return (parts[0], parts[1]), parts[2] if len(parts) > 2 else ""


class _Scanner:
    def __init__(self, data: bytes, depth: int) -> None:
        self._data = data
        self._depth = depth
        self._stack: list[Element | None] = []  # None: an element not recorded
        self._pending: list[tuple[Element, str]] = []  # offsets the next event fills in
        self._root: Element | None = None

    def root(self) -> Element:
        if self._data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise XmlRefused("it is saved as UTF-16, which Word never writes")
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.namespace_prefixes = True
        parser.buffer_text = False
        self._parser = parser
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        for handler in ("CharacterDataHandler", "CommentHandler", "DefaultHandler",
                        "ProcessingInstructionHandler", "StartCdataSectionHandler",
                        "EndCdataSectionHandler"):
            setattr(parser, handler, self._other)
        try:
            parser.Parse(self._data, True)
        except expat.ExpatError as exc:
            raise XmlRefused(f"it is not well-formed XML ({exc})") from None
        except LookupError as exc:  # an encoding= expat does not know
            raise XmlRefused(f"its XML declaration names an unknown encoding ({exc})") from None
        self._fill(len(self._data))
        assert self._root is not None  # expat refuses a document with no element
        return self._root

    def _fill(self, offset: int) -> None:
        for element, what in self._pending:
            setattr(element, what, offset)
        self._pending.clear()

    def _other(self, *_: object) -> None:
        if self._pending:
            self._fill(self._parser.CurrentByteIndex)

    def _doctype(self, *_: object) -> None:
        raise XmlRefused("it has a DOCTYPE, which no part of a Word document has")

    def _start(self, raw: str, attributes: dict[str, str]) -> None:
        offset = self._parser.CurrentByteIndex
        self._fill(offset)
        depth = len(self._stack)
        parent = next((e for e in reversed(self._stack) if e is not None), None)
        attrs = {_name(k)[0]: v for k, v in attributes.items()}
        element: Element | None = None
        if depth <= self._depth or any(uri == RELATIONSHIPS for uri, _ in attrs):
            name, prefix = _name(raw)
            element = Element(name, prefix, depth, attrs, parent, offset)
            if parent is not None:
                parent.children.append(element)
            if self._root is None:
                self._root = element
            self._pending.append((element, "inner"))
        self._stack.append(element)

    def _end(self, _raw: str) -> None:
        offset = self._parser.CurrentByteIndex
        self._fill(offset)
        element = self._stack.pop()
        if element is not None:
            element.close = offset
            self._pending.append((element, "end"))
