"""First-generation location protocols (protocol flag 0): identity, 15 Hex ID and position.

Layouts follow C/S T.001 Annex A as summarised in ``shared/reference/formats.md``: standard
location (¼° coarse position, ±30′ offset), national location (2′ coarse, ±3′ offset), RLS and
ELT(DT) (½° coarse, ±15′ offset). Offsets are in 4-second steps and add to or subtract from the
*magnitude* of the coarse position (A3.3.1); an out-of-range offset is ignored.
"""

from __future__ import annotations

import math
from typing import Any

from sarapp.alerts.beacon_bits import BeaconError, baudot, code_table, field, protocol_table

STANDARD, NATIONAL, RLS, ELT_DT, SPARE = "standard", "national", "rls", "elt_dt", "spare"

_FAMILY = {
    **dict.fromkeys((0b0010, 0b0011, 0b0100, 0b0101, 0b0110, 0b0111, 0b1100, 0b1110), STANDARD),
    **dict.fromkeys((0b1000, 0b1010, 0b1011, 0b1111), NATIONAL),
    0b1101: RLS,
    0b1001: ELT_DT,
    0b0000: SPARE,
    0b0001: SPARE,
}

# Default ("no position") PDF-1 position bits: (first bit, value); every field ends at bit 85.
_DEFAULT_POSITION = {
    STANDARD: (65, 0b0_111111111_0_1111111111),
    NATIONAL: (59, 0b0_1111111_00000_0_11111111_00000),
    RLS: (67, 0b0_11111111_0_111111111),
    ELT_DT: (67, 0b0_11111111_0_111111111),
}
_TEST_CODES = (0b1110, 0b1111)
_SECONDS_STEP = 4  # seconds of arc per offset step
# The largest offset PDF-2 can add to the coarse position, minutes of arc (T.001 A3.3): with
# PDF-2 unusable, the true position may be this far from PDF-1's in latitude and longitude.
_MAX_OFFSET_MIN = {STANDARD: 30, NATIONAL: 3, RLS: 15, ELT_DT: 15}
METRES_PER_NM = 1852.0  # one minute of latitude, near enough (the international nautical mile)
_NO_SECONDS = 15  # the 4-bit seconds field's default (60″), never a valid offset


def location_hex_id(m: int, code: int) -> str:
    """The 15 Hex ID: bits 26–85 with the position bits set to their defaults."""
    id_bits = field(m, 26, 85)
    default = _DEFAULT_POSITION.get(_FAMILY[code])
    if default is not None:
        n = 86 - default[0]
        id_bits = (id_bits >> n << n) | default[1]
    return f"{id_bits:015X}"


def check_id_defaults(m: int, code: int) -> None:
    """Refuse a 15 Hex ID whose position bits are not the defaults; name the first bad bit."""
    default = _DEFAULT_POSITION.get(_FAMILY[code])
    if default is None:
        return
    first, value = default
    n = 86 - first
    diff = (field(m, first, 85) ^ value) & ((1 << n) - 1)
    if diff:
        bit = 86 - diff.bit_length()
        pattern = format(value, f"0{n}b")
        raise BeaconError(
            f"15 Hex ID: bit {bit} (hex character {(bit - 26) // 4 + 1}) is wrong: a "
            f"{_FAMILY[code]} location ID carries the default position in bits {first}-85 "
            f"({pattern})"
        )


def decode_location(m: int, code: int, *, long: bool, pdf2_ok: bool = True) -> dict[str, Any]:
    """Fields of a location-protocol ID (``long`` False) or long message (``long`` True).

    ``pdf2_ok`` False (PDF-2 failed BCH-2): nothing of bits 107-132 is used.
    """
    info = protocol_table()[("location", code)]
    family = _FAMILY[code]
    out: dict[str, Any] = {
        "protocol": info.name,
        "protocol_label": info.label,
        "beacon_type": info.beacon_type or "unknown",
        "test": code in _TEST_CODES,
        "hex_id": location_hex_id(m, code),
    }
    if family == STANDARD:
        _standard_identity(m, code, out)
    elif family == NATIONAL:
        out["national_id"] = field(m, 41, 58)
    elif family == RLS:
        _rls_identity(m, out)
    elif family == ELT_DT:
        _elt_dt_identity(m, out)
    if long and family != SPARE:
        _position(m, family, out, pdf2_ok=pdf2_ok)
    return out


