"""Write reference.docx: the Word styles every DOCX release is built from.

    python scripts/make_reference_docx.py

writes the same file to templates/reference.docx (the house copy a team may
restyle in Word) and src/pressgen/templates/reference.docx (the built-in
fallback). The DOCX writer opens it, empties the body, keeps the section, the
header and footer parts and every style, and fills in the release, the way
pandoc's --reference-doc works: restyle a style here (in Word or in this
script) and every release follows without a code change.

The package is written by hand rather than from python-docx's default template
because that template carries ~900 KB of styles we never use (slow to parse on
every render), a 2013 "python-docx" identity and no Hyperlink style.

The body holds one specimen paragraph per style, so whoever opens the file in
Word sees what each style is for; the writer discards it.

Layout notes that matter when restyling:
- The text width is 9360 twips (16.51 cm) on A4; the writer keeps the same text
  width when a release asks for US Letter, so the Footer's right tab stop at 9360
  lands on the right margin for both papers. Change both together.
- Lists are numbered through their styles (List Bullet, List Bullet 2, List Number,
  List Number 2, Note each name a numbering definition). The writer gives every
  numbered list its own instance of its style's definition so each restarts.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
TARGETS = (ROOT / "templates" / "reference.docx",
           ROOT / "src" / "pressgen" / "templates" / "reference.docx")

# Arial is on every Windows and Mac install with Word and covers Latin Extended
# A/B and Vietnamese; LibreOffice substitutes the metric-compatible Liberation
# Sans, which covers the same characters (ŵ ŷ Ł ř ễ ...).
FONT = "Arial"
INK = "1F1F1F"
NAVY = "14325C"   # headings, rules, bullets
MUTED = "595959"  # metadata lines, header, footer
RED = "A4161A"    # the release line and the DRAFT mark
LINK = "0B5CAD"
RULE = "BFBFBF"
TEXT_WIDTH = 9360  # twips, see the module docstring

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"

# ------------------------------------------------------------------ styles
# Child order inside w:style, w:pPr and w:rPr is fixed by the schema; Word
# refuses a file that breaks it, so each helper takes its parts in that order.


def rpr(*parts: str) -> str:
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def ppr(*parts: str) -> str:
    return f"<w:pPr>{''.join(parts)}</w:pPr>" if parts else ""


def spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    rule = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{rule}/>'


def border(side: str, color: str, size: int = 6, space: int = 4) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'


def num(num_id: int) -> str:
    return f'<w:numPr><w:numId w:val="{num_id}"/></w:numPr>'


def color(val: str) -> str:
    return f'<w:color w:val="{val}"/>'


def size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


BOLD = "<w:b/><w:bCs/>"
ITALIC = "<w:i/><w:iCs/>"
KEEP_NEXT = "<w:keepNext/>"
KEEP_LINES = "<w:keepLines/>"


def style(kind: str, style_id: str, name: str, *, based_on: str | None = "Normal",
          next_id: str | None = None, priority: int | None = None, hidden: bool = False,
          quick: bool = True, default: bool = False, body: str = "") -> str:
    attrs = f' w:type="{kind}"' + (' w:default="1"' if default else "")
    parts = [f'<w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_id:
        parts.append(f'<w:next w:val="{next_id}"/>')
    if priority is not None:
        parts.append(f'<w:uiPriority w:val="{priority}"/>')
    if hidden:
        parts.append("<w:semiHidden/><w:unhideWhenUsed/>")
    if quick:
        parts.append("<w:qFormat/>")
    return f'<w:style{attrs} w:styleId="{style_id}">{"".join(parts)}{body}</w:style>'


def para(style_id: str, name: str, pp: str = "", rp: str = "", **kw) -> str:
    return style("paragraph", style_id, name, body=pp + rp, **kw)


def char(style_id: str, name: str, rp: str, **kw) -> str:
    kw.setdefault("based_on", "DefaultParagraphFont")
    return style("character", style_id, name, body=rp, **kw)


# Built-in styles use Word's internal names ("heading 2", "header"): Word
# matches them to its own styles, and python-docx maps the UI names onto them.
STYLES = [
    # Word and LibreOffice both space paragraphs by the larger of one's space after
    # and the next one's space before: Normal's 6 pt before keeps a gap after a
    # list (whose items are 4 pt apart) and under a heading.
    para("Normal", "Normal", based_on=None, default=True, pp=ppr(spacing(120, 160))),
    style("character", "DefaultParagraphFont", "Default Paragraph Font", based_on=None,
          default=True, priority=1, hidden=True, quick=False),
    style("table", "TableNormal", "Normal Table", based_on=None, default=True, priority=99,
          hidden=True, quick=False,
          body='<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
               '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
               '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
               "</w:tblCellMar></w:tblPr>"),
    style("numbering", "NoList", "No List", based_on=None, default=True, priority=99,
          hidden=True, quick=False),
    # -- the top of the release
    para("ReleaseLine", "Release Line", next_id="Organisation", priority=10,
         pp=ppr(KEEP_NEXT, f"<w:pBdr>{border('bottom', RED, 8, 6)}</w:pBdr>",
                spacing(0, 240)),
         rp=rpr(BOLD, color(RED), '<w:spacing w:val="8"/>', size(20))),
    para("DraftMark", "Draft Mark", next_id="Organisation", priority=10,
         pp=ppr(KEEP_NEXT, f"<w:pBdr>{border('top', RED, 12, 4)}{border('left', RED, 12, 4)}"
                f"{border('bottom', RED, 12, 4)}{border('right', RED, 12, 4)}</w:pBdr>",
                # the box's border sits outside the text: indent it back inside the margins
                spacing(0, 240), '<w:ind w:left="113" w:right="113"/>', '<w:jc w:val="center"/>'),
         rp=rpr(BOLD, color(RED), '<w:spacing w:val="60"/>', size(28))),
    para("Organisation", "Organisation", next_id="Title", priority=10,
         pp=ppr(KEEP_NEXT, spacing(0, 120)),
         rp=rpr(BOLD, "<w:caps/>", color(NAVY), '<w:spacing w:val="10"/>', size(20))),
    para("Title", "Title", next_id="Subtitle", priority=10,
         pp=ppr(KEEP_NEXT, spacing(0, 200, 252)),
         rp=rpr(BOLD, color(NAVY), '<w:kern w:val="28"/>', size(44))),
    para("Subtitle", "Subtitle", next_id="ReleaseDate", priority=11,
         pp=ppr(KEEP_NEXT, spacing(0, 200, 276)),
         rp=rpr(color("404040"), size(27))),
    para("ReleaseDate", "Release Date", next_id="Normal", priority=12,
         pp=ppr(f"<w:pBdr>{border('bottom', RULE, 4, 8)}</w:pBdr>", spacing(0, 360)),
         rp=rpr(color(MUTED), size(21))),
    char("Dateline", "Dateline", rpr(BOLD, color(NAVY)), priority=12),
    # -- the body
    para("Heading2", "heading 2", next_id="Normal", priority=9,
         pp=ppr(KEEP_NEXT, KEEP_LINES, spacing(360, 120), '<w:outlineLvl w:val="1"/>'),
         rp=rpr(BOLD, color(NAVY), size(30))),
    para("Heading3", "heading 3", next_id="Normal", priority=9,
         pp=ppr(KEEP_NEXT, KEEP_LINES, spacing(240, 80), '<w:outlineLvl w:val="2"/>'),
         rp=rpr(BOLD, color(NAVY), size(24))),
    para("ListBullet", "List Bullet", priority=36, hidden=True, pp=ppr(num(1), spacing(0, 80))),
    para("ListBullet2", "List Bullet 2", priority=36, hidden=True,
         pp=ppr(num(2), spacing(0, 80))),
    para("ListNumber", "List Number", priority=36, hidden=True, pp=ppr(num(3), spacing(0, 80))),
    para("ListNumber2", "List Number 2", priority=36, hidden=True,
         pp=ppr(num(4), spacing(0, 80))),
    para("ListContinue", "List Continue", priority=99, hidden=True,
         pp=ppr(spacing(0, 80), '<w:ind w:left="357"/>')),
    para("ListContinue2", "List Continue 2", priority=99, hidden=True,
         pp=ppr(spacing(0, 80), '<w:ind w:left="714"/>')),
    para("Quote", "Quote", next_id="Normal", priority=29,
         pp=ppr(f"<w:pBdr>{border('left', NAVY, 18, 12)}</w:pBdr>", spacing(120, 160),
                '<w:ind w:left="482" w:right="567"/>'),
         rp=rpr(ITALIC, color("404040"))),
    char("Strong", "Strong", rpr(BOLD), priority=22),
    char("Emphasis", "Emphasis", rpr(ITALIC), priority=20),
    char("Hyperlink", "Hyperlink", rpr(color(LINK), '<w:u w:val="single"/>'),
         priority=99, hidden=True, quick=False),
    # -- the end matter
    para("Ends", "Ends", next_id="NotesHeading", priority=13,
         pp=ppr(KEEP_NEXT, spacing(360, 360), '<w:jc w:val="center"/>'),
         rp=rpr(BOLD, color(NAVY), '<w:spacing w:val="60"/>')),
    para("NotesHeading", "Notes Heading", based_on="Heading2", next_id="Note", priority=13,
         pp=ppr(spacing(240, 120)), rp=rpr(size(24))),
    para("Note", "Note", priority=13, pp=ppr(num(5), spacing(0, 120)), rp=rpr(size(20))),
    para("ContactsHeading", "Contacts Heading", based_on="NotesHeading", next_id="Contact",
         priority=13),
    para("Contact", "Contact", priority=13, pp=ppr(KEEP_LINES, spacing(0, 200)),
         rp=rpr(size(20))),
    char("ContactName", "Contact Name", rpr(BOLD, color(NAVY)), priority=13),
    # -- every page
    para("Header", "header", priority=99, hidden=True, quick=False,
         pp=ppr(f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>',
                spacing(0, 0, 240)),
         rp=rpr(BOLD, color(MUTED), size(17))),
    para("HeaderDraft", "Header Draft", based_on="Header", priority=99,
         rp=rpr(color(RED))),
    para("Footer", "footer", priority=99, hidden=True, quick=False,
         pp=ppr(f"<w:pBdr>{border('top', RULE, 4, 6)}</w:pBdr>",
                f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>',
                spacing(0, 0, 240)),
         rp=rpr(color(MUTED), size(17))),
]

DOC_DEFAULTS = (
    "<w:docDefaults><w:rPrDefault>"
    + rpr(f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>',
          color(INK), size(22), '<w:lang w:val="en-GB" w:eastAsia="en-US" w:bidi="ar-SA"/>')
    + "</w:rPrDefault><w:pPrDefault>"
    + ppr("<w:widowControl/>", spacing(0, 160, 276))
    + "</w:pPrDefault></w:docDefaults>"
)

# ------------------------------------------------------------------ numbering
# (numId, nsid, format, text, style, left indent)
LISTS = [
    (1, "5A3B0C11", "bullet", "\u2022", "ListBullet", 357),
    (2, "5A3B0C12", "bullet", "\u2013", "ListBullet2", 714),
    (3, "5A3B0C13", "decimal", "%1.", "ListNumber", 357),
    (4, "5A3B0C14", "lowerLetter", "%1.", "ListNumber2", 714),
    (5, "5A3B0C15", "decimal", "%1.", "Note", 357),
]


def numbering_xml() -> str:
    abstract, concrete = [], []
    for num_id, nsid, fmt, text, style_id, left in LISTS:
        marker = rpr(color(NAVY)) if fmt == "bullet" else ""
        abstract.append(
            f'<w:abstractNum w:abstractNumId="{num_id - 1}"><w:nsid w:val="{nsid}"/>'
            '<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:pStyle w:val="{style_id}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="357"/></w:pPr>{marker}</w:lvl>'
            "</w:abstractNum>")
        concrete.append(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{num_id - 1}"/>'
                        "</w:num>")
    return f'{DECL}<w:numbering xmlns:w="{W_NS}">{"".join(abstract + concrete)}</w:numbering>'


# ------------------------------------------------------------------ parts


def p(style_id: str, *runs: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{"".join(runs)}</w:p>'


def r(text: str, char_style: str | None = None) -> str:
    props = f'<w:rPr><w:rStyle w:val="{char_style}"/></w:rPr>' if char_style else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def field(code: str, shown: str) -> str:
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{r(shown)}'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')


TAB = "<w:r><w:tab/></w:r>"

SPECIMEN = [
    p("ReleaseLine", r("Release Line: the embargo line or FOR IMMEDIATE RELEASE")),
    p("DraftMark", r("Draft Mark: DRAFT")),
    p("Organisation", r("Organisation: the organisation's name")),
    p("Title", r("Title: the headline of the release")),
    p("Subtitle", r("Subtitle: the summary, a short standfirst under the headline")),
    p("ReleaseDate", r("Release Date: 29 January 2026")),
    p("Normal", r("London \u2013 ", "Dateline"),
      r("Normal: body text, opened by the location in the Dateline character style. Inline "),
      r("Strong", "Strong"), r(", "), r("Emphasis", "Emphasis"), r(" and "),
      r("Hyperlink", "Hyperlink"), r(" are character styles.")),
    p("Heading2", r("Heading 2")),
    p("Heading3", r("Heading 3")),
    p("ListBullet", r("List Bullet")),
    p("ListBullet2", r("List Bullet 2: a nested item")),
    p("ListContinue", r("List Continue: a second paragraph inside a list item")),
    p("ListNumber", r("List Number")),
    p("ListNumber2", r("List Number 2: a nested item")),
    p("Quote", r("Quote: a block quotation")),
    p("Ends", r("ENDS")),
    p("NotesHeading", r("Notes to editors")),
    p("Note", r("Note: one numbered note to editors")),
    p("ContactsHeading", r("Media enquiries")),
    p("Contact", r("Contact Name", "ContactName"), "<w:r><w:br/></w:r>",
      r("Contact: role, phone and email")),
]

SECTION = (
    '<w:sectPr><w:headerReference w:type="default" r:id="rId7"/>'
    '<w:footerReference w:type="default" r:id="rId8"/>'
    '<w:pgSz w:w="11906" w:h="16838"/>'
    f'<w:pgMar w:top="1247" w:right="{(11906 - TEXT_WIDTH) // 2}" w:bottom="1247" '
    f'w:left="{(11906 - TEXT_WIDTH) - (11906 - TEXT_WIDTH) // 2}" w:header="567" '
    'w:footer="567" w:gutter="0"/><w:cols w:space="720"/><w:docGrid w:linePitch="360"/>'
    "</w:sectPr>"
)

HEADER = p("Header", r("Release line (pressgen fills this in)"))
HEADER_DRAFT = p("HeaderDraft", r("Header Draft: DRAFT \u2013 not for publication"))
FOOTER = p("Footer", r("Organisation"), TAB, r("Page "), field("PAGE", "1"), r(" of "),
           field("NUMPAGES", "1"))


def story(root: str, body: str) -> str:
    return f'{DECL}<w:{root} xmlns:w="{W_NS}" xmlns:r="{R_NS}">{body}</w:{root}>'


def rels(*entries: tuple[str, str, str]) -> str:
    items = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
                    for rid, kind, target in entries)
    return (f'{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{items}</Relationships>')


def content_types() -> str:
    overrides = {
        "/word/document.xml": f"{WML}.document.main+xml",
        "/word/styles.xml": f"{WML}.styles+xml",
        "/word/numbering.xml": f"{WML}.numbering+xml",
        "/word/settings.xml": f"{WML}.settings+xml",
        "/word/fontTable.xml": f"{WML}.fontTable+xml",
        "/word/header1.xml": f"{WML}.header+xml",
        "/word/footer1.xml": f"{WML}.footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml":
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    items = "".join(f'<Override PartName="{k}" ContentType="{v}"/>' for k, v in overrides.items())
    return (f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f"{items}</Types>")


SETTINGS = story("settings", (
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/><w:compat>'
    '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
    ' w:val="15"/></w:compat><w:themeFontLang w:val="en-GB"/>'
    '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'))

FONT_TABLE = story("fonts", (
    f'<w:font w:name="{FONT}"><w:panose1 w:val="020B0604020202020204"/>'
    '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'))

CORE = (
    f"{DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
    'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>pressgen reference styles</dc:title><dc:creator>pressgen</dc:creator>"
    "<cp:lastModifiedBy>pressgen</cp:lastModifiedBy><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>'
    "<dc:language>en-GB</dc:language></cp:coreProperties>")

APP = (f'{DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
       'extended-properties"><Application>pressgen</Application></Properties>')


def parts() -> dict[str, str]:
    return {
        "[Content_Types].xml": content_types(),
        "_rels/.rels": rels(
            ("rId1", f"{DOC_REL}/officeDocument", "word/document.xml"),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                     "core-properties", "docProps/core.xml"),
            ("rId3", f"{DOC_REL}/extended-properties", "docProps/app.xml")),
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "word/document.xml": story("document", f"<w:body>{''.join(SPECIMEN)}{SECTION}</w:body>"),
        "word/_rels/document.xml.rels": rels(
            ("rId1", f"{DOC_REL}/styles", "styles.xml"),
            ("rId2", f"{DOC_REL}/numbering", "numbering.xml"),
            ("rId3", f"{DOC_REL}/settings", "settings.xml"),
            ("rId4", f"{DOC_REL}/fontTable", "fontTable.xml"),
            ("rId7", f"{DOC_REL}/header", "header1.xml"),
            ("rId8", f"{DOC_REL}/footer", "footer1.xml")),
        "word/styles.xml": story("styles", DOC_DEFAULTS + "".join(STYLES)),
        "word/numbering.xml": numbering_xml(),
        "word/settings.xml": SETTINGS,
        "word/fontTable.xml": FONT_TABLE,
        "word/header1.xml": story("hdr", HEADER + HEADER_DRAFT),
        "word/footer1.xml": story("ftr", FOOTER),
    }


def build() -> bytes:
    """The reference document, byte-identical on every run."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in parts().items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            zf.writestr(info, xml.encode("utf-8"))
    return out.getvalue()


def main() -> None:
    data = build()
    for target in TARGETS:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"wrote {target.relative_to(ROOT)} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
