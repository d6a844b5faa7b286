"""The bundled Noto Sans family, registered with reportlab once per process.

reportlab's standard fonts are Latin-1 only and its bundled Vera lacks ś ń ż ř ő
ű ễ, so every face we draw with is a TTF shipped in pressgen/fonts (OFL, see
OFL.txt there). Parsing four TTFs costs far more than laying out a release, so
it happens on first use and never again; reportlab embeds a subset per document.
"""

from __future__ import annotations

from functools import cache
from threading import Lock

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from pressgen.templates import FONTS

#: reportlab font name -> file in pressgen/fonts. The regular face's name is
#: also the family name, so <b>/<i> in paragraph markup pick the right face.
REGULAR = "NotoSans"
BOLD = "NotoSans-Bold"
ITALIC = "NotoSans-Italic"
BOLD_ITALIC = "NotoSans-BoldItalic"
FACES: dict[str, str] = {
    REGULAR: "NotoSans-Regular.ttf",
    BOLD: "NotoSans-Bold.ttf",
    ITALIC: "NotoSans-Italic.ttf",
    BOLD_ITALIC: "NotoSans-BoldItalic.ttf",
}


_REGISTERING = Lock()


@cache
def register_fonts() -> str:
    """Register the four faces and their family; returns the family name.

    Locked so writers started on several threads at once cannot register two
    font objects under one name (the second would replace the first mid-render).
    """
    with _REGISTERING:
        return _register()


def _register() -> str:
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return REGULAR
    for name, filename in FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS / filename)))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )
    return REGULAR