def _standard_identity(m: int, code: int, out: dict[str, Any]) -> None:
    if code in (0b0010, 0b1100):
        mmsi_last6(field(m, 41, 60), "41-60", out)
        if code == 0b0010:
            out["beacon_number"] = str(field(m, 61, 64))
        elif field(m, 61, 64):  # ship security: bits 61-64 are fixed 0000, not a number
            note = f"bits 61-64 are {field(m, 61, 64):04b}; a ship security beacon sends 0000"
            out["notes"] = (*out.get("notes", ()), note)
    elif code == 0b0011:
        out["aircraft_address"] = f"{field(m, 41, 64):06X}"
    elif code == 0b0101:
        out["operator"] = baudot(field(m, 41, 55), 3, width=5)
        out["serial"] = field(m, 56, 64)
    elif code in (0b0100, 0b0110, 0b0111):
        out["ta_number"] = field(m, 41, 50)
        out["serial"] = field(m, 51, 64)


def mmsi_last6(value: int, bits: str, out: dict[str, Any]) -> None:
    """The last six MMSI digits held in 20 bits; a value over 999999 is not six digits."""
    if value <= 999_999:
        out["mmsi"] = f"{value:06d}"
        return
    note = f"bits {bits} hold {value}, more than six digits: not the last six of an MMSI"
    out["notes"] = (*out.get("notes", ()), note)


def _rls_identity(m: int, out: dict[str, Any]) -> None:
    kind = field(m, 41, 42)
    out["beacon_type"] = code_table("rls_type")[kind]
    out["test"] = kind == 0b11
    if field(m, 43, 46) == 0b1111:
        mmsi_last6(field(m, 47, 66), "47-66", out)
    else:
        series = int(code_table("rls_tac_series").get(kind, "0"))
        out["ta_number"] = series + field(m, 43, 52)
        out["serial"] = field(m, 53, 66)


def _elt_dt_identity(m: int, out: dict[str, Any]) -> None:
    kind = field(m, 41, 42)
    ident = field(m, 43, 66)
    out["test"] = ident in (0, (1 << 24) - 1)
    out["details"] = (("identity_type", code_table("elt_dt_id_type")[kind]),)
    if kind == 0b00:
        out["aircraft_address"] = f"{ident:06X}"
    elif kind == 0b01:
        out["operator"] = baudot(field(m, 43, 57), 3, width=5)
        out["serial"] = field(m, 58, 66)
    elif kind == 0b10:
        out["ta_number"] = field(m, 43, 52)
        out["serial"] = field(m, 53, 66)


def _offset(sign: int, minutes: int, seconds_code: int, max_minutes: int) -> float | None:
    """A signed offset in degrees, or None when out of range (the default is out of range)."""
    if minutes > max_minutes or seconds_code >= _NO_SECONDS:
        return None
    value = minutes / 60 + seconds_code * _SECONDS_STEP / 3600
    return value if sign else -value


