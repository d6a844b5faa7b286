"""Load and validate the house file and releases into the model (spec §1-§5).

Everything a writer needs is decided here, once: typographic text, the body's
blocks, note order and numbering, contacts resolved, the embargo line for the
build moment, the timestamp stored inside outputs. Every problem in a file is
collected and raised together as one ReleaseError.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pressgen import embargo as emb
from pressgen.errors import ALIKE, Problem, ReleaseError, excerpt
from pressgen import dates, styles
from pressgen.markdown import MarkdownError, MarkdownProblem, parse_body, parse_inline, typographic
from pressgen.model import (
    Contact, Embargo, Heading, Inline, Note, Organisation, Paragraph, Release, Text, Translation,
    Words, plain_text, with_dateline,
)
from pressgen.lint_settings import LintSettings, settings_from  # issue 14: `lint:`
from pressgen.reading import ReadError, project_root, read_bounded
from pressgen.reference_docx import MAX_FILE as MAX_REFERENCE
from pressgen.reference_docx import ReferenceRefused
from pressgen.reference_docx import sanitise as sanitise_reference
from pressgen import letterhead as lh
from pressgen.letterhead import Member
from pressgen.words import Language, language_for
from pressgen.mailconfig import MailConfig, mail_config  # email: (spec §9)
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

    def inline(path: tuple, text: str) -> tuple[Inline, ...]:
        return _inline(doc, path, text, problems)

    own = lh.member(doc, ("organisation",), _mapping(data.get("organisation")), file.parent,
                    project_root(file), inline, problems)
    partners = {key: lh.member(doc, ("partners", key), value, file.parent, project_root(file),
                               inline, problems)
                for key, value in _mapping(data.get("partners")).items() if isinstance(value, dict)}
    contacts = {k: lh.contact(doc, ("contacts", k), v, country, problems)
                for k, v in _mapping(data.get("contacts")).items() if isinstance(v, dict)}
    email = mail_config(doc, file, problems)  # §9
    lint = settings_from(doc, problems)  # issue 14
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
        email=email,
        lint=lint,
        warnings=reference.warnings,
        about=own.about,
        partners=partners,
        country=country,
        style=data.get("style"),
        end_mark=data.get("end_mark"),
        label=data.get("label"),
        embargo_zones=zones,
        note_texts=note_texts,
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


def load_release(file: Path, house: House, now: datetime, epoch: int | None = None,
                 located: list[Located] | None = None) -> Release:
    """The release in `file`, resolved for the build moment `now`; its located source
    is appended to `located` when given (for lint, which reports at its places)."""
    release_id = file.stem
    if not RELEASE_ID.fullmatch(release_id):
        raise ReleaseError.at(file, 1, 1, f"the file name `{file.name}` is not a valid release "
                              "id; use lower-case letters, digits, `.`, `_` and `-`, starting "
                              "with a letter or digit, e.g. 2026-01-29-annual-report.yaml")
    doc = load_yaml(file, house.root)
    if located is not None:
        located.append(doc)  # issue 14
    problems = validate(doc, RELEASE, "a release")
    if not isinstance(doc.data, dict):
        raise ReleaseError(problems)
    problems += text_problems(doc)
    data: dict[str, Any] = doc.data
    lang = _release_language(doc, ("language",), data.get("language"), house, problems)
    chosen = styles.style(data.get("style") or house.style or styles.default_style(lang.tag))
    day = _date(doc, problems)
    zones = _zones(doc, ("embargo_zones",), problems) if "embargo_zones" in data \
        else house.embargo_zones
    lifts_at = _embargo(doc, house.tz, day, problems)
    body = _body(doc, ("body",), chosen, problems)
    partners = _partners(doc, house, problems)
    abouts = [(m.organisation.name, m.about) for m in (Member(house.organisation, house.about),
                                                       *partners) if m.about]
    notes = _notes(doc, ("notes",), house, lang.tag, abouts if chosen.about == "notes" else [],
                   problems)
    contacts = _contacts(doc, house, problems)
    second = _translation(doc, house, chosen, abouts, problems)
    if problems:
        raise ReleaseError(problems)
    assert day is not None and body is not None
    location = _plain(data.get("location"))
    end_override = data.get("end_mark", house.end_mark)
    label_override = data.get("label", house.label)
    words = lang.words
    heading = words.contacts_heading
    translation = None
    if second is not None:
        other, t_body, t_notes = second
        t_date = dates.date_text(day, other.dates)
        t_data = data["translation"]
        translation = Translation(
            language=other.tag, words=other.words,
            release_line=emb.release_line(lifts_at, now, other, zones),
            headline=typographic(collapse_space(t_data["headline"])),
            summary=_plain(t_data.get("summary")), date_text=t_date,
            body=_finished_body(t_body, chosen, location, t_date, abouts, other.words),
            notes=t_notes, label=styles.label(chosen, label_override, other.words))
        if other.words.contacts_heading != heading:
            heading = f"{heading} / {other.words.contacts_heading}"
    date_text = dates.date_text(day, lang.dates)
    return Release(
        id=release_id,
        source=file,
        organisation=house.organisation,
        headline=typographic(collapse_space(data["headline"])),
        summary=_plain(data.get("summary")),
        date=day,
        date_text=date_text,
        embargo=Embargo(lifts_at, emb.embargo_line(lifts_at, lang, zones), zones,
                        _moment(lifts_at, lang))
        if lifts_at else None,
        embargoed=emb.is_embargoed(lifts_at, now),
        release_line=emb.release_line(lifts_at, now, lang, zones),
        location=location,
        draft=data.get("status", "draft") == "draft",
        body=_finished_body(body, chosen, location, date_text, abouts, words),
        notes=notes,
        contacts=contacts,
        language=lang.tag,
        words=words,
        paper=house.paper,  # type: ignore[arg-type]
        timestamp=_timestamp(day, house.tz, epoch),
        style=chosen.name,
        end_mark=styles.end_mark(chosen, end_override, words),
        label=styles.label(chosen, label_override, words),
        partners=tuple(m.organisation for m in partners),
        translation=translation,
        contacts_heading=heading,
        email=house.email.message if house.email else None,  # §9
    )


def _finished_body(blocks: tuple, chosen: styles.Style, location: str | None, date_text: str,
                   abouts: list[tuple[str, tuple[Inline, ...]]], words: Words) -> tuple:
    """The body with its dateline placed (§6) and, in the us style, an `About <name>`
    section per organisation after it (§8.3)."""
    if location:
        blocks = with_dateline(blocks, styles.dateline(chosen, location, date_text))
    if chosen.about == "section":
        for name, about in abouts:
            blocks += (Heading(2, (Text(words.about_heading(name)),)), Paragraph(about))
    return blocks


def _release_language(doc: Located, path: tuple, tag: Any, house: House,
                      problems: list[Problem]) -> Language:
    """The release's language (its `language`, else the house's), at its key when unknown."""
    fallback = house.lang or language_for("en-GB", None)
    if tag is None or tag == house.language:
        return fallback
    found = _language(doc, tag, house.file.parent, problems, path)
    return found or fallback


def _partners(doc: Located, house: House, problems: list[Problem]) -> list[Member]:
    found = []
    for i, key in enumerate(_list(doc.data.get("partners"))):
        if not isinstance(key, str) or has_invisible(key):
            continue
        if key in house.partners:
            found.append(house.partners[key])
        else:
            problems.append(doc.problem(("partners", i), _unknown_id(
                "partner", key, house.partners, house.file, "partners")))
    return found


def _translation(doc: Located, house: House, chosen: styles.Style,
                 abouts: list[tuple[str, tuple[Inline, ...]]], problems: list[Problem]):
    """The second language's words, body and notes (§8.5), or None."""
    data = doc.data.get("translation")
    if not isinstance(data, dict) or not isinstance(data.get("language"), str):
        return None
    found = _language(doc, data["language"], house.file.parent, problems,
                      ("translation", "language"))
    body = _body(doc, ("translation", "body"), chosen, problems)
    if found is None or body is None:
        return None
    notes = _notes(doc, ("translation", "notes"), house, found.tag,
                   abouts if chosen.about == "notes" else [], problems)
    return found, body, notes


