"""The tagged PDF's document-level objects, written with reportlab's own PDF objects.

Given the structure recorded while drawing (see _pdf_tags, _pdf_marks), this adds in the
same pass, before reportlab writes the file: the structure tree (one
dictionary per element, each with its parent, page and kids: MCIDs, marked
content on other pages as MCRs, OBJRs for link annotations), the parent tree
(page -> the element of each MCID, annotation -> its Link), each link
annotation's StructParent, `/MarkInfo << /Marked true >>` and XMP metadata that
repeats the Info dictionary and claims PDF/UA-1 (`pdfuaid:part` 1).

Writing here rather than reopening the finished file (pikepdf) costs a few
dictionaries per element; bench/tagging.py measures both. Objects are made in
tree order, so the same structure gives the same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    PDFDictionary, PDFDocument, PDFName, PDFObject, PDFStream, PDFString,
)

if TYPE_CHECKING:
    from pressgen.writers._pdf_tags import Element, Structure


class Written(PDFObject):
    """A PDF object already written out, compactly.

    reportlab numbers an object when it is registered, and every page and
    annotation is registered by the time the tree is written, so each element
    can be written at once with its references resolved. Building them as
    reportlab dictionaries instead cost more than the rest of tagging together
    (tens of small dictionaries a release, each formatted key by key)."""

    def __init__(self) -> None:
        self.data = b""

    def format(self, document: PDFDocument) -> bytes:
        return self.data


def write_tree(doc: PDFDocument, structure: Structure, pages: int, date: str) -> None:
    """Add the structure tree, parent tree, MarkInfo and XMP of `structure` to `doc`,
    whose `pages` pages are all written; `date` is the Info dictionary's date."""
    numbers = doc.idToObjectNumberAndVersion

    def register(obj: PDFObject) -> str:
        return f"{numbers[doc.Reference(obj).name][0]} 0 R"

    for link in structure.links.values():
        if not link.placed:  # its words were another link's (a link inside a link)
            link.placed = True
            link.parent.kids.append(link)  # type: ignore[union-attr]
    kept = _kept(structure.root)
    written = {id(e): Written() for e in kept}
    refs = {key: register(obj) for key, obj in written.items()}
    root = Written()
    refs[id(None)] = register(root)  # the Document element's parent
    page_refs = [f"{numbers[f'Page{n}'][0]} 0 R" for n in range(1, pages + 1)]
    for element in kept:
        written[id(element)].data = _element(element, refs, page_refs, numbers, doc)

    nums = []
    for page in range(1, pages + 1):
        owners = " ".join(refs[id(e)] for e in structure.pages.get(page, ()))
        nums.append(f"{page - 1}[{owners}]")
    for key, (annotation, element) in enumerate(structure.annotations, start=pages):
        annotation["StructParent"] = key
        nums.append(f"{key} {refs[id(element)]}")
    parent_tree = Written()
    parent_tree.data = f"<</Nums[{' '.join(nums)}]>>".encode("ascii")
    root.data = (f"<</Type/StructTreeRoot/K {refs[id(structure.root)]}"
                 f"/ParentTree {register(parent_tree)}"
                 f"/ParentTreeNextKey {pages + len(structure.annotations)}>>").encode("ascii")

    catalog = doc.Catalog
    catalog.StructTreeRoot = root
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    lang = getattr(catalog, "Lang", None)
    catalog.Metadata = PDFStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
        xmp(doc.info, lang.s if lang is not None else None, date))
    # PDF/UA-1 is written against ISO 32000-1, PDF 1.7 (and /Tabs is 1.5).
    doc._pdfVersion = max(doc._pdfVersion, (1, 7))


def _kept(root: Element) -> list[Element]:
    """The elements to write, in tree order: those of which something was drawn
    (not an empty paragraph, nor the label of a list item whose bullet
    reportlab did not draw)."""
    kept: list[Element] = []

    def visit(element: Element) -> bool:
        at = len(kept)
        if element.role is not None:  # a place is written as part of its parent
            kept.append(element)
        drawn = bool(element.annotations)
        for kid in element.kids:
            drawn = (isinstance(kid, tuple) or visit(kid)) or drawn
        if not drawn:
            del kept[at:]
        return drawn

    visit(root)
    return kept


def _own_kids(element: Element) -> list[Element | tuple[int, int]]:
    """An element's kids, with those of the places inside it spliced in."""
    kids: list[Element | tuple[int, int]] = []
    for kid in element.kids:
        if isinstance(kid, tuple) or kid.role is not None:
            kids.append(kid)
        else:
            kids += _own_kids(kid)
    return kids


def _element(element: Element, refs: dict[int, str], pages: list[str],
             numbers: dict[str, tuple[int, int]], doc: PDFDocument) -> bytes:
    """An element's dictionary: its page is that of its first piece of content,
    pieces on other pages are MCRs naming theirs, a link's annotations OBJRs.
    One kid stands alone, not in an array, as most writers have it (and some
    checkers expect: pdfua 0.1.3's empty-heading rule fails on an array)."""
    own = _own_kids(element)
    first = next((kid[0] for kid in own if isinstance(kid, tuple)), None)
    kids: list[str] = []
    for kid in own:
        if not isinstance(kid, tuple):
            if id(kid) in refs:
                kids.append(refs[id(kid)])
        elif kid[0] == first:
            kids.append(str(kid[1]))
        else:
            kids.append(f"<</Type/MCR/Pg {pages[kid[0] - 1]}/MCID {kid[1]}>>")
    for page, annotation in element.annotations:
        kids.append(f"<</Type/OBJR/Obj {numbers[annotation.name][0]} 0 R/Pg {pages[page - 1]}>>")
    parent = element.parent.real if element.parent else None
    text = f"<</Type/StructElem/S/{element.role}/P {refs[id(parent)]}"
    if first is not None:
        text += f"/Pg {pages[first - 1]}"
    text += f"/K {kids[0]}" if len(kids) == 1 else f"/K[{' '.join(kids)}]"
    for name, value in element.attrs.items():
        text += f"/{name}" + PDFString(value).format(doc).decode("latin-1")
    return (text + ">>").encode("latin-1")


def xmp(info: Any, lang: str | None, date: str) -> bytes:
    """The XMP packet: the Info dictionary's title, author, subject, tools and
    dates, the language, and the PDF/UA-1 claim. No IDs or clock: same info,
    same bytes."""
    when = _xmp_date(date)
    language = (f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
                if lang else "")
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        "<dc:format>application/pdf</dc:format>\n"
        f"<dc:title>{_alt(info.title)}</dc:title>\n"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>\n"
        f"<dc:description>{_alt(info.subject)}</dc:description>\n"
        f"{language}\n"
        f"<pdf:Producer>{escape(info.producer)}</pdf:Producer>\n"
        f"<pdf:Keywords>{escape(info.keywords)}</pdf:Keywords>\n"
        f"<pdf:Trapped>{escape(info.trapped)}</pdf:Trapped>\n"
        f"<xmp:CreatorTool>{escape(info.creator)}</xmp:CreatorTool>\n"
        f"<xmp:CreateDate>{when}</xmp:CreateDate>\n"
        f"<xmp:ModifyDate>{when}</xmp:ModifyDate>\n"
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate>\n"
        "<pdfuaid:part>1</pdfuaid:part>\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode("utf-8")


def _alt(text: str) -> str:
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'


def _xmp_date(date: str) -> str:
    """D:YYYYMMDDHHmmSS+HH'mm' (as the Info dictionary has it) in XMP's form."""
    d = date[2:]
    return (f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}"
            f"{d[14]}{d[15:17]}:{d[18:20]}")
