"""The exception of the planning family."""

from __future__ import annotations

from sarapp.errors import SarappError


class PlanningError(SarappError):
    """A planning input a coordinator can correct (names the field and the allowed range)."""
