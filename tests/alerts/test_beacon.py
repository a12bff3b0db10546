"""First-generation 406 MHz beacon decoding (C/S T.001).

Vectors come from three kinds of sources, named on each test:
- "T.001": the specification's own worked examples as quoted in shared/reference/formats.md;
- "coding guide": the Cospas-Sarsat beacon coding guide pages (cospas-sarsat.org
  BeaconsCodingGuideExample/sdlnmms.htm and BeaconsCodingGuideProtocols/
  standard_location_ident_mmsi.htm, the example also quoted by Wikipedia's EPIRB article);
- "encoded here": messages built bit by bit by the small encoder below, written for these tests
  from the T.001 layouts, with BCH-1/BCH-2 computed by plain bitwise long division (not the
  decoder's table-driven code); the decoder must give back the fields put in.
"""

from __future__ import annotations

import math

import pytest

from sarapp.alerts.beacon import BeaconError, decode
from sarapp.alerts.beacon_bits import rls_moffset

G1 = 0b1001101101100111100011  # BCH-1 generator, T.001 Annex B
G2 = 0b1010100111001  # BCH-2 generator, T.001 Annex B
# Modified Baudot, T.001 Table A3 (only the characters these tests use).
BAUDOT = {
    "A": 0b111000, "B": 0b110011, "C": 0b101110, "D": 0b110010, "H": 0b100101,
    "K": 0b111110, "L": 0b101001, "V": 0b101111, "W": 0b111001, "Z": 0b110001, " ": 0b100100,
    "-": 0b011000, "/": 0b010111, "0": 0b001101, "1": 0b011101, "2": 0b011001,
    "3": 0b010000, "4": 0b001010, "5": 0b000001, "6": 0b010101, "7": 0b011100,
    "8": 0b001100, "9": 0b000011,
}  # fmt: skip


def bch(data: int, nbits: int, gen: int) -> int:
    """Remainder of data·x^deg modulo gen, one bit at a time."""
    deg = gen.bit_length() - 1
    reg = data << deg
    for i in range(nbits + deg - 1, deg - 1, -1):
        if (reg >> i) & 1:
            reg ^= gen << (i - deg)
    return reg


def baudot(text: str, width: int = 6) -> int:
    value = 0
    for char in text:
        value = (value << width) | (BAUDOT[char] & ((1 << width) - 1))
    return value


class Msg:
    """A first-generation message being encoded; bits numbered 1–144 as in T.001."""

    def __init__(self) -> None:
        self.bits = [0] * 145

    def put(self, first: int, last: int, value: int) -> Msg:
        for i in range(last, first - 1, -1):
            self.bits[i] = value & 1
            value >>= 1
        assert value == 0, "value too wide for its field"
        return self

    def get(self, first: int, last: int) -> int:
        return int("".join(map(str, self.bits[first : last + 1])), 2)

    def hex(self, *, long: bool = True, sync: bool = False, self_test: bool = False) -> str:
        self.put(25, 25, int(long))
        self.put(86, 106, bch(self.get(25, 85), 61, G1))
        if long:
            self.put(133, 144, bch(self.get(107, 132), 26, G2))
        self.put(1, 15, 0x7FFF).put(16, 24, 0b011010000 if self_test else 0b000101111)
        first, last = (1 if sync else 25), (144 if long else 112)
        return f"{self.get(first, last):0{(last - first + 1) // 4}X}"


def head(country: int, *, user: bool, code: int) -> Msg:
    msg = Msg().put(26, 26, int(user)).put(27, 36, country)
    return msg.put(37, 39, code) if user else msg.put(37, 40, code)


# --- specification and coding-guide vectors ------------------------------------------------


def test_t001_bch1_worked_example() -> None:
    # T.001 Annex B sample: bits 25-85 of 56E6804002202009655250 give BCH-1 001011001010101001001.
    d = decode("56E6804002202009655250")
    assert d.bch1_ok is True and d.bch2_ok is None
    assert d.message_length == "short"
    assert (d.country_code, d.country) == (366, "United States of America")
    assert d.protocol == "serial_epirb_float_free" and d.beacon_type == "EPIRB"
    assert d.hex_id == "ADCD00800440401"


