"""Tagged PDF: the structure tree a screen reader walks, as the story declares it.

reportlab has no tagging API, so pressgen adds one in three parts, apart from
the layout:

- here, the structure: the story declares it in reading order as it builds
  the flowables, one `Structure.mark(flowable, "P")` per flowable and
  `open("L")`/`close("L")` around groups (lists, list items, quotes, and later
  a part in another language, `open("Part", Lang="cy")`). Nothing is drawn then;
  drawing fills each element with the marked content of its flowable;
- _pdf_marks: the marked content, laid into the page as it is drawn;
- _pdf_tree: the tree, parent tree and metadata, written in the same pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDictionary
from reportlab.platypus import Paragraph


class Element:
    """A structure element: a role ("P", "H1", "LI", …) and its kids in order.

    A kid is another element or a piece of marked content, `(page, mcid)`.
    `attrs` go into the element's dictionary as they are named (`Lang`, `Alt`).
    An element with no role is a place inside its parent, where the content of
    a flowable marked as the parent itself goes (a list item's text, before the
    list inside the item); it is written as part of its parent.
    """

    __slots__ = ("role", "parent", "kids", "attrs", "annotations", "placed", "label")

    def __init__(self, role: str | None, parent: Element | None, attrs: dict[str, str]) -> None:
        self.role = role
        self.parent = parent
        self.kids: list[Element | tuple[int, int]] = []
        self.attrs = attrs
        self.annotations: list[tuple[int, Any]] = []  # (page, reference) of a Link's annotations
        self.placed = True  # False for a Link until its first words are drawn
        self.label: Element | None = None  # an LI's Lbl

    def __repr__(self) -> str:
        return f"Element({self.role}, {len(self.kids)} kids)"

    @property
    def real(self) -> Element:
        """The element this one is: itself, or for a place its parent."""
        return self if self.role is not None or self.parent is None else self.parent


@dataclass(frozen=True)
class Tag:
    """What a flowable is: the content of `element` (with its bullet or number the
    content of `label`), or an artifact described by `artifact`."""

    element: Element | None = None
    label: Element | None = None
    artifact: str | None = None
    text: bool = False  # a Paragraph: marked inside its text objects


@dataclass
class Structure:
    """The structure tree of one document: declared by the story, filled by drawing."""

    root: Element = field(default_factory=lambda: Element("Document", None, {}))
    #: page number -> the element of each MCID on that page, in MCID order
    pages: dict[int, list[Element]] = field(default_factory=dict)
    #: link annotations in the order drawn: (annotation dictionary, its Link)
    annotations: list[tuple[PDFDictionary, Element]] = field(default_factory=list)
    links: dict[Any, Element] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._open = [self.root]

    # ---------------------------------------------------------- declared by the story

    def element(self, role: str, **attrs: str) -> Element:
        """A new element at the current place, drawn later by whoever holds it."""
        parent = self._open[-1]
        element = Element(role, parent, attrs)
        parent.kids.append(element)
        return element

    def open(self, role: str, **attrs: str) -> Element:
        """Start a group; what is declared until `close(role)` goes inside it.

        A list item ("LI") is opened with its label ("Lbl", drawn from the bullet
        of the first paragraph marked inside it) and its body ("LBody"), which
        then holds the item's text (a paragraph marked "LBody"), its further
        paragraphs and any list inside it. `attrs` are entries of the element's
        dictionary as PDF names them (`Lang`, `Alt`, `ActualText`)."""
        element = self.element(role, **attrs)
        self._open.append(element)
        if role == "LI":
            element.label = self.element("Lbl")
            self._open.append(self.element("LBody"))
        return element

    def close(self, role: str) -> None:
        """End the group opened last, which must be a `role`."""
        if role == "LI":
            self._pop("LBody")
        self._pop(role)

    def mark(self, flowable: Any, role: str, **attrs: str) -> Any:
        """Declare `flowable` the content of a new `role` element, or of the open
        group when it is a `role` (a list item's text is its "LBody"); returns it."""
        if not hasattr(flowable, "pg_tag"):  # drawn by _pdf_marks.Tagged, or not marked
            raise TypeError(f"{type(flowable).__name__} cannot be tagged: it is not Tagged")
        label = self._label() if getattr(flowable, "bulletText", None) else None
        group = self._open[-1]
        element = (self._place_in(group) if group.role == role and not attrs
                   else self.element(role, **attrs))
        flowable.pg_tag = Tag(element, label, text=isinstance(flowable, Paragraph))
        return flowable

    @staticmethod
    def _place_in(group: Element) -> Element:
        place = Element(None, group, {})
        group.kids.append(place)
        return place

    def _label(self) -> Element:
        """The Lbl of the innermost open list item, or one of its own outside a list."""
        for element in reversed(self._open):
            if element.role == "LI" and element.label is not None:
                return element.label
        return self.element("Lbl")

    def _pop(self, role: str) -> None:
        if len(self._open) < 2 or self._open[-1].role != role:
            raise ValueError(f"close({role!r}) with {self._open[-1].role!r} open")
        self._open.pop()

    # ---------------------------------------------------------- filled while drawing

    def content(self, element: Element, page: int) -> int:
        """A new piece of `element`'s content on `page`: its MCID there."""
        owners = self.pages.setdefault(page, [])
        owners.append(element.real)
        element.kids.append((page, len(owners) - 1))
        self._seat(element)
        return len(owners) - 1

    def _seat(self, element: Element) -> None:
        """A Link takes its place among its paragraph's pieces when its first
        words are drawn (an outer link first, when the words are an inner one's)."""
        if not element.placed:
            element.placed = True
            self._seat(element.parent)  # type: ignore[arg-type]
            element.parent.kids.append(element)  # type: ignore[union-attr]

    def link(self, key: Any, parent: Element) -> Element:
        """The Link element of link `key` inside `parent`, made on first use (and
        moved there, if none of its words has been drawn yet)."""
        element = self.links.get(key)
        if element is None:
            element = self.links[key] = Element("Link", parent, {})
            element.placed = False
        elif not element.placed:
            element.parent = parent
        return element


class NoStructure:
    """The untagged PDF: every declaration is accepted and ignored (bench only)."""

    def element(self, role: str, **attrs: str) -> None:
        return None

    def open(self, role: str, **attrs: str) -> None:
        return None

    def close(self, role: str) -> None:
        return None

    def mark(self, flowable: Any, role: str, **attrs: str) -> Any:
        return flowable
