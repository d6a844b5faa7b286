"""The tagged PDF against spec §11, read back with pikepdf, pdfua and poppler.

The structure tree's text is read the way a screen reader gets it: each
element's marked content, decoded through the fonts' ToUnicode maps, in tree
order. It is compared with the model's text, worked out here from the model
alone (not from the writer's code).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from reportlab.platypus import Image

from conftest import ROOT
from factory import long_release, para, sample_release
from pressgen import model as m
from pressgen.embargo import parse_moment
from pressgen.resources import Resources
from pressgen.load import load_house, load_release
from pressgen.writers._pdf_layout import Para
from pressgen.writers._pdf_story import Story
from pressgen.writers._pdf_marks import Tagged
from pressgen.writers.pdf import build_pdf

RELEASES = sorted((ROOT / "releases").glob("*.yaml"))
#: operators that put something on the page (ISO 32000-1 tables 59, 107, 87, 92)
PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh",
            "Do", "BI"}
LEAVES = {"P", "H1", "H2", "H3", "Lbl", "Figure"}
#: pdfua 0.1.3's empty-heading rule (UA-14-001) raises on a heading whose /K is an
#: array (a heading holding a link): with pikepdf 10, getattr on an Array raises
#: ValueError, not AttributeError. `pdfua check` then passes silently.
UNMAPPED = "\x00"  # what `Marked` reads for a code the font's ToUnicode does not map
PDFUA_HEADING_BUG = "cannot get key '/is_integer' on object of type array"


# ---------------------------------------------------------------- the PDFs


@pytest.fixture(scope="module")
def built(house) -> dict[str, tuple[m.Release, bytes]]:
    """Every release in releases/ (drafts included) and the factory's sample,
    its draft and a long one: name -> (model, PDF)."""
    now = parse_moment("2026-01-01 00:00", house.tz)
    models = {path.stem: load_release(path, house, now) for path in RELEASES}
    models |= {"sample": sample_release(), "sample-draft": sample_release(draft=True),
               "long": long_release(), "shapes": shapes_release(),
               "no-paragraph": sample_release(body=shapes_release().body[2:4])}
    built = {name: (release, build_pdf(release)) for name, release in models.items()}
    # every house of examples/ (logos as Figures, a translation as a Part, US style)
    for folder in sorted((ROOT / "examples").glob("*/templates/house.yaml")):
        other = load_house(folder)
        for path in sorted((folder.parent.parent / "releases").glob("*.yaml")):
            release = load_release(path, other, now)
            built[f"example-{path.stem}"] = (release, build_pdf(release,
                                                                Resources(other.templates)))
    return built


def shapes_release() -> m.Release:
    """The odd corners: a ### before any ##, a paragraph that is one long link
    (over two lines), a link running over a line end, an item opening with a
    list, an item of two paragraphs, a list inside a quote, a link in a heading."""
    url = "https://example.org/" + "a-very-long-path/" * 8
    long_link = m.Link(url, (m.Text("the full report of the inspection, with every annex and "
                                    "table, for anyone who wants the detail"),))
    item = lambda *blocks: m.ListItem(tuple(blocks))  # noqa: E731
    body = (
        m.Heading(3, (m.Text("Before any section"),)),
        para(long_link),
        m.BulletList((item(m.BulletList((item(para("Nested first.")),))),
                      item(para("Two paragraphs,"), para("in one item.")))),
        m.Quote((para("Quoted."), m.NumberedList(3, (item(para("Three.")),)))),
        m.Heading(2, (m.Text("See "), m.Link("https://example.org/h", (m.Text("this"),)))),
        m.Heading(3, (m.Text("Under it"),)),
        para("Words before ", long_link, " and after."),
    )
    return sample_release(body=body)


@pytest.fixture(scope="module")
def files(built, tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("tagged")
    for name, (_, data) in built.items():
        (folder / f"{name}.pdf").write_bytes(data)
    return sorted(folder.glob("*.pdf"))


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.Pdf.open(io.BytesIO(data))


# ---------------------------------------------------------------- reading marked content


def _to_unicode(font: Dictionary) -> dict[int, str]:
    """A font's ToUnicode map (reportlab's subsets: one-byte codes, bfchar/bfrange)."""
    data = font.ToUnicode.read_bytes().decode("latin-1")
    table: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, start in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            for n, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(int(start, 16) + n)
    return table


class Marked:
    """What each page's content stream marks: text and operators per MCID
    (keyed by page index and MCID) and per artifact, and every fault of nesting."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.text: dict[tuple[int, int], str] = {}
        self.ops: dict[tuple[int, int], set[str]] = {}
        self.mcids: list[tuple[int, int]] = []  # (page index, MCID) as the streams open them
        self.artifacts: list[tuple[int, str, str]] = []  # (page, subtype, text)
        self.faults: list[str] = []
        for number, page in enumerate(pdf.pages):
            self._read(number, page)

    def _read(self, number: int, page: pikepdf.Page) -> None:
        fonts = page.Resources.Font
        maps: dict[str, dict[int, str]] = {}
        table: dict[int, str] = {}
        stack: list[tuple[str, int | None, Dictionary | None, int]] = []  # tag, mcid, props, BTs
        in_text = 0
        artifact: list[str] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                props = operands[1] if op == "BDC" else None
                marked = isinstance(props, Dictionary) and "/MCID" in props
                mcid = int(props.MCID) if marked else None
                if mcid is not None and any(entry[1] is not None for entry in stack):
                    self.faults.append(f"page {number + 1}: MCID {mcid} nested in another")
                if mcid is not None:
                    self.mcids.append((number, mcid))
                stack.append((str(operands[0]), mcid, props, in_text))
                if str(operands[0]) == "/Artifact":
                    artifact = []
            elif op == "EMC":
                tag, mcid, props, depth = stack.pop()
                if depth != in_text:
                    self.faults.append(f"page {number + 1}: marked content crosses BT/ET")
                if tag == "/Artifact":
                    subtype = str(props.get("/Subtype", "")) if props is not None else ""
                    self.artifacts.append((number, subtype, "".join(artifact)))
            elif op in ("BT", "ET"):
                in_text += 1 if op == "BT" else -1
            elif op == "Tf":
                name = str(operands[0])
                if name not in maps:
                    maps[name] = _to_unicode(fonts[name])
                table = maps[name]
            if op in PAINTING and not stack:
                self.faults.append(f"page {number + 1}: {op} outside marked content")
            owner = next((e[1] for e in reversed(stack) if e[1] is not None), None)
            if owner is not None:
                self.ops.setdefault((number, owner), set()).add(op)
            text = self._shown(op, operands, table)
            if text is not None and UNMAPPED in text:  # PDF/UA-1 7.21.7: every glyph mapped
                self.faults.append(f"page {number + 1}: a glyph without a Unicode value")
                text = text.replace(UNMAPPED, "")
            if text is not None:
                if owner is not None:
                    key = (number, owner)
                    self.text[key] = self.text.get(key, "") + text
                elif stack and stack[-1][0] == "/Artifact":
                    artifact.append(text)

    @staticmethod
    def _shown(op: str, operands: list, table: dict[int, str]) -> str | None:
        def decode(data: bytes) -> str:
            return "".join(table.get(b) or UNMAPPED for b in data)  # "\0" is no value either

        if op == "Tj":
            return decode(bytes(operands[0]))
        if op == "TJ":
            return "".join(decode(bytes(item)) for item in operands[0]
                           if isinstance(item, pikepdf.String))
        if op in ("T*", "Td", "TD"):
            return "\n"
        return None


