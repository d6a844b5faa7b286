"""Load and validate the house file and releases into the model (spec §1-§5).

Everything a writer needs is decided here, once: typographic text, the body's
blocks, note order and numbering, contacts resolved, the embargo line for the
build moment, the timestamp stored inside outputs. Every problem in a file is
collected and raised together as one ReleaseError.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pressgen import embargo as emb
from pressgen.errors import ALIKE, Problem, ReleaseError, excerpt
from pressgen.markdown import MarkdownError, parse_body, parse_inline, typographic
from pressgen.model import Contact, Embargo, Inline, Note, Organisation, Release, default_words, plain_text
from pressgen.reading import ReadError, project_root, read_bounded
from pressgen.reference_docx import MAX_FILE as MAX_REFERENCE
from pressgen.reference_docx import ReferenceRefused
from pressgen.reference_docx import sanitise as sanitise_reference
from pressgen.words import Language, language_for
from pressgen.schema import HOUSE, RELEASE, key_name, validate
from pressgen.templates import Templates
from pressgen.text_checks import has_invisible, text_problems
from pressgen.yamlsource import Located, load_yaml

RELEASE_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
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
    for note_id, note in _mapping(data.get("notes")).items():
        if isinstance(note, dict) and isinstance(note.get("text"), str):
            notes[note_id] = _inline(doc, ("notes", note_id, "text"), note["text"], problems)
    reference = _reference_docx(doc, file, problems)
    lang = _language(doc, data.get("language", "en-GB"), file.parent, problems)
    if problems or tz is None:
        raise ReleaseError(problems)
    org = data["organisation"]
    return House(
        file=file,
        organisation=Organisation(collapse_space(org["name"]), org.get("website")),
        tz=tz,
        language=data.get("language", "en-GB"),
        paper=data.get("paper", "a4"),
        contacts={k: _contact(v) for k, v in data["contacts"].items()},
        notes=notes,
        always=tuple(k for k, v in _mapping(data.get("notes")).items() if v.get("always") is True),
        templates=reference.templates,
        lang=lang,
        warnings=reference.warnings,
    )


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


def _language(doc: Located, tag: Any, folder: Path, problems: list[Problem]) -> Language | None:
    """The words and date forms of `tag`, or a problem at the `language` key."""
    if not isinstance(tag, str) or not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", tag):
        return None  # not a tag at all: the schema has said so
    try:
        return language_for(tag, folder)
    except LookupError as exc:
        problems.append(doc.problem(("language",), f"`language`: {exc.args[0]}"))
    except ReleaseError as exc:
        problems.extend(exc.problems)
    return None


def load_release(file: Path, house: House, now: datetime, epoch: int | None = None) -> Release:
    """The release in `file`, resolved for the build moment `now`."""
    release_id = file.stem
    if not RELEASE_ID.fullmatch(release_id):
        raise ReleaseError.at(file, 1, 1, f"the file name `{file.name}` is not a valid release "
                              "id; use lower-case letters, digits, `.`, `_` and `-`, starting "
                              "with a letter or digit, e.g. 2026-01-29-annual-report.yaml")
    doc = load_yaml(file, house.root)
    problems = validate(doc, RELEASE, "a release")
    if not isinstance(doc.data, dict):
        raise ReleaseError(problems)
    problems += text_problems(doc)
    data: dict[str, Any] = doc.data
    day = _date(doc, problems)
    lifts_at = _embargo(doc, house.tz, day, problems)
    body = _body(doc, problems)
    notes = _notes(doc, house, problems)
    contacts = _contacts(doc, house, problems)
    if problems:
        raise ReleaseError(problems)
    assert day is not None and body is not None
    line = emb.release_line(lifts_at, now)
    return Release(
        id=release_id,
        source=file,
        organisation=house.organisation,
        headline=typographic(collapse_space(data["headline"])),
        summary=_plain(data.get("summary")),
        date=day,
        date_text=emb.date_text(day),
        embargo=Embargo(lifts_at, emb.embargo_line(lifts_at)) if lifts_at else None,
        embargoed=line != emb.IMMEDIATE,
        release_line=line,
        location=_plain(data.get("location")),
        draft=data.get("status", "draft") == "draft",
        body=body,
        notes=notes,
        contacts=contacts,
        language=house.language,
        words=house.lang.words if house.lang else default_words(),
        paper=house.paper,  # type: ignore[arg-type]
        timestamp=_timestamp(day, house.tz, epoch),
    )


def _plain(value: Any) -> str | None:
    return typographic(collapse_space(value)) if isinstance(value, str) else None


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


def _date(doc: Located, problems: list[Problem]) -> date | None:
    text = doc.data.get("date")
    if not isinstance(text, str):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            problems.append(doc.problem(("date",), f"`date` {text} is not a real day of the "
                                        "calendar; check the month and day"))
        return None


def _embargo(doc: Located, tz: ZoneInfo, day: date | None,
             problems: list[Problem]) -> datetime | None:
    text = doc.data.get("embargo")
    if not isinstance(text, str) or not text.strip():
        return None
    if fault := emb.form_fault(text):
        problems.append(doc.problem(("embargo",), f"`embargo`: {fault}"))
        return None
    try:
        lifts_at = emb.parse_moment(text, tz)
    except emb.TimeError as exc:
        problems.append(doc.problem(("embargo",), f"`embargo`: {exc}"))
        return None
    if day is not None and lifts_at.date() > day:
        problems.append(doc.problem(("embargo",), f"`embargo` lifts on {emb.date_text(lifts_at.date())}, "
                                    f"after the release's date ({emb.date_text(day)}); move the "
                                    "embargo earlier or the date later"))
    return lifts_at


def _body(doc: Located, problems: list[Problem]) -> tuple | None:
    text = doc.data.get("body")
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        blocks = parse_body(text)
    except MarkdownError as exc:
        problems.extend(_markdown_problem(doc, ("body",), p) for p in exc.problems)
        return ()
    if not any(_shows_text(block) for block in blocks):
        # e.g. only a link reference definition (`[x]: https://...`), or an empty list item
        problems.append(doc.problem(("body",), "`body`: the body has no text (a link "
                                    "definition or an empty list prints nothing); write the "
                                    "release's paragraphs"))
    return blocks


def _shows_text(block: Any) -> bool:
    """Whether a block prints any visible character."""
    inlines = getattr(block, "inlines", None)
    if inlines is not None:
        return bool(plain_text(inlines).strip())
    children = getattr(block, "blocks", None)
    if children is None:
        children = [b for item in getattr(block, "items", ()) for b in item.blocks]
    return any(_shows_text(child) for child in children)


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


def _notes(doc: Located, house: House, problems: list[Problem]) -> tuple[Note, ...]:
    """Own notes, then standard notes as listed, then the house's `always` notes."""
    data = doc.data
    notes = [Note(_inline(doc, ("notes", i), text, problems))
             for i, text in enumerate(_list(data.get("notes"))) if isinstance(text, str)]
    listed: dict[str, None] = {}  # an ordered set: 100,000 ids must not cost 100,000²
    unknown = 0
    for i, note_id in enumerate(_list(data.get("standard_notes"))):
        if not isinstance(note_id, str) or note_id in listed or has_invisible(note_id):
            continue  # has_invisible: text_problems reports it
        if note_id not in house.notes:
            unknown += 1
            problems.append(doc.problem(("standard_notes", i), _unknown_id(
                "standard note", note_id, house.notes, house.file, "notes", unknown <= ALIKE)))
        listed[note_id] = None
    listed.update((n, None) for n in house.always)
    return tuple(notes) + tuple(Note(house.notes[n]) for n in listed if n in house.notes)


