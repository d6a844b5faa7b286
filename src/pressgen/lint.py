"""Editorial lint: the mistakes journalists complain of, as warnings at their place.

Each rule is one function in a registry (`RELEASE_RULES` for what one release
shows, `HOUSE_RULES` for what only the whole folder shows), named as the house
file's `lint.off` names it. Rules read the loaded model (already typographic and
resolved) and the located source the loader kept, only to say where; they never
parse YAML or Markdown themselves. A warning is a `Problem` of severity "warning":
`check`, `build` and `lint` print it, and only `lint --strict` fails on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from pressgen.clock_changes import clock_mismatches
from pressgen.embargo import date_text, zone
from pressgen.errors import Problem, ReleaseError
from pressgen.lint_settings import RULE_NAMES, LintSettings
from pressgen.model import (
    Block, BulletList, Heading, Inline, Link, NumberedList, Paragraph, Quote, Release, plain_text,
)
from pressgen.yamlsource import Located, load_yaml

if TYPE_CHECKING:
    from pressgen.load import House


@dataclass(frozen=True)
class Draft:
    """One release as the rules see it: the model, where it was written, the house
    and the build's moment."""

    release: Release
    doc: Located
    house: House
    now: datetime

    @property
    def settings(self) -> LintSettings:
        return getattr(self.house, "lint", None) or LintSettings()

    def warn(self, path: tuple, rule: str, message: str, at: tuple[int, int] | None = None
             ) -> Problem:
        line, column = at or self.doc.where(path)
        return Problem(self.doc.file, line, column, f"{message} [{rule}]", "warning")


ReleaseRule = Callable[[Draft], Iterator[Problem]]
HouseRule = Callable[["House", Located, list[Located]], Iterator[Problem]]
RELEASE_RULES: dict[str, ReleaseRule] = {}
HOUSE_RULES: dict[str, HouseRule] = {}


def _rule(name: str, table: dict) -> Callable:
    assert name in RULE_NAMES, name

    def register(function: Callable) -> Callable:
        table[name] = function
        return function

    return register


def lint_release(release: Release, house: House, now: datetime,
                 doc: Located | None = None) -> list[Problem]:
    """Every warning about one valid release, in file order."""
    try:
        doc = doc or load_yaml(release.source, house.root)
    except ReleaseError:
        return []  # changed since it was loaded: the next build reads it afresh
    draft = Draft(release, doc, house, now)
    found = []
    for name, rule in RELEASE_RULES.items():
        if draft.settings.on(name):
            found += _guarded(name, rule, draft, release.source)
    return sorted(found, key=lambda p: (p.line, p.column, p.message))


def _guarded(name: str, rule: ReleaseRule, draft: Draft, source: Path) -> list[Problem]:
    """A rule's warnings; a bug in a rule is one warning, never a failed build."""
    try:
        return list(rule(draft))
    except Exception as exc:  # noqa: BLE001 - advice must never stop a release
        return [Problem(source, 1, 1, f"internal error in the lint rule {name} "
                        f"({type(exc).__name__}: {exc}); please report it with this file",
                        "warning")]


def lint_house(house: House, releases: Iterable[Located]) -> list[Problem]:
    """Warnings that need every release of the folder: what the house file defines
    that none of them uses."""
    settings = getattr(house, "lint", None) or LintSettings()
    house_doc = load_yaml(house.file, house.root)
    docs = list(releases)
    return [p for name, rule in HOUSE_RULES.items() if settings.on(name)
            for p in rule(house, house_doc, docs)]


# ---------------------------------------------------------------- headline and summary


@_rule("headline-length", RELEASE_RULES)
def headline_length(draft: Draft) -> Iterator[Problem]:
    limit, length = draft.settings.headline_max, len(draft.release.headline)
    if length > limit:
        yield draft.warn(("headline",), "headline-length", f"the headline is {length} "
                         f"characters, over {limit}: search results and subject lines cut it "
                         "short; shorten it")


@_rule("headline-capitals", RELEASE_RULES)
def headline_capitals(draft: Draft) -> Iterator[Problem]:
    headline = draft.release.headline
    words = [w for w in headline.split() if sum(c.isalpha() for c in w) >= 2]
    if len(words) >= 2 and any(c.isupper() for c in headline) \
            and not any(c.islower() for c in headline):
        yield draft.warn(("headline",), "headline-capitals", "the headline is in capitals, "
                         "which reads as shouting and is harder to read; write it in "
                         "sentence case")


