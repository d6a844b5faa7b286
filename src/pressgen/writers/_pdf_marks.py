"""Tagged PDF: the marked content, laid into each page as it is drawn.

Every piece drawn lands in marked content (see _pdf_tags for the structure it
belongs to). A tagged flowable's drawing is `/Figure <</MCID n>> BDC … EMC`
(MCIDs count per page); a paragraph's text object marks its words inside BT … ET
and switches to a `Link` element's own sequence around a link's words
(`MarkedText`); its bullet or number is its list item's `Lbl`, a link's
underline an artifact. What is not content (the header after page 1, footers,
rules, the quote bar, the DRAFT watermark) is `/Artifact … BDC … EMC`. A
paragraph split over two pages stays one element with a piece on each page.

Marked content never nests (a link's words are not inside the paragraph's
sequence but between two of its sequences), and none crosses a BT/ET boundary.
`MarkedCanvas` keeps what the tree needs (the element of each MCID of each
page, each link annotation and its `Link`) and has _pdf_tree write it.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from reportlab.pdfbase.pdfdoc import PDFName, PDFString
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus.flowables import _FBGBag  # the frame background's painter

from pressgen.writers._pdf_canvas import PagedCanvas, link_index
from pressgen.writers._pdf_tags import Element, Structure, Tag
from pressgen.writers._pdf_tree import write_tree

# What an artifact is (ISO 32000-1 table 330): the property list after /Artifact.
HEADER = "<</Type /Pagination /Subtype /Header>>"
FOOTER = "<</Type /Pagination /Subtype /Footer>>"
WATERMARK = "<</Type /Pagination /Subtype /Watermark>>"
LAYOUT = "<</Type /Layout>>"


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
        lines = self.blPara  # type: ignore[attr-defined]
        whole = getattr(lines, "link", None) if lines.kind == 0 else None
        return MarkedText(canvas, x, y, tag.element, whole[0][1] if whole else None,
                          len(lines.lines))


class MarkedText(PDFTextObject):
    """A paragraph's text object, its text marked as its element's content and a
    link's words as that link's.

    Paragraph reports where each link starts and ends in the text it writes
    (`_linkRecord`: "start" just after the link's first words, "end" before the
    words after it, and both at every line end), so the switches are noted as
    positions in `_code` and the marked content is laid in when the object is
    drawn. Stretches with no text (a line's move, a font change) join the
    stretch before them, so each line of a link is not a sequence of its own.
    A link inside a link (the model allows it) owns its words and is an element
    inside the outer link's. Which links are open at a switch is noted whole
    and ordered by reportlab's count of links, never by the order of its
    reports (which comes from a set, so would differ from process to process).
    """

    def __init__(self, canvas: MarkedCanvas, x: float, y: float, element: Element,
                 link: str | None, lines: int = 0) -> None:
        super().__init__(canvas, x, y)
        self._element = element
        self._texts: set[int] = set()  # positions in _code of text-showing entries
        # (position in _code, the links open from there: (reportlab's count, href), outer first)
        self._switches: list[tuple[int, tuple[tuple[int, str], ...]]] = [
            (len(self._code), ((0, link),) if link else ())]
        self._open: dict[str, int] = {}  # the links open now: href -> reportlab's count
        self._lines = lines  # the paragraph's lines; a space ends each but the last
        self._line_ends = 0

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802,N803
        """A line's text; at its end (TStar) a space, which shows nothing but
        keeps the last word of one line and the first of the next apart for
        whoever reads the marked content (`pdfinfo -struct-text`, a screen
        reader), as a PDF has no line ends of its own. Not after the last line
        of the paragraph, so a one-line paragraph ("ENDS") extracts exactly as
        its text."""
        self._texts.add(len(self._code))
        if TStar:
            self._line_ends += 1
            if self._line_ends < self._lines and not text.endswith(" "):
                text += " "
        super()._textOut(text, TStar)

    def _linkRecord(self, link: tuple[int, str], event: str) -> None:  # noqa: N802
        count, href = link
        if event == "start":
            self._open[href] = count
        else:
            self._open.pop(href, None)
        links = tuple(sorted((n, h) for h, n in self._open.items()))
        at = len(self._code) - 1 if event == "start" else len(self._code)
        self._switches.append((at, links))

    def getCode(self) -> str:  # noqa: N802
        self._code = self._marked()
        return super().getCode()

    def _marked(self) -> list[str]:
        code, switches = self._code, self._switches
        canvas: MarkedCanvas = self._canvas  # type: ignore[assignment]
        if not self._texts:
            return code
        if len(switches) == 1:  # most paragraphs: no link, one sequence
            start, links = switches[0]
            return [*code[:start], canvas.begin_content(self._owner(links)), *code[start:], "EMC"]
        ends = [at for at, _ in switches[1:]] + [len(code)]
        runs: list[tuple[tuple[tuple[int, str], ...], list[str]]] = []  # (links, entries)
        out = code[:switches[0][0]]
        for (start, links), end in zip(switches, ends):
            entries = code[start:end]
            if runs and (runs[-1][0] == links or not self._texts.intersection(range(start, end))):
                runs[-1][1].extend(entries)  # no words of its own: part of the run before
            elif runs or self._texts.intersection(range(start, end)):
                runs.append((links, entries))
            else:
                out += entries  # before any words: outside any sequence
        for links, entries in runs:
            out.append(canvas.begin_content(self._owner(links)))
            out += entries
            out.append("EMC")
        return out

    def _owner(self, links: tuple[tuple[int, str], ...]) -> Element:
        """The element whose words these are: the paragraph's, or the innermost
        open link's (inside the link around it)."""
        if not links:
            return self._element
        canvas: MarkedCanvas = self._canvas  # type: ignore[assignment]
        return canvas.link_element(links[-1][1], self._owner(links[:-1]))


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
        return f"/{element.real.role} <</MCID {mcid}>> BDC"

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

    def link_element(self, href: str, parent: Element | None = None) -> Element:
        """The Link element of the link drawn with (stand-in) `href`, inside
        `parent` (by default the paragraph being drawn)."""
        if parent is None:
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
