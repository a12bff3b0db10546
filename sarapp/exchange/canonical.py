"""RFC 8785 JSON Canonicalization Scheme (JCS): the exact bytes a handover package is signed over.

Two RCCs must compute the same bytes from the same JSON whatever program wrote it, so the
rules are the RFC's own: objects' members sorted by the UTF-16 code units of their names, no
white space, strings escaped only where JSON requires (``"``, ``\\``, control characters, with
the short forms ``\\b \\t \\n \\f \\r`` and lower-case ``\\u00xx``), numbers as ECMAScript's
``Number.prototype.toString`` writes an IEEE 754 double, UTF-8 output. Values outside the
I-JSON subset (NaN, infinities, integers beyond 2**53, lone surrogates) are refused.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

from sarapp.errors import SarappError

MAX_SAFE_INTEGER = 2**53  # I-JSON: integers beyond this are not exact in a double
_SURROGATE = re.compile("[\ud800-\udfff]")
_encode_string = json.JSONEncoder(ensure_ascii=False).encode


class CanonicalError(SarappError, ValueError):
    """A value that has no canonical JSON form (the message names where it sits)."""


def canonical_bytes(value: Any) -> bytes:
    """The RFC 8785 serialisation of a JSON value (dict, list, str, int, float, bool, None)."""
    parts: list[str] = []
    _write(value, parts, "$")
    return "".join(parts).encode("utf-8")


def format_number(value: float | int) -> str:
    """A number as ECMAScript writes a double: ``1e+21``, ``0.000001``, ``1e-7``, ``-0`` → ``0``."""
    if isinstance(value, bool):
        raise CanonicalError("a boolean is not a number")
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalError(f"integer {value} is beyond 2**53, not exact in I-JSON")
        return str(value)  # what ECMAScript prints for an integral double below 1e21
    if not math.isfinite(value):
        raise CanonicalError(f"{value!r} has no JSON form")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr() gives the shortest digits that read back as the same double, as ECMAScript does.
    _, digit_tuple, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    k = len(digits)
    n = int(exponent) + k  # value = 0.digits × 10**n
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"


def read_int(text: str) -> int | float:
    """``json.loads(..., parse_int=read_int)``: a JSON integer beyond 2**53 is read as the double
    it stands for (RFC 8785 numbers are doubles), so canonical output reads back unchanged."""
    value = int(text)
    return value if abs(value) <= MAX_SAFE_INTEGER else float(value)


def format_string(text: str, where: str = "$") -> str:
    """A JSON string with only the escapes RFC 8785 allows.

    Python's encoder (``ensure_ascii=False``) escapes exactly those: ``"`` and ``\\``, the
    short forms ``\\b \\t \\n \\f \\r``, other control characters as lower-case ``\\u00xx``,
    and nothing else; the test suite pins this against the RFC's examples.
    """
    surrogate = _SURROGATE.search(text)
    if surrogate:
        code = ord(surrogate.group())
        raise CanonicalError(f"{where}: lone surrogate U+{code:04X} is not valid Unicode")
    return _encode_string(text)


def _utf16_key(name: str) -> bytes:
    return name.encode("utf-16-be", errors="surrogatepass")


def _write(value: Any, parts: list[str], where: str) -> None:
    if value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, str):
        parts.append(format_string(value, where))
    elif isinstance(value, int | float):
        try:
            parts.append(format_number(value))
        except CanonicalError as exc:
            raise CanonicalError(f"{where}: {exc}") from None
    elif isinstance(value, dict):
        parts.append("{")
        names = list(value)
        if all(isinstance(n, str) and n.isascii() for n in names):
            names.sort()  # ASCII: code point order is UTF-16 code unit order
        else:
            names.sort(key=_key_of(where))
        for index, name in enumerate(names):
            parts.append("," if index else "")
            parts.append(format_string(name, where) + ":")
            _write(value[name], parts, f"{where}.{name}")
        parts.append("}")
    elif isinstance(value, list | tuple):
        parts.append("[")
        for index, item in enumerate(value):
            parts.append("," if index else "")
            _write(item, parts, f"{where}[{index}]")
        parts.append("]")
    else:
        raise CanonicalError(f"{where}: {type(value).__name__} is not a JSON value")


def _key_of(where: str):
    def key(name: object) -> bytes:
        if not isinstance(name, str):
            raise CanonicalError(f"{where}: member name {name!r} is not a string")
        return _utf16_key(name)

    return key
