"""Text limits, declared once: the handover format's JSON Schema is the declaration.

What another RCC's desk would refuse in a package (a nature of distress over 2,000
characters, a log entry over 100,000…) is refused here when it is typed, by reading the limit
from the newest ``resources/schemas/handover-package-v*.schema.json`` rather than repeating
the figure. Case fields (``sarapp.casefields``), log entries, authors, position sources,
units, drift runs and search plans (``sarapp.store``) all check through ``check_length``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from sarapp.resources import resource_path
from sarapp.safetext import check_name

_SCHEMA_NAME = re.compile(r"handover-package-v(\d+)\.schema\.json")


def schema_version() -> int:
    """The newest handover format version whose schema is shipped (the one this desk writes)."""
    names = (_SCHEMA_NAME.fullmatch(p.name) for p in resource_path("schemas").iterdir())
    return max(int(m.group(1)) for m in names if m)


@cache
def schema() -> dict[str, Any]:
    """The schema of ``schema_version()``."""
    path = resource_path(f"schemas/handover-package-v{schema_version()}.schema.json")
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def max_length(definition: str, member: str) -> int:
    """``maxLength`` of ``member`` in ``$defs/<definition>``, or of ``body/<member>`` when
    ``definition`` is ``"body"`` (KeyError if the schema sets none: a programming error)."""
    if definition == "body":
        spec = schema()["properties"]["body"]["properties"][member]
    else:
        spec = schema()["$defs"][definition]["properties"][member]
    return int(spec["maxLength"])


class TextTooLong(ValueError):
    """A text longer than the handover format allows; the message says by how much."""


def check_length(text: str, definition: str, member: str) -> str:
    """``text`` if it fits the schema's ``maxLength`` for ``definition.member``."""
    limit = max_length(definition, member)
    if len(text) > limit:
        raise TextTooLong(
            f"at most {limit:,} characters ({len(text):,} given): the handover format "
            "refuses more, so another RCC could not receive it"
        )
    return text


def check_text(text: str, definition: str, member: str, *, name: bool = True) -> str:
    """``text`` if it fits ``definition.member``'s limit and, for a ``name``, holds no hidden
    character (``sarapp.safetext.check_name``); ValueError saying which rule it breaks."""
    if name:
        check_name(text)
    return check_length(text, definition, member)


__all__ = ["TextTooLong", "check_length", "check_text", "max_length", "schema", "schema_version"]