def _position(m: int, family: str, out: dict[str, Any], *, pdf2_ok: bool) -> None:
    """Coarse PDF-1 position plus PDF-2 offsets; sets lat/lon, position_status and accuracy.

    PDF-2 (bits 107-132) is read only when ``pdf2_ok`` (it passed BCH-2): a damaged PDF-2
    leaves the coarse position, whose accuracy is then the largest offset PDF-2 could add.
    """
    offsets: tuple[float | None, float | None] = (None, None)
    if family == STANDARD:
        south, lat, west, lon = (
            field(m, 65, 65),
            field(m, 66, 74),
            field(m, 75, 75),
            field(m, 76, 85),
        )
        coarse_ok = lat <= 360 and lon <= 720
        lat_mag, lon_mag = lat / 4, lon / 4
        if pdf2_ok:
            offsets = (
                _offset(field(m, 113, 113), field(m, 114, 118), field(m, 119, 122), 30),
                _offset(field(m, 123, 123), field(m, 124, 128), field(m, 129, 132), 30),
            )
            _source_and_homing(m, 111, out)
    elif family == NATIONAL:
        south, lat_deg, lat_min = field(m, 59, 59), field(m, 60, 66), field(m, 67, 71)
        west, lon_deg, lon_min = field(m, 72, 72), field(m, 73, 80), field(m, 81, 85)
        coarse_ok = lat_deg <= 90 and lon_deg <= 180 and lat_min < 30 and lon_min < 30
        lat_mag, lon_mag = lat_deg + lat_min / 30, lon_deg + lon_min / 30
        if pdf2_ok and field(m, 110, 110):
            offsets = (
                _offset(field(m, 113, 113), field(m, 114, 115), field(m, 116, 119), 3),
                _offset(field(m, 120, 120), field(m, 121, 122), field(m, 123, 126), 3),
            )
        if pdf2_ok:
            _source_and_homing(m, 111, out)
    else:
        south, lat, west, lon = (
            field(m, 67, 67),
            field(m, 68, 75),
            field(m, 76, 76),
            field(m, 77, 85),
        )
        coarse_ok = lat <= 180 and lon <= 360
        lat_mag, lon_mag = lat / 2, lon / 2
        if pdf2_ok:
            offsets = _rls_elt_dt_pdf2(m, family, out)
    set_position(
        out,
        coarse_ok=coarse_ok,
        south=south,
        lat_mag=lat_mag,
        west=west,
        lon_mag=lon_mag,
        offsets=offsets,
    )
    status = out["position_status"]
    if status == "coarse":
        set_accuracy(out, _MAX_OFFSET_MIN[family] / 60)
    elif status == "refined":
        set_accuracy(out, _SECONDS_STEP / 2 / 3600)


def _source_and_homing(m: int, first: int, out: dict[str, Any]) -> None:
    """PDF-2 bit ``first``: position source; the bit after it: 121.5 MHz homing."""
    out["position_source"] = "internal" if field(m, first, first) else "external"
    out["homing"] = "121.5 MHz" if field(m, first + 1, first + 1) else "none"


def _rls_elt_dt_pdf2(m: int, family: str, out: dict[str, Any]) -> tuple[float | None, ...]:
    """RLS / ELT(DT) PDF-2: the offsets, and the protocol's own PDF-2 data."""
    offsets: tuple[float | None, ...] = (None, None)
    if family == RLS or field(m, 113, 114) != 0:
        offsets = (
            _offset(field(m, 115, 115), field(m, 116, 119), field(m, 120, 123), 15),
            _offset(field(m, 124, 124), field(m, 125, 128), field(m, 129, 132), 15),
        )
    else:  # ELT(DT) with location freshness 00 carries the operator designator instead
        out.setdefault("operator", baudot(field(m, 115, 129), 3, width=5))
    if family == RLS:
        _source_and_homing(m, 107, out)
    else:
        out["details"] = (
            *out.get("details", ()),
            ("activation_code", str(field(m, 107, 108))),
            ("altitude_code", str(field(m, 109, 112))),
            ("location_freshness_code", str(field(m, 113, 114))),
        )
    return offsets


def set_accuracy(out: dict[str, Any], error_deg: float) -> None:
    """``position_accuracy_m``: the radius of ``error_deg`` of latitude and of longitude."""
    lat_m = error_deg * 60 * METRES_PER_NM
    lon_m = lat_m * math.cos(math.radians(out["lat"]))
    out["position_accuracy_m"] = round(math.hypot(lat_m, lon_m), 1)


def set_position(
    out: dict[str, Any],
    *,
    coarse_ok: bool,
    south: int,
    lat_mag: float,
    west: int,
    lon_mag: float,
    offsets: tuple[float | None, float | None],
) -> None:
    """Store flag × (|coarse| ± offset) in ``out`` (degrees, 6 decimals) and the status."""
    if not coarse_ok:
        out["position_status"] = "default"
        return
    lat_off, lon_off = offsets
    if lat_off is not None and lon_off is not None:
        lat_mag += lat_off
        lon_mag += lon_off
        out["position_status"] = "refined"
    else:
        out["position_status"] = "coarse"
    out["lat"] = round(-lat_mag if south else lat_mag, 6)
    out["lon"] = round(-lon_mag if west else lon_mag, 6)