class Tree:
    """The structure tree as read back: leaves in order as (path, text), and links."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.marked = Marked(pdf)
        self.pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        self.leaves: list[tuple[str, str]] = []
        self.links: list[tuple[str, Dictionary]] = []  # (text, Link element)
        document = pdf.Root.StructTreeRoot.K
        assert document.S == Name.Document
        for kid in self._kids(document):
            self._walk(kid, "")
        self._find_links(document)

    def _find_links(self, element: Dictionary) -> None:
        for kid in self._kids(element):
            if isinstance(kid, Dictionary) and "/S" in kid:
                if kid.S == Name.Link:
                    self.links.append((self.text(kid), kid))
                self._find_links(kid)

    @staticmethod
    def _kids(element: Dictionary) -> list:
        kids = element.get("/K")
        return [] if kids is None else list(kids) if isinstance(kids, Array) else [kids]

    def page_of(self, element: Dictionary) -> int | None:
        return self.pages[element.Pg.objgen] if "/Pg" in element else None

    def _walk(self, element: Dictionary, path: str) -> None:
        """Each run of an element's own words (its content and its links') is a
        leaf, in order with the elements inside it."""
        role, run, said = str(element.S)[1:], [], False
        for kid in self._kids(element) + [None]:
            if kid is None or (isinstance(kid, Dictionary) and "/S" in kid
                               and kid.S != Name.Link):
                text = "".join(self.text(k) if isinstance(k, Dictionary) and "/S" in k
                               else self._words(element, k) for k in run).strip()
                if text or (role in LEAVES and not said and kid is None):
                    self.leaves.append((path + role, text))
                    said = True
                run = []
                if kid is not None:
                    self._walk(kid, f"{path}{role}/")
            elif not (isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR):
                run.append(kid)

    def _words(self, element: Dictionary, kid) -> str:
        if isinstance(kid, int):
            return self.marked.text.get((self.page_of(element), kid), "")
        return self.marked.text.get((self.pages[kid.Pg.objgen], int(kid.MCID)), "")

    def text(self, element: Dictionary) -> str:
        """The words of an element and all inside it, in order."""
        words = []
        page = self.page_of(element)
        for kid in self._kids(element):
            if isinstance(kid, int):
                words.append(self.marked.text.get((page, kid), ""))
            elif kid.get("/Type") == Name.MCR:
                words.append(self.marked.text.get((self.pages[kid.Pg.objgen], int(kid.MCID)), ""))
            elif kid.get("/Type") == Name.OBJR:
                continue
            else:
                words.append(self.text(kid))
        return "".join(words)

    def pieces(self, element: Dictionary) -> list[tuple[int, int]]:
        """(page index, MCID) of each piece of an element's own content."""
        page = self.page_of(element)
        out = []
        for kid in self._kids(element):
            if isinstance(kid, int):
                out.append((page, kid))
            elif kid.get("/Type") == Name.MCR:
                out.append((self.pages[kid.Pg.objgen], int(kid.MCID)))
        return out


