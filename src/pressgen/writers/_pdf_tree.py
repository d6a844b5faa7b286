"""The tagged PDF's document-level objects, written with reportlab's own PDF objects.

Given the structure recorded while drawing (see _pdf_tags), this adds in the
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
    PDFArray, PDFDictionary, PDFDocument, PDFName, PDFObjectReference, PDFStream, PDFString,
)

if TYPE_CHECKING:
    from pressgen.writers._pdf_tags import Element, Structure


def write_tree(doc: PDFDocument, structure: Structure, pages: int, date: str) -> None:
    """Add the structure tree, parent tree, MarkInfo and XMP of `structure` to `doc`,
    whose `pages` pages are all written; `date` is the Info dictionary's date."""
    for link in structure.links.values():
        if not link.placed:  # its words were another link's (a link inside a link)
            link.placed = True
            link.parent.kids.append(link)  # type: ignore[union-attr]
    kept = [e for e in _preorder(structure.root) if _has_content(e)]
    refs = {id(e): doc.Reference(PDFDictionary()) for e in kept}
    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = doc.Reference(root)
    for element in kept:
        parent = element.parent
        dictionary = doc.idToObject[refs[id(element)].name]
        dictionary.dict.update(_element(element, refs, refs[id(parent)] if parent else root_ref))

    nums: list[Any] = []
    for page in range(1, pages + 1):
        owners = structure.pages.get(page, [])
        nums += [page - 1, PDFArray([refs[id(e)] for e in owners])]
    for key, (annotation, element) in enumerate(structure.annotations, start=pages):
        annotation["StructParent"] = key
        nums += [key, refs[id(element)]]
    root["K"] = refs[id(structure.root)]
    root["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
    root["ParentTreeNextKey"] = pages + len(structure.annotations)

    catalog = doc.Catalog
    catalog.StructTreeRoot = root_ref
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    lang = getattr(catalog, "Lang", None)
    catalog.Metadata = PDFStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
        xmp(doc.info, lang.s if lang is not None else None, date))
    # PDF/UA-1 is written against ISO 32000-1, PDF 1.7 (and /Tabs is 1.5).
    doc._pdfVersion = max(doc._pdfVersion, (1, 7))


def _preorder(element: Element) -> list[Element]:
    found = [element]
    for kid in element.kids:
        if not isinstance(kid, tuple):
            found += _preorder(kid)
    return found


def _has_content(element: Element) -> bool:
    """An element is written when something of it was drawn (an empty paragraph,
    or the label of a list item whose bullet reportlab did not draw, is not)."""
    return bool(element.annotations) or any(
        isinstance(kid, tuple) or _has_content(kid) for kid in element.kids)


def _page(number: int) -> PDFObjectReference:
    return PDFObjectReference(f"Page{number}")  # reportlab's name for page `number`


def _element(element: Element, refs: dict[int, PDFObjectReference],
             parent: PDFObjectReference) -> dict[str, Any]:
    """The entries of an element's dictionary: its page is that of its first piece
    of content; pieces on other pages are MCRs naming theirs."""
    first = next((kid[0] for kid in element.kids if isinstance(kid, tuple)), None)
    kids: list[Any] = []
    for kid in element.kids:
        if not isinstance(kid, tuple):
            if id(kid) in refs:
                kids.append(refs[id(kid)])
        elif kid[0] == first:
            kids.append(kid[1])
        else:
            kids.append(PDFDictionary({"Type": PDFName("MCR"), "Pg": _page(kid[0]),
                                       "MCID": kid[1]}))
    for page, annotation in element.annotations:
        kids.append(PDFDictionary({"Type": PDFName("OBJR"), "Obj": annotation,
                                   "Pg": _page(page)}))
    # One kid stands alone, as most writers have it (and some checkers expect:
    # pdfua 0.1.3's empty-heading rule fails on an array with pikepdf 10).
    entries: dict[str, Any] = {"Type": PDFName("StructElem"), "S": PDFName(element.role),
                               "P": parent, "K": kids[0] if len(kids) == 1 else PDFArray(kids)}
    if first is not None:
        entries["Pg"] = _page(first)
    for name, value in element.attrs.items():
        entries[name] = PDFString(value)
    return entries


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
    return f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}{d[14]}{d[15:17]}:{d[18:20]}"