def test_t001_user_location_bch2_worked_example() -> None:
    # T.001 Annex B sample: PDF-2 10010101110000000000010111 (43°32'N 001°28'E, internal GNSS)
    # has BCH-2 000101010001; the PDF-1 around it is encoded here (maritime user, MMSI digits).
    msg = head(232, user=True, code=0b010).put(40, 75, baudot("123456")).put(76, 81, BAUDOT["0"])
    msg.put(107, 132, 0b10010101110000000000010111)
    text = msg.hex(long=True)
    assert text.endswith(f"{0b10010101110000000000010111 << 12 | 0b000101010001:09X}"[-7:])
    d = decode(text)
    assert d.bch2_ok is True
    assert d.protocol == "maritime_user_location" and d.mmsi == "232123456"
    assert d.lat == pytest.approx(43 + 32 / 60, abs=1e-6)
    assert d.lon == pytest.approx(1 + 28 / 60, abs=1e-6)
    assert d.position_source == "internal" and d.position_status == "encoded"


def test_coding_guide_standard_location_mmsi_message() -> None:
    # Coding guide example 90127B92922BC022FF103504422535 (standard location, MMSI ...506153,
    # whose bits 41-60 the guide gives as 0111 1011 1001 0010 1001); hex ID 2024F72524FFBFF.
    d = decode("90127B92922BC022FF103504422535")
    assert d.hex_id == "2024F72524FFBFF"
    assert (d.country_code, d.country) == (257, "Norway")
    assert d.protocol == "standard_location_mmsi" and d.beacon_type == "EPIRB"
    assert d.mmsi == "257506153" and d.beacon_number == "2"
    assert d.bch1_ok and d.bch2_ok and d.message_length == "long"
    # coarse 43.75 N 1.00 E, offsets -1'04" and -2'08" (4-s steps), applied to the magnitudes
    assert d.lat == pytest.approx(43.75 - (1 / 60 + 4 / 3600), abs=1e-6)
    assert d.lon == pytest.approx(1.0 - (2 / 60 + 8 / 3600), abs=1e-6)
    assert d.position_status == "refined" and d.homing == "121.5 MHz"


def test_coding_guide_15_hex_id() -> None:
    # Coding guide / Wikipedia EPIRB article: 15 Hex ID 2024F72524FFBFF.
    d = decode("2024f72524ffbff")
    assert d.hex_id == "2024F72524FFBFF" and d.mmsi == "257506153"
    assert d.message_length == "id" and d.lat is None and d.position_status is None


def test_t001_rls_moffset_example() -> None:
    # T.001: RLS Moffset of 193BFCE031BFDFF is CRC-16 0xB380 mod 60 = 52.
    assert rls_moffset("193BFCE031BFDFF") == 52
    d = decode("193BFCE031BFDFF")
    assert d.protocol == "rls_location" and d.country_code == 201
    assert d.hex_id == "193BFCE031BFDFF"


@pytest.mark.parametrize(
    ("code", "tail"),
    [(0b0110, "FFBFF"), (0b1010, "F81FE0"), (0b1101, "FDFF"), (0b1001, "FDFF")],
)
def test_t001_location_id_tails(code: int, tail: str) -> None:
    # T.001 A3.3: the 15 Hex ID of a location protocol carries the default position, so it
    # ends ...FFBFF (standard), ...F81FE0 (national), ...FDFF (RLS, ELT(DT)); encoded here with
    # a real position, which must not leak into the ID.
    msg = head(227, user=False, code=code).put(41, 50, 5).put(59, 85, 0b101010101010101010101)
    d = decode(msg.hex())
    assert d.hex_id.endswith(tail)
    assert decode(d.hex_id).hex_id == d.hex_id


# --- user protocols, encoded here -----------------------------------------------------------


