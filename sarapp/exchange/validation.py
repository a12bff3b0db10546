"""A small strict JSON Schema checker for the handover package schema.

It understands exactly the keywords ``resources/schemas/handover-package-v*.schema.json`` use
(a subset of JSON Schema 2020-12) and refuses a schema with any other keyword, so the schema
file and this checker cannot drift apart silently. Written here rather than depending on the
``jsonschema`` package: the subset is about a hundred lines, and the messages can name the
JSON path of the wrong value the way a coordinator reads them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from sarapp.exchange.errors import PackageError

# ``x-personal-data`` marks a member that holds personal data (format version 6 on): an
# annotation for the reader and for ``sarapp.exchange.redaction``, checked by no rule here.
_ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "$defs", "examples",
                "x-personal-data"}  # fmt: skip
_CHECKS = {
    "type",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "maxItems",
    "$ref",
}
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
MAX_PROBLEMS = 20  # report at most this many problems, so a garbage file gives a short message


@dataclass(frozen=True)
class Validation:
    """Schema problems (``errors``) and members the schema does not know (``unknown``)."""

    errors: tuple[str, ...]
    unknown: tuple[str, ...]


def check_schema_keywords(schema: Any, where: str = "#") -> None:
    """Refuse a schema that uses a keyword this checker does not implement."""
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        if key not in _ANNOTATIONS and key not in _CHECKS:
            raise ValueError(f"schema {where}: keyword {key!r} is not supported by the checker")
        if key in ("properties", "$defs"):
            for name, sub in value.items():
                check_schema_keywords(sub, f"{where}/{key}/{name}")
        elif key in ("items", "additionalProperties"):
            check_schema_keywords(value, f"{where}/{key}")


def validate(document: Any, schema: dict[str, Any]) -> Validation:
    """Check ``document`` against ``schema``; members not in ``properties`` go to ``unknown``
    when ``additionalProperties`` is false (strict readers refuse them, lenient ones drop them).
    """
    errors: list[str] = []
    unknown: list[str] = []
    _check(document, schema, schema, "$", errors, unknown)
    return Validation(tuple(errors[:MAX_PROBLEMS]), tuple(unknown))


def drop_unknown(document: Any, paths: tuple[str, ...]) -> None:
    """Remove the unknown members found by ``validate`` (lenient reading)."""
    for path in paths:
        parent, name = _resolve_parent(document, path)
        if isinstance(parent, dict):
            parent.pop(name, None)


def _resolve_parent(document: Any, path: str) -> tuple[Any, str]:
    steps = re.findall(r"\.([^.\[]+)|\[(\d+)\]", path[1:])
    node = document
    for key, index in steps[:-1]:
        node = node[int(index)] if index else node[key]
    return node, steps[-1][0]


def _check(
    value: Any, schema: dict, root: dict, path: str, errors: list[str], unknown: list[str]
) -> None:
    if len(errors) >= MAX_PROBLEMS:
        return
    if "$ref" in schema:
        schema = _resolve(root, schema["$ref"])
    expected = schema.get("type")
    if expected is not None:
        names = expected if isinstance(expected, list) else [expected]
        if not any(_TYPES[name](value) for name in names):
            errors.append(f"{path}: expected {' or '.join(names)}, found {_kind(value)}")
            return
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: must be {schema['const']!r}, not {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(map(repr, schema["enum"]))
        errors.append(f"{path}: {_short(value)} is not one of {allowed}")
    if isinstance(value, str):
        _check_string(value, schema, path, errors)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: {value} is below the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: {value} is above the maximum {schema['maximum']}")
    elif isinstance(value, dict):
        _check_object(value, schema, root, path, errors, unknown)
    elif isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{path}: {len(value)} items, at most {schema['maxItems']} allowed")
            return
        if "items" in schema:
            for index, item in enumerate(value):
                _check(item, schema["items"], root, f"{path}[{index}]", errors, unknown)


def _check_string(value: str, schema: dict, path: str, errors: list[str]) -> None:
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        errors.append(f"{path}: {len(value)} characters, at most {schema['maxLength']} allowed")
    if "minLength" in schema and len(value) < schema["minLength"]:
        errors.append(f"{path}: at least {schema['minLength']} characters needed")
    if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
        errors.append(f"{path}: {_short(value)} is not in the expected form")


def _check_object(
    value: dict, schema: dict, root: dict, path: str, errors: list[str], unknown: list[str]
) -> None:
    for name in schema.get("required", ()):
        if name not in value:
            errors.append(f"{path}: required member {name!r} is missing")
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for name, member in value.items():
        where = f"{path}.{name}"
        if name in properties:
            _check(member, properties[name], root, where, errors, unknown)
        elif extra is False:
            unknown.append(where)
        elif isinstance(extra, dict):
            _check(member, extra, root, where, errors, unknown)


@functools.lru_cache(maxsize=64)
def _pattern(pattern: str) -> re.Pattern[str]:
    """A schema pattern; a final ``$`` means the very end (Python's ``$`` allows a newline)."""
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)


def _resolve(root: dict, ref: str) -> dict:
    if not ref.startswith("#/$defs/"):
        raise ValueError(f"schema reference {ref!r} is not supported (only #/$defs/…)")
    return root["$defs"][ref.removeprefix("#/$defs/")]


def _kind(value: Any) -> str:
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _TYPES[name](value):
            return name
    return type(value).__name__


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def raise_if_invalid(result: Validation, *, strict: bool) -> None:
    """PackageError listing the schema problems (and unknown members when ``strict``)."""
    problems = list(result.errors)
    if strict:
        problems += [
            f"{path}: unknown member (refused in strict mode)"
            for path in result.unknown[:MAX_PROBLEMS]
        ]
    if problems:
        more = f" (and more; first {MAX_PROBLEMS} shown)" if len(problems) >= MAX_PROBLEMS else ""
        raise PackageError("package does not match its schema: " + "; ".join(problems) + more)
