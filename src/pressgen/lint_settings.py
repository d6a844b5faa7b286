"""The house file's `lint:` section: thresholds and switches of the editorial lint.

Kept apart from lint.py so that the house schema and loader can read it without
importing the rules (and what they import): this module is plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pressgen.errors import Problem
    from pressgen.yamlsource import Located

# every rule of lint.py, by the name a warning ends with and `lint.off` lists
RULE_NAMES = (
    "headline-length", "headline-capitals", "summary-length", "sentence-length",
    "embargo-round-hour", "embargo-clock-change", "final-after-embargo",
    "unused-standard-note", "unused-contact", "bare-www",
)


def _count(description: str) -> dict:
    return {"type": "integer", "minimum": 1, "description": description}


SCHEMA = {
    "type": "object",
    "description": "Thresholds and switches of `pressgen lint` (warnings, never errors).",
    "properties": {
        "headline_max": _count("Longest headline in characters before a warning "
                               "(default 65: what a search result shows)."),
        "summary_max": _count("Longest summary in characters before a warning (default 160)."),
        "sentence_max_words": _count("Longest sentence in words before a warning (default 30)."),
        "off": {"type": "array", "items": {"enum": list(RULE_NAMES)},
                "description": "Rules switched off, by name: " + ", ".join(RULE_NAMES) + "."},
        "zones": {"type": "array", "items": {"type": "string"},
                  "description": "More IANA time zones whose readers the embargo must suit, "
                                 "for the clock-change warning, when the house file names no "
                                 "`embargo_zones`."},
    },
    "additionalProperties": False,
}


@dataclass(frozen=True)
class LintSettings:
    """What the house file's `lint:` says, with the defaults for what it leaves out."""

    headline_max: int = 65
    summary_max: int = 160
    sentence_max_words: int = 30
    off: frozenset[str] = frozenset()
    zones: tuple[str, ...] = ()  # checked IANA names

    def on(self, rule: str) -> bool:
        return rule not in self.off


def settings_from(doc: Located, problems: list[Problem]) -> LintSettings:
    """The house's lint settings; the schema has checked the types, so a wrong one is
    already a problem and is left at its default here. An unknown zone is a problem
    at its line."""
    from pressgen.embargo import TimeError, zone

    data = doc.data.get("lint") if isinstance(doc.data, dict) else None
    if not isinstance(data, dict):
        return LintSettings()
    zones = []
    for i, name in enumerate(data.get("zones") or []):
        if isinstance(name, str):
            try:
                zones.append(zone(name).key)
            except TimeError as exc:
                problems.append(doc.problem(("lint", "zones", i), f"`lint.zones[{i + 1}]`: {exc}"))
    defaults = LintSettings()

    def number(key: str) -> int:
        value = data.get(key)
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        return value if ok else getattr(defaults, key)

    off = data.get("off")
    return LintSettings(
        headline_max=number("headline_max"),
        summary_max=number("summary_max"),
        sentence_max_words=number("sentence_max_words"),
        off=frozenset(r for r in off if isinstance(r, str)) if isinstance(off, list) else frozenset(),
        zones=tuple(zones),
    )