def test_maritime_mmsi_short_with_sync_and_distress() -> None:
    msg = head(232, user=True, code=0b010).put(40, 75, baudot("056789")).put(76, 81, BAUDOT["1"])
    msg.put(84, 85, 0b01).put(107, 112, 0b1_1_0110)  # emergency code, auto, sinking
    d = decode(msg.hex(long=False, sync=True))
    assert d.message_length == "short" and d.bch1_ok and not d.self_test
    assert (d.country, d.mmsi, d.beacon_number) == (
        "United Kingdom of Great Britain and Northern Ireland",
        "232056789",
        "1",
    )
    assert d.homing == "121.5 MHz"
    assert dict(d.details) == {
        "activation": "manual and automatic",
        "nature_of_distress": "sinking",
    }


def test_maritime_call_sign() -> None:
    msg = head(503, user=True, code=0b010).put(40, 75, baudot("VHZ2  ")).put(76, 81, BAUDOT["0"])
    d = decode(msg.hex(long=False))
    assert d.call_sign == "VHZ2" and d.mmsi is None and d.country_code == 503


def test_radio_call_sign_with_bcd_digits() -> None:
    msg = head(366, user=True, code=0b110).put(40, 63, baudot("KDBC")).put(64, 75, 0x12A)
    d = decode(msg.put(76, 81, BAUDOT["0"]).hex(long=False))
    assert d.protocol == "radio_call_sign" and d.call_sign == "KDBC12"
    assert d.beacon_type == "EPIRB"


def test_aviation_registration_right_justified() -> None:
    msg = head(503, user=True, code=0b001).put(40, 81, baudot(" VH-ABC")).put(82, 83, 2)
    d = decode(msg.hex(long=False))
    assert d.protocol == "aviation" and d.beacon_type == "ELT"
    assert d.registration == "VH-ABC" and d.beacon_number == "2"


@pytest.mark.parametrize(
    ("kind", "protocol", "beacon_type"),
    [
        (0b000, "serial_elt", "ELT"),
        (0b010, "serial_epirb_float_free", "EPIRB"),
        (0b100, "serial_epirb_non_float_free", "EPIRB"),
        (0b110, "serial_plb", "PLB"),
    ],
)
def test_serial_user_with_type_approval(kind: int, protocol: str, beacon_type: str) -> None:
    msg = head(338, user=True, code=0b011).put(40, 42, kind).put(43, 43, 1)
    msg.put(44, 63, 654321).put(74, 83, 255)
    d = decode(msg.hex(long=False))
    assert (d.protocol, d.beacon_type, d.serial, d.ta_number) == (
        protocol,
        beacon_type,
        654321,
        255,
    )


def test_serial_user_aircraft_address_and_operator() -> None:
    msg = head(503, user=True, code=0b011).put(40, 42, 0b011).put(44, 67, 0x7C4A1F)
    d = decode(msg.put(68, 73, 3).hex(long=False))
    assert d.aircraft_address == "7C4A1F" and d.beacon_number == "3" and d.ta_number is None
    msg = head(503, user=True, code=0b011).put(40, 42, 0b001).put(44, 61, baudot("ZAL"))
    d = decode(msg.put(62, 73, 77).hex(long=False))
    assert (d.operator, d.serial, d.protocol) == ("ZAL", 77, "serial_elt_operator")


def test_user_location_default_position_and_self_test() -> None:
    msg = head(366, user=True, code=0b011).put(40, 42, 0b110).put(44, 63, 42)
    msg.put(107, 132, 0b0_0_1111111_0000_0_11111111_0000)
    d = decode(msg.hex(long=True, sync=True, self_test=True))
    assert d.lat is None and d.lon is None and d.position_status == "default"
    assert d.to_dict()["position_note"] == "default position / not available"
    assert d.self_test and d.test


def test_test_orbitography_and_national_user() -> None:
    assert decode(head(227, user=True, code=0b111).hex(long=False)).test
    assert decode(head(227, user=True, code=0b000).hex(long=False)).protocol == "orbitography"
    d = decode(head(227, user=True, code=0b100).put(40, 85, 12345).hex(long=False))
    assert d.protocol == "national_user" and d.national_id == 12345


# --- location protocols, encoded here -------------------------------------------------------


