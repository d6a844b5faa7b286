"""A very long paragraph laid out in linear time, looking as reportlab would lay it out.

reportlab's Paragraph is quadratic in its length three times over: it takes each
word off the front of a list (`words.pop(0)`), and when a paragraph runs over a
page it re-derives the rest as a new paragraph and lays that out again from
scratch, on every page. A 1 MB paragraph (a pasted report, a hostile release)
takes minutes. A release of ordinary shape never comes near: only a paragraph
of more than LONG_MARKUP characters of markup (about 1,500 words, two thirds
of a page) takes this path, so every other PDF keeps its bytes.

`LongPara` lays itself out in windows of about WINDOW_WORDS words: reportlab
breaks each window into lines, every line but the last is kept, and the last is
carried into the next window, where it is broken again with what follows. Line
breaking is greedy, so a line depends only on the words from its start: the
lines are the ones reportlab would make of the whole paragraph at once. A split
at a page break hands each part its share of those lines, laid out already,
instead of text to lay out again.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any

from reportlab.platypus.paragraph import Paragraph, ParaLines, _split_blParaHard

from pressgen.writers._pdf_layout import Para

WINDOW_WORDS = 600  # words broken into lines at a time: pop(0) is cheap on lists this short

_SPACES = re.compile(" ")
# pg_tag: a part is a piece of the same tagged element (see _pdf_marks.Tagged.split)
_PART_KEYS = ("style", "bulletText", "text", "caseSensitive", "encoding", "debug", "autoLeading",
              "pg_tag")


class LongPara(Para):
    """A Paragraph laid out window by window, and split by handing out lines (see
    the module doc). Chosen by `_pdf_layout.Para` for long markup."""

    _laid_out_at: float | None = None
    _lines_only = False  # a part made by `split`: its frags are derived on demand

    @property
    def frags(self) -> list[Any]:
        if self._lines_only:  # asked for (a re-layout at another width, getPlainText)
            self.__dict__["_frags"] = _split_blParaHard(self.blPara, 0, len(self.blPara.lines))
            self._lines_only = False
        return self.__dict__["_frags"]

    @frags.setter
    def frags(self, value: list[Any]) -> None:
        self.__dict__["_frags"] = value

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._laid_out_at == avail_width and "blPara" in self.__dict__:
            return self.width, self.height
        if getattr(self, "autoLeading", getattr(self.style, "autoLeading", "")) not in ("", "off"):
            return super().wrap(avail_width, avail_height)  # lines of their own heights: not ours
        lines = self._lay_out(avail_width)
        if lines is None:  # a shape of paragraph this does not handle: reportlab's way
            return super().wrap(avail_width, avail_height)
        self.blPara = ParaLines(kind=1, lines=lines, aH=avail_height, aW=avail_width)
        self.width, self.height = avail_width, len(lines) * self.style.leading
        self._laid_out_at = avail_width
        return self.width, self.height

    def _lay_out(self, width: float) -> list[Any] | None:
        """Every line of the paragraph at `width`, one window of words at a time."""
        style = self.style
        first = width - (style.leftIndent + style.firstLineIndent) - style.rightIndent
        later = width - style.leftIndent - style.rightIndent
        lines: list[Any] = []
        carry: list[Any] = []
        windows = _windows(self.frags, WINDOW_WORDS)
        for number, window in enumerate(windows):
            frags = _at_least_two(carry + window)
            part = Paragraph(None, style, bulletText=None if lines else self.bulletText,
                             frags=frags)
            broken = part.breakLines([later, later] if lines else [first, later])
            if broken.kind != 1:
                return None
            if number == len(windows) - 1:
                return lines + broken.lines
            if not broken.lines:  # only white space so far
                carry = []
                continue
            if getattr(broken.lines[-1], "lineBreak", False):  # ended by <br/>: finished
                lines += broken.lines
                carry = []
                continue
            if len(broken.lines) < 2:  # no line is finished yet: carry the whole window
                carry = frags
                continue
            lines += broken.lines[:-1]
            carry = _as_next_words(_split_blParaHard(broken, len(broken.lines) - 1,
                                                     len(broken.lines)))
        return lines

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        """reportlab's split (orphans, widows, how many lines fit) on lines already laid out."""
        if self._laid_out_at != avail_width or "blPara" not in self.__dict__:
            self.wrap(avail_width, avail_height)
        blpara = self.__dict__.get("blPara")
        if blpara is None or blpara.kind != 1 or self._laid_out_at != avail_width:
            return super().split(avail_width, avail_height)
        lines, style = blpara.lines, self.style
        fit = int(avail_height / style.leading)
        allow_orphans = getattr(self, "allowOrphans", getattr(style, "allowOrphans", 0))
        allow_widows = getattr(self, "allowWidows", getattr(style, "allowWidows", 1))
        if (not allow_orphans and fit <= 1) or fit == 0:
            return []
        if len(lines) <= fit:
            return [self]
        if not allow_widows and len(lines) == fit + 1:
            if (allow_orphans and len(lines) == 3) or len(lines) > 3:
                fit -= 1
            else:
                return []
        head = self._part(lines[:fit], avail_width, avail_height, first=True)
        last = lines[fit - 1]
        head._JustifyLast = not getattr(last, "lineBreak", False)
        head._splitpara = 1
        return [head, self._part(lines[fit:], avail_width, avail_height, first=False)]

    def _part(self, lines: list[Any], width: float, height: float, first: bool) -> "LongPara":
        """A LongPara of `lines`, laid out at `width` already."""
        part = LongPara.__new__(LongPara)
        # what reportlab's own parts get (not a flowable's state in the frame, such as
        # `_postponed`), and the spacing set on this paragraph, at the end it belongs to
        kept = _PART_KEYS + (("spaceBefore",) if first else ("spaceAfter",))
        part.__dict__.update({k: v for k, v in self.__dict__.items() if k in kept})
        part._lines_only = True
        if not first:
            part.bulletText = None
            if self.style.firstLineIndent:
                part.style = deepcopy(self.style)
                part.style.firstLineIndent = 0
        part.blPara = ParaLines(kind=1, lines=lines, aH=height, aW=width)
        part.width, part.height = width, len(lines) * self.style.leading
        part._laid_out_at = width
        return part


