"""RFC 8785 canonical JSON, checked against the RFC's own examples (section 3.2, appendix B)."""

from __future__ import annotations

import json
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sarapp.exchange.canonical import (
    CanonicalError,
    canonical_bytes,
    format_number,
    read_int,
)

# RFC 8785 appendix B: IEEE 754 bit patterns and their ECMAScript serialisation.
APPENDIX_B = {
    "0000000000000000": "0",
    "8000000000000000": "0",
    "0000000000000001": "5e-324",
    "8000000000000001": "-5e-324",
    "7fefffffffffffff": "1.7976931348623157e+308",
    "ffefffffffffffff": "-1.7976931348623157e+308",
    "4340000000000000": "9007199254740992",
    "c340000000000000": "-9007199254740992",
    "4430000000000000": "295147905179352830000",
    "44b52d02c7e14af5": "9.999999999999997e+22",
    "44b52d02c7e14af6": "1e+23",
    "44b52d02c7e14af7": "1.0000000000000001e+23",
    "444b1ae4d6e2ef4e": "999999999999999700000",
    "444b1ae4d6e2ef4f": "999999999999999900000",
    "444b1ae4d6e2ef50": "1e+21",
    "3eb0c6f7a0b5ed8c": "9.999999999999997e-7",
    "3eb0c6f7a0b5ed8d": "0.000001",
    "41b3de4355555553": "333333333.3333332",
    "41b3de4355555554": "333333333.33333325",
    "41b3de4355555555": "333333333.3333333",
    "41b3de4355555556": "333333333.3333334",
    "41b3de4355555557": "333333333.33333343",
    "becbf647612f3696": "-0.0000033333333333333333",
    "43143ff3c1cb0959": "1424953923781206.2",
}


@pytest.mark.parametrize(("bits", "expected"), APPENDIX_B.items())
def test_appendix_b_numbers(bits: str, expected: str) -> None:
    (value,) = struct.unpack(">d", bytes.fromhex(bits))
    assert format_number(value) == expected


@pytest.mark.parametrize("bits", ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"])
def test_nan_and_infinities_are_refused(bits: str) -> None:
    (value,) = struct.unpack(">d", bytes.fromhex(bits))
    with pytest.raises(CanonicalError):
        format_number(value)


def test_section_3_2_2_example() -> None:
    source = (
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        r' "string": "\u20ac$\u000F\u000aA' + "'" + r'\u0042\u0022\u005c\\\"\/",'
        ' "literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonical_bytes(json.loads(source)) == expected.encode("utf-8")


def test_section_3_2_3_sorting_by_utf16_code_units() -> None:
    source = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    values = list(json.loads(canonical_bytes(source)).values())
    assert values == [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",  # a surrogate pair sorts before U+FB33 in UTF-16
        "Hebrew Letter Dalet With Dagesh",
    ]


def test_inexact_integers_and_lone_surrogates_are_refused() -> None:
    assert canonical_bytes({"n": 2**53}) == b'{"n":9007199254740992}'
    assert [format_number(n) for n in (0, -7, 10**15)] == ["0", "-7", "1000000000000000"]
    assert canonical_bytes([1e16, 2.0**60]) == b"[10000000000000000,1152921504606847000]"
    assert json.loads(b"[10000000000000001]", parse_int=read_int) == [1e16]
    with pytest.raises(CanonicalError, match=r"\$\.n"):
        canonical_bytes({"n": 2**53 + 1})
    with pytest.raises(CanonicalError, match="surrogate"):
        canonical_bytes(["\ud800"])


def test_control_characters_use_short_or_lowercase_escapes() -> None:
    assert canonical_bytes("\b\t\n\f\r\x01\x1f\x7f") == b'"\\b\\t\\n\\f\\r\\u0001\\u001f\x7f"'


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(exclude_categories=("Cs",))),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_canonical_form_reads_back_and_is_a_fixed_point(value: object) -> None:
    once = canonical_bytes(value)
    # Numbers read back as doubles, as RFC 8785 (I-JSON) defines them.
    assert json.loads(once, parse_int=float) == json.loads(json.dumps(value))
    assert canonical_bytes(json.loads(once, parse_int=read_int)) == once


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_double_reads_back_exactly(value: float) -> None:
    assert float(format_number(value)) == value
