"""Releases built straight from the model, so writer tests need no loader."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pressgen.model import (
    BulletList, Contact, Embargo, Emphasis, Heading, LineBreak, Link, ListItem, Note,
    NumberedList, Organisation, Paragraph, Phone, Quote, Release, Strong, Text, with_dateline,
)

LONDON = ZoneInfo("Europe/London")
EMBARGO_LINE = "EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026"


def para(*parts) -> Paragraph:
    return Paragraph(tuple(Text(p) if isinstance(p, str) else p for p in parts))


def sample_release(**changes) -> Release:
    """A release using every block and inline the model has."""
    body = (
        para("HM Inspectorate of Probation has undertaken a review of ",
             Strong((Text("public protection"),)), " across ",
             Emphasis((Text("Kent, Surrey, and Sussex"),)), ". See ",
             Link("https://example.org/report", (Text("the report"),)), "."),
        para("Martin Jones said: “Zoë, Siân and Łukasz worked with Dvořák.”"),
        Heading(2, (Text("Context"),)),
        BulletList((
            ListItem((para("First point."),)),
            ListItem((para("Second point with nesting."),
                      BulletList((ListItem((para("Nested point."),)),)))),
        )),
        Heading(3, (Text("Steps"),)),
        NumberedList(1, (ListItem((para("Step one."),)), ListItem((para("Step two."),)))),
        NumberedList(1, (ListItem((para("Again one."),)), ListItem((para("Again two."),)))),
        Quote((para("A quoted line.", LineBreak(), "A second line."),)),
    )
    release = Release(
        id="sample",
        source=Path("releases/sample.yaml"),
        organisation=Organisation("HM Inspectorate of Probation",
                                  "https://www.justiceinspectorates.gov.uk/hmiprobation/"),
        headline="Chief Inspector flags concerns in first inspection",
        summary="A short standfirst under the headline.",
        date=date(2026, 1, 29),
        date_text="29 January 2026",
        embargo=Embargo(datetime(2026, 1, 29, 0, 1, tzinfo=LONDON), EMBARGO_LINE),
        embargoed=True,
        release_line=EMBARGO_LINE,
        location="London",
        draft=False,
        body=body,
        notes=(Note((Text("The first note."),)),
               Note((Text("See "), Link("https://example.org", (Text("our site"),)), Text(".")))),
        contacts=(Contact("Louise Cordell", "Head of Communications",
                          (Phone("07523 805224", "tel:+447523805224"),),
                          "media@hmiprobation.gov.uk"),
                  Contact("Ceri Morgan", None, (), "ceri.morgan@example.org")),
        timestamp=datetime(2026, 1, 29, 0, 0, tzinfo=LONDON),
    )
    release = replace(release, **changes)
    if release.location and not release.dateline:  # as the loader places it
        release = replace(release, body=with_dateline(
            release.body, f"{release.location}, {release.date_text} \u2013"))
    return release


def long_release(paragraphs: int = 60) -> Release:
    """A release long enough to run over several pages."""
    words = "The inspectorate found that work to keep people safe had improved. " * 6
    body = tuple(para(f"Paragraph {i}. {words}") for i in range(1, paragraphs + 1))
    return sample_release(body=body)
