"""A language's fixed words and date forms, from data files (spec §8.2).

pressgen ships `words/<tag>.yaml` for each language it knows (en-GB, en-US, en-AU,
en-IE, cy); a house changes any of them key by key with a file of the same name in
its own folder (`templates/words/cy.yaml`), or adds a language pressgen lacks with a
complete one. The loader resolves a release's language here, once, into `Words`
(every fixed word) and `DateForms` (how it writes dates and times); writers print
the results and never hold a word of their own.

Every file is read through `read_bounded`, so the build notes it as an input of the
releases that use it; what is parsed is kept per file content, so a batch parses
each file once however many releases read it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pressgen.errors import Problem, ReleaseError
from pressgen.model import Words
from pressgen.reading import ReadError, note_missing, read_bounded

BUILTIN = Path(__file__).parent / "words"
MAX_WORDS_BYTES = 64_000
WORD_KEYS = tuple(f.name for f in fields(Words) if f.name != "language")
DATE_KEYS = ("date", "weekday_date", "time", "moment")
OPTIONAL_DATE_KEYS = ("months", "am", "pm", "noon", "midnight")
# the fields each pattern may use (filled by dates.fill, never str.format)
FIELDS = {"date": {"day", "month", "year", "weekday"},
          "weekday_date": {"day", "month", "year", "weekday"},
          "time": {"hh", "h", "mm", "ampm"}, "moment": {"time", "zone", "weekday_date"},
          "about": {"name"}, "page": {"page", "pages"}}


_FIELD = re.compile(r"\{(\w*)\}")


def fill(pattern: str, **values: str) -> str:
    """`pattern` with each `{name}` replaced by its value: plain substitution, never
    str.format (a words file is data: `{day.__class__}` must not reach Python)."""
    return _FIELD.sub(lambda m: values.get(m[1], m[0]), pattern)


def fields_of(pattern: str) -> set[str]:
    """Every `{...}` in `pattern`, well-formed field or not."""
    return set(re.findall(r"\{([^{}]*)\}", pattern))


@dataclass(frozen=True)
class DateForms:
    """How one language writes a date, a time and a moment (see words/en-GB.yaml)."""

    locale: str  # the CLDR locale for month and weekday names (Babel), e.g. "en_GB"
    date: str  # "{day} {month} {year}"
    weekday_date: str  # "{weekday} {day} {month} {year}"
    time: str  # "{hh}:{mm}", or "{h}:{mm} {ampm}"
    moment: str  # "{time} {zone}, {weekday_date}"
    months: tuple[str, ...] | None = None  # twelve names of the house's own, else CLDR's
    am: str | None = None
    pm: str | None = None
    noon: str | None = None  # a word printed instead of the time at 12:00
    midnight: str | None = None  # ... and at 00:00


@dataclass(frozen=True)
class Language:
    """Everything a language decides: its words and its date forms."""

    tag: str
    words: Words
    dates: DateForms


def language_for(tag: str, house_folder: Path | None) -> Language:
    """The words and date forms of `tag`: pressgen's file, then the house's overrides.

    Raises LookupError (the loader reports it at the `language` key) when neither
    pressgen nor the house folder has a file for the language."""
    own = _find(BUILTIN, tag)
    override = _find(house_folder / "words", tag) if house_folder is not None else None
    if override is None and house_folder is not None:
        note_missing(house_folder / "words" / f"{tag}.yaml")
    if own is None and override is None:
        raise LookupError(f"pressgen has no words for `{tag}`; add "
                          f"{(house_folder or Path('templates')) / 'words' / (tag + '.yaml')} "
                          f"with every key of {BUILTIN / 'en-GB.yaml'} in your language")
    merged: dict[str, Any] = {}
    for path in (own, override):
        if path is not None:
            data = _parsed(path)
            merged["locale"] = data.get("locale", merged.get("locale"))
            for section in ("words", "dates"):
                merged.setdefault(section, {}).update(data.get(section) or {})
    return _resolve(tag, merged, override or own)  # type: ignore[arg-type]


def _find(folder: Path, tag: str) -> Path | None:
    """`folder/<tag>.yaml`, matching the tag without regard to case, else the file of
    its primary language (`cy-GB` → `cy.yaml`)."""
    if not folder.is_dir():
        return None
    names = {p.stem.lower(): p for p in folder.glob("*.yaml")}
    return names.get(tag.lower()) or names.get(tag.split("-")[0].lower())


_PARSED: dict[str, dict[str, Any]] = {}


def _parsed(path: Path) -> dict[str, Any]:
    """The file's data, read (and so noted) every time, parsed once per content."""
    from pressgen.yamlsource import load_yaml

    try:
        raw = read_bounded(path, MAX_WORDS_BYTES)
    except ReadError as exc:
        raise ReleaseError.at(path, 1, 1, f"cannot read the words file: {exc}") from None
    key = f"{path}\0{hashlib.sha256(raw).hexdigest()}"
    if key not in _PARSED:
        doc = load_yaml(path)
        if not isinstance(doc.data, dict):
            raise ReleaseError.at(path, 1, 1, "a words file must be a mapping of keys "
                                  "(`locale:`, `words:`, `dates:`)")
        _check_shape(doc, path)
        _PARSED[key] = doc.data
    return _PARSED[key]


