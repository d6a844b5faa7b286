"""The floor: the same releases rendered by bare library calls, no pressgen code.

What any program must do to turn these YAML files into the same three outputs:
read the YAML (yaml.safe_load), parse the Markdown body (markdown-it-py with the
typographer), then python-docx on the same reference.docx, reportlab platypus
with the same embedded Noto Sans faces (the content needs them: Zoë, Łukasz,
Nguyễn), and a jinja2 template; header and footer on every page, headings,
bullet and numbered lists, quotes, bold, italic, links, notes and contacts.
It leaves out what pressgen adds: validation and error positions, glyph checks,
a typed model, Page N *of M*, real DOCX hyperlinks and fields, list restarts,
deterministic bytes, atomic writes and the build cache.

It runs in the same kind of pool as pressgen (`ProcessPoolExecutor`, one worker
per job, the same chunk size), from a fresh interpreter, so the two times
compare like for like:

    python bench/floor.py RELEASES_DIR OUT_DIR HOUSE_DIR JOBS [CHUNK]

Memory is handled as pressgen handles it (a full collection every 10 releases,
the imported modules frozen out of the collector's view after the first), so
that neither side gains on the other there.
"""

from __future__ import annotations

import gc
import io
import sys
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from xml.sax.saxutils import escape

import jinja2
import yaml
from docx import Document
from markdown_it import MarkdownIt
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

TEXT_TEMPLATE = """\
{{ line }}

{{ organisation }}

{{ headline | wordwrap(72) }}
{% if summary %}

{{ summary | wordwrap(72) }}
{% endif %}

{{ date }}

{% for block in blocks %}
{{ block }}

{% endfor %}
ENDS

Notes to editors

{% for note in notes %}
{{ loop.index }}.  {{ note | wordwrap(66) | indent(4) }}

{% endfor %}
Media enquiries
{% for c in contacts %}

{{ c.name }}{% if c.role %}, {{ c.role }}{% endif %}

{% if c.phone %}Phone: {{ c.phone }}
{% endif %}{% if c.email %}Email: {{ c.email }}
{% endif %}{% endfor %}
"""

_STATE: dict = {}


def _init(house_dir: str, fonts: str, out: str) -> None:
    house = yaml.safe_load(Path(house_dir, "house.yaml").read_text("utf-8"))
    md = MarkdownIt("commonmark", {"typographer": True, "linkify": False})
    md.enable(["replacements", "smartquotes"])
    for name, file in (("Sans", "Regular"), ("Sans-Bold", "Bold"), ("Sans-Italic", "Italic"),
                       ("Sans-BoldItalic", "BoldItalic")):
        pdfmetrics.registerFont(TTFont(name, f"{fonts}/NotoSans-{file}.ttf"))
    pdfmetrics.registerFontFamily("Sans", normal="Sans", bold="Sans-Bold",
                                  italic="Sans-Italic", boldItalic="Sans-BoldItalic")
    base = ParagraphStyle("body", fontName="Sans", fontSize=10.5, leading=14.5, spaceAfter=7)
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    _STATE.update(
        house=house, md=md, out=Path(out),
        reference=Path(house_dir, "reference.docx").read_bytes(),
        text=env.from_string(TEXT_TEMPLATE),
        styles={
            "org": ParagraphStyle("org", base, fontName="Sans-Bold", fontSize=9.5),
            "title": ParagraphStyle("title", base, fontName="Sans-Bold", fontSize=21, leading=26),
            "sub": ParagraphStyle("sub", base, fontSize=12.5, leading=17.5),
            "p": base,
            "h2": ParagraphStyle("h2", base, fontName="Sans-Bold", fontSize=13.5, leading=17.5),
            "h3": ParagraphStyle("h3", base, fontName="Sans-Bold", fontSize=11),
            "li": ParagraphStyle("li", base, leftIndent=15, bulletIndent=4),
            "li2": ParagraphStyle("li2", base, leftIndent=30, bulletIndent=19),
            "quote": ParagraphStyle("quote", base, fontName="Sans-Italic", leftIndent=14),
        })


# ------------------------------------------------------------------ content


