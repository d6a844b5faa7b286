"""The house file, loaded and validated once for a whole build (spec §2, §8.1).

Who the organisation is (its letterhead, partners and boilerplate), its zone,
language, style, contacts (phones read for its `country`) and standard notes in
each language they are given in. Helpers shared with the release loader (text
collapsing, Markdown problems placed at their line) live here too.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pressgen import embargo as emb
from pressgen import letterhead as lh
from pressgen.errors import Problem, ReleaseError, excerpt
from pressgen.letterhead import Member
from pressgen.lint_settings import LintSettings, settings_from  # issue 14: `lint:`
from pressgen.mailconfig import MailConfig, mail_config  # email: (spec §9)
from pressgen.markdown import MarkdownError, parse_inline
from pressgen.model import Contact, Inline, Organisation
from pressgen.reading import ReadError, project_root, read_bounded
from pressgen.reference_docx import MAX_FILE as MAX_REFERENCE
from pressgen.reference_docx import ReferenceRefused
from pressgen.reference_docx import sanitise as sanitise_reference
from pressgen.schema import HOUSE, key_name, validate
from pressgen.templates import Templates
from pressgen.text_checks import text_problems
from pressgen.words import Language, language_for
from pressgen.yamlsource import Located, load_yaml

REFERENCE_DOCX = "reference.docx"

@dataclass(frozen=True)
class House:
    """The organisation's house file, validated; shared by every release."""

    file: Path
    organisation: Organisation
    tz: ZoneInfo
    language: str
    paper: str
    contacts: dict[str, Contact]
    notes: dict[str, tuple[Inline, ...]]
    always: tuple[str, ...]  # ids of notes added to every release, in file order
    templates: Templates
    warnings: tuple[Problem, ...] = ()  # reported by every command, never fatal
    lang: Language | None = None  # the house language's words and date forms
    about: tuple[Inline, ...] | None = None  # the organisation's boilerplate
    partners: dict[str, Member] = field(default_factory=dict)
    country: str = "GB"  # where a phone number without + is read
    style: str | None = None  # None: from the release's language
    end_mark: str | None = None
    label: str | None = None
    embargo_zones: tuple[str, ...] = ()
    # each note's text in other languages (`text_cy`), by note id then language tag
    note_texts: dict[str, dict[str, tuple[Inline, ...]]] = field(default_factory=dict)
    email: MailConfig | None = None  # the house's `email:` (spec §9), for eml and send
    lint: LintSettings = LintSettings()  # issue 14: the house's `lint:` thresholds and switches

    @property
    def root(self) -> Path:
        """The project's folder (above the house file's): a release reached through a
        symbolic link is read only if the link stays inside it."""
        return project_root(self.file)


def load_house(file: Path) -> House:
    doc = load_yaml(file, project_root(file))
    problems = validate(doc, HOUSE, "the house file")
    problems += text_problems(doc)
    data = doc.data if isinstance(doc.data, dict) else {}
    tz = None
    if isinstance(data.get("timezone"), str):
        try:
            tz = emb.zone(data["timezone"])
        except emb.TimeError as exc:
            problems.append(doc.problem(("timezone",), f"`timezone`: {exc}"))
    notes: dict[str, tuple[Inline, ...]] = {}
    note_texts: dict[str, dict[str, tuple[Inline, ...]]] = {}
    for note_id, note in _mapping(data.get("notes")).items():
        if isinstance(note, dict) and isinstance(note.get("text"), str):
            notes[note_id] = _inline(doc, ("notes", note_id, "text"), note["text"], problems)
            note_texts[note_id] = {
                key[5:].lower(): _inline(doc, ("notes", note_id, key), text, problems)
                for key, text in note.items() if key.startswith("text_") and isinstance(text, str)}
    reference = _reference_docx(doc, file, problems)
    lang = _language(doc, data.get("language", "en-GB"), file.parent, problems)
    country = str(data.get("country", "GB")).upper()
    zones = _zones(doc, ("embargo_zones",), problems)
    email = mail_config(doc, file, problems)  # §9
    lint = settings_from(doc, problems)  # issue 14

    def inline(path: tuple, text: str) -> tuple[Inline, ...]:
        return _inline(doc, path, text, problems)

    own = lh.member(doc, ("organisation",), _mapping(data.get("organisation")), file.parent,
                    project_root(file), inline, problems)
    partners = {key: lh.member(doc, ("partners", key), value, file.parent, project_root(file),
                               inline, problems)
                for key, value in _mapping(data.get("partners")).items() if isinstance(value, dict)}
    contacts = {k: lh.contact(doc, ("contacts", k), v, country, problems)
                for k, v in _mapping(data.get("contacts")).items() if isinstance(v, dict)}
    if problems or tz is None:
        raise ReleaseError(problems)
    return House(
        file=file,
        organisation=own.organisation,
        tz=tz,
        language=data.get("language", "en-GB"),
        paper=data.get("paper", "a4"),
        contacts=contacts,
        notes=notes,
        always=tuple(k for k, v in _mapping(data.get("notes")).items() if v.get("always") is True),
        templates=reference.templates,
        lang=lang,
        warnings=reference.warnings,
        about=own.about,
        partners=partners,
        country=country,
        style=data.get("style"),
        end_mark=data.get("end_mark"),
        label=data.get("label"),
        embargo_zones=zones,
        note_texts=note_texts,
        email=email,
        lint=lint,
    )


