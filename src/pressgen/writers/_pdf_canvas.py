"""A canvas that knows the page count before it writes a page.

The page label (N of M) needs M on page 1. Rather than laying the release out twice, the
canvas holds every finished page and writes them all in `save`, when M is
known, adding the footer to each.

Holding pages breaks one thing in reportlab: a bookmark binds to the page the
document is writing *now*, which would be page 1 for every held page. So
bookmarks are held with their page and bound when it is written.

Links are the other job here. Paragraph markup only ever carries
`pressgen-link:N`; the canvas swaps in the N-th real href when it writes the
annotation. That keeps every href exactly as written and stops reportlab from
reading meaning into it (`#x` and `document:x` would become internal jumps that
fail at save, `pdf:x` a launch of another file).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from reportlab.pdfgen.canvas import Canvas

LINK_SCHEME = "pressgen-link"

#: draws the footer of page `number` of `total`
Footer = Callable[[Canvas, int, int], None]


def link_href(index: int) -> str:
    """The stand-in href for the `index`-th link of a document."""
    return f"{LINK_SCHEME}:{index}"


def link_index(href: str) -> int | None:
    """The index a stand-in href stands for (None for any other href)."""
    scheme, _, index = href.partition(":")
    return int(index) if scheme == LINK_SCHEME else None


class PagedCanvas(Canvas):
    """Canvas that defers pages until the total is known; see the module doc."""

    def __init__(self, *args: Any, footer: Footer, links: Sequence[str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._links = links
        self._held_pages: list[dict[str, Any]] = []
        self._held_bookmarks: list[tuple[str, dict[str, Any]]] = []

    def bookmarkPage(self, key: str, **kwargs: Any) -> None:  # noqa: N802 (reportlab API)
        self._held_bookmarks.append((key, kwargs))

    def linkURL(self, url: str, rect: Any, relative: int = 0, thickness: float = 0,  # noqa: N802
                color: Any = None, dashArray: Any = None, kind: str = "URI",  # noqa: N803
                **kwargs: Any) -> None:
        index = link_index(url)
        if index is not None:
            url = self._links[index]
        super().linkURL(url, rect, relative, thickness, color, dashArray, "URI", **kwargs)

    def showPage(self) -> None:  # noqa: N802
        self._held_pages.append(dict(self.__dict__))
        self._held_bookmarks = []
        self._startPage()

    def save(self) -> None:
        if self._code:
            self.showPage()
        total = len(self._held_pages)
        for number, page in enumerate(self._held_pages, start=1):
            self.__dict__.update(page)
            for key, kwargs in self._held_bookmarks:
                Canvas.bookmarkPage(self, key, **kwargs)
            self._footer(self, number, total)
            Canvas.showPage(self)
        self._before_save(total)
        Canvas.save(self)

    def _before_save(self, pages: int) -> None:
        """Called when all `pages` are written and the document is not yet: a
        subclass adds what needs them all (the tagged PDF's structure tree)."""