@_rule("summary-length", RELEASE_RULES)
def summary_length(draft: Draft) -> Iterator[Problem]:
    summary = draft.release.summary
    limit = draft.settings.summary_max
    if summary is not None and len(summary) > limit:
        yield draft.warn(("summary",), "summary-length", f"the summary is {len(summary)} "
                         f"characters, over {limit}; keep it to one short sentence or two")


# ---------------------------------------------------------------- sentences and links

# a sentence ends at . ! ? (and any closing quote or bracket) before a space
_SENTENCE_END = re.compile(r"(?<=[.!?])[”’\")\]]*\s+")
_WORD = re.compile(r"[^\w\s]*\w+\S*")  # a run of text with a letter or digit in it
_EDGE = re.compile(r"^\W+|\W+$")


@_rule("sentence-length", RELEASE_RULES)
def sentence_length(draft: Draft) -> Iterator[Problem]:
    limit = draft.settings.sentence_max_words
    texts = [(("summary",), draft.release.summary or "")]
    texts += [(("body",), plain_text(inlines)) for inlines in _paragraphs(draft.release.body)]
    cursor: dict[tuple, int] = {}
    for path, text in texts:
        for sentence in _SENTENCE_END.split(text):
            words = _WORD.findall(sentence)
            if len(words) > limit:
                found = _find(draft.doc, path, words[:5], cursor) or \
                    _find(draft.doc, path, words[:1], cursor)
                opening = " ".join(sentence.split()[:6])
                yield draft.warn(path, "sentence-length", f"a sentence of {len(words)} words "
                                 f"(over {limit}) starts here (“{opening} …”); split it",
                                 found)


@_rule("bare-www", RELEASE_RULES)
def bare_www(draft: Draft) -> Iterator[Problem]:
    cursor: dict[tuple, int] = {}
    for inlines in _paragraphs(draft.release.body):
        for link in _links(inlines):
            text = plain_text(link.children)
            if text.lower().startswith("www.") and link.href.endswith(text):
                at = _find(draft.doc, ("body",), [text], cursor, exact=True)
                yield draft.warn(("body",), "bare-www", f"the link `{text}` is written "
                                 f"without https://, and not every reader's software links "
                                 f"it; write `https://{text}`", at)


def _paragraphs(blocks: tuple[Block, ...]) -> Iterator[tuple[Inline, ...]]:
    """Every run of inlines in the body, in reading order."""
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            yield block.inlines
        elif isinstance(block, (BulletList, NumberedList)):
            for item in block.items:
                yield from _paragraphs(item.blocks)
        elif isinstance(block, Quote):
            yield from _paragraphs(block.blocks)


def _links(inlines: tuple[Inline, ...]) -> Iterator[Link]:
    for node in inlines:
        if isinstance(node, Link):
            yield node
        elif hasattr(node, "children"):
            yield from _links(node.children)  # type: ignore[union-attr]


def _find(doc: Located, path: tuple, words: list[str], cursor: dict[tuple, int],
          exact: bool = False) -> tuple[int, int] | None:
    """The line and column of the next place after the last one found in the source of
    the value at `path` where `words` are written (any markup or punctuation between
    them), or None to fall back to the value's start. Model text is typographic
    (curled quotes, dashes), so only the words' letters are searched; `exact`
    searches the text as it is."""
    start, end = doc.span.get(path, (None, None))
    cores = [w for w in (_EDGE.sub("", w) for w in words) if w]
    if start is None or not cores:
        return None
    if exact:
        pattern = re.escape(words[0])
    else:
        pattern = r"(?<!\w)" + r"\W+".join(map(re.escape, cores)) + r"(?!\w)"
    found = re.compile(pattern).search(doc.text, max(start, cursor.get(path, start)), end)
    if found is None:
        return None
    cursor[path] = found.end()
    return doc.line_column(found.start())


# ---------------------------------------------------------------- the embargo


@_rule("embargo-round-hour", RELEASE_RULES)
def embargo_round_hour(draft: Draft) -> Iterator[Problem]:
    embargo = draft.release.embargo
    if embargo is None:
        return
    local = embargo.lifts_at.astimezone(draft.house.tz)
    if (local.hour, local.minute) == (0, 0):
        yield draft.warn(("embargo",), "embargo-round-hour", "the embargo lifts at 00:00, "
                         "which readers place on either day; use 00:01 (or 23:59 the day "
                         "before)")
    elif (local.hour, local.minute) == (12, 0):
        yield draft.warn(("embargo",), "embargo-round-hour", "the embargo lifts at 12:00, "
                         "which readers of 12-hour clocks take for midnight as often as noon; "
                         "use 12:01 or 11:59")