def squeezed(text: str) -> str:
    """Text without its white space: a line break in the PDF is no character at
    all (reportlab drops the space it breaks at), and a long word broken over two
    lines is one word, so only the characters and their order are compared."""
    return "".join(text.split())


# ---------------------------------------------------------------- the model's text


def expected_leaves(release: m.Release) -> list[tuple[str, str]]:
    """What a screen reader should meet, in order, worked out from the model:
    (path of structure types, text)."""
    translation = release.translation
    out = [("P", release.release_line)]
    out += [("P", translation.release_line)] if translation else []
    out += [("P", release.words.draft)] if release.draft else []
    out += [("Figure", "") for org in release.organisations if org.logo]
    for org in release.organisations:
        out.append(("P", org.name))
        out += [("P", "".join(org.lines))] if org.lines else []
    out += _masthead("", release.label, release.headline, release.summary, release.date_text)
    out += _body_leaves("", release.body)
    if translation:
        out += _masthead("Part/", translation.label, translation.headline,
                         translation.summary, translation.date_text)
        out += _body_leaves("Part/", translation.body)
    if release.end_mark:
        out.append(("P", release.end_mark))
    out += _note_leaves("", release.notes, release.notes_heading)
    if translation:
        out += _note_leaves("Part/", translation.notes, translation.words.notes_heading)
    out.append(("H2", release.contacts_heading))
    for contact in release.contacts:
        phones = (f"{p.label}: {p.text}" if p.label else p.text for p in contact.phones)
        out.append(("P", "".join(filter(None, (contact.name, contact.role, *phones,
                                                contact.email, contact.note)))))
    return out


def _masthead(path: str, label: str | None, headline: str, summary: str | None,
              date_text: str) -> list[tuple[str, str]]:
    out = [(path + "P", label)] if label else []
    out.append((path + "H1", headline))
    out += [(path + "P", summary)] if summary else []
    return out + [(path + "P", date_text)]


def _body_leaves(path: str, body: tuple[m.Block, ...]) -> list[tuple[str, str]]:
    out = []
    seen_h2 = False
    for block in body:  # the dateline, placed by the loader, is inside
        if isinstance(block, m.Heading):
            seen_h2 = seen_h2 or block.level == 2
            out.append((path + ("H3" if block.level == 3 and seen_h2 else "H2"),
                        m.plain_text(block.inlines)))
        else:
            out += _block_leaves(block, path, 0)
    return out


