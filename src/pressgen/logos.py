"""Letterhead logos (spec §8.1): PNG or JPEG, at most 2 MB, that really decode.

The loader checks each logo once, at its key, so a writer never meets a file it
cannot draw: a missing, unreadable, oversized or non-image logo is an error at
the `logo` key. The model keeps only the path and the text alternative; the PDF
and DOCX writers read the bytes through `resources`, which notes them as inputs
of exactly those outputs.
"""

from __future__ import annotations

import io
from pathlib import Path

from pressgen.reading import ReadError, read_bounded

MAX_LOGO = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 2 MB PNG can claim gigapixels: refuse before decoding
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


class LogoError(ValueError):
    """Why a logo cannot be used, in a press officer's words, with the fix."""


def check_logo(path: Path, root: Path | None = None) -> tuple[int, int]:
    """The logo's size in pixels; LogoError when it cannot be a letterhead logo."""
    try:
        data = read_bounded(path, MAX_LOGO, root=root)
    except ReadError as exc:
        if "larger" in str(exc) or "bytes" in str(exc):
            raise LogoError(f"is larger than 2 MB ({exc}); save a smaller PNG or JPEG, "
                            "about 600 pixels wide is plenty for a letterhead") from None
        raise LogoError(f"cannot be read: {exc}; check the path, relative to the house "
                        "file") from None
    kind = next((k for sig, k in SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None:
        raise LogoError("is not a PNG or JPEG image (its first bytes say so, whatever its "
                        "name); export the logo as PNG or JPEG")
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise LogoError(f"is {image.width}×{image.height} pixels, far more than a "
                                "letterhead needs; save it at about 600 pixels wide")
            image.load()
            return image.width, image.height
    except LogoError:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for a broken file
        raise LogoError(f"is a damaged {kind} that cannot be decoded ({type(exc).__name__}); "
                        "export it again") from None
