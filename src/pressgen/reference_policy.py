"""What a reference DOCX may keep, what is refused, what is dropped, and the words for each.

The decisions `reference_docx` applies, as data: the keep list (by relationship
type, with the content type each kept part must have), the kinds of part that
refuse the file (active content, anything outside it) and the kinds dropped
with a warning. Every message is a predicate ("attaches an external template
(…); what to do in Word") that the loader puts after the file's name; the README
section "The reference DOCX" lists the same kinds.
"""

from __future__ import annotations

from typing import Iterable

from pressgen.errors import printable

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
OFFICE_DOCUMENT = _OFFICE + "officeDocument"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"

MAIN = _WML + "document.main+xml"
TEMPLATE_MAIN = _WML + "template.main+xml"  # a .dotx: kept, and typed as a document
HEADER = _WML + "header+xml"
FOOTER = _WML + "footer+xml"
SETTINGS = _WML + "settings+xml"

_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
#: the root element each part python-docx parses must have, or the writer would fail on it
ROOTS = {MAIN: (W, "document"), HEADER: (W, "hdr"), FOOTER: (W, "ftr"), SETTINGS: (W, "settings"),
         _WML + "styles+xml": (W, "styles"), _WML + "numbering+xml": (W, "numbering"),
         "application/vnd.openxmlformats-package.core-properties+xml": (_CORE, "coreProperties")}

#: relationship type -> the content type its part is given; all else is dropped
PACKAGE_KEEP = {
    OFFICE_DOCUMENT: MAIN,
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties":
        "application/vnd.openxmlformats-package.core-properties+xml",
    _OFFICE + "extended-properties":
        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}
DOCUMENT_KEEP = {
    _OFFICE + "styles": _WML + "styles+xml",
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects":
        "application/vnd.ms-word.stylesWithEffects+xml",
    _OFFICE + "numbering": _WML + "numbering+xml",
    _OFFICE + "theme": "application/vnd.openxmlformats-officedocument.theme+xml",
    _OFFICE + "fontTable": _WML + "fontTable+xml",
    _OFFICE + "settings": SETTINGS,
    _OFFICE + "webSettings": _WML + "webSettings+xml",
    _OFFICE + "header": HEADER,
    _OFFICE + "footer": FOOTER,
}

# ------------------------------------------------------------------ refused

OLD_OR_ENCRYPTED = ("is not a Word document (.docx) but an old .doc file or a password-"
                    "protected one; save it from Word as a Word Document (.docx) with no password")

_REFUSED = {
    "template": "attaches an external template ({}); open it in Word, Developer ▸ Document "
                "Template, remove it, and save",
    "mail merge": "is a mail-merge document ({}); in Word choose Mailings ▸ Start Mail Merge "
                  "▸ Normal Word Document, and save",
    "external object": "links an object outside the file ({}); in Word choose File ▸ Info ▸ "
                       "Edit Links to Files, break the link, and save",
    "external picture": "links a picture outside the file ({}); insert the picture itself, "
                        "or delete it, and save",
    "hyperlink": "holds a hyperlink ({}); remove it and save (pressgen writes each release's "
                 "own links)",
    "external": "points outside the file ({}); remove that in Word and save",
    "macros": "contains macros ({}); save it from Word as a Word Document (.docx), not a "
              "macro-enabled one",
    "ActiveX": "contains ActiveX controls ({}); delete them in Word (Developer ▸ Design Mode) "
               "and save",
    "objects": "contains embedded objects ({}); delete them in Word and save",
    "add-ins": "contains Office add-ins ({}); remove them in Word and save",
}
_EXTERNAL = {"attachedTemplate": "template", "mailMergeSource": "mail merge",
             "mailMergeHeaderSource": "mail merge", "recipientData": "mail merge",
             "oleObject": "external object", "image": "external picture",
             "hyperlink": "hyperlink"}


def not_a_docx(why: str) -> str:
    return f"is not a Word document (.docx) ({why}); save it from Word as a Word Document (.docx)"


def damaged(detail: str) -> str:
    return f"is damaged or was not saved by Word ({excerpt(detail, 160)}); open it in Word " \
           "and save it again"


def bomb(detail: str) -> str:
    return f"is refused: {detail}; use a reference saved by Word (they are well under 1 MB)"


def external_kind(relationship: str) -> str:
    return _EXTERNAL.get(relationship, "external")