def _note_leaves(path: str, notes: tuple[m.Note, ...], heading: str) -> list[tuple[str, str]]:
    if not notes:
        return []
    out = [(path + "H2", heading)]
    for n, note in enumerate(notes, start=1):
        out += [(path + "L/LI/Lbl", f"{n}."), (path + "L/LI/LBody", m.plain_text(note.inlines))]
    return out


def _block_leaves(block: m.Block, path: str, depth: int) -> list[tuple[str, str]]:
    if isinstance(block, m.Paragraph):
        return [(path + "P", m.plain_text(block.inlines))]
    if isinstance(block, m.Quote):
        inner = path + "BlockQuote/"
        return [leaf for b in block.blocks for leaf in _block_leaves(b, inner, depth)]
    assert isinstance(block, (m.BulletList, m.NumberedList)), block
    out = []
    for n, item in enumerate(block.items):
        numbered = isinstance(block, m.NumberedList)
        label = f"{block.start + n}." if numbered else "•–"[min(depth, 1)]
        inner = f"{path}L/LI/LBody/"
        blocks = list(item.blocks)
        if blocks and isinstance(blocks[0], m.Paragraph):
            out += [(f"{path}L/LI/Lbl", label), (inner[:-1], m.plain_text(blocks.pop(0).inlines))]
        else:  # the label on a line of its own (its text a no-break space: no leaf)
            out.append((f"{path}L/LI/Lbl", label))
        for b in blocks:
            out += _block_leaves(b, inner, depth + 1)
    return out


def expected_links(release: m.Release) -> list[tuple[str, str]]:
    """(text, href) of every link, in reading order."""
    found: list[tuple[str, str]] = []

    def inlines(nodes):
        for node in nodes:
            if isinstance(node, m.Link):
                found.append((m.plain_text(node.children), node.href))
            elif hasattr(node, "children"):
                inlines(node.children)

    def blocks(items):
        for block in items:
            if hasattr(block, "inlines"):
                inlines(block.inlines)
            for child in getattr(block, "blocks", ()):
                blocks([child])
            for item in getattr(block, "items", ()):
                blocks(item.blocks)

    blocks(release.body)  # the dateline, which opens the first paragraph, is no link
    if release.translation:
        blocks(release.translation.body)
    for note in release.notes:
        inlines(note.inlines)
    for note in release.translation.notes if release.translation else ():
        inlines(note.inlines)
    for c in release.contacts:
        found += [(p.text, p.tel) for p in c.phones]
        found += [(c.email, f"mailto:{c.email}")] if c.email else []
    return found


# ---------------------------------------------------------------- what a reader meets


def test_tree_text_in_reading_order_is_the_models(built):
    for name, (release, data) in built.items():
        tree = Tree(open_pdf(data))
        got = [(path, squeezed(text)) for path, text in tree.leaves]
        want = [(path, squeezed(text)) for path, text in expected_leaves(release)]
        assert got == want, name


def test_release_line_is_the_first_element_and_page_ones_first_content(built):
    for name, (release, data) in built.items():
        pdf = open_pdf(data)
        tree = Tree(pdf)
        first = tree._kids(pdf.Root.StructTreeRoot.K)[0]
        assert first.S == Name.P and tree.pieces(first) == [(0, 0)], name
        # a release line wrapped in the header (more zones) reads as one line
        assert " ".join(tree.text(first).split()) == " ".join(release.release_line.split())
        stream = pikepdf.parse_content_stream(pdf.pages[0])
        opener = next(ops for ops, op in stream if str(op) == "BDC")
        assert str(opener[0]) == "/P" and int(opener[1].MCID) == 0


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, object]:
    """The parent tree's keys and values (one node of /Nums, as pressgen writes it)."""
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    return dict(zip(nums[::2], nums[1::2]))


def test_links_hold_their_words_and_their_annotations(built):
    for name, (release, data) in built.items():
        pdf = open_pdf(data)
        tree = Tree(pdf)
        parents = parent_tree(pdf)
        got = []
        for text, link in tree.links:
            objrs = [k for k in tree._kids(link) if isinstance(k, Dictionary)
                     and k.get("/Type") == Name.OBJR]
            assert objrs, f"{name}: a Link without its annotation"
            hrefs = {str(objr.Obj.A.URI) for objr in objrs}
            assert len(hrefs) == 1
            for objr in objrs:
                annotation = objr.Obj
                assert str(annotation.Contents) == str(annotation.A.URI)  # a description
                assert parents[int(annotation.StructParent)].objgen == link.objgen
            got.append((squeezed(text), hrefs.pop()))
        assert got == [(squeezed(t), h) for t, h in expected_links(release)], name
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                assert "/StructParent" in annotation


