"""The writer registry: one module per output format, each `render(release, templates) -> bytes`.

Modules are imported only when a format is rendered, so `--help`, `check` and
`status` never pay for reportlab or python-docx.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable

from pressgen.model import Release
from pressgen.templates import Templates

Render = Callable[[Release, Templates], bytes]

#: format name -> module under pressgen.writers; the order is the build order.
FORMATS: dict[str, str] = {"pdf": "pdf", "docx": "docx", "txt": "text"}


def writer(fmt: str) -> Render:
    """The render function of one format, imported on first use."""
    return import_module(f"pressgen.writers.{FORMATS[fmt]}").render
