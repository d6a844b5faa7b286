"""The house file's organisations and contacts (spec §2, §8.1, §8.6), read into the model.

The organisation and each partner: name, `lines`, `logo` (checked here, at its key:
logos.py) with its `logo_alt`, and `about` (Markdown inline). Contacts: `phone` or a
`phones:` list, each read for the house's `country` (phones.py) and kept as written;
names, roles and notes made typographic like every other text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pressgen.errors import Problem, excerpt
from pressgen.logos import LogoError, check_logo
from pressgen.markdown import typographic
from pressgen.model import Contact, Inline, Logo, Organisation, Phone
from pressgen.phones import PhoneError, read_phone
from pressgen.yamlsource import Located

Inlines = Callable[[tuple, str], tuple[Inline, ...]]


_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def _space(text: str) -> str:
    """ASCII runs of space made one, none at the ends; a no-break space is kept (see
    load.collapse_space)."""
    return _ASCII_SPACE.sub(" ", text).strip(" ")


def plain(value: Any) -> str | None:
    """A one-line text as printed: spaces collapsed, quotes and dashes typographic."""
    return typographic(_space(value)) if isinstance(value, str) else None


@dataclass(frozen=True)
class Member:
    """One organisation of the letterhead, with its `about` boilerplate (or None)."""

    organisation: Organisation
    about: tuple[Inline, ...] | None


def member(doc: Located, path: tuple, data: dict[str, Any], folder: Path, root: Path | None,
           inline: Inlines, problems: list[Problem]) -> Member:
    """The organisation (or partner) at `path` in the house file."""
    logo = None
    if isinstance(data.get("logo"), str) and isinstance(data.get("logo_alt"), str):
        file = folder / data["logo"]
        try:
            check_logo(file, root)
            logo = Logo(file, _space(data["logo_alt"]))
        except LogoError as exc:
            problems.append(doc.problem(path + ("logo",), f"`logo` `{excerpt(data['logo'])}` {exc}"))
    about = inline(path + ("about",), data["about"]) if isinstance(data.get("about"), str) else None
    lines = tuple(plain(line) or "" for line in data.get("lines") or () if isinstance(line, str))
    org = Organisation(_space(data.get("name", "")), data.get("website"), lines, logo)
    return Member(org, about)


def contact(doc: Located, path: tuple, data: dict[str, Any], country: str,
            problems: list[Problem]) -> Contact:
    """A house or inline contact; each phone read for `country`, an error at its line."""
    phones: list[Phone] = []
    written = [((path + ("phone",)), data.get("phone"), None)]
    written += [(path + ("phones", i, "number"), item.get("number"), plain(item.get("label")))
                for i, item in enumerate(data.get("phones") or ()) if isinstance(item, dict)]
    for where, number, label in written:
        if not isinstance(number, str):
            continue
        try:
            phones.append(read_phone(number, country, label))
        except PhoneError as exc:
            problems.append(doc.problem(where, f"`{_key(where)}` `{excerpt(number)}` {exc}"))
    return Contact(name=plain(data.get("name")) or "", role=plain(data.get("role")),
                   phones=tuple(phones), email=data.get("email"), note=plain(data.get("note")))


def _key(path: tuple) -> str:
    from pressgen.schema import key_name

    return key_name(path)