def _runs(children) -> list[tuple[str, bool, bool, str | None]]:
    """Inline tokens as (text, bold, italic, href) runs."""
    runs, bold, italic, href = [], False, False, None
    for tok in children or ():
        t = tok.type
        if t in ("text", "html_inline"):
            runs.append((tok.content, bold, italic, href))
        elif t == "softbreak":
            runs.append((" ", bold, italic, href))
        elif t == "strong_open" or t == "strong_close":
            bold = t == "strong_open"
        elif t == "em_open" or t == "em_close":
            italic = t == "em_open"
        elif t == "link_open":
            href = tok.attrGet("href")
        elif t == "link_close":
            href = None
    return runs


def _blocks(tokens) -> list[tuple[str, list]]:
    """Markdown tokens as (kind, runs): p, h2, h3, li, li2, quote."""
    blocks, lists, quoted, item_open = [], [], False, False
    for i, tok in enumerate(tokens):
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            lists.append([t == "ordered_list_open", 0])
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open":
            lists[-1][1] += 1
            item_open = True
        elif t == "blockquote_open" or t == "blockquote_close":
            quoted = t == "blockquote_open"
        elif t == "inline":
            opener = tokens[i - 1]
            if opener.type == "heading_open":
                kind = opener.tag
            elif lists and item_open:
                numbered, n = lists[-1]
                kind = ("li" if len(lists) == 1 else "li2", f"{n}." if numbered else "•")
                item_open = False
            elif lists:
                kind = "li" if len(lists) == 1 else "li2"
            else:
                kind = "quote" if quoted else "p"
            blocks.append((kind, _runs(tok.children)))
    return blocks


def _content(path: Path) -> dict:
    st = _STATE
    house, md = st["house"], st["md"]
    data = yaml.safe_load(path.read_text("utf-8"))
    notes = [md.parseInline(n)[0].children for n in data.get("notes") or []]
    ids = list(data.get("standard_notes") or [])
    ids += [k for k, v in house["notes"].items() if v.get("always") and k not in ids]
    notes += [md.parseInline(house["notes"][k]["text"])[0].children for k in ids]
    contacts = [house["contacts"][c] if isinstance(c, str) else c for c in data["contacts"]]
    embargo = data.get("embargo")
    return {
        "id": path.stem,
        "line": f"EMBARGOED UNTIL {embargo}" if embargo else "FOR IMMEDIATE RELEASE",
        "organisation": house["organisation"]["name"],
        "headline": data["headline"],
        "summary": data.get("summary"),
        "date": str(data["date"]),
        "location": data.get("location"),
        "blocks": _blocks(md.parse(data["body"])),
        "notes": [_runs(n) for n in notes],
        "contacts": contacts,
    }


# ------------------------------------------------------------------ the three outputs


def _docx(c: dict) -> bytes:
    doc = Document(io.BytesIO(_STATE["reference"]))
    doc.element.body.clear_content()
    section = doc.sections[0]
    section.header.paragraphs[0].text = c["line"]
    section.footer.paragraphs[0].text = c["organisation"]
    doc.add_paragraph(c["line"], "Release Line")
    doc.add_paragraph(c["organisation"], "Organisation")
    doc.add_paragraph(c["headline"], "Title")
    if c["summary"]:
        doc.add_paragraph(c["summary"], "Subtitle")
    doc.add_paragraph(c["date"], "Release Date")
    names = {"p": "Normal", "h2": "Heading 2", "h3": "Heading 3", "quote": "Quote"}
    for kind, runs in c["blocks"]:
        if isinstance(kind, tuple):
            style = ("List Number" if kind[1] != "•" else "List Bullet") + \
                (" 2" if kind[0] == "li2" else "")
        else:
            style = names.get(kind, "List Continue")
        p = doc.add_paragraph(style=style)
        for text, bold, italic, _href in runs:
            run = p.add_run(text)
            run.bold, run.italic = bold or None, italic or None
    doc.add_paragraph("ENDS", "Ends")
    doc.add_paragraph("Notes to editors", "Notes Heading")
    for runs in c["notes"]:
        p = doc.add_paragraph(style="Note")
        for text, bold, italic, _href in runs:
            p.add_run(text)
    doc.add_paragraph("Media enquiries", "Contacts Heading")
    for contact in c["contacts"]:
        lines = [contact.get(k) for k in ("name", "role", "phone", "email") if contact.get(k)]
        doc.add_paragraph("\n".join(lines), "Contact")
    doc.core_properties.title = c["headline"]
    doc.core_properties.author = c["organisation"]
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _markup(runs) -> str:
    parts = []
    for text, bold, italic, href in runs:
        s = escape(text)
        if bold:
            s = f"<b>{s}</b>"
        if italic:
            s = f"<i>{s}</i>"
        if href:
            s = f'<a href="{escape(href)}" color="#0B5394">{s}</a>'
        parts.append(s)
    return "".join(parts)


