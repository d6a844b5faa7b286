"""The JSON Schemas of the release and house files, and plain-words errors from them.

jsonschema finds every problem; this module turns each into one message that
names the key, says what is wrong in a press officer's words, and how to fix it,
placed at the line and column the YAML loader kept.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Iterator

from jsonschema import Draft202012Validator, ValidationError

from pressgen.errors import Problem, excerpt
from pressgen.lint_settings import SCHEMA as LINT  # issue 14: the house's `lint:`
from pressgen.yamlsource import Located

ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
NOTE_IN_LANGUAGE = r"^text_[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
# text must show something: not only spaces, nor only invisible format characters
# (zero-width spaces and joiners, soft hyphens, direction marks, a stray BOM)
TEXT = {"type": "string", "pattern": r"[^\s\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e"
                                     r"\u2060-\u206f\ufeff]"}
EMAIL = {"type": "string", "pattern": r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z]{2,}$"}

def described(schema: dict[str, Any], text: str) -> dict[str, Any]:
    """`schema` with its `description` (what `pressgen schema` prints for the key)."""
    return {**schema, "description": text}


# a phone is read by the `phonenumbers` library for the house's `country` (phones.py);
# the schema only asks for text
PHONE = described(TEXT, "a phone number as people write it, read for the house's `country`")
CONTACT = {
    "type": "object",
    "properties": {
        "name": TEXT, "role": TEXT, "phone": PHONE, "email": EMAIL,
        "phones": described({"type": "array", "minItems": 1, "items": {
            "type": "object", "properties": {
                "number": PHONE,
                "label": described(TEXT, "what the number is for: `mobile`, `out of hours`")},
            "required": ["number"], "additionalProperties": False}},
            "several numbers, each `{number: ..., label: ...}`, instead of `phone`"),
        "note": described(TEXT, "a line printed under the contact: `No texts, please.`"),
    },
    "required": ["name"],
    "anyOf": [{"required": ["phone"]}, {"required": ["phones"]}, {"required": ["email"]}],
    "additionalProperties": False,
}
LANGUAGE = described({"type": "string", "pattern": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"},
                     "a BCP 47 language tag (en-GB, en-US, en-AU, en-IE, cy): every fixed "
                     "word and how dates are written")
STYLE = described({"enum": ["uk", "us", "au"]},
                  "the house style: end mark, label, dateline and where `about` goes")
END_MARK = described(TEXT, "the end mark in place of the style's (`ENDS`, `###`); `none` "
                           "prints none")
LABEL = described(TEXT, "a label above the headline (`MEDIA RELEASE`)")
ZONES = described({"type": "array", "items": TEXT},
                  "more IANA time zones shown on the embargo line, in brackets")
WEBSITE = {"type": "string", "pattern": r"^https?://\S+$"}


def _organisation() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "name": TEXT, "website": WEBSITE,
            "lines": described({"type": "array", "items": TEXT},
                               "more letterhead lines under the name"),
            "logo": described(TEXT, "a PNG or JPEG, relative to the house file, at most 2 MB"),
            "logo_alt": described(TEXT, "the logo's text alternative (required with `logo`)"),
            "about": described(TEXT, "the organisation's boilerplate (Markdown inline)"),
        },
        "required": ["name"],
        "dependentRequired": {"logo": ["logo_alt"]},
        "additionalProperties": False,
    }

RELEASE = {
    "type": "object",
    "properties": {
        "headline": TEXT,
        "summary": TEXT,
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "embargo": TEXT,
        "location": TEXT,
        "status": {"enum": ["draft", "final"]},
        "body": TEXT,
        "notes": {"type": "array", "items": TEXT},
        # an id that is not in the house file is reported by the loader, with a guess
        "standard_notes": {"type": "array", "items": {"type": "string"}},
        "contacts": {"type": "array", "minItems": 1, "items": {
            "if": {"type": "string"}, "else": CONTACT}},
        "language": LANGUAGE, "style": STYLE, "label": LABEL, "end_mark": END_MARK,
        "embargo_zones": ZONES,
        "partners": described({"type": "array", "items": {"type": "string"}},
                              "ids of the house file's `partners`: a joint release"),
        "translation": described({
            "type": "object",
            "properties": {"language": LANGUAGE, "headline": TEXT, "summary": TEXT,
                           "body": TEXT, "notes": {"type": "array", "items": TEXT}},
            "required": ["language", "headline", "body"],
            "additionalProperties": False,
        }, "the release in a second language, in the same file (bilingual)"),
    },
    "required": ["headline", "date", "body", "contacts"],
    "additionalProperties": False,
}

# the house's `email:` (spec §9); addresses are checked by mailconfig.py, at their line
EMAIL_SETTINGS = {
    "type": "object",
    "properties": {
        "from": TEXT, "reply_to": TEXT,
        "attach": {"type": "array", "items": {"enum": ["pdf", "docx"]}},
        "lists": {"type": "object", "propertyNames": {"pattern": ID},
                  "additionalProperties": TEXT},
        "suppress": TEXT,
        "batch": {"type": "integer", "minimum": 1, "maximum": 1000},
    },
    "required": ["from"],
    "additionalProperties": False,
}

HOUSE = {
    "type": "object",
    "properties": {
        "organisation": _organisation(),
        "partners": described({"type": "object", "propertyNames": {"pattern": ID},
                               "additionalProperties": _organisation()},
                              "other organisations a joint release can name; keys are ids"),
        "style": STYLE, "label": LABEL, "end_mark": END_MARK, "embargo_zones": ZONES,
        "country": described({"type": "string", "pattern": r"^[A-Za-z]{2}$"},
                             "ISO 3166 country for reading phone numbers without +; "
                             "default GB"),
        "timezone": TEXT,
        "language": LANGUAGE,
        "paper": {"enum": ["a4", "letter"]},
        "reference_docx": TEXT,
        "lint": LINT,  # issue 14
        "contacts": {"type": "object", "minProperties": 1, "propertyNames": {"pattern": ID},
                     "additionalProperties": CONTACT},
        "notes": {"type": "object", "propertyNames": {"pattern": ID},
                  "additionalProperties": {
                      "type": "object", "properties": {"text": TEXT, "always": {"type": "boolean"}},
                      "patternProperties": {NOTE_IN_LANGUAGE: described(
                          TEXT, "the note in that language (`text_cy`), for bilingual releases")},
                      "required": ["text"], "additionalProperties": False}},
        "email": EMAIL_SETTINGS,
    },
    "required": ["organisation", "timezone", "contacts"],
    "additionalProperties": False,
}

_VALIDATORS = {id(s): Draft202012Validator(s) for s in (RELEASE, HOUSE)}

_TYPE_WORDS = {"string": "text", "object": "a mapping of keys", "array": "a list",
               "boolean": "true or false", "integer": "a whole number"}


def validate(doc: Located, schema: dict[str, Any], what: str) -> list[Problem]:
    """Every schema problem in `doc`, in file order."""
    if not isinstance(doc.data, dict):
        return [doc.problem((), f"{what} must be a mapping of keys (`key: value` lines), "
                                f"not {_kind(doc.data)}")]
    problems = [p for err in _VALIDATORS[id(schema)].iter_errors(doc.data)
                for p in _describe(err, doc)]
    return sorted(set(problems), key=lambda p: (p.line, p.column, p.message))


def _describe(err: ValidationError, doc: Located) -> Iterator[Problem]:
    path = tuple(err.absolute_path)
    name = key_name(path)
    kind = err.validator
    if kind == "additionalProperties":
        known = list(err.schema.get("properties", {}))
        patterns = [re.compile(p) for p in err.schema.get("patternProperties", {})]
        for key in err.instance:
            if key not in known and not any(p.search(str(key)) for p in patterns):
                yield doc.problem(path + (key,), _unknown(key, known, name), key=True)
    elif kind == "required":
        for key in err.validator_value:
            if key not in err.instance and not _misspelt(key, err):
                where = f" to {name}" if name else ""
                yield doc.problem(path, f"missing required key `{key}`; add `{key}:`{where}")
    elif kind == "anyOf":  # a contact's phone-or-email rule
        yield doc.problem(path, f"{name} needs a `phone` or an `email` (or a `phones` "
                                "list); add at least one")
    elif kind == "dependentRequired":
        for key, needs in err.validator_value.items():
            for other in needs:
                if key in err.instance and other not in err.instance:
                    yield doc.problem(path + (key,), f"`{key_name(path + (key,))}` needs "
                                      f"`{other}` beside it: the logo's text alternative, "
                                      "e.g. `logo_alt: Defra logo`")
    elif kind == "type":
        yield doc.problem(path, _wrong_type(name, err, doc.raw.get(path, "")))
    elif kind == "enum":
        options = " or ".join(f"`{v}`" for v in err.validator_value)
        yield doc.problem(path, f"`{name}` must be {options}, not `{_show(err.instance)}`")
    elif kind == "pattern" and "propertyNames" in err.absolute_schema_path:
        # the offending id is a key; point at it, not at the mapping that holds it
        yield doc.problem(path + (err.instance,), f"`{name}` has an id `{_show(err.instance)}` "
                          "that is not a plain word; use letters, digits, `-`, `_` and `.`",
                          key=True)
    elif kind == "pattern":
        yield doc.problem(path, _bad_pattern(name, err))
    elif kind in ("minItems", "minProperties"):
        yield doc.problem(path, f"`{name}` is empty; give at least one entry")
    elif kind == "propertyNames":
        yield doc.problem(path, f"`{name}` has an id that is not a plain word (letters, digits, "
                                "`-`, `_`, `.`)")
    elif kind not in ("if", "then", "else"):
        yield doc.problem(path, f"`{name}`: {err.message}")


def key_name(path: tuple[Any, ...]) -> str:
    """`contacts[1].email`: a path as a user would point at it."""
    out = ""
    for part in path:  # an id is the file's own text: quoted short, like any other
        out += f"[{part + 1}]" if isinstance(part, int) else \
            (f".{excerpt(part)}" if out else excerpt(part))
    return out


def _misspelt(key: str, err: ValidationError) -> bool:
    """Whether an unknown key beside the missing `key` is `key` misspelt; that key's own
    message ("did you mean `key`?") says it all, so the missing one is not repeated."""
    known = list(err.schema.get("properties", {}))
    return any(difflib.get_close_matches(str(other)[:100], known, n=1, cutoff=0.6) == [key]
               for other in err.instance if other not in known)


def _unknown(key: str, known: list[str], parent: str) -> str:
    where = f" in `{parent}`" if parent else ""
    guess = difflib.get_close_matches(str(key)[:100], known, n=1, cutoff=0.6)
    hint = f"did you mean `{guess[0]}`?" if guess else "known keys: " + ", ".join(known)
    return f"unknown key `{_show(key)}`{where}; {hint}"


def _wrong_type(name: str, err: ValidationError, raw: str) -> str:
    want = err.validator_value
    want_words = " or ".join(_TYPE_WORDS.get(w, w) for w in (want if isinstance(want, list) else [want]))
    got = err.instance
    message = f"`{name}` must be {want_words}, not {_kind(got, raw)}"
    if want == "string" and got is None:
        message += "; write the text after the colon, or remove the key"
    elif want == "string" and isinstance(got, (bool, int, float)):
        message += f'; put it in quotes: "{_show(raw)}"'
    elif want == "boolean" and isinstance(got, str):
        message += "; write `true` or `false`"
    return message


def _bad_pattern(name: str, err: ValidationError) -> str:
    value = _show(err.instance)
    if not str(err.instance).strip() or err.validator_value == TEXT["pattern"]:
        return f"`{name}` is empty; write the text or remove the key"
    if err.validator_value == EMAIL["pattern"]:
        return f"`{name}` `{value}` is not an email address; write it as name@example.org"
    if name == "date" or name.endswith("date"):
        return f"`{name}` `{value}` is not a date; write it as YYYY-MM-DD, e.g. 2026-01-29"
    if "phone" in name:
        return f"`{name}` `{value}` is not a phone number; use digits, spaces and an optional +"
    if err.validator_value == ID:
        return f"`{name}` `{value}` is not an id; ids are letters, digits, `-`, `_` and `.`"
    if "language" in name:
        return f"`{name}` `{value}` is not a language tag; write e.g. en-GB or cy-GB"
    if "website" in name:
        return f"`{name}` `{value}` is not a web address; start it with https://"
    return f"`{name}` `{value}` does not match {err.validator_value}"


def _kind(value: Any, raw: str = "") -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"true/false (`{_show(raw or value)}`)"
    if isinstance(value, (int, float)):
        return f"a number (`{_show(raw or value)}`)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return "text"


def _show(value: Any) -> str:
    """A value as a message quotes it: on one line, and cut short when long."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return excerpt(value)
