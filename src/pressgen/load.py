"""Load and validate a release into the model (spec §1-§5, §8); the house file is
house.py's, re-exported here (`load_house`, `House`).

Everything a writer needs is decided here, once: typographic text, the body's
blocks, note order and numbering, contacts resolved, the embargo line for the
build moment, the timestamp stored inside outputs. Every problem in a file is
collected and raised together as one ReleaseError.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pressgen import dates, styles
from pressgen import embargo as emb
from pressgen import letterhead as lh
from pressgen.errors import ALIKE, Problem, ReleaseError, excerpt
from pressgen.house import (  # noqa: F401 - House, load_house, collapse_space: pressgen.load's API
    House, _inline, _language, _list, _markdown_problem, _zones, collapse_space, load_house,
)
from pressgen.letterhead import Member
from pressgen.markdown import MarkdownError, MarkdownProblem, parse_body, typographic
from pressgen.model import (
    Contact, Embargo, Heading, Inline, Note, Paragraph, Release, Text, Translation, Words,
    plain_text, with_dateline,
)
from pressgen.schema import RELEASE, key_name, validate
from pressgen.text_checks import has_invisible, text_problems
from pressgen.words import Language, language_for
from pressgen.yamlsource import Located, load_yaml

RELEASE_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


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
