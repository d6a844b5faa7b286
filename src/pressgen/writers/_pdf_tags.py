"""Tagged PDF: the structure a screen reader walks, and the marked content it points at.

reportlab has no tagging API, so this layer adds one, apart from the layout:

- The story *declares* the structure, in reading order, as it builds the
  flowables: one `Structure.mark(flowable, "P")` per flowable, and
  `open("L")`/`close("L")` around groups (lists, list items, quotes, and later a
  part in another language, `open("Part", lang="cy")`). Nothing is drawn then.
- While the document is drawn, every piece lands in marked content. A tagged
  flowable's drawing is `/Figure <</MCID n>> BDC … EMC` (MCIDs count per page);
  a paragraph's text object marks its text inside BT … ET and switches to a
  `Link` element's own marked content around a link's words (`MarkedText`),
  its bullet or number is its list item's `Lbl`, a link's underline an
  artifact. What is not content (the header after page 1, footers, rules, the
  quote bar, the DRAFT watermark) is `/Artifact … BDC … EMC`. A paragraph split
  over two pages stays one element with a marked piece on each page.
- `MarkedCanvas` keeps what the tree needs (the element of each MCID of each
  page, each link annotation and its `Link`), and `_pdf_tree` writes the tree
  with reportlab's own PDF objects in the same pass.

Marked content never nests (a `Link`'s words are not inside the paragraph's
sequence but between two of its sequences), and none crosses a BT/ET boundary.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFString
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph
from reportlab.platypus.flowables import _FBGBag  # the frame background's painter

from pressgen.writers._pdf_canvas import PagedCanvas, link_index
from pressgen.writers._pdf_tree import write_tree

# What an artifact is (ISO 32000-1 table 330): the property list after /Artifact.
HEADER = "<</Type /Pagination /Subtype /Header>>"
FOOTER = "<</Type /Pagination /Subtype /Footer>>"
WATERMARK = "<</Type /Pagination /Subtype /Watermark>>"
LAYOUT = "<</Type /Layout>>"


class Element:
    """A structure element: a role ("P", "H1", "LI", …) and its kids in order.

    A kid is another element or a piece of marked content, `(page, mcid)`.
    `attrs` go into the element's dictionary as they are named (`Lang`, `Alt`).
    """

    __slots__ = ("role", "parent", "kids", "attrs", "annotations", "placed", "label")

    def __init__(self, role: str, parent: Element | None, attrs: dict[str, str]) -> None:
        self.role = role
        self.parent = parent
        self.kids: list[Element | tuple[int, int]] = []
        self.attrs = attrs
        self.annotations: list[tuple[int, Any]] = []  # (page, reference) of a Link's annotations
        self.placed = True  # False for a Link until its first words are drawn
        self.label: Element | None = None  # an LI's Lbl

    def __repr__(self) -> str:
        return f"Element({self.role}, {len(self.kids)} kids)"


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
        then holds the item's paragraphs and any list inside it."""
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
        """Declare `flowable` the content of a new `role` element; returns it."""
        if not isinstance(flowable, Tagged):
            raise TypeError(f"{type(flowable).__name__} cannot be tagged: it is not Tagged")
        label = self._label() if getattr(flowable, "bulletText", None) else None
        flowable.pg_tag = Tag(self.element(role, **attrs), label,
                              text=isinstance(flowable, Paragraph))
        return flowable

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
        owners.append(element)
        element.kids.append((page, len(owners) - 1))
        if not element.placed:  # a Link takes its place among its paragraph's pieces
            element.placed = True
            element.parent.kids.append(element)  # type: ignore[union-attr]
        return len(owners) - 1

    def link(self, key: Any, parent: Element) -> Element:
        """The Link element of link `key` inside `parent`, made on first use."""
        element = self.links.get(key)
        if element is None:
            element = self.links[key] = Element("Link", parent, {})
            element.placed = False
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