def _check_shape(doc: Any, path: Path) -> None:
    problems: list[Problem] = []
    data = doc.data
    for key in data:
        if key not in ("locale", "words", "dates"):
            problems.append(doc.problem((key,), f"unknown key `{key}` in a words file; "
                                        "known keys: locale, words, dates", key=True))
    for section, known in (("words", WORD_KEYS), ("dates", DATE_KEYS + OPTIONAL_DATE_KEYS)):
        values = data.get(section)
        if values is None:
            continue
        if not isinstance(values, dict):
            problems.append(doc.problem((section,), f"`{section}` must be a mapping of keys"))
            continue
        for key, value in values.items():
            if key not in known:
                problems.append(doc.problem((section, key), f"unknown key `{key}` in "
                                            f"`{section}`; known keys: {', '.join(known)}",
                                            key=True))
            elif key == "months":
                if value is not None and not (isinstance(value, list) and len(value) == 12
                                              and all(isinstance(v, str) for v in value)):
                    problems.append(doc.problem((section, key), "`dates.months` must be "
                                                "twelve month names, or null for CLDR's"))
            elif value is not None and not isinstance(value, str):
                problems.append(doc.problem((section, key), f"`{section}.{key}` must be text"))
            elif isinstance(value, str) and key in FIELDS:
                unknown = fields_of(value) - FIELDS[key]
                if unknown:
                    problems.append(doc.problem((section, key), f"`{section}.{key}` has "
                                                f"`{{{sorted(unknown)[0]}}}`, which pressgen does "
                                                "not fill; it knows " + ", ".join(
                                                    f"{{{f}}}" for f in sorted(FIELDS[key]))))
    if problems:
        raise ReleaseError(problems)


def _resolve(tag: str, data: dict[str, Any], where: Path) -> Language:
    words, dates = data.get("words") or {}, data.get("dates") or {}
    missing = [f"words.{k}" for k in WORD_KEYS if not isinstance(words.get(k), str)]
    missing += [f"dates.{k}" for k in DATE_KEYS if not isinstance(dates.get(k), str)]
    if not isinstance(data.get("locale"), str):
        missing.insert(0, "locale")
    if missing:
        raise ReleaseError.at(where, 1, 1, f"the words for `{tag}` lack "
                              f"{', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}; "
                              f"add them (see {BUILTIN / 'en-GB.yaml'})")
    months = dates.get("months")
    return Language(
        tag=tag,
        words=Words(language=tag, **{k: words[k] for k in WORD_KEYS}),
        dates=DateForms(
            locale=data["locale"], **{k: dates[k] for k in DATE_KEYS},
            months=tuple(months) if months else None,
            **{k: dates.get(k) for k in ("am", "pm", "noon", "midnight")}),
    )