def std_position(msg: Msg, south: int, lat_q: int, west: int, lon_q: int) -> Msg:
    return msg.put(65, 65, south).put(66, 74, lat_q).put(75, 75, west).put(76, 85, lon_q)


def test_standard_location_offset_adds_to_magnitude_south_west() -> None:
    # A3.3.1: 100° W with a +30' offset is 100°30' W (the offset grows the magnitude).
    msg = std_position(head(710, user=False, code=0b0011).put(41, 64, 0xABCDEF), 1, 4 * 33, 1, 400)
    msg.put(107, 112, 0b1101_1_0).put(113, 122, 0b1_00101_0011).put(123, 132, 0b1_11110_0000)
    d = decode(msg.hex())
    assert d.protocol == "standard_location_aircraft_address" and d.aircraft_address == "ABCDEF"
    assert d.lat == pytest.approx(-(33 + 5 / 60 + 12 / 3600), abs=1e-6)
    assert d.lon == pytest.approx(-100.5, abs=1e-6)
    assert d.position_source == "internal" and d.homing == "none"


def test_standard_location_all_ones_offset_is_ignored() -> None:
    msg = std_position(head(247, user=False, code=0b0111).put(41, 50, 367), 0, 4 * 41 + 2, 0, 50)
    msg.put(51, 64, 9999).put(107, 112, 0b1101_0_1).put(113, 132, (1 << 20) - 1)
    d = decode(msg.hex())
    assert (d.beacon_type, d.ta_number, d.serial) == ("PLB", 367, 9999)
    assert (d.lat, d.lon, d.position_status) == (41.5, 12.5, "coarse")


def test_standard_location_default_position() -> None:
    msg = head(247, user=False, code=0b0110).put(65, 85, 0b0_111111111_0_1111111111)
    d = decode(msg.put(107, 132, 0b1101_0_0_0_11111_1111_0_11111_1111).hex())
    assert d.lat is None and d.position_status == "default" and d.beacon_type == "EPIRB"


def test_standard_location_operator_ssas_and_test() -> None:
    d = decode(head(235, user=False, code=0b0101).put(41, 55, baudot("BAW", 5)).hex())
    assert d.operator == "BAW" and d.beacon_type == "ELT"
    d = decode(head(235, user=False, code=0b1100).put(41, 60, 123456).hex())
    assert d.beacon_type == "SSAS" and d.mmsi == "235123456"
    assert decode(head(235, user=False, code=0b1110).hex()).test


def test_national_location_with_offset() -> None:
    msg = head(227, user=False, code=0b1010).put(41, 58, 0x2ABCD)
    msg.put(59, 71, 0b0_0101011_10000).put(72, 85, 0b1_00000101_00111)  # 43°32'N 5°14'W
    msg.put(107, 112, 0b110_1_1_1).put(113, 126, 0b1_10_0101_0_01_0011)
    d = decode(msg.hex())
    assert d.protocol == "national_location_epirb" and d.national_id == 0x2ABCD
    assert d.lat == pytest.approx(43 + (32 + 2) / 60 + 20 / 3600, abs=1e-6)
    assert d.lon == pytest.approx(-(5 + (14 - 1) / 60 - 12 / 3600), abs=1e-6)
    assert d.homing == "121.5 MHz"


def test_coding_guide_national_location_coarse_example() -> None:
    # Coding guide (national_location_postion_pdf1.htm): 43°31'56"N 01°25'32"E is encoded
    # in PDF-1 as 43°32'N 01°26'E (2-minute steps); encoded here without a PDF-2 offset
    # (bit 110 = 0), so the decoder must return the coarse position.
    msg = head(227, user=False, code=0b1000).put(41, 58, 1)
    msg.put(59, 71, 0b0_0101011_10000).put(72, 85, 0b0_00000001_01101)
    d = decode(msg.put(107, 112, 0b110_0_0_0).hex())
    assert d.beacon_type == "ELT" and d.position_status == "coarse"
    assert (d.lat, d.lon) == (round(43 + 32 / 60, 6), round(1 + 26 / 60, 6))
    assert d.hex_id.endswith("F81FE0")


