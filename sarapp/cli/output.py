"""How command groups print: JSON for machines, plain lines for people."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import datetime
from enum import Enum
from typing import Any, TextIO

from sarapp.safetext import json_escaped, visible


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums and datetimes (ISO 8601) as plain JSON values."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value


def print_json(value: Any) -> None:
    """Indented JSON, UTF-8 as is but for hidden characters, written as ``\\uXXXX``."""
    text = json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)
    sys.stdout.write(json_escaped(text) + "\n")


class TerminalSafe(io.TextIOBase):
    """A text stream that writes through ``visible``: no terminal control sequence and no
    invisible character in what the desk holds reaches the person's terminal as such.

    The CLI wraps stdout and stderr in it for the length of a command, so every line it
    prints (and every error naming a value) is covered, not only the commands that think of it.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(visible(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")


@contextmanager
def terminal_safe_output() -> Iterator[None]:
    """Wrap ``sys.stdout`` and ``sys.stderr`` in ``TerminalSafe`` until the block ends."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(saved[0]), TerminalSafe(saved[1])  # type: ignore
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def one_line(text: str) -> str:
    """A name shown on one line: its own newlines and tabs shown as ``<U+000A>`` marks."""
    return visible(text, multiline=False)