def test_every_piece_drawn_is_marked_and_none_nests(built):
    for name, (_, data) in built.items():
        assert Marked(open_pdf(data)).faults == [], name


def test_parent_tree_names_the_element_of_every_mcid(built):
    for name, (_, data) in built.items():
        pdf = open_pdf(data)
        tree = Tree(pdf)
        parents = parent_tree(pdf)
        for number, page in enumerate(pdf.pages):
            assert page.obj.Tabs == Name.S
            owners = parents[int(page.obj.StructParents)]
            mcids = [mcid for p, mcid in tree.marked.mcids if p == number]
            assert mcids == list(range(len(owners))), name  # each once, in stream order
            for mcid, owner in enumerate(owners):
                assert (number, mcid) in tree.pieces(owner), (name, number, mcid)
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == max(parents) + 1


def test_a_paragraph_split_over_two_pages_is_one_element_with_two_pieces():
    release = long_release()
    pdf = open_pdf(build_pdf(release))
    tree = Tree(pdf)
    assert len(pdf.pages) > 2
    split = []

    def walk(element):
        for kid in tree._kids(element):
            if isinstance(kid, Dictionary) and "/S" in kid:
                pages = {p for p, _ in tree.pieces(kid)}
                if len(pages) > 1:
                    split.append((kid, pages))
                walk(kid)

    walk(pdf.Root.StructTreeRoot.K)
    assert split, "no paragraph ran over a page"
    for element, pages in split:
        assert element.S == Name.P
        pieces = tree.pieces(element)
        assert len(pieces) == 2 and pieces[0][0] + 1 == pieces[1][0]  # one on each page
        text = squeezed(tree.text(element))
        assert any(squeezed(m.plain_text(b.inlines)) in text and text.endswith(
            squeezed(m.plain_text(b.inlines))) for b in release.body)


def test_later_headers_footers_rules_and_watermark_are_artifacts():
    release = replace(long_release(), draft=True)
    pdf = open_pdf(build_pdf(release))
    marked = Marked(pdf)
    pages = len(pdf.pages)
    headers = [(p, squeezed(t)) for p, kind, t in marked.artifacts if kind == "/Header"]
    assert headers == [(p, squeezed(release.release_line + "DRAFT")) for p in range(1, pages)]
    footers = [(p, t) for p, kind, t in marked.artifacts if kind == "/Footer"]
    assert [(p, squeezed(t)) for p, t in footers] == [
        (p, squeezed(f"{release.organisation.name}Page {p + 1} of {pages}")) for p in range(pages)]
    watermarks = [(p, t.strip()) for p, kind, t in marked.artifacts if kind == "/Watermark"]
    assert watermarks == [(p, "DRAFT") for p in range(pages)]
    second = pikepdf.parse_content_stream(pdf.pages[1])
    opener = next(ops for ops, op in second if str(op) in ("BDC", "BMC"))
    assert str(opener[0]) == "/Artifact" and opener[1].Subtype == Name.Header
    # the release line is one element, read once: on page 1
    tree = Tree(pdf)
    assert [t for _, t in tree.leaves].count(release.release_line) == 1


def test_catalog_and_metadata_claim_pdf_ua_1(built):
    for name, (release, data) in built.items():
        pdf = open_pdf(data)
        root = pdf.Root
        assert root.MarkInfo.Marked is True and str(root.Lang) == release.language
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert "/RoleMap" not in root.StructTreeRoot  # standard types only
        assert pdf.pdf_version == "1.7"
        info = pdf.docinfo
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
            assert xmp["dc:title"] == str(info.Title) == release.headline
            assert xmp["dc:creator"] == [str(info.Author)] == [release.organisation.name]
            assert xmp["dc:description"] == str(info.Subject)
            assert xmp["pdf:Producer"] == str(info.Producer)
            assert xmp["xmp:CreatorTool"] == str(info.Creator)
            stamp = datetime.strptime(str(info.CreationDate).replace("'", ""), "D:%Y%m%d%H%M%S%z")
            assert datetime.fromisoformat(xmp["xmp:CreateDate"]) == stamp, name


# ---------------------------------------------------------------- checkers


