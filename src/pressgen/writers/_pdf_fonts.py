"""The bundled Noto Sans family, registered with reportlab once per process.

reportlab's standard fonts are Latin-1 only and its bundled Vera lacks ś ń ż ř ő
ű ễ, so every face we draw with is a TTF shipped in pressgen/fonts (OFL, see
OFL.txt there). Parsing four TTFs costs far more than laying out a release, so
it happens on first use and never again; reportlab embeds a subset per document.
The files are read through the writer's resources (so the build knows the PDF
depends on them), from pressgen/fonts.
"""

from __future__ import annotations

from io import BytesIO
from threading import Lock

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from pressgen.resources import Resources

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
_REGISTERED: dict[str, bytes] = {}  # face name -> the bytes reportlab was given for it


def register_fonts(resources: Resources) -> str:
    """Register the four faces and their family; returns the family name.

    Each face is read through `resources`, so the build records the font files
    the PDF was drawn with. Parsing four TTFs costs far more than laying out a
    release, so reportlab is given them once per process (and again only if a
    file changed). Locked so writers started on several threads at once cannot
    register two font objects under one name mid-render.
    """
    faces = {name: resources.font(filename) for name, filename in FACES.items()}
    with _REGISTERING:
        if faces != _REGISTERED:
            for name, data in faces.items():
                pdfmetrics.registerFont(TTFont(name, BytesIO(data)))
            pdfmetrics.registerFontFamily(
                REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
            )
            _REGISTERED.clear()
            _REGISTERED.update(faces)
    return REGULAR
