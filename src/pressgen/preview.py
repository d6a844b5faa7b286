"""Preview tokens (spec §10): where an embargoed release's preview page lives.

A journalist given the link reads the release before its lift; nobody else can
find it, because the folder's name is the HMAC-SHA256 of the release id under
the office's secret key (`PRESSGEN_PREVIEW_KEY`), cut to 32 hex digits: it
cannot be guessed from the id, and nothing on the site links to it.
"""

from __future__ import annotations

import hashlib
import hmac
import os

KEY_VARIABLE = "PRESSGEN_PREVIEW_KEY"


def preview_key() -> bytes | None:
    """The key from the environment; None (no previews) when unset or empty."""
    value = os.environ.get(KEY_VARIABLE, "")
    return value.encode("utf-8", "surrogateescape") if value else None


def preview_token(key: bytes, release_id: str) -> str:
    return hmac.new(key, release_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