def test_pdfua_check_finds_nothing(files):
    from pdfua import validate

    result = subprocess.run([sys.executable, "-m", "pdfua", "check", *map(str, files)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASS (no findings)") == len(files)
    for file in files:  # and no rule failed to run, which the command does not tell
        report = validate(str(file))
        assert [f.message for f in report.findings] == []
        skipped = {o.rule_id: o.skipped_reason for o in report.outcomes if o.skipped_reason}
        if skipped.get("UA-14-001", "").endswith(PDFUA_HEADING_BUG):
            del skipped["UA-14-001"]  # its check by hand: no heading without words
            with pikepdf.Pdf.open(file) as pdf:
                tree = Tree(pdf)
                assert all(text for path, text in tree.leaves if re.search(r"H\d$", path))
        assert skipped == {}, file


def test_pikepdf_and_qpdf_find_no_damage(files):
    for file in files:
        with pikepdf.Pdf.open(file) as pdf:
            assert pdf.check_pdf_syntax() == [], file
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed (pikepdf's check above ran)")
    for file in files:
        result = subprocess.run(["qpdf", "--check", str(file)], capture_output=True, text=True)
        assert result.returncode == 0 and "No syntax or stream encoding errors" in result.stdout


def test_poppler_reads_it_as_tagged_release_line_first(files, built):
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler's pdfinfo is not installed")
    for file in files:
        info = subprocess.run(["pdfinfo", str(file)], capture_output=True, text=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), file
        tree = subprocess.run(["pdfinfo", "-struct-text", str(file)],
                              capture_output=True, text=True).stdout.splitlines()
        assert tree[:2] == ["Document", "  P (block)"], file
        # the first element's text: a release line wrapped in the header (more zones)
        # reads as one, its line ends as spaces
        first = " ".join(line.strip() for line in
                         "\n".join(tree[2:]).split('"', 2)[1].splitlines())
        assert first == built[file.stem][0].release_line, file


def test_untagged_switch_is_the_same_pages_without_tags():
    import pypdf

    release = sample_release()
    plain, tagged = build_pdf(release, tagged=False), build_pdf(release)
    untagged = open_pdf(plain)
    assert "/StructTreeRoot" not in untagged.Root and "/MarkInfo" not in untagged.Root
    assert b"BDC" not in untagged.pages[0].Contents.read_bytes()
    # the same lines (the tagged one ends each with a space, for the tree's text)
    texts = [[[line.rstrip() for line in p.extract_text().split("\n")]
              for p in pypdf.PdfReader(io.BytesIO(d)).pages] for d in (plain, tagged)]
    assert texts[0] == texts[1]
    assert build_pdf(release) == tagged  # and tagging is deterministic


def nested_links_release() -> m.Release:
    """Links inside links (the model allows them), the inner opening with the outer."""
    outer, inner = "https://example.org/a", "https://example.org/a/b"
    return sample_release(body=(
        para(m.Link(outer, (m.Link(inner, (m.Text("inner words"),)), m.Text(" outer"))), " rest."),
        para(m.Link(outer, (m.LineBreak(), m.Link(inner, (m.Text("one"),)), m.Text("two")))),
    ))


def test_links_inside_links_read_in_order_and_give_the_same_bytes_anywhere():
    release = nested_links_release()
    data = build_pdf(release)
    tree = Tree(open_pdf(data))
    body = [text for path, text in tree.leaves][5:7]
    assert [squeezed(t) for t in body] == ["London,29January2026–innerwordsouterrest.", "onetwo"]
    links = [(squeezed(text), str(link.P.S)) for text, link in tree.links][:4]
    assert links == [("innerwordsouter", "/P"), ("innerwords", "/Link"),
                     ("onetwo", "/P"), ("one", "/Link")]
    # reportlab reports links from a set: the order must not leak into the bytes
    script = ("import sys; sys.path.insert(0, sys.argv[1]); import test_pdf_tags as t; "
              "sys.stdout.buffer.write(t.build_pdf(t.nested_links_release()))")
    other = subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent)],
                           capture_output=True, env={**os.environ, "PYTHONHASHSEED": "7"},
                           check=True).stdout
    assert other == data


# ---------------------------------------------------------------- hooks for what comes next


class Logo(Tagged, Image):
    """A taggable image, as the letterhead's logos will be."""


def _png() -> io.BytesIO:
    from PIL import Image as Picture

    out = io.BytesIO()
    Picture.new("RGB", (60, 20), (11, 60, 93)).save(out, "PNG")
    out.seek(0)
    return out


