"""User text made safe inside a LIKE pattern (``ESCAPE '\\'``), on either backend."""

from __future__ import annotations


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_prefix(text: str) -> str:
    return escape_like(text) + "%"


__all__ = ["escape_like", "like_prefix"]