class Tagged:
    """Mixin for a flowable that is drawn as the content of its structure element
    (`pg_tag`, set by `Structure.mark`) or as an artifact. It does nothing on a
    canvas that is not tagging, so untagged output stays as it was."""

    pg_tag: Tag | None = None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802,N803
        tag = self.pg_tag
        if tag is None or not isinstance(canvas, MarkedCanvas):
            return super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        if tag.text:
            outer, canvas.drawing = canvas.drawing, tag
            try:
                return super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            finally:
                canvas.drawing = outer
        with canvas.marked(tag):
            return super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        """The parts of a split flowable are pieces of the same element."""
        parts = super().split(avail_width, avail_height)  # type: ignore[misc]
        for part in parts:
            if isinstance(part, Tagged):
                part.pg_tag = self.pg_tag
        return parts

    def beginText(self, x: float, y: float) -> PDFTextObject:  # noqa: N802 (Paragraph's hook)
        canvas = self.canv  # type: ignore[attr-defined]
        tag = getattr(canvas, "drawing", None)
        if tag is None or tag.element is None:
            return super().beginText(x, y)  # type: ignore[misc]
        # A paragraph that is one link throughout has one fragment, and reportlab
        # reports no link boundaries for it: its words are the link's from the start.
        whole = getattr(self.blPara, "link", None) if self.blPara.kind == 0 else None  # type: ignore[attr-defined]
        return MarkedText(canvas, x, y, tag.element, whole[0][1] if whole else None)


class MarkedText(PDFTextObject):
    """A paragraph's text object, its text marked as its element's content and a
    link's words as that link's.

    Paragraph reports where each link starts and ends in the text it writes
    (`_linkRecord`: "start" just after the link's first words, "end" before the
    words after it, and both at every line end), so the switches are noted as
    positions in `_code` and the marked content is laid in when the object is
    drawn. Stretches with no text (a line's move, a font change) join the
    stretch before them, so each line of a link is not a sequence of its own.
    """

    def __init__(self, canvas: MarkedCanvas, x: float, y: float, element: Element,
                 link: str | None) -> None:
        super().__init__(canvas, x, y)
        self._element = element
        self._texts: set[int] = set()  # positions in _code of text-showing entries
        self._switches: list[tuple[int, str | None]] = [(len(self._code), link)]

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802,N803
        self._texts.add(len(self._code))
        super()._textOut(text, TStar)

    def _linkRecord(self, link: tuple[int, str], event: str) -> None:  # noqa: N802
        if event == "start":
            self._switches.append((len(self._code) - 1, link[1]))
        else:
            self._switches.append((len(self._code), None))

    def getCode(self) -> str:  # noqa: N802
        self._code = self._marked()
        return super().getCode()

    def _marked(self) -> list[str]:
        code = self._code
        ends = [at for at, _ in self._switches[1:]] + [len(code)]
        runs: list[list[Any]] = []  # [href or None, entries, has text]
        out = code[:self._switches[0][0]]
        for (start, href), end in zip(self._switches, ends):
            entries = code[start:end]
            has_text = any(i in self._texts for i in range(start, end))
            if not has_text or (runs and runs[-1][0] == href):
                if runs:
                    runs[-1][1] += entries
                    runs[-1][2] = runs[-1][2] or has_text
                else:
                    out += entries
                continue
            runs.append([href, entries, True])
        canvas: MarkedCanvas = self._canvas  # type: ignore[assignment]
        for href, entries, _ in runs:
            element = self._element if href is None else canvas.link_element(href)
            out.append(canvas.begin_content(element))
            out += entries
            out.append("EMC")
        return out


