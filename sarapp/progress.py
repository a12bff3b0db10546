"""Long jobs are generators that yield progress (0–1) and return their result; these two
helpers drive one to its end (CLI, scripts) or fold one into a larger job's progress."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, TypeVar

T = TypeVar("T")


def run_to_end(job: Generator[Any, None, T]) -> T:
    """Drive ``job`` without showing progress; return what it returns."""
    while True:
        try:
            next(job)
        except StopIteration as stop:
            return stop.value


def scaled(
    job: Generator[float, None, T], share: float, *, start: float = 0.0
) -> Generator[float, None, T]:
    """``job``'s progress as the ``share`` of a larger job's that begins at ``start``; returns
    its result."""
    while True:
        try:
            fraction = next(job)
        except StopIteration as stop:
            return stop.value
        yield start + share * fraction
