"""What every case operation checks first: the author, a position report (``desk.cases``)."""

from __future__ import annotations

import math

from sarapp.limits import check_text
from sarapp.model import Position
from sarapp.store.errors import CaseError
from sarapp.times import check_report_time


def author_name(author: str) -> str:
    author = (author or "").strip()
    if not author:
        raise CaseError("every change needs an author: set the operator name")
    try:
        return check_text(author, "entry", "author")
    except ValueError as exc:
        raise CaseError(f"operator name: {exc}") from None


def check_position(position: Position) -> None:
    if not (-90.0 <= position.lat <= 90.0) or not (-180.0 <= position.lon <= 180.0):
        raise CaseError(f"position {position.lat}, {position.lon} is off the globe")
    if position.time is not None and position.time.tzinfo is None:
        raise CaseError("a position time must be in UTC")
    if position.time is not None:
        check_report_time(position.time, what="position time")
    if position.accuracy_m is not None and not (
        math.isfinite(position.accuracy_m) and position.accuracy_m >= 0
    ):
        raise CaseError(f"position accuracy {position.accuracy_m!r} m: needs a radius ≥ 0 m")
    if not position.source.strip():
        raise CaseError("a position needs a source (reported, doppler-A, ais…)")
    try:
        check_text(position.source, "position", "source")
    except ValueError as exc:
        raise CaseError(f"position source: {exc}") from None


__all__ = ["author_name", "check_position"]