def _windows(frags: list[Any], words: int) -> list[list[Any]]:
    """`frags` cut into runs of about `words` words, only ever at a space."""
    pieces: list[Any] = []
    for frag in frags:
        text = getattr(frag, "text", None)
        if not isinstance(text, str) or text.count(" ") < words:
            pieces.append(frag)
            continue
        cuts = [m.end() for m in _SPACES.finditer(text)][words - 1::words]
        start = 0
        for cut in cuts:
            pieces.append(frag.clone(text=text[start:cut]))
            start = cut
        if start < len(text):
            pieces.append(frag.clone(text=text[start:]))
    windows: list[list[Any]] = [[]]
    counted = 0
    for index, piece in enumerate(pieces):
        windows[-1].append(piece)
        counted += getattr(piece, "text", "").count(" ") if isinstance(getattr(piece, "text", None), str) else 0
        ends_at_space = isinstance(getattr(piece, "text", None), str) and piece.text.endswith(" ")
        if counted >= words and ends_at_space and index < len(pieces) - 1:
            windows.append([])
            counted = 0
    return [window for window in windows if window] or [[]]


def _at_least_two(frags: list[Any]) -> list[Any]:
    """reportlab breaks a lone fragment its own way (lines of plain words); two
    fragments of one word (`ab` as `a` + `b`) read the same and are broken like
    every other window, so all windows give lines of one kind."""
    if len(frags) != 1:
        return frags
    text = getattr(frags[0], "text", None)
    if not isinstance(text, str) or len(text) < 2:
        return frags
    return [frags[0].clone(text=text[:1]), frags[0].clone(text=text[1:])]


def _as_next_words(frags: list[Any]) -> list[Any]:
    """The fragments of a carried line, ready to run on into the next window: the
    space that ended the line (dropped with the line's end) put back."""
    if not frags:
        return frags
    last = frags[-1]
    if isinstance(getattr(last, "text", None), str) and not last.text.endswith(" "):
        frags[-1] = last.clone(text=last.text + " ")
    return frags