def test_rls_plb_full_tac_and_position() -> None:
    # T.001 RLS TAC: series 3000 for PLB plus bits 43-52 (367 -> 3367).
    msg = head(226, user=False, code=0b1101).put(41, 42, 0b10).put(43, 52, 367).put(53, 66, 4321)
    msg.put(67, 85, 0b1_01010101_0_000101011)  # 42.5 S, 21.5 E
    msg.put(107, 114, 0b1_1_000001).put(115, 132, 0b0_0111_0010_1_1111_1110)
    d = decode(msg.hex())
    assert (d.beacon_type, d.ta_number, d.serial) == ("PLB", 3367, 4321)
    assert d.lat == pytest.approx(-(42.5 - 7 / 60 - 8 / 3600), abs=1e-6)
    assert d.lon == pytest.approx(21.5 + 15 / 60 + 56 / 3600, abs=1e-6)


def test_rls_mmsi_identity() -> None:
    msg = head(257, user=False, code=0b1101).put(41, 42, 0b01).put(43, 46, 0b1111)
    d = decode(msg.put(47, 66, 506153).hex())
    assert d.beacon_type == "EPIRB" and d.mmsi == "257506153" and d.ta_number is None


def test_elt_dt_address_offset_and_operator() -> None:
    msg = head(503, user=False, code=0b1001).put(41, 42, 0b00).put(43, 66, 0x7C0001)
    msg.put(67, 85, 0b0_00010100_1_100100000)  # 10 N, 144 W
    msg.put(107, 114, 0b01_0011_01).put(115, 132, 0b1_0001_0000_0_0001_0000)
    d = decode(msg.hex())
    assert d.beacon_type == "ELT(DT)" and d.aircraft_address == "7C0001" and not d.test
    assert d.lat == pytest.approx(10 + 1 / 60) and d.lon == pytest.approx(-(144 - 1 / 60))
    # location freshness 00: bits 115-129 carry the aircraft operator designator, no offset
    msg = head(503, user=False, code=0b1001).put(41, 42, 0b00).put(43, 66, 0x7C0002)
    msg.put(67, 85, 0b0_00010100_1_100100000).put(113, 114, 0b00).put(115, 129, baudot("ZAL", 5))
    d = decode(msg.hex())
    assert (d.operator, d.lat, d.lon, d.position_status) == ("ZAL", 10.0, -144.0, "coarse")
    msg = head(503, user=False, code=0b1001).put(41, 42, 0b01).put(43, 57, baudot("BAD", 5))
    d = decode(msg.put(58, 66, 12).hex())
    assert (d.operator, d.serial) == ("BAD", 12)


def test_elt_dt_all_zero_identity_is_test() -> None:
    assert decode(head(503, user=False, code=0b1001).hex()).test


# --- refusals: every message names the character or bit at fault ---------------------------

GOOD_LONG = "90127B92922BC022FF103504422535"  # coding guide example (see above)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024F72524FFBFG", r"character 15 \('G'\)"),
        ("2024F725 4FFBFF", r"character 9 \(' '\)"),
        ("2024F72524FFBF", r"14 characters; expected one of 15, 22, 23, 28, 30, 36, 51, 63"),
        ("", r"0 characters"),
        # standard location ID whose position bits 65-85 are not the default (F->B: bit 71)
        ("2024F72524FBBFF", r"15 Hex ID: bit 71 \(hex character 12\) is wrong"),
        ("90127B92922BD022FF103504422535", r"BCH-1 \(bits 86-106\) failed"),
        ("FF7E2F" + GOOD_LONG, r"bit 9 of the bit sync \(bits 1-15\) is 0"),
        ("FFFE3F" + GOOD_LONG, r"frame sync \(bits 16-24\) is 000111111"),
    ],
)
def test_refusals_name_the_fault(text: str, expected: str) -> None:
    with pytest.raises(BeaconError, match=expected):
        decode(text)


def test_sync_bits_accepted_normal_and_self_test() -> None:
    assert not decode("FFFE2F" + GOOD_LONG).self_test
    d = decode("FFFED0" + GOOD_LONG)
    assert d.self_test and d.test and d.hex_id == "2024F72524FFBFF"


