"""Bit tools of the beacon decoder: table-driven BCH against plain long division, Baudot."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sarapp.alerts.beacon_bits import baudot, baudot_tables, bch_codes


def long_division(data: int, nbits: int, gen: int) -> int:
    deg = gen.bit_length() - 1
    reg = data << deg
    for i in range(nbits + deg - 1, deg - 1, -1):
        if (reg >> i) & 1:
            reg ^= gen << (i - deg)
    return reg


@given(st.sampled_from(["bch1", "bch2", "sgb"]), st.integers(min_value=0))
def test_table_driven_bch_equals_long_division(name: str, raw: int) -> None:
    code = bch_codes()[name]
    data = raw % (1 << code.data_bits)
    assert code.remainder(data) == long_division(data, code.data_bits, code.generator)


def test_bch_generators_have_the_specified_degrees() -> None:
    # T.001 Annex B: BCH-1 (82,61) and BCH-2 (38,26); T.018: BCH(250,202).
    degrees = {name: c.generator.bit_length() - 1 for name, c in bch_codes().items()}
    assert degrees == {"bch1": 21, "bch2": 12, "sgb": 48}


def test_baudot_letters_figures_and_five_bit_letters() -> None:
    # T.001 Table A3 values quoted in formats.md: A 111000, Z 110001, 5 000001, / 010111.
    assert baudot(0b111000_110001_000001_010111, 4) == "AZ5/"
    assert baudot(0b11000_10001, 2, width=5) == "AZ"
    six, five = baudot_tables()
    assert len([c for c in six if c != "?"]) == 39  # 26 letters, 10 digits, space, - and /
    assert len([c for c in five if c != "?"]) == 27  # letters and space (leading-1 codes)
    assert baudot(0b111111, 1) == "?"  # undefined code shows as ?, never crashes