def _moment(lifts_at: datetime, lang: Language) -> str:
    """The lift in the release's language, house zone only (`00:01 GMT, Dydd Iau 29
    Ionawr 2026`): the email subject's (§9)."""
    return dates.moment_text(lifts_at, lang.dates)


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


def _body(doc: Located, path: tuple, chosen: styles.Style,
          problems: list[Problem]) -> tuple | None:
    text = _at(doc.data, path)
    if not isinstance(text, str) or not text.strip():
        return None
    # A line that is only an end mark (`ENDS`, `###`, `-30-`): pressgen adds its own
    # (§8.3). Read from the raw lines: to Markdown, `###` is an empty heading.
    marks = {n: line.strip() for n, line in enumerate(text.split("\n"))
             if styles.is_end_mark_line(line, chosen)}
    for n, line in marks.items():
        problems.append(_markdown_problem(doc, path, MarkdownProblem(
            n, f"the line `{excerpt(line)}` is an end mark, which pressgen adds itself at the "
               "end of the release; remove the line", line)))
    try:
        blocks = parse_body(text)
    except MarkdownError as exc:
        problems.extend(_markdown_problem(doc, path, p) for p in exc.problems
                        if p.line not in marks)
        return ()
    if not any(_shows_text(block) for block in blocks):
        # e.g. only a link reference definition (`[x]: https://...`), or an empty list item
        problems.append(doc.problem(path, f"`{key_name(path)}`: the body has no text (a link "
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


def _at(data: Any, path: tuple) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _notes(doc: Located, path: tuple, house: House, language: str,
           abouts: list[tuple[str, tuple[Inline, ...]]], problems: list[Problem]) -> tuple[Note, ...]:
    """Own notes, then standard notes as listed, then each organisation's `about` (uk
    and au styles), then the house's `always` notes; each in `language` where the
    house gives its text in it (`text_cy`)."""
    data = doc.data
    notes = [Note(_inline(doc, path + (i,), text, problems))
             for i, text in enumerate(_list(_at(data, path))) if isinstance(text, str)]
    listed: dict[str, None] = {}  # an ordered set: 100,000 ids must not cost 100,000²
    unknown = 0
    for i, note_id in enumerate(_list(data.get("standard_notes"))):
        if not isinstance(note_id, str) or note_id in listed or has_invisible(note_id):
            continue  # has_invisible: text_problems reports it
        if note_id not in house.notes and path == ("notes",):  # reported once, not per language
            unknown += 1
            problems.append(doc.problem(("standard_notes", i), _unknown_id(
                "standard note", note_id, house.notes, house.file, "notes", unknown <= ALIKE)))
        listed[note_id] = None
    standard = [Note(_note_in(house, n, language)) for n in listed if n in house.notes]
    always = [Note(_note_in(house, n, language)) for n in house.always if n not in listed]
    return tuple(notes + standard + [Note(about) for _, about in abouts] + always)


def _note_in(house: House, note_id: str, language: str) -> tuple[Inline, ...]:
    """A standard note's `text_<language>` (or of its primary language), else `text`."""
    texts = house.note_texts.get(note_id, {})
    tag = language.lower()
    return texts.get(tag) or texts.get(tag.split("-")[0]) or house.notes[note_id]


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
            contacts.append(lh.contact(doc, ("contacts", i), item, house.country, problems))
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


def _timestamp(day: date, tz: ZoneInfo, epoch: int | None) -> datetime:
    """What outputs store as their time: SOURCE_DATE_EPOCH, else the date at 00:00 local."""
    if epoch is not None:
        return datetime.fromtimestamp(epoch, timezone.utc)
    return datetime.combine(day, time(0, 0), tz)