def _zones(doc: Located, path: tuple, problems: list[Problem]) -> tuple[str, ...]:
    """The `embargo_zones` at `path`, each a zone name pressgen knows (§8.4)."""
    names = doc.data.get(path[0]) if isinstance(doc.data, dict) else None
    found = []
    for i, name in enumerate(_list(names)):
        if not isinstance(name, str):
            continue
        try:
            emb.zone(name)
            found.append(name)
        except emb.TimeError as exc:
            problems.append(doc.problem(path + (i,), f"`{key_name(path + (i,))}`: {exc}"))
    return tuple(found)


@dataclass(frozen=True)
class _HouseReference:
    templates: Templates
    warnings: tuple[Problem, ...] = ()


def _reference_docx(doc: Located, file: Path, problems: list[Problem]) -> _HouseReference:
    """The house's reference DOCX (its `reference_docx`, else templates/reference.docx
    beside it, else the built-in one), read and sanitised once for the whole build.

    A problem with a named file is reported at the key; one with the file beside the
    house file at that file. What the sanitiser dropped is a warning at the file."""
    named = doc.data.get("reference_docx") if isinstance(doc.data, dict) else None
    folder = file.parent
    chosen = folder / named if isinstance(named, str) else None
    templates = Templates(folder, chosen)
    path = templates.path(REFERENCE_DOCX)
    if chosen is None and os.path.lexists(folder / REFERENCE_DOCX):
        path = folder / REFERENCE_DOCX  # even a FIFO or a broken link: say what is wrong

    def problem(message: str) -> Problem:
        if chosen is not None:
            return doc.problem(("reference_docx",), f"`reference_docx`: `{excerpt(named)}` {message}")
        return Problem(path, 1, 1, f"this reference DOCX {message}")

    try:
        sanitised = sanitise_reference(read_bounded(path, MAX_REFERENCE, root=project_root(file)))
    except ReadError as exc:
        if chosen is not None and not os.path.lexists(path):
            problems.append(doc.problem(("reference_docx",), f"`reference_docx`: no file "
                                        f"`{excerpt(named)}` next to the house file; fix the path"))
        else:
            problems.append(problem(f"cannot be read: {exc}"))
        return _HouseReference(templates)
    except ReferenceRefused as exc:
        problems.extend(problem(reason) for reason in exc.reasons)
        return _HouseReference(templates)
    warnings = tuple(Problem(path, 1, 1, message, "warning") for message in sanitised.dropped)
    return _HouseReference(templates, warnings)


def _language(doc: Located, tag: Any, folder: Path, problems: list[Problem],
              path: tuple = ("language",)) -> Language | None:
    """The words and date forms of `tag`, or a problem at its `language` key."""
    if not isinstance(tag, str) or not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", tag):
        return None  # not a tag at all: the schema has said so
    try:
        return language_for(tag, folder)
    except LookupError as exc:
        problems.append(doc.problem(path, f"`{key_name(path)}`: {exc.args[0]}"))
    except ReleaseError as exc:
        problems.extend(exc.problems)
    return None


_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def collapse_space(text: str) -> str:
    """Runs of ASCII white space made one space, and none at the ends.

    Only ASCII: a no-break space (U+00A0, U+202F) between a number and its unit,
    or in `Mr\u00a0Jones`, is the writer's choice to keep the two on one line."""
    return _ASCII_SPACE.sub(" ", text).strip(" ")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    """A list key's items; a wrong type was already reported by the schema, so none."""
    return value if isinstance(value, list) else []


def _inline(doc: Located, path: tuple, text: str, problems: list[Problem]) -> tuple[Inline, ...]:
    try:
        return parse_inline(text)
    except MarkdownError as exc:
        problems.extend(_markdown_problem(doc, path, p) for p in exc.problems)
        return ()


def _markdown_problem(doc: Located, path: tuple, problem: Any) -> Problem:
    """A Markdown problem at its line in the file, not in the body's own text, and at
    the column of what it names (`problem.near`) when that is found on the line."""
    message = f"`{key_name(path)}`: {problem.message}"
    start = doc.block_scalars.get(path)
    if problem.near and path in doc.span:  # found in the source from the problem's line on
        begin, end = doc.span[path]
        if start is not None:
            begin = max(begin, doc.line_offset(start + problem.line))
        found = doc.text.find(problem.near, begin, end)
        if found >= 0:
            return Problem(doc.file, *doc.line_column(found), message)
    if start is None:
        return doc.problem(path, message)
    file_line = start + problem.line
    text_line = doc.line_text(file_line)
    return Problem(doc.file, file_line, len(text_line) - len(text_line.lstrip()) + 1, message)
