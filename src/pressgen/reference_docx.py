"""The house's reference DOCX, cut down to what styling needs before any release sees it.

A reference DOCX gives every release its Word styles. Whatever else it holds
would be copied into every release, so it is read once, at house load, and
rebuilt from a short keep list: the main document (its body emptied, its last
section's page layout kept), styles, numbering, theme, font table, settings,
web settings, headers and footers (emptied: the writer writes its own), and the
core and extended properties (the writer rewrites both). The relationships and
content types are written anew to list only those parts.

Everything else is decided by kind (the README's "The reference DOCX" says the
same to users; `reference_policy` holds the kinds and their words):

- refused, with what to do in Word: anything outside the file (an attached
  template, a linked picture or object, a hyperlink, a mail-merge data source:
  any external relationship), mail merge, macros, ActiveX controls, embedded
  objects, add-ins, a zip bomb, a damaged zip, a file that is not a Word document;
- dropped with a warning: comments and their authors, custom properties, custom
  XML, embedded fonts, the preview picture, document variables, editing
  restrictions, and any other part not on the keep list;
- dropped silently: the specimen text (body, headers, footers, their footnotes),
  which no release ever showed.

The result is a small DOCX (bytes) that python-docx opens in the writer. This
module imports neither python-docx nor lxml, so `check` stays quick.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pressgen import reference_policy as policy
from pressgen.bounded_zip import BoundedZip, NotAZip, ZipBomb, ZipRefused
from pressgen.opc import (
    CONTENT_TYPES, PACKAGE_RELS, Rel, content_types_xml, rels_name, rels_source, rels_xml,
    resolve, stored_zip,
)
from pressgen.xml_spans import Element, XmlRefused, scan, splice, walk

MAX_FILE = 10 << 20  # bytes of the reference DOCX as stored; Word's own are ~30 KB
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a .doc, or a password-protected .docx


class ReferenceRefused(Exception):
    """A reference DOCX that cannot be used; `reasons` are predicates ("attaches …; fix")."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons))


@dataclass(frozen=True)
class Reference:
    """A sanitised reference DOCX and what was dropped from it (one predicate a kind)."""

    data: bytes
    dropped: tuple[str, ...] = ()


@dataclass
class _Findings:
    refused: dict[str, list[str]] = field(default_factory=dict)  # kind -> details
    dropped: dict[str, list[str]] = field(default_factory=dict)

    def refuse(self, kind: str, detail: str) -> None:
        self.refused.setdefault(kind, []).append(detail)

    def drop(self, kind: str, detail: str) -> None:
        self.dropped.setdefault(kind, []).append(detail)


def sanitise(data: bytes) -> Reference:
    """The reference DOCX in `data` with only what styling needs; ReferenceRefused if
    it cannot be used. Costs a few milliseconds for a document Word saved."""
    if data.startswith(OLE2_MAGIC):
        raise ReferenceRefused([policy.OLD_OR_ENCRYPTED])
    try:
        archive = BoundedZip(data)
        return _Package(archive).sanitised()
    except NotAZip:
        raise ReferenceRefused([policy.not_a_docx("it is not a zip file")]) from None
    except ZipBomb as exc:
        raise ReferenceRefused([policy.bomb(str(exc))]) from None
    except ZipRefused as exc:
        raise ReferenceRefused([policy.damaged(str(exc))]) from None


