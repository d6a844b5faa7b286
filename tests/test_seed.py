"""The seed release end to end: every sentence in all three outputs, embargo line first."""

import io
import re

import pytest
from click.testing import CliRunner
from docx import Document
from pypdf import PdfReader

from conftest import HOUSE, SEED
from pressgen.cli import main
from pressgen.model import BulletList, NumberedList, Paragraph, Quote, plain_text

EMBARGO = "EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _sentences(release) -> list[str]:
    """Every sentence of the body, the notes and the contact, as the model holds them."""
    texts: list[str] = []

    def walk(blocks):
        for block in blocks:
            if isinstance(block, (BulletList, NumberedList)):
                for item in block.items:
                    walk(item.blocks)
            elif isinstance(block, Quote):
                walk(block.blocks)
            else:
                texts.append(plain_text(block.inlines))

    walk(release.body)
    texts += [plain_text(n.inlines) for n in release.notes]
    contact = release.contacts[0]
    texts += [contact.name, contact.role, contact.phone, contact.email]
    return [s for t in texts for s in re.split(r"(?<=[.!?”])\s+", _flat(t)) if s]


def _without_furniture(page: str) -> str:
    """A page's text without its header and footer, so sentences run on across pages."""
    lines = page.strip("\n").split("\n")
    assert lines[0] == EMBARGO and re.fullmatch(r"Page \d+ of \d+", lines[-1]), lines
    assert lines[-2] == "HM Inspectorate of Probation"
    return "\n".join(lines[1:-2])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    result = CliRunner().invoke(main, ["build", str(SEED), "--out", str(out), "--house", str(HOUSE),
                                       "--as-of", "2026-01-28 12:00", "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    stem = out / SEED.stem
    pdf = PdfReader(str(stem.with_suffix(".pdf")))
    docx = Document(str(stem.with_suffix(".docx")))
    return {
        "txt": stem.with_suffix(".txt").read_text(encoding="utf-8"),
        "pdf": "\n".join(_without_furniture(page.extract_text()) for page in pdf.pages),
        "pdf_first": pdf.pages[0].extract_text(),
        "pdf_raw": "\n".join(page.extract_text() for page in pdf.pages),
        "docx": "\n".join(p.text for p in docx.paragraphs),
        "docx_first": docx.paragraphs[0].text,
    }


def test_embargo_line_first_in_every_output(built):
    assert built["txt"].split("\n")[0] == EMBARGO
    assert built["pdf_first"].split("\n")[0] == EMBARGO
    assert built["pdf"].startswith("HM Inspectorate of Probation\n")  # the name as written
    assert built["docx_first"] == EMBARGO


@pytest.mark.parametrize("fmt", ["txt", "pdf", "docx"])
def test_every_sentence_is_in_the_output(built, load, fmt):
    text = _flat(built[fmt])
    sentences = _sentences(load(SEED))
    assert len(sentences) > 30
    missing = [s for s in sentences if s not in text]
    assert not missing, missing[:3]


@pytest.mark.parametrize("fmt", ["txt", "pdf", "docx"])
def test_sections_in_spec_order(built, fmt):
    text = _flat(built["pdf_raw" if fmt == "pdf" else fmt])
    marks = [EMBARGO, "HM Inspectorate of Probation", "Chief Inspector of Probation flags",
             "29 January 2026", "HM Inspectorate of Probation has undertaken", "ENDS",
             "Notes to editors", "Media enquiries", "Louise Cordell"]
    at = 0
    for mark in marks:  # each found after the one before
        at = text.index(mark, at) + len(mark)