@_rule("embargo-clock-change", RELEASE_RULES)
def embargo_clock_change(draft: Draft) -> Iterator[Problem]:
    embargo = draft.release.embargo
    if embargo is None:
        return
    house_zone = draft.house.tz
    others = [zone(name) for name in other_zones(draft) if name != house_zone.key]
    for gap in clock_mismatches(embargo.lifts_at, house_zone, others):
        here, there = embargo.lifts_at.astimezone(house_zone), embargo.lifts_at.astimezone(gap.zone)
        usual = f"{_hours(gap.before)} before and after" if gap.before == gap.after else \
            f"{_hours(gap.before)} before, {_hours(gap.after)} after"
        yield draft.warn(("embargo",), "embargo-clock-change", (
            f"the embargo lifts at {here:%H:%M} {here.tzname()} {date_text(here.date())} in "
            f"{house_zone.key}, which is {there:%H:%M} {there.tzname()} "
            f"{date_text(there.date())} in {gap.zone.key}: the two change their clocks on "
            f"different days ({house_zone.key} on {date_text(gap.house_change.date())}, "
            f"{gap.zone.key} on {date_text(gap.zone_change.date())}), and in between they are "
            f"{_hours(gap.during)} apart ({usual}); give both local times"))


def other_zones(draft: Draft) -> tuple[str, ...]:
    """The zones the embargo must suit besides the house's: spec §8.1's `embargo_zones`
    as the model resolves them (the embargo's `zones`, the release's own, or the
    house's) once it has them, else the house file's `lint.zones`."""
    embargo = getattr(draft.release, "embargo", None)
    for holder, name in ((embargo, "zones"), (draft.release, "embargo_zones"),
                         (draft.house, "embargo_zones")):
        zones = getattr(holder, name, None)
        if zones:
            return tuple(getattr(z, "key", z) for z in zones)
    return draft.settings.zones


def _hours(delta) -> str:  # type: ignore[no-untyped-def]
    minutes = abs(int(delta.total_seconds())) // 60
    hours, rest = divmod(minutes, 60)
    text = f"{hours} hour{'s' * (hours != 1)}"
    return text + (f" {rest} min" if rest else "")


@_rule("final-after-embargo", RELEASE_RULES)
def final_after_embargo(draft: Draft) -> Iterator[Problem]:
    release = draft.release
    if release.draft or release.embargo is None:
        return
    tz = draft.house.tz
    lift_day = release.embargo.lifts_at.astimezone(tz).date()
    if draft.now.astimezone(tz).date() > lift_day:
        yield draft.warn(("embargo",), "final-after-embargo", "this final release is built "
                         f"after its embargo's day ({date_text(lift_day)}): it is old news to "
                         "anyone who gets it now; check the date and embargo, or leave it "
                         "out of the build")


# ---------------------------------------------------------------- the house file


@_rule("unused-standard-note", HOUSE_RULES)
def unused_standard_note(house: House, house_doc: Located,
                         docs: list[Located]) -> Iterator[Problem]:
    used = _ids(docs, "standard_notes")
    for note_id in house.notes:
        if note_id not in used and note_id not in house.always:
            line, column = house_doc.where(("notes", note_id), key=True)
            yield Problem(house.file, line, column, f"the standard note `{note_id}` is used by "
                          "no release; remove it, or add it to a release's `standard_notes` "
                          "[unused-standard-note]", "warning")


@_rule("unused-contact", HOUSE_RULES)
def unused_contact(house: House, house_doc: Located, docs: list[Located]) -> Iterator[Problem]:
    used = _ids(docs, "contacts")
    for contact_id in house.contacts:
        if contact_id not in used:
            line, column = house_doc.where(("contacts", contact_id), key=True)
            yield Problem(house.file, line, column, f"the contact `{contact_id}` is named by no "
                          "release; remove it, or add it to a release's `contacts` "
                          "[unused-contact]", "warning")


def _ids(docs: list[Located], key: str) -> set[str]:
    return {item for doc in docs if isinstance(doc.data, dict)
            for item in (doc.data.get(key) if isinstance(doc.data.get(key), list) else [])
            if isinstance(item, str)}


assert set(RELEASE_RULES) | set(HOUSE_RULES) == set(RULE_NAMES), "a rule has no function"
