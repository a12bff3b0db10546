"""Every decoded beacon identity checked for half-answers against the specification (issue 15).

The MMSI was reported as six digits where a coordinator needs nine (see test_beacon.py, "the
MMSI a coordinator can call"). The other identities were checked the same way, field by field,
against C/S T.001 Annex A and C/S T.018 as summarised in shared/reference/formats.md. What was
checked, and what was found:

- aircraft operator designators: three letters in 5-bit Baudot (standard location 0101 bits
  41-55, ELT(DT) bits 43-57 or PDF-2 bits 115-129) or 6-bit Baudot (serial user 001 bits
  44-61), always with the serial number that completes the identity (bits 56-64, 58-66,
  62-73). Found: the ELT(DT) designator in PDF-2 was used even when PDF-2 failed BCH-2
  (fixed with the damaged-message work; test_beacon.py); nothing else.
- call signs: maritime user six Baudot characters (bits 40-75; six digits are an MMSI
  instead), radio call sign user four Baudot characters and three BCD digits (bits 40-75,
  1010 = space). Found: nothing; a BCD nibble above 9 shows as "?" rather than a digit.
- serial numbers and their C/S type approval number (TAC): serial user (serial bits 44-63,
  TAC bits 74-83 only when bit 43 says so), standard location serial (TAC 41-50, serial
  51-64), RLS (TAC series 1000/2000/3000 from bits 41-42 plus bits 43-52, serial 53-66),
  ELT(DT) (TAC 43-52, serial 53-66), second generation (TAC bits 1-16, serial 17-30). Found:
  nothing; every serial comes with its TAC where the protocol carries one.
- ship security (SSAS) bits 61-64 are fixed 0000, not a beacon number. Found: the decoder
  reported "beacon number 0" for every SSAS beacon; fixed (no beacon number, and a note if the
  bits are not 0000).

Messages are built here bit by bit (T.001 numbering) with BCH-1 by plain long division.
"""

from __future__ import annotations

import pytest

from sarapp.alerts.beacon import decode

G1 = 0b1001101101100111100011  # BCH-1 generator, T.001 Annex B
BAUDOT6 = {"A": 0b111000, "F": 0b110110, "L": 0b101001, "R": 0b101010, "Z": 0b110001}
BAUDOT6 |= {
    "M": 0b100111,
    "K": 0b111110,
    "D": 0b110010,
    "B": 0b110011,
    "C": 0b101110,
    " ": 0b100100,
}


def bch1(data: int) -> int:
    reg = data << 21
    for i in range(61 + 21 - 1, 20, -1):
        if (reg >> i) & 1:
            reg ^= G1 << (i - 21)
    return reg


def message(fields: dict[tuple[int, int], int], *, long: bool) -> str:
    """Hex of bits 25-112 (short) or 25-144 (long, PDF-2 left at the default-free zeros)."""
    bits = [0] * 145
    fields = {(25, 25): int(long), **fields}
    for (first, last), value in fields.items():
        for i in range(last, first - 1, -1):
            bits[i], value = value & 1, value >> 1
        assert value == 0
    pdf1 = int("".join(map(str, bits[25:86])), 2)
    for i, bit in enumerate(f"{bch1(pdf1):021b}"):
        bits[86 + i] = int(bit)
    last = 144 if long else 112  # a PDF-2 of zeros has a BCH-2 of zeros
    return f"{int(''.join(map(str, bits[25 : last + 1])), 2):0{(last - 24) // 4}X}"


def letters(text: str, width: int) -> int:
    value = 0
    for char in text:
        value = (value << width) | (BAUDOT6[char] & ((1 << width) - 1))
    return value


def user(code: int, country: int = 503) -> dict[tuple[int, int], int]:
    return {(26, 26): 1, (27, 36): country, (37, 39): code}


def location(code: int, country: int = 503) -> dict[tuple[int, int], int]:
    return {(26, 26): 0, (27, 36): country, (37, 40): code}


# --- aircraft operator designators ----------------------------------------------------------


def test_standard_location_operator_designator_with_its_serial() -> None:
    d = decode(message({**location(0b0101), (41, 55): letters("AFR", 5), (56, 64): 511}, long=True))
    assert (d.operator, d.serial) == ("AFR", 511)


def test_serial_user_operator_designator_six_bit_with_its_serial() -> None:
    fields = {**user(0b011), (40, 42): 0b001, (44, 61): letters("ZAL", 6), (62, 73): 4095}
    d = decode(message(fields, long=False))
    assert (d.operator, d.serial, d.ta_number) == ("ZAL", 4095, None)


def test_elt_dt_operator_designator_with_its_serial() -> None:
    fields = {**location(0b1001), (41, 42): 0b01, (43, 57): letters("KLM", 5), (58, 66): 300}
    d = decode(message(fields, long=True))
    assert (d.operator, d.serial) == ("KLM", 300)


# --- call signs -----------------------------------------------------------------------------


def test_radio_call_sign_of_four_characters_and_bcd_spaces() -> None:
    fields = {**user(0b110), (40, 63): letters("KDBC", 6), (64, 75): 0xAAA}
    d = decode(message(fields, long=False))
    assert d.call_sign == "KDBC" and d.mmsi is None


def test_a_bcd_nibble_above_nine_is_shown_not_guessed() -> None:
    fields = {**user(0b110), (40, 63): letters("KDBC", 6), (64, 75): 0x1F2}
    assert decode(message(fields, long=False)).call_sign == "KDBC1?2"


# --- serial numbers and type approval numbers ----------------------------------------------


def test_serial_user_tac_only_when_bit_43_says_so() -> None:
    base = {**user(0b011), (40, 42): 0b110, (44, 63): 1_048_575, (74, 83): 1023}
    with_tac = decode(message({**base, (43, 43): 1}, long=False))
    assert (with_tac.serial, with_tac.ta_number) == (1_048_575, 1023)
    without = decode(message(base, long=False))
    assert (without.serial, without.ta_number) == (1_048_575, None)


@pytest.mark.parametrize("code", [0b0100, 0b0110, 0b0111])
def test_standard_location_serial_with_its_tac(code: int) -> None:
    d = decode(message({**location(code), (41, 50): 1023, (51, 64): 16383}, long=True))
    assert (d.ta_number, d.serial) == (1023, 16383)


@pytest.mark.parametrize(("kind", "series"), [(0b00, 2000), (0b01, 1000), (0b10, 3000)])
def test_rls_full_tac_is_the_series_plus_the_ten_bits(kind: int, series: int) -> None:
    fields = {**location(0b1101), (41, 42): kind, (43, 52): 367, (53, 66): 12345}
    d = decode(message(fields, long=True))
    assert (d.ta_number, d.serial) == (series + 367, 12345)


def test_elt_dt_tac_with_its_serial() -> None:
    fields = {**location(0b1001), (41, 42): 0b10, (43, 52): 123, (53, 66): 4567}
    d = decode(message(fields, long=True))
    assert (d.ta_number, d.serial) == (123, 4567)


# --- ship security --------------------------------------------------------------------------


def test_ssas_has_no_beacon_number() -> None:
    d = decode(message({**location(0b1100, 235), (41, 60): 123456}, long=True))
    assert d.beacon_type == "SSAS" and d.mmsi == "235123456" and d.beacon_number is None
    assert not d.notes
    odd = decode(message({**location(0b1100, 235), (41, 60): 123456, (61, 64): 5}, long=True))
    assert odd.beacon_number is None
    assert any("61-64" in note for note in odd.notes)
