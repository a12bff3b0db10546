"""The maps family's exceptions: each message names the file, tile or field that is wrong."""

from __future__ import annotations

from sarapp.errors import SarappError


class MapsError(SarappError):
    """A base-map file, tile source or export cannot be read, fetched or written."""