class LetterheadStory(Story):
    """A throwaway of what the letterhead and bilingual work will add: a logo
    above the organisation, and after the body a part in Welsh."""

    def masthead(self, release):
        logo = self.tags.mark(Logo(_png(), width=60, height=20, hAlign="LEFT"), "Figure",
                              Alt="HM Inspectorate of Probation logo")
        return [logo, *super().masthead(release)]

    def body(self, release):
        flow = super().body(release)
        self.tags.open("Part", Lang="cy")
        flow.append(self.tags.mark(Para("Mae’r arolygiaeth wedi cynnal adolygiad.",
                                        self.st.body), "P"))
        self.tags.close("Part")
        return flow


def test_a_logo_is_a_figure_with_alt_and_a_part_carries_its_language(tmp_path):
    from pdfua import validate

    release = sample_release(body=(para("One paragraph."),))
    data = build_pdf(release, story_type=LetterheadStory)
    pdf = open_pdf(data)
    tree = Tree(pdf)
    kids = tree._kids(pdf.Root.StructTreeRoot.K)
    assert [str(k.S) for k in kids[:3]] == ["/P", "/Figure", "/P"]  # release line, logo, org
    figure = kids[1]
    assert str(figure.Alt) == "HM Inspectorate of Probation logo"
    (page, mcid), = tree.pieces(figure)
    assert page == 0 and "Do" in tree.marked.ops[(page, mcid)]
    part = next(k for k in kids if k.S == Name.Part)
    assert str(part.Lang) == "cy"
    assert squeezed(tree.text(part)) == squeezed("Mae’r arolygiaeth wedi cynnal adolygiad.")
    assert Marked(pdf).faults == []
    (tmp_path / "logo.pdf").write_bytes(data)
    assert validate(str(tmp_path / "logo.pdf")).findings == ()


def test_structure_refuses_what_it_cannot_tag():
    from reportlab.platypus import Spacer

    from pressgen.writers._pdf_tags import Structure

    structure = Structure()
    with pytest.raises(TypeError, match="Spacer"):
        structure.mark(Spacer(1, 1), "P")
    structure.open("L")
    with pytest.raises(ValueError, match="close"):
        structure.close("BlockQuote")


# ---------------------------------------------------------------- any release


def test_any_release_is_marked_throughout_and_read_as_the_model():
    """Generated releases (the property tests' model strategy, any covered text):
    nothing drawn outside marked content, and the tree reads as the model."""
    from hypothesis import given, settings

    from test_properties import model_release, squash

    def letters(text: str) -> str:  # a soft hyphen may print as "-" at a line end
        return squash(text).replace("-", "").replace("\u00ad", "")

    def read(leaves: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Leaves with words; the label of an item without any is left out too,
        as reportlab draws it or not by how many lines the blank item makes."""
        squeezed = [(path, letters(text)) for path, text in leaves] + [("", "")]
        return [(path, text) for (path, text), (after, words) in zip(squeezed, squeezed[1:])
                if text and (not path.endswith("Lbl") or after.endswith("LBody") and words)]

    fuzzing = "PRESSGEN_FUZZ_EXAMPLES" in os.environ  # `make fuzz`: a quarter of its count
    examples = int(os.environ["PRESSGEN_FUZZ_EXAMPLES"]) // 4 if fuzzing else 20

    @settings(max_examples=max(examples, 1), deadline=None, derandomize=not fuzzing)
    @given(model_release())
    def check(release):
        pdf = open_pdf(build_pdf(release))
        tree = Tree(pdf)
        assert tree.marked.faults == []
        assert read(tree.leaves) == read(expected_leaves(release))
        with pdf.open_metadata() as xmp:  # any text survives the XMP packet
            assert xmp["dc:title"] == str(pdf.docinfo.Title) == release.headline

    check()


def test_a_long_paragraph_laid_out_in_windows_stays_tagged():
    """_pdf_long.LongPara splits by handing out lines; its parts must stay pieces of
    the paragraph's element (on main they lost their tags: the words went untagged)."""
    words = " ".join(f"word{i}" for i in range(3000))  # > LONG_MARKUP: a LongPara
    tree = Tree(open_pdf(build_pdf(sample_release(body=(para(words),)))))
    text = squeezed(" ".join(t for path, t in tree.leaves if path == "P"))
    assert "word0word1" in text and "word2998word2999" in text