def _contacts(doc: Located, house: House, problems: list[Problem]) -> tuple[Contact, ...]:
    contacts: list[Contact] = []
    for i, item in enumerate(_list(doc.data.get("contacts"))):
        if isinstance(item, str):
            if has_invisible(item):
                continue  # text_problems reports it
            if item in house.contacts:
                contacts.append(house.contacts[item])
            else:
                problems.append(doc.problem(("contacts", i), _unknown_id(
                    "contact", item, house.contacts, house.file, "contacts")))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            contacts.append(_contact(item))
    return tuple(contacts)


def _unknown_id(what: str, given: str, known: dict, house_file: Path, section: str,
                guess_it: bool = True) -> str:
    """The message for an id the house file does not have; `guess_it` False skips the
    search for the id meant (past the first few of a file: only a count is shown)."""
    import difflib

    guess = difflib.get_close_matches(given[:100], list(known), n=1, cutoff=0.6) \
        if guess_it else []
    if guess:
        hint = f"did you mean `{guess[0]}`?"
    else:
        ids = [excerpt(k) for k in list(known)[:10]] + (["…"] if len(known) > 10 else [])
        hint = f"the house file's `{section}` has: " + (", ".join(ids) or "none")
    return f"unknown {what} `{excerpt(given)}` (not in {house_file}); {hint}"


def _contact(data: dict[str, Any]) -> Contact:
    return Contact(
        name=collapse_space(data["name"]),
        role=_plain(data.get("role")),
        phone=data.get("phone"),
        email=data.get("email"),
    )


def _timestamp(day: date, tz: ZoneInfo, epoch: int | None) -> datetime:
    """What outputs store as their time: SOURCE_DATE_EPOCH, else the date at 00:00 local."""
    if epoch is not None:
        return datetime.fromtimestamp(epoch, timezone.utc)
    return datetime.combine(day, time(0, 0), tz)
