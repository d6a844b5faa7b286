"""pressgen.glyphs and fonts/coverage.txt: what the bundled fonts can draw."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFontFile

from pressgen.glyphs import COVERAGE, covered, missing_glyphs

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "src" / "pressgen" / "fonts"

#: the languages the press office writes names in (issue: Polish, Czech,
#: Hungarian, Welsh, Vietnamese), plus typography the Markdown typographer makes
REQUIRED = {
    "polish": "ĄąĆćĘęŁłŃńÓóŚśŹźŻż",
    "czech": "ÁáČčĎďÉéĚěÍíŇňÓóŘřŠšŤťÚúŮůÝýŽž",
    "hungarian": "ÁáÉéÍíÓóÖöŐőÚúÜüŰű",
    "welsh": "ÂâÊêÎîÔôÛûŴŵŶŷẀẁẂẃẄẅỲỳ",
    "vietnamese": "ĂăÂâĐđÊêÔôƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊị"
                  "ỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ",
    "typography": "“”‘’–—…•€£©®™ ",
}


def load_script():
    spec = importlib.util.spec_from_file_location("font_coverage",
                                                  ROOT / "scripts" / "font_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("language", sorted(REQUIRED))
def test_required_characters_are_covered(language):
    assert missing_glyphs(REQUIRED[language]) == []


def test_names_from_the_issue_are_covered():
    assert missing_glyphs("Zoë, Siân, Łukasz, Dvořák, Nguyễn Văn An, Gwenllian ŵ ŷ") == []


def test_missing_are_distinct_in_order_of_first_appearance():
    assert missing_glyphs("a中b😀c中\u0378😀") == ["中", "😀", "\u0378"]


def test_newline_and_tab_are_layout_but_other_controls_are_missing():
    assert missing_glyphs("line one\n\tline two\n") == []
    assert missing_glyphs("bell\x07 and nul\x00 and cr\r") == ["\x07", "\x00", "\r"]


def test_empty_text():
    assert missing_glyphs("") == []


def test_range_edges():
    assert covered(" ") and covered("~") and not covered("\x7f")
    assert not covered("\U0010ffff")


def test_coverage_file_is_current():
    assert COVERAGE.read_text(encoding="ascii") == load_script().coverage_text()


def test_covered_characters_are_in_every_face():
    """Spot-check the file against each TTF's cmap, independently of the script."""
    faces = [TTFontFile(str(path)).charToGlyph for path in sorted(FONTS.glob("*.ttf"))]
    assert len(faces) == 4
    sample = [chr(cp) for cp in range(0x20, 0x2200) if covered(chr(cp))]
    assert len(sample) > 1500
    for cmap in faces:
        assert [c for c in sample if cmap.get(ord(c), 0) == 0] == []


def test_licence_ships_with_the_fonts():
    assert "SIL OPEN FONT LICENSE" in (FONTS / "OFL.txt").read_text(encoding="utf-8")


def test_glyphs_does_not_import_reportlab():
    code = ("import sys, pressgen.glyphs as g; g.missing_glyphs('Zoë'); "
            "sys.exit('reportlab' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