def _pdf(c: dict) -> bytes:
    st = _STATE["styles"]
    flow = [Paragraph(escape(c["organisation"]), st["org"]),
            Paragraph(escape(c["headline"]), st["title"])]
    if c["summary"]:
        flow.append(Paragraph(escape(c["summary"]), st["sub"]))
    flow.append(Paragraph(escape(c["date"]), st["p"]))
    for kind, runs in c["blocks"]:
        if isinstance(kind, tuple):
            flow.append(Paragraph(_markup(runs), st[kind[0]], bulletText=kind[1]))
        else:
            flow.append(Paragraph(_markup(runs), st.get(kind, st["li"])))
    flow += [Spacer(0, 8), Paragraph("<b>ENDS</b>", st["p"]),
             Paragraph("Notes to editors", st["h2"])]
    flow += [Paragraph(_markup(n), st["li"], bulletText=f"{i}.")
             for i, n in enumerate(c["notes"], 1)]
    flow.append(Paragraph("Media enquiries", st["h2"]))
    for contact in c["contacts"]:
        lines = [escape(contact.get(k)) for k in ("name", "role", "phone") if contact.get(k)]
        if contact.get("email"):
            lines.append(f'<a href="mailto:{escape(contact["email"])}">'
                         f'{escape(contact["email"])}</a>')
        flow.append(Paragraph("<br/>".join(lines), st["p"]))

    def page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Sans-Bold", 8.5)
        canvas.drawString(25 * mm, A4[1] - 14 * mm, c["line"])
        canvas.setFont("Sans", 8)
        canvas.drawString(25 * mm, 10.5 * mm, c["organisation"])
        canvas.drawRightString(A4[0] - 25 * mm, 10.5 * mm, f"Page {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                            topMargin=27 * mm, bottomMargin=22 * mm, invariant=1,
                            title=c["headline"], author=c["organisation"])
    doc.build(flow, onFirstPage=page, onLaterPages=page)
    return out.getvalue()


def _text(c: dict) -> bytes:
    blocks = []
    for kind, runs in c["blocks"]:
        text = "".join(r[0] if not r[3] else f"{r[0]} <{r[3]}>" for r in runs)
        lead = f"{kind[1]} " if isinstance(kind, tuple) else ""
        blocks.append(textwrap.fill(lead + text, 72, break_long_words=False))
    text = _STATE["text"].render(
        line=c["line"], organisation=c["organisation"], headline=c["headline"],
        summary=c["summary"], date=c["date"], blocks=blocks,
        notes=["".join(r[0] for r in n) for n in c["notes"]], contacts=c["contacts"])
    return text.encode("utf-8")


_DONE = 0


def render(path: Path) -> str:
    global _DONE
    c = _content(path)
    out = _STATE["out"]
    for ext, make in (("pdf", _pdf), ("docx", _docx), ("txt", _text)):
        (out / f"{c['id']}.{ext}").write_bytes(make(c))
    _DONE += 1
    if _DONE == 1:  # as pressgen does: python-docx trees are cycles
        gc.collect()
        gc.freeze()
    elif _DONE % 10 == 0:
        gc.collect()
    return c["id"]


def main(releases: str, out: str, house_dir: str, jobs: int, chunk: int) -> None:
    started = time.monotonic()
    fonts = str(Path(__file__).resolve().parent.parent / "src" / "pressgen" / "fonts")
    Path(out).mkdir(parents=True, exist_ok=True)
    paths = sorted(Path(releases).glob("*.yaml"))
    if jobs == 1:
        _init(house_dir, fonts, out)
        done = list(map(render, paths))
    else:
        with ProcessPoolExecutor(jobs, initializer=_init, initargs=(house_dir, fonts, out)) as pool:
            done = list(pool.map(render, paths, chunksize=chunk))
    print(f"floor: {len(done)} releases in {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]),
         int(sys.argv[5]) if len(sys.argv) > 5 else 8)