class MarkedCanvas(PagedCanvas):
    """The paged canvas, tagging: see the module doc.

    `drawing` is the tagged paragraph being drawn, if any: its other text
    object is its bullet or number, and a line drawn inside it a link's underline.
    """

    def __init__(self, *args: Any, structure: Structure, date: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.drawing: Tag | None = None
        self._date = date

    # ---------------------------------------------------------- marked content

    def begin_content(self, element: Element) -> str:
        """The operator that opens a new piece of `element`'s content on this page."""
        mcid = self.structure.content(element, self.getPageNumber())
        return f"/{element.role} <</MCID {mcid}>> BDC"

    @contextmanager
    def marked(self, tag: Tag) -> Iterator[None]:
        """Whatever is drawn inside is the content of `tag`'s element, or an artifact."""
        if tag.artifact is not None:
            self._code.append(f"/Artifact {tag.artifact} BDC")
        else:
            self._code.append(self.begin_content(tag.element))  # type: ignore[arg-type]
        yield
        self._code.append("EMC")

    def drawText(self, aTextObject: PDFTextObject) -> None:  # noqa: N802,N803
        tag = self.drawing
        if tag is None or isinstance(aTextObject, MarkedText):
            return super().drawText(aTextObject)
        with self.marked(Tag(tag.label or tag.element)):  # a bullet or number
            super().drawText(aTextObject)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        if self.drawing is None:
            return super().line(x1, y1, x2, y2)
        with self.marked(Tag(artifact=LAYOUT)):  # a link's underline
            super().line(x1, y1, x2, y2)

    # ---------------------------------------------------------- links

    def link_element(self, href: str) -> Element:
        """The Link element of the link drawn with (stand-in) `href`."""
        parent = self.drawing.element if self.drawing else self.structure.root
        return self.structure.link(href, parent)  # type: ignore[arg-type]

    def linkURL(self, url: str, rect: Any, relative: int = 0, thickness: float = 0,  # noqa: N802
                color: Any = None, dashArray: Any = None, kind: str = "URI",  # noqa: N803
                **kwargs: Any) -> None:
        """The annotation gets a description (its target, as written) and goes
        into its Link element as an OBJR; its StructParent is set at the end."""
        index = link_index(url)
        kwargs["Contents"] = PDFString(url if index is None else self._links[index])
        super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kwargs)
        reference = self._annotationrefs[-1]
        element = self.link_element(url)
        element.annotations.append((self.getPageNumber(), reference))
        self.structure.annotations.append((self._doc.idToObject[reference.name], element))

    # ---------------------------------------------------------- pages and the end

    def _setAnnotations(self, page: Any) -> None:  # noqa: N802 (called for each page written)
        super()._setAnnotations(page)
        page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = self.getPageNumber() - 1
        page.Tabs = PDFName("S")  # annotations in structure order

    def _before_save(self, pages: int) -> None:
        write_tree(self._doc, self.structure, pages, self._date)


@contextmanager
def content_of(canvas: Any, element: Element | None) -> Iterator[None]:
    """Draw inside as `element`'s content (nothing extra on an untagged canvas)."""
    if element is None or not isinstance(canvas, MarkedCanvas):
        yield
        return
    with canvas.marked(Tag(element)):
        yield


@contextmanager
def artifact(canvas: Any, kind: str | None) -> Iterator[None]:
    """Draw inside as an artifact of `kind` (HEADER, FOOTER, WATERMARK, LAYOUT);
    nothing extra for no kind or on an untagged canvas."""
    if kind is None or not isinstance(canvas, MarkedCanvas):
        yield
        return
    with canvas.marked(Tag(artifact=kind)):
        yield


class ArtifactBand(_FBGBag):
    """A frame background (the rule down a quote's left edge) painted as an artifact.

    reportlab paints the band once per page and then stretches that rectangle
    in place (by its index in the page's code), so only a fresh painting is
    wrapped; the index stays right because the wrapper only appends."""

    def render(self, canv: Any, frame: Any, fbx: float, fby: float, fbw: float,
               fbh: float) -> None:
        fresh = isinstance(canv, MarkedCanvas) and not (
            self.fid == id(frame) and self.cid == id(canv) and self.pn == canv.getPageNumber())
        if not fresh:
            return super().render(canv, frame, fbx, fby, fbw, fbh)
        with canv.marked(Tag(artifact=LAYOUT)):
            super().render(canv, frame, fbx, fby, fbw, fbh)