class _Package:
    def __init__(self, archive: BoundedZip) -> None:
        self.zip = archive
        self.found = _Findings()
        if CONTENT_TYPES not in archive or PACKAGE_RELS not in archive:
            raise ReferenceRefused([policy.not_a_docx(f"it has no {CONTENT_TYPES} or "
                                                      f"{PACKAGE_RELS}")])
        self.types = self._content_types()
        self.rels = {source: self._rels(source, name) for name in archive.names
                     if (source := rels_source(name)) is not None}
        self.reltypes: dict[str, set[str]] = {}
        for rels in self.rels.values():
            for rel in rels:
                if rel.part is not None:
                    self.reltypes.setdefault(rel.part, set()).add(rel.kind)

    # ---------------------------------------------------------------- reading

    def _xml(self, name: str, depth: int = 2) -> tuple[bytes, Element]:
        data = self.zip.read(name)
        try:
            return data, scan(data, depth)
        except XmlRefused as exc:
            raise ReferenceRefused([policy.damaged(f"{name}: {exc}")]) from None

    def _content_types(self) -> dict[str, str]:
        """Part name (or `*.ext`) -> content type, as the package declares them."""
        _, root = self._xml(CONTENT_TYPES, 1)
        types: dict[str, str] = {}
        for element in root.children:
            attrs = {local: value for (_, local), value in element.attrs.items()}
            if element.name[1] == "Override" and "PartName" in attrs:
                types[attrs["PartName"].lstrip("/")] = attrs.get("ContentType", "")
            elif element.name[1] == "Default" and "Extension" in attrs:
                types["*." + attrs["Extension"].lower()] = attrs.get("ContentType", "")
        return types

    def content_type(self, name: str) -> str:
        return self.types.get(name) or self.types.get("*." + name.rsplit(".", 1)[-1].lower(), "")

    def _rels(self, source: str, name: str) -> list[Rel]:
        _, root = self._xml(name, 1)
        rels = []
        for element in root.children:
            attrs = {local: value for (_, local), value in element.attrs.items()}
            if element.name[1] != "Relationship" or "Id" not in attrs:
                continue
            target, external = attrs.get("Target", ""), attrs.get("TargetMode") == "External"
            part = None if external else resolve(source, target)
            rels.append(Rel(attrs["Id"], attrs.get("Type", ""), target, part))
        return rels

    # ---------------------------------------------------------------- deciding

    def sanitised(self) -> Reference:
        for name in self.zip.names:
            kind = policy.active_kind(name, self.content_type(name), self.reltypes.get(name, ()))
            if kind:
                self.found.refuse(kind, name)
        for rels in self.rels.values():
            for rel in rels:
                if rel.part is None:
                    kind = policy.external_kind(rel.kind)
                    where = {"external": f"{rel.kind} {rel.target}",
                             "mail merge": f"data source {rel.target}"}.get(kind, rel.target)
                    self.found.refuse(kind, where)
        main = self._main()
        kept: dict[str, str] = {main: policy.MAIN}  # part -> content type
        package_rels = self._keep(self.rels.get("", []), policy.PACKAGE_KEEP, kept)
        main_rels = self._keep(self.rels.get(main, []), policy.DOCUMENT_KEEP, kept)
        parts = {name: self._clean(name, kind, {r.id for r in main_rels}, main)
                 for name, kind in kept.items()}
        for name in self.zip.names:
            if name not in kept and name != CONTENT_TYPES and rels_source(name) is None:
                kind = policy.dropped_kind(name, self.reltypes.get(name, ()))
                if kind:
                    self.found.drop(kind, name)
        if self.found.refused:
            raise ReferenceRefused([policy.refused(kind, details)
                                    for kind, details in self.found.refused.items()])
        parts[CONTENT_TYPES] = content_types_xml(kept)
        parts[PACKAGE_RELS] = rels_xml(package_rels)
        parts[rels_name(main)] = rels_xml(main_rels)
        dropped = tuple(policy.dropped(kind, self.found.dropped[kind])
                        for kind in policy.in_order(self.found.dropped))
        return Reference(stored_zip(parts), dropped)

    def _main(self) -> str:
        """The main document part, which must be a Word document's or template's."""
        package = self.rels.get("", [])
        main = next((r.part for r in package if r.type == policy.OFFICE_DOCUMENT), None)
        if main is None or main not in self.zip:
            strict = any(r.type == policy.STRICT_OFFICE_DOCUMENT for r in package)
            raise ReferenceRefused([policy.not_a_docx(
                "it is saved as Strict Open XML" if strict else "it has no main document")])
        content_type = self.content_type(main)
        if content_type not in (policy.MAIN, policy.TEMPLATE_MAIN) and not self.found.refused:
            raise ReferenceRefused([policy.not_a_docx(f"its main part is {content_type or 'untyped'}")])
        return main

    def _keep(self, rels: list[Rel], keep: dict[str, str], kept: dict[str, str]) -> list[Rel]:
        """The relationships of `rels` on the keep list whose part is there; their
        parts join `kept` with the content type their relationship calls for."""
        chosen = []
        for rel in rels:
            if rel.type in keep and rel.part is not None and rel.part in self.zip \
                    and rels_source(rel.part) is None and rel.part != CONTENT_TYPES:
                kept.setdefault(rel.part, keep[rel.type])
                chosen.append(rel)
        return chosen

    # ---------------------------------------------------------------- cleaning

    def _clean(self, name: str, content_type: str, main_ids: set[str], main: str) -> bytes:
        """A kept part with its content gone where the writer writes its own, and
        every pointer at a relationship that is not kept removed."""
        # settings are small and read whole: a mail merge must not hide in mc:AlternateContent
        data, root = self._xml(name, 64 if content_type == policy.SETTINGS else 2)
        expected = policy.ROOTS.get(content_type)
        if expected is not None and root.name != expected:
            raise ReferenceRefused([policy.damaged(f"{name} is not the part its relationship "
                                                   f"says it is (<{root.name[1]}>)")])
        edits: list[tuple[int, int, bytes]] = []
        kept_ids = main_ids if name == main else set()
        if name == main:
            edits += _empty_body(root)
        elif content_type in (policy.HEADER, policy.FOOTER):
            edits += _empty_story(root)
        elif content_type == policy.SETTINGS:
            edits += self._settings(root, {r.id: r for r in self.rels.get(name, [])})
        edits += [(e.start, e.end, b"") for e in walk(root)
                  if any(i not in kept_ids for i in e.relationship_ids())]
        return splice(data, edits) if edits else data

    def _settings(self, root: Element, rels: dict[str, Rel]) -> list[tuple[int, int, bytes]]:
        """Refuse a template or mail merge; drop what a release must not inherit."""
        removed = []
        for element in walk(root):
            if element.name[0] != policy.W:
                continue
            local = element.name[1]
            if local == "attachedTemplate":
                self.found.refuse("template", _target(element, rels) or "w:attachedTemplate")
            elif local == "mailMerge":
                source = next((_target(e, rels) for e in walk(element)
                               if e.name[1] == "dataSource"), None)
                self.found.refuse("mail merge", f"data source {source}" if source
                                  else "w:mailMerge in its settings")
            elif local in policy.SETTINGS_DROPPED:
                self.found.drop(policy.SETTINGS_DROPPED[local], f"w:{local}")
                removed.append(element)
            elif local in ("footnotePr", "endnotePr") and element.depth == 1:  # name the notes dropped
                removed.append(element)
        return [(e.start, e.end, b"") for e in removed]


def _empty_body(root: Element) -> list[tuple[int, int, bytes]]:
    """Everything in the body but its last w:sectPr (the page layout) goes."""
    body = next((e for e in root.children if e.name == (policy.W, "body")), None)
    if body is None:
        return []
    children = body.children
    last = children[-1] if children and children[-1].name == (policy.W, "sectPr") else None
    return [(e.start, e.end, b"") for e in children if e is not last]


def _empty_story(root: Element) -> list[tuple[int, int, bytes]]:
    """A header or footer down to one empty paragraph (Word requires one)."""
    if not root.children:
        return []
    prefix = f"{root.prefix}:" if root.prefix and root.name[0] == policy.W else ""
    declare = "" if prefix else f' xmlns="{policy.W}"'
    return [(root.children[0].start, root.children[-1].end, f"<{prefix}p{declare}/>".encode())]


def _target(element: Element, rels: dict[str, Rel]) -> str | None:
    ids = element.relationship_ids()
    return rels[ids[0]].target if ids and ids[0] in rels else None
