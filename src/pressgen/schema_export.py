"""The schemas `check` validates with, as JSON Schema files for an editor (issue 14).

`pressgen schema release|house` prints them; `pressgen new` writes copies into the
project (`.pressgen/schema/`) and points the release's first line at one, so a
YAML language server (VS Code, Neovim, Zed, JetBrains) completes keys and flags
mistakes as the press officer types. The schemas are those of schema.py, never a
second copy, so the editor and `check` cannot disagree; this module only adds the
draft, an id, a title and a description of every key, from the table below
(kept here, beside the export, so that schema.py stays the rules alone).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("release", "house")
FOLDER = Path(".pressgen") / "schema"  # in the project: the folder above the house file's


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


_TITLES = {
    "release": ("A pressgen press release",
                "One press release: releases/<id>.yaml. The file's name is the release's id."),
    "house": ("A pressgen house file",
              "The organisation's house file, templates/house.yaml: who it is, its time zone, "
              "media contacts and standard notes to editors, shared by every release."),
}

_CONTACT = {
    "contacts.*.name": "The contact's name, as printed.",
    "contacts.*.role": "Their role, printed after the name (optional).",
    "contacts.*.phone": "A phone number as people write it (at least one of phone and email).",
    "contacts.*.email": "An email address, printed as a mailto: link (at least one of phone "
                        "and email).",
    "contacts.*.phones": "Several phone numbers, each {number: ..., label: ...}.",
    "contacts.*.phones.*.number": "The number, as people write it.",
    "contacts.*.phones.*.label": "What the number is for, e.g. out of hours.",
    "contacts.*.note": "A line under the contact, e.g. No texts, please.",
}

# description by key path: `*` stands for a list item or an id; the longest match wins
_RELEASE = {
    "headline": "Required. The headline: one line, also the document's title.",
    "summary": "Optional standfirst: one short paragraph under the headline.",
    "date": "Required. The day of publication, YYYY-MM-DD.",
    "embargo": "Optional. When the embargo lifts: YYYY-MM-DD HH:MM in the house time zone, "
               "or ISO 8601 with an offset (2026-01-29T00:01+00:00).",
    "location": "Optional dateline, printed before the first paragraph, e.g. London.",
    "status": "draft (the default: every output marked DRAFT) or final.",
    "body": "Required. The release's text in Markdown: paragraphs, ## and ### headings, "
            "lists, **bold**, *italic*, links, quotes.",
    "notes": "Optional notes to editors for this release only, printed first.",
    "standard_notes": "Optional ids of the house file's notes, in the order wanted.",
    "contacts": "Required. Media contacts: ids from the house file's contacts, or inline "
                "contacts (name, role, phone, email).",
    "language": "The release's language (BCP 47, e.g. en-GB, en-US, cy); default the house's.",
    "style": "uk, us or au: end mark, label, dateline and where `about` goes.",
    "label": "A label above the headline, e.g. MEDIA RELEASE.",
    "end_mark": "The end mark (ENDS, ###); `none` prints none.",
    "embargo_zones": "More IANA time zones shown on the embargo line, e.g. America/New_York.",
    "partners": "Ids of the house file's partners: a joint release.",
    "translation": "The same release in a second language (a bilingual release).",
    "translation.language": "The translation's language (BCP 47).",
    "translation.headline": "The headline in the translation's language.",
    "translation.summary": "The summary in the translation's language.",
    "translation.body": "The body in the translation's language (Markdown).",
    "translation.notes": "Notes to editors in the translation's language.",
    **_CONTACT,
}

_HOUSE = {
    "organisation": "Required. Who issues the releases.",
    "organisation.name": "Required. The organisation's name, as printed on every release.",
    "organisation.website": "Its website, https://...",
    "organisation.lines": "More letterhead lines under the name.",
    "organisation.logo": "A PNG or JPEG logo, relative to the house file, at most 2 MB.",
    "organisation.logo_alt": "The logo's text alternative (required with a logo).",
    "organisation.about": "The organisation's boilerplate (Markdown inline).",
    "timezone": "Required. The IANA time zone of embargo times, e.g. Europe/London.",
    "language": "The releases' language (BCP 47); default en-GB.",
    "paper": "a4 (the default) or letter.",
    "reference_docx": "A Word document whose styles the DOCX output uses, relative to the "
                      "house file.",
    "contacts": "Required. Media contacts by id, for releases to name in `contacts`.",
    "notes": "Standard notes to editors by id, for releases to name in `standard_notes`.",
    "notes.*.text": "Required. The note (Markdown inline markup allowed).",
    "notes.*.always": "true: added to every release.",
    "partners": "Other organisations a joint release can name, by id.",
    "partners.*.name": "The partner's name.",
    "partners.*.website": "The partner's website, https://...",
    "partners.*.logo": "The partner's logo (PNG or JPEG), relative to the house file.",
    "partners.*.logo_alt": "The partner logo's text alternative.",
    "partners.*.about": "The partner's boilerplate (Markdown inline).",
    "style": "uk, us or au; default from `language`.",
    "country": "ISO 3166 code for reading phone numbers written without +; default GB.",
    "end_mark": "Overrides the style's end mark; `none` prints none.",
    "label": "A label above the headline; default the style's.",
    "embargo_zones": "More IANA time zones shown on the embargo line, e.g. America/New_York.",
    "email": "Distribution by email (pressgen send).",
    "email.from": "The From address of the release's email.",
    "email.reply_to": "The Reply-To address (optional).",
    "email.attach": "What to attach: pdf (the default), docx.",
    "email.lists": "Distribution lists by name: CSV files relative to the house file.",
    "email.suppress": "A file of addresses never to send to, one a line.",
    "email.batch": "Recipients per message, in Bcc.",
    "lint": "Thresholds and switches of `pressgen lint`.",
    **_CONTACT,
}


def exported(kind: str) -> dict[str, Any]:
    """The JSON Schema of a release or house file, every key described."""
    from pressgen.schema import HOUSE, RELEASE

    title, description = _TITLES[kind]
    table = _RELEASE if kind == "release" else _HOUSE
    body = _described({k: v for k, v in (RELEASE if kind == "release" else HOUSE).items()},
                      (), table)
    return {"$schema": DRAFT, "$id": f"urn:pressgen:schema:{kind}", "title": title,
            "description": description, **body}


def schema_text(kind: str) -> str:
    return json.dumps(exported(kind), indent=2, ensure_ascii=False) + "\n"


def write_copies(root: Path) -> dict[str, Path]:
    """Both schemas written (atomically) into `root/.pressgen/schema/`."""
    from pressgen.atomic import write_atomic

    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for kind in KINDS:
        written[kind] = folder / file_name(kind)
        write_atomic(written[kind], schema_text(kind).encode("utf-8"))
    return written


def _described(node: Any, path: tuple[str, ...], table: dict[str, str]) -> Any:
    """A copy of `node` with a description on every property; shared sub-schemas
    (schema.py's TEXT, CONTACT) are copied, never changed in place."""
    if isinstance(node, list):
        return [_described(item, path, table) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "properties":
            out[key] = {name: _with_description(_described(sub, path + (name,), table),
                                                path + (name,), table)
                        for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = _described(value, path + ("*",), table)
        elif key in ("anyOf", "oneOf", "allOf", "if", "then", "else"):
            out[key] = _described(value, path, table)
        else:
            out[key] = value
    return out


def _with_description(node: Any, path: tuple[str, ...], table: dict[str, str]) -> Any:
    if not isinstance(node, dict) or "description" in node:
        return node
    for start in range(len(path)):
        words = table.get(".".join(path[start:]))
        if words:
            return {"description": words, **node}
    return node