def test_bch_failure_reported_without_check() -> None:
    d = decode("90127B92922BC022FF103504422534", check_bch=False)
    assert (d.bch1_ok, d.bch2_ok, d.mmsi) == (True, False, "257506153")


def test_format_flag_must_match_length() -> None:
    msg = head(232, user=True, code=0b010).put(40, 75, baudot("123456"))
    short = msg.hex(long=False)
    long_text = msg.hex(long=True)
    with pytest.raises(BeaconError, match=r"bit 25 \(format flag\) is 1 \(long message\)"):
        decode(long_text[:22], check_bch=False)
    with pytest.raises(BeaconError, match=r"bit 25 \(format flag\) is 0 \(short message\)"):
        decode(short + "0" * 8, check_bch=False)


def test_location_protocol_needs_long_message() -> None:
    text = head(232, user=False, code=0b0010).hex(long=False)
    with pytest.raises(BeaconError, match=r"bit 26 \(protocol flag\) is 0 \(location protocol\)"):
        decode(text)


def test_error_is_a_value_error_and_sarapp_error() -> None:
    from sarapp.errors import SarappError

    with pytest.raises(ValueError):
        decode("XYZ")
    assert issubclass(BeaconError, SarappError)


# --- the MMSI a coordinator can call (issue 15) ----------------------------------------------
# A first-generation beacon carries only the last six digits of the MMSI (standard location and
# ship security bits 41-60, maritime user bits 40-75 as modified Baudot, RLS with MMSI bits
# 47-66); the country code in bits 27-36 is the MMSI's MID (T.001 Annex A, as summarised in
# shared/reference/formats.md), so the full MMSI is the MID followed by the six. A
# second-generation beacon carries the full 30-bit MMSI (T.018 vessel ID type 001).


def test_standard_location_mmsi_is_the_full_nine_digits() -> None:
    d = decode(GOOD_LONG)
    assert (d.mmsi, d.mmsi_last6, d.country_code) == ("257506153", "506153", 257)
    assert decode("2024F72524FFBFF").mmsi == "257506153"  # its 15 Hex ID says the same
    data = d.to_dict()
    assert (data["mmsi"], data["mmsi_last6"]) == ("257506153", "506153")


@pytest.mark.parametrize(
    ("msg", "expected"),
    [
        # maritime user protocol: six Baudot digits (bits 40-75)
        (
            head(232, user=True, code=0b010).put(40, 75, baudot("056789")).put(76, 81, 0b001101),
            ("232056789", "056789"),
        ),
        # ship security (SSAS) standard location: bits 41-60
        (head(235, user=False, code=0b1100).put(41, 60, 123456), ("235123456", "123456")),
        # RLS coded with an MMSI: bits 43-46 = 1111, bits 47-66
        (
            head(257, user=False, code=0b1101)
            .put(41, 42, 0b01)
            .put(43, 46, 0b1111)
            .put(47, 66, 506153),
            ("257506153", "506153"),
        ),
    ],
)
def test_every_mmsi_protocol_gives_mid_plus_six(msg, expected) -> None:
    long = not msg.get(26, 26) or msg.get(37, 39) != 0b010
    d = decode(msg.hex(long=long))
    assert (d.mmsi, d.mmsi_last6) == expected


def test_unallocated_country_code_gives_no_full_mmsi() -> None:
    # Country code 100 is not an allocated MID: the six digits are all there is, and why.
    d = decode(head(100, user=False, code=0b0010).put(41, 60, 123456).hex())
    assert d.mmsi is None and d.mmsi_last6 == "123456"
    assert any("100 is not an allocated MID" in note for note in d.notes)


def test_twenty_bits_above_999999_are_not_an_mmsi() -> None:
    # Bits 41-60 can hold up to 1,048,575: seven digits are not the last six of an MMSI.
    d = decode(head(257, user=False, code=0b0010).put(41, 60, 1_000_000).hex())
    assert d.mmsi is None and d.mmsi_last6 is None
    assert any("1000000" in note for note in d.notes)


