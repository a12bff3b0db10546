"""The drift family's exceptions: each message names the field, time or place that is wrong."""

from __future__ import annotations

from sarapp.errors import SarappError


class DriftError(SarappError):
    """A drift run cannot be set up or continued (bad category, parameters, forcing)."""


class ForcingError(DriftError):
    """Wind or current is missing or malformed for some time and place of the run."""
