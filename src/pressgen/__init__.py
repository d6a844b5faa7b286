"""pressgen: embargo-aware press releases from structured data."""

__version__ = "0.1.0"
