"""The private-XML helpers of the DOCX writer, one by one, on the built-in reference."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta, timezone

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from pressgen.templates import BUILTIN
from pressgen.writers import _ooxml as ooxml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def document():
    return docx.Document(str(BUILTIN / "reference.docx"))


def saved(document) -> zipfile.ZipFile:
    out = io.BytesIO()
    document.save(out)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def test_clear_story_empties_the_body_but_keeps_the_section(document):
    assert document.paragraphs
    ooxml.clear_story(document)
    body = document.element.body
    assert [child.tag for child in body] == [qn("w:sectPr")]
    assert document.sections[0].header is not None


def test_clear_story_empties_a_header(document):
    header = document.sections[0].header
    assert header.paragraphs
    ooxml.clear_story(header)
    assert header.paragraphs == []


def test_add_paragraph_and_run_name_their_styles(document):
    header = document.sections[0].header
    p = ooxml.add_paragraph(header, document.styles["Header"], "Line & <more>")
    run = ooxml.add_run(p, " bold", document.styles["Strong"])
    assert p.style.name == "Header" and p.text == "Line & <more> bold"
    assert run.style.name == "Strong"
    plain = ooxml.add_paragraph(document, None)
    assert plain._p.pPr is None and plain.text == ""
    assert ooxml.add_run(plain, "x")._r.rPr is None


def test_hyperlink_is_an_external_relationship_with_the_hyperlink_style(document):
    p = document.add_paragraph("See ")
    link = ooxml.Hyperlink(p, "https://example.org/a?b=1&c=2", document.styles["Hyperlink"])
    link.add_run("the report")
    element = p._p.find(qn("w:hyperlink"))
    rel = document.part.rels[element.get(qn("r:id"))]
    assert rel.is_external and rel.reltype == RT.HYPERLINK
    assert rel.target_ref == "https://example.org/a?b=1&c=2"
    runs = element.findall(qn("w:r"))
    assert [r.find(f"{W}rPr/{W}rStyle").get(qn("w:val")) for r in runs] == ["Hyperlink"]
    assert p.text == "See the report"
    assert p.hyperlinks[0].address == "https://example.org/a?b=1&c=2"
    rels = saved(document).read("word/_rels/document.xml.rels").decode()
    assert 'Target="https://example.org/a?b=1&amp;c=2" TargetMode="External"' in rels


def test_same_href_shares_one_relationship(document):
    p = document.add_paragraph()
    style = document.styles["Hyperlink"]
    ooxml.Hyperlink(p, "mailto:a@example.org", style).add_run("a")
    ooxml.Hyperlink(p, "mailto:a@example.org", style).add_run("a again")
    ids = {h.get(qn("r:id")) for h in p._p.findall(qn("w:hyperlink"))}
    assert len(ids) == 1


def test_field_is_begin_instruction_separate_result_end(document):
    p = document.add_paragraph("Page ")
    ooxml.add_field(p, "PAGE")
    kinds = []
    for r in p._p.findall(qn("w:r")):
        fld = r.find(qn("w:fldChar"))
        instr = r.find(qn("w:instrText"))
        if fld is not None:
            kinds.append(fld.get(qn("w:fldCharType")))
        elif instr is not None:
            kinds.append(instr.text.strip())
    assert kinds == ["begin", "PAGE", "separate", "end"]
    assert p.text == "Page 1"


def num_element(document, num_id):
    return document.part.numbering_part.element.num_having_numId(num_id)


def test_restart_numbering_makes_a_fresh_instance_per_list(document):
    style = document.styles["List Number"]
    first = ooxml.restart_numbering(document, style, 1)
    second = ooxml.restart_numbering(document, style, 4)
    assert first[0] != second[0]
    assert first[1] == second[1] == 0
    base_num = style.element.pPr.numPr.numId.val
    abstract = num_element(document, base_num).abstractNumId.val
    for (num_id, _), start in ((first, "1"), (second, "4")):
        num = num_element(document, num_id)
        assert num.abstractNumId.val == abstract
        override = num.find(f"{W}lvlOverride/{W}startOverride")
        assert override.get(qn("w:val")) == start


def test_restart_numbering_follows_based_on(document):
    child = document.styles.add_style("Numbered Child", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    child.base_style = document.styles["List Number"]
    assert ooxml.restart_numbering(document, child, 1) is not None


def test_restart_numbering_without_a_numbered_style_is_none(document):
    assert ooxml.restart_numbering(document, document.styles["Normal"], 1) is None


def test_set_numbering_puts_ilvl_and_num_id_on_the_paragraph(document):
    p = document.add_paragraph(style="List Number")
    ooxml.set_numbering(p, (9, 0))
    numpr = p._p.pPr.numPr
    assert (numpr.ilvl.val, numpr.numId.val) == (0, 9)


def lang_of(document):
    return document.styles.element.find(
        f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(qn("w:val"))


def test_set_language_in_doc_defaults(document):
    ooxml.set_language(document, "cy-GB")
    assert lang_of(document) == "cy-GB"


def test_set_language_creates_doc_defaults_when_missing(document):
    styles = document.styles.element
    styles.remove(styles.find(qn("w:docDefaults")))
    ooxml.set_language(document, "vi-VN")
    assert lang_of(document) == "vi-VN"
    assert styles[0].tag == qn("w:docDefaults")


def test_set_language_overrides_a_style_of_its_own(document):
    rpr = document.styles["Quote"].element.get_or_add_rPr()
    own = rpr.makeelement(qn("w:lang"), {qn("w:val"): "en-US"})
    rpr.append(own)
    ooxml.set_language(document, "en-GB")
    assert own.get(qn("w:val")) == "en-GB"


def test_core_properties_replace_everything(document):
    core = document.core_properties
    core.keywords, core.comments, core.category = "old", "generated by python-docx", "x"
    core.last_printed = datetime(2013, 12, 23)
    moment = datetime(2026, 1, 29, 0, 1, tzinfo=timezone(timedelta(hours=1)))
    ooxml.set_core_properties(document, title="Headline", author="Org", subject="",
                              language="en-GB", moment=moment)
    core = document.core_properties
    assert (core.title, core.author, core.last_modified_by) == ("Headline", "Org", "Org")
    assert (core.subject, core.keywords, core.comments, core.category) == ("", "", "", "")
    assert core.language == "en-GB" and core.revision == 1
    assert core.last_printed is None
    assert core.created == core.modified == datetime(2026, 1, 28, 23, 1, tzinfo=timezone.utc)
    xml = saved(document).read("docProps/core.xml").decode()
    assert "2026-01-28T23:01:00Z" in xml
    assert "python-docx" not in xml and "2013" not in xml


def test_drop_thumbnail_removes_the_preview_part():
    document = docx.Document()  # python-docx's default template ships a thumbnail
    ooxml.drop_thumbnail(document)
    assert not any("thumbnail" in name for name in saved(document).namelist())


def test_app_xml_names_pressgen_and_escapes():
    xml = ooxml.app_xml("Smith & <Jones>").decode()
    assert "<Application>pressgen</Application>" in xml
    assert "<Company>Smith &amp; &lt;Jones&gt;</Company>" in xml


@pytest.mark.parametrize("moment, stamp", [
    (datetime(2026, 1, 29, 0, 0, 7, tzinfo=timezone.utc), (2026, 1, 29, 0, 0, 6)),
    (datetime(2026, 7, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))), (2026, 6, 30, 23, 30, 0)),
    (datetime(2000, 1, 1), (2000, 1, 1, 0, 0, 0)),
    (datetime(1970, 1, 1, tzinfo=timezone.utc), (1980, 1, 1, 0, 0, 0)),
])
def test_zip_date_time(moment, stamp):
    assert ooxml.zip_date_time(moment) == stamp


def make_zip(names) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in names:
            zf.writestr(name, f"<x>{name}</x>")
    return out.getvalue()


def test_deterministic_zip_fixes_order_stamps_and_compression():
    moment = datetime(2026, 1, 29, tzinfo=timezone.utc)
    a = ooxml.deterministic_zip(make_zip(["word/b.xml", "[Content_Types].xml", "_rels/.rels"]),
                                moment)
    b = ooxml.deterministic_zip(make_zip(["_rels/.rels", "word/b.xml", "[Content_Types].xml"]),
                                moment)
    assert a == b
    infos = zipfile.ZipFile(io.BytesIO(a)).infolist()
    assert [i.filename for i in infos] == ["[Content_Types].xml", "_rels/.rels", "word/b.xml"]
    assert {i.date_time for i in infos} == {(2026, 1, 29, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def test_deterministic_zip_replaces_named_entries():
    data = ooxml.deterministic_zip(make_zip(["docProps/app.xml"]), datetime(2026, 1, 1),
                                   {"docProps/app.xml": b"<new/>", "absent.xml": b"<no/>"})
    zf = zipfile.ZipFile(io.BytesIO(data))
    assert zf.namelist() == ["docProps/app.xml"]
    assert zf.read("docProps/app.xml") == b"<new/>"