def active_kind(name: str, content_type: str, relationships: Iterable[str]) -> str | None:
    """The kind of active content a part is (macros, ActiveX, objects, add-ins), if any."""
    lower, kinds = name.lower(), set(relationships)
    if lower.endswith(("vbaproject.bin", "vbadata.xml", "customizations.xml",
                       "attachedtoolbars.bin")) or "macroEnabled" in content_type \
            or any(k in content_type for k in ("vbaProject", "vbaData", "keyMapCustomizations")) \
            or kinds & {"vbaProject", "wordVbaData", "keyMapCustomizations", "attachedToolbars"}:
        return "macros"
    if lower.startswith("word/activex/") or "activeX" in content_type \
            or kinds & {"control", "activeXControlBinary"}:
        return "ActiveX"
    if lower.startswith("word/embeddings/") or "oleObject" in content_type \
            or kinds & {"oleObject", "package"}:
        return "objects"
    if "webextension" in lower or any("webextension" in k for k in kinds):
        return "add-ins"
    return None


def refused(kind: str, details: list[str]) -> str:
    return _REFUSED[kind].format(listed(details))


# ------------------------------------------------------------------ dropped

_DROPPED = {
    "comments": ("comments and their authors", "delete them in Word (Review ▸ Delete ▸ "
                 "Delete All Comments in Document) and save"),
    "custom properties": ("custom properties", "remove them in Word (File ▸ Info ▸ "
                          "Properties ▸ Advanced Properties ▸ Custom) and save"),
    "custom XML": ("custom XML data", "remove it in Word (File ▸ Info ▸ Check for Issues "
                   "▸ Inspect Document) and save"),
    "fonts": ("embedded fonts", "untick File ▸ Options ▸ Save ▸ Embed fonts in the file, "
              "and save"),
    "thumbnail": ("the preview picture", "untick Save Thumbnail in Word's Save As box, and save"),
    "variables": ("document variables", "remove them in Word (File ▸ Info ▸ Check for "
                  "Issues ▸ Inspect Document) and save"),
    "protection": ("editing restrictions (releases open for editing)", "choose Review ▸ "
                   "Restrict Editing ▸ Stop Protection in Word, and save"),
    "other": ("parts a reference's styles do not need", "delete what they belong to in Word "
              "(a picture in the specimen text, header or footer, say) and save"),
}
#: children of w:settings dropped with a warning, by kind
SETTINGS_DROPPED = {"docVars": "variables", "documentProtection": "protection",
                    "writeProtection": "protection", "attachedSchema": "custom XML"}
_COMMENTS = {"comments", "commentsExtended", "commentsIds", "commentsExtensible", "people"}
_SILENT = {"footnotes", "endnotes"}  # the specimen's notes; Word always writes both


def dropped_kind(name: str, relationships: Iterable[str]) -> str | None:
    """Which warning a part not on the keep list comes under; None: dropped silently."""
    lower, kinds = name.lower(), set(relationships)
    base = lower.rsplit("/", 1)[-1]
    if kinds & _SILENT or lower in ("word/footnotes.xml", "word/endnotes.xml"):
        return None
    if kinds & _COMMENTS or base.startswith("comments") or base == "people.xml":
        return "comments"
    if "custom-properties" in kinds or lower == "docprops/custom.xml":
        return "custom properties"
    if lower.startswith("customxml/") or kinds & {"customXml", "customXmlProps"}:
        return "custom XML"
    if "font" in kinds or lower.startswith("word/fonts/") or lower.endswith(".odttf"):
        return "fonts"
    if "thumbnail" in kinds or lower.startswith("docprops/thumbnail"):
        return "thumbnail"
    return "other"


def dropped(kind: str, details: list[str]) -> str:
    what, fix = _DROPPED[kind]
    return f"{what} dropped from this reference DOCX ({listed(details)}): none of it " \
           f"reaches a release; to silence this warning, {fix}"


def in_order(kinds: Iterable[str]) -> list[str]:
    """Dropped kinds in the order of the table above, so warnings read the same each run."""
    order = list(_DROPPED)
    return sorted(kinds, key=order.index)


# ------------------------------------------------------------------ words


def excerpt(text: str, limit: int = 60) -> str:
    """At most `limit` characters of text from the file, escaped: a message never
    quotes more of what a reference holds than it takes to find it."""
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listed(details: list[str], shown: int = 3) -> str:
    unique = list(dict.fromkeys(details))
    more = f" and {len(unique) - shown} more" if len(unique) > shown else ""
    return ", ".join(excerpt(d) for d in unique[:shown]) + more