def test_maritime_call_sign_has_no_mmsi() -> None:
    msg = head(503, user=True, code=0b010).put(40, 75, baudot("VHZ2  ")).put(76, 81, BAUDOT["0"])
    d = decode(msg.hex(long=False))
    assert (d.call_sign, d.mmsi, d.mmsi_last6) == ("VHZ2", None, None)


# --- damaged messages: a PDF-2 that fails BCH-2 (issue 15) ----------------------------------
# MCCs still use PDF-1 when PDF-2 is damaged: the identity and PDF-1's coarse position decode,
# PDF-2's fields (offsets, position source, homing, ELT(DT) data) are never used, and only a
# PDF-1 failing BCH-1 refuses the message.


def test_damaged_pdf2_decodes_identity_and_coarse_position() -> None:
    d = decode(GOOD_LONG[:-1] + "4")  # BCH-2 damaged in its last bit
    assert (d.bch1_ok, d.bch2_ok, d.hex_id, d.mmsi) == (True, False, "2024F72524FFBFF", "257506153")
    assert (d.lat, d.lon, d.position_status) == (43.75, 1.0, "coarse")  # no offsets applied
    assert d.position_source is None and d.homing is None  # PDF-2 bits 111-112: unusable
    assert any("BCH-2" in note and "not used" in note for note in d.notes)
    data = d.to_dict()
    assert data["bch2_ok"] is False and data["notes"] and "coarse" in data["position_note"]
    # the coarse position's real accuracy: the largest standard-location offset, 30' each way
    lat_m = 30 * 1852
    expected = math.hypot(lat_m, lat_m * math.cos(math.radians(43.75)))
    assert d.position_accuracy_m == pytest.approx(expected, abs=0.1)


def test_all_ones_pdf2_is_named_as_such() -> None:
    msg = std_position(head(257, user=False, code=0b0010).put(41, 60, 506153), 0, 175, 0, 4)
    good = msg.hex()
    ones = good[:-10] + f"{int(good[-10:], 16) | ((1 << 38) - 1):010X}"
    d = decode(ones)
    assert d.bch2_ok is False and (d.lat, d.lon) == (43.75, 1.0)
    assert any("all ones" in note for note in d.notes)


def test_damaged_pdf2_of_a_user_location_message_has_no_position() -> None:
    msg = head(232, user=True, code=0b010).put(40, 75, baudot("123456")).put(76, 81, BAUDOT["0"])
    text = msg.put(107, 132, 0b10010101110000000000010111).hex(long=True)
    d = decode(text[:-1] + f"{int(text[-1], 16) ^ 1:X}")
    assert d.bch2_ok is False and d.mmsi == "232123456"
    assert d.lat is None and d.position_status == "damaged" and d.position_source is None


def test_damaged_pdf2_never_gives_an_elt_dt_operator_or_offset() -> None:
    msg = head(503, user=False, code=0b1001).put(41, 42, 0b00).put(43, 66, 0x7C0002)
    msg.put(67, 85, 0b0_00010100_1_100100000).put(113, 114, 0b00).put(115, 129, baudot("ZAL", 5))
    text = msg.hex()
    d = decode(text[:-1] + f"{int(text[-1], 16) ^ 8:X}")
    assert d.bch2_ok is False and d.aircraft_address == "7C0002"
    assert (d.operator, d.lat, d.lon) == (None, 10.0, -144.0)
    assert "activation_code" not in dict(d.details)


def test_only_a_failing_bch1_refuses() -> None:
    with pytest.raises(BeaconError, match=r"BCH-1 \(bits 86-106\) failed"):
        decode("90127B92922BD022FF103504422534")  # both fields damaged


def test_position_accuracy_of_refined_and_encoded_positions() -> None:
    d = decode(GOOD_LONG)  # refined: 4-second offset steps, half a step each way
    assert d.position_accuracy_m == pytest.approx(
        math.hypot(2 / 60 * 1852, 2 / 60 * 1852 * math.cos(math.radians(d.lat))), abs=0.1
    )
