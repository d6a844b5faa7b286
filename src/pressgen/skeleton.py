"""The skeleton `pressgen new` writes: every key named, with a comment, valid as written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pressgen.errors import ReleaseError

_SKELETON = """\
# A press release for pressgen. Every key is described in the README.
headline: Write the headline here            # required: one line, the document title
# summary: One short paragraph shown under the headline.   # optional standfirst
date: {today}                           # required: the day of publication, YYYY-MM-DD
# embargo: {today} 00:01                # optional: when the embargo lifts (house time zone)
# location: London                      # optional dateline before the first paragraph
status: draft                           # draft (marked DRAFT everywhere) or final
body: |                                 # required: Markdown (## headings, - lists, **bold**)
  First paragraph: who, what, when, where.

  "A quotation from a spokesperson," said Name, Role.

  ## Background

  - A point of context.
notes:                                  # optional: notes to editors for this release only
  - A note to editors for this release.
# standard_notes: [about]               # optional: ids of the house file's notes
contacts:                               # required: ids from the house file, or inline
{contacts}
"""

_INLINE_CONTACT = """\
  - name: Press Office                  # an inline contact: name, role, phone and/or email
    email: press@example.org"""


def skeleton_for(house: Path, today: date | None = None) -> str:
    """The skeleton, naming the house file's first contact where it has one."""
    from pressgen.load import load_house

    try:
        first = next(iter(load_house(house).contacts), None)
    except ReleaseError:
        first = None
    contacts = f"  - {first}" if first else _INLINE_CONTACT
    return _SKELETON.format(today=(today or date.today()).isoformat(), contacts=contacts)
