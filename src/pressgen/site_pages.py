"""The newsroom's shared files: `index.html`, `feed.atom` and `sitemap.xml` (spec §10).

Each is made only from the record's entries of published releases (never from
a release that is not), so whatever else is in the record cannot reach them.
Order: newest first by lift time (a release with no embargo: its date at 00:00
in the house zone), then id. Every timestamp is a release's own, so the same
releases give the same bytes on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from xml.sax.saxutils import escape as xml_escape
from zoneinfo import ZoneInfo


from pressgen.model import Organisation, Words
from pressgen.resources import Resources
from pressgen.site_record import SiteEntry

INDEX_TEMPLATE = "newsroom.html.j2"
FEED_SIZE = 50  # spec §10: the newest 50


@dataclass(frozen=True)
class Listed:
    """A published release as the index, feed and sitemap show it."""

    id: str
    url: str  # absolute
    href: str  # from the index: `<id>/`
    headline: str
    summary: str | None
    date: str
    date_text: str
    language: str
    moment: datetime  # its lift, or its date at 00:00 in the house zone


def listing(entries: dict[str, SiteEntry], base_url: str, tz: ZoneInfo) -> list[Listed]:
    """Every published release, newest first by lift time, then id."""
    shown = []
    for rid, e in entries.items():
        moment = datetime.fromtimestamp(e.lifts, timezone.utc) if e.lifts is not None else \
            datetime.combine(date.fromisoformat(e.date), time(0, 0), tz).astimezone(timezone.utc)
        shown.append(Listed(rid, f"{base_url}{rid}/", f"{rid}/", e.headline, e.summary, e.date,
                            e.date_text, e.language, moment))
    return sorted(shown, key=lambda r: (-r.moment.timestamp(), r.id))


def index_html(releases: list[Listed], organisation: Organisation, words: Words,
               base_url: str, resources: Resources) -> bytes:
    from pressgen.writers.html import page_from_template

    return page_from_template(resources, INDEX_TEMPLATE, "newsroom", releases=releases,
                              organisation=organisation, words=words, base_url=base_url)


def feed_atom(releases: list[Listed], organisation: Organisation, words: Words,
              base_url: str) -> bytes:
    """Atom 1.0 through feedgen: the newest FEED_SIZE releases. The feed's `updated`
    is its newest entry's (the epoch when empty), never the clock."""
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(base_url)
    feed.title(f"{organisation.name} – {words.newsroom}")
    feed.author({"name": organisation.name})
    feed.link(href=base_url, rel="alternate")
    feed.link(href=f"{base_url}feed.atom", rel="self")
    feed.language(words.language)
    feed.generator("pressgen")
    newest = releases[:FEED_SIZE]
    feed.updated(newest[0].moment if newest else datetime(1970, 1, 1, tzinfo=timezone.utc))
    for release in reversed(newest):  # feedgen puts each new entry first
        entry = feed.add_entry()
        entry.id(release.url)
        entry.title(release.headline)
        entry.link(href=release.url, rel="alternate")
        entry.published(release.moment)
        entry.updated(release.moment)
        if release.summary:
            entry.summary(release.summary)
    return feed.atom_str(pretty=True)


def sitemap_xml(releases: list[Listed], base_url: str) -> bytes:
    """The sitemaps.org protocol: the index, then each release page with its date."""
    rows = [f"  <url><loc>{xml_escape(base_url)}</loc></url>"]
    rows += [f"  <url><loc>{xml_escape(r.url)}</loc><lastmod>{r.date}</lastmod></url>"
             for r in releases]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(rows) + "\n</urlset>\n").encode("utf-8")
