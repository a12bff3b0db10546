"""Second-generation 406 MHz beacon decoding (C/S T.018).

Sources: "T.018" is the specification's worked example as quoted in
shared/reference/formats.md; "encoded here" messages are built bit by bit by the encoder below
from the T.018 layout, with the BCH(250,202) computed by plain bitwise long division.
"""

from __future__ import annotations

import pytest

from sarapp.alerts.beacon import BeaconError, decode

T018_EXAMPLE = "0039823D32618658622811F0000000000003FFF004030680258"
T018_BCH = "492A4FC57A49"
# BCH(250,202) generator, T.018 Appendix B (it reproduces T018_BCH from T018_EXAMPLE).
G_SGB = 0b1110001111110101110000101110111110011110010010111


def bch(data: int, nbits: int, gen: int) -> int:
    deg = gen.bit_length() - 1
    reg = data << deg
    for i in range(nbits + deg - 1, deg - 1, -1):
        if (reg >> i) & 1:
            reg ^= gen << (i - deg)
    return reg


class Sgb:
    """A 250-bit second-generation message being encoded; bits numbered 1–250."""

    def __init__(self) -> None:
        self.value = 0  # bits 1–202, bit k at position 202 - k

    def put(self, first: int, last: int, value: int) -> Sgb:
        width = last - first + 1
        assert 0 <= value < (1 << width)
        shift = 202 - last
        self.value = (self.value & ~(((1 << width) - 1) << shift)) | (value << shift)
        return self

    def hex(self, *, with_bch: bool = True) -> str:
        if not with_bch:
            return f"{self.value:051X}"
        return f"{(self.value << 48) | bch(self.value, 202, G_SGB):063X}"


def test_t018_worked_example_without_bch() -> None:
    # T.018 example: country 201, TAC 230, serial 573, 48.79315 N 69.00876 E,
    # 23 Hex ID 9934039823D000000000000.
    d = decode(T018_EXAMPLE)
    assert (d.country_code, d.ta_number, d.serial) == (201, 230, 573)
    assert d.lat == pytest.approx(48.79315, abs=1e-5)
    assert d.lon == pytest.approx(69.00876, abs=1e-5)
    assert d.hex_id_23 == "9934039823D000000000000" and d.hex_id == "9934039823D0000"
    assert d.generation == 2 and d.bch1_ok is None and d.beacon_type == "ELT"


def test_t018_worked_example_with_bch() -> None:
    # T.018 example with its BCH 492A4FC57A49 appended (63 hex).
    d = decode(T018_EXAMPLE + T018_BCH)
    assert d.bch1_ok is True and d.hex_id_23 == "9934039823D000000000000"
    with pytest.raises(BeaconError, match=r"BCH \(bits 203-250\) failed"):
        decode(T018_EXAMPLE + "492A4FC57A48")
    assert decode(T018_EXAMPLE + "492A4FC57A48", check_bch=False).bch1_ok is False


def test_t018_23_hex_id_and_its_15_hex_id() -> None:
    d = decode("9934039823D000000000000")
    assert (d.country_code, d.ta_number, d.serial, d.test) == (201, 230, 573, False)
    assert d.hex_id == "9934039823D0000" and d.message_length == "id"
    d15 = decode("9934039823D0000")
    assert (d15.generation, d15.country_code, d15.ta_number, d15.serial) == (2, 201, 230, 573)


def test_encoded_epirb_mmsi_south_west_test_flag() -> None:
    msg = Sgb().put(1, 16, 9876).put(17, 30, 12000).put(31, 40, 232).put(43, 43, 1)
    msg.put(44, 66, (1 << 22) | (35 << 15) | (1 << 14))  # S 35.5
    msg.put(67, 90, (1 << 23) | (120 << 15) | (3 << 12))  # W 120.375
    msg.put(91, 93, 0b001).put(94, 123, 232123456).put(124, 137, 10922)
    msg.put(138, 140, 0b001).put(141, 154, (1 << 14) - 1)
    d = decode(msg.hex())
    assert d.bch1_ok and d.test and d.beacon_type == "EPIRB"
    assert (d.mmsi, d.country_code, d.ta_number, d.serial) == ("232123456", 232, 9876, 12000)
    assert (d.lat, d.lon) == (-35.5, -120.375)
    assert decode(d.hex_id_23).mmsi == "232123456"


@pytest.mark.parametrize(
    ("kind", "bits", "field", "expected"),
    [
        # call sign "VHZ2" + 3 spaces: bits 94-95 spare, 96-137 seven Baudot characters
        (0b010, 0b101111_100101_110001_011001_100100_100100_100100, "call_sign", "VHZ2"),
        (0b011, 0b100100_101111_100101_011000_111000_110011_101110, "registration", "VH-ABC"),
        (0b100, 0x7C4A1F << 20, "aircraft_address", "7C4A1F"),
        (0b101, (0b11000_10011_00011 << 29) | (77 << 17), "operator", "ABO"),
    ],
)
def test_encoded_vessel_ids(kind: int, bits: int, field: str, expected: str) -> None:
    msg = Sgb().put(31, 40, 503).put(44, 90, 0b0_1111111_000001111100000_0_11111111_111110000011111)
    msg.put(91, 93, kind).put(94, 137, bits).put(138, 140, 0b000)
    d = decode(msg.hex())
    assert getattr(d, field) == expected
    assert d.lat is None and d.position_status == "default"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4" + T018_EXAMPLE[1:], r"bits 1-2 of a second-generation hex message are padding"),
        ("1934039823D000000000000", r"23 Hex ID: bit 1 must be 1"),
        ("9924039823D000000000000", r"23 Hex ID: bits 12-14 must be 101"),
    ],
)
def test_sgb_refusals(text: str, expected: str) -> None:
    with pytest.raises(BeaconError, match=expected):
        decode(text)
