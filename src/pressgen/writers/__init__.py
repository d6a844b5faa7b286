"""The writers: one module per output format, each `render(release, resources) -> bytes`.

Which module writes which format is the registry's to say (pressgen.formats).
Modules are imported only when a format is rendered, so `--help`, `check` and
`status` never pay for reportlab or python-docx.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Callable

from pressgen import formats

if TYPE_CHECKING:
    from pressgen.model import Release
    from pressgen.resources import Resources

Render = Callable[["Release", "Resources"], bytes]


def writer(fmt: str) -> Render:
    """The render function of format `fmt`, its module imported on first use."""
    return import_module(formats.get(fmt).module).render
