"""First-generation user and user-location protocols (protocol flag 1).

Layouts follow C/S T.001 Annex A as summarised in ``shared/reference/formats.md``: maritime
(MMSI digits or call sign in modified Baudot), radio call sign (four Baudot characters and three
BCD digits), aviation (registration), serial (ELT / EPIRB / PLB serial, 24-bit aircraft address,
operator designator, optional type-approval number), test, orbitography and national user.
A long user message carries the user-location position in PDF-2 (4-minute resolution).
"""

from __future__ import annotations

from typing import Any

from sarapp.alerts.beacon_bits import baudot, code_table, field, protocol_table
from sarapp.alerts.beacon_location import set_accuracy, set_position

MARITIME, CALL_SIGN, AVIATION, SERIAL = 0b010, 0b110, 0b001, 0b011
TEST_USER, NATIONAL_USER = 0b111, 0b100
_LOCATING = (MARITIME, CALL_SIGN, AVIATION, SERIAL)
_BCD_SPACE = 0b1010
_SERIAL_ADDRESS, _SERIAL_OPERATOR = 0b011, 0b001
_USER_LOCATION_STEP_DEG = 4 / 60  # user-location PDF-2 positions are in 4-minute steps
_NON_MARITIME_EMERGENCY = ((109, "fire"), (110, "medical help"), (111, "disabled"))


def decode_user(m: int, code: int, *, length: str, pdf2_ok: bool = True) -> dict[str, Any]:
    """Fields of a user-protocol message; ``length`` is ``id``, ``short`` or ``long``.

    ``pdf2_ok`` False (PDF-2 failed BCH-2): the user-location position is not read.
    """
    info = protocol_table()[("user", code)]
    out: dict[str, Any] = {
        "hex_id": f"{field(m, 26, 85):015X}",
        "protocol": info.name,
        "protocol_label": info.label,
        "beacon_type": info.beacon_type or "unknown",
        "test": code == TEST_USER,
    }
    if code == MARITIME:
        chars = baudot(field(m, 40, 75), 6)
        if chars.isdigit():
            out["mmsi"] = chars
        else:
            out["call_sign"] = chars.strip()
        out["beacon_number"] = baudot(field(m, 76, 81), 1)
    elif code == CALL_SIGN:
        out["call_sign"] = (baudot(field(m, 40, 63), 4) + _bcd(field(m, 64, 75), 3)).strip()
        out["beacon_number"] = baudot(field(m, 76, 81), 1)
    elif code == AVIATION:
        out["registration"] = baudot(field(m, 40, 81), 7).strip()
        out["beacon_number"] = str(field(m, 82, 83))
    elif code == SERIAL:
        _serial(m, out)
    elif code == NATIONAL_USER:
        out["national_id"] = field(m, 40, 85)
    if code in _LOCATING:
        out["homing"] = code_table("aux_device")[field(m, 84, 85)]
        if length == "long":
            _user_location(m, out, pdf2_ok=pdf2_ok)
    if length == "short":
        out["details"] = _short_data(m, code)
    return out


def _bcd(value: int, count: int) -> str:
    digits = []
    for i in range(count - 1, -1, -1):
        nibble = (value >> (4 * i)) & 0xF
        digits.append(" " if nibble == _BCD_SPACE else str(nibble) if nibble < 10 else "?")
    return "".join(digits)


def _serial(m: int, out: dict[str, Any]) -> None:
    kind = field(m, 40, 42)
    info = protocol_table()[("serial", kind)]
    out["protocol"] = info.name
    out["protocol_label"] = info.label
    out["beacon_type"] = info.beacon_type or "unknown"
    if kind == _SERIAL_ADDRESS:
        out["aircraft_address"] = f"{field(m, 44, 67):06X}"
        out["beacon_number"] = str(field(m, 68, 73))
    elif kind == _SERIAL_OPERATOR:
        out["operator"] = baudot(field(m, 44, 61), 3)
        out["serial"] = field(m, 62, 73)
    else:
        out["serial"] = field(m, 44, 63)
    if field(m, 43, 43):
        out["ta_number"] = field(m, 74, 83)


def _user_location(m: int, out: dict[str, Any], *, pdf2_ok: bool) -> None:
    """PDF-2 bits 107–132: source, then N/S, degrees, minutes/4 and E/W, degrees, minutes/4.

    The position is in 4-minute steps; its accuracy is taken as one whole step each way, since
    T.001 does not say whether the beacon rounds or truncates.
    """
    out["protocol"] += "_user_location"
    out["protocol_label"] += ", user-location"
    if not pdf2_ok:
        out["position_status"] = "damaged"
        return
    out["position_source"] = "internal" if field(m, 107, 107) else "external"
    lat_deg, lat_min, lon_deg, lon_min = (
        field(m, 109, 115),
        field(m, 116, 119),
        field(m, 121, 128),
        field(m, 129, 132),
    )
    set_position(
        out,
        coarse_ok=lat_deg <= 90 and lon_deg <= 180 and lat_min < 15 and lon_min < 15,
        south=field(m, 108, 108),
        lat_mag=lat_deg + lat_min / 15,
        west=field(m, 120, 120),
        lon_mag=lon_deg + lon_min / 15,
        offsets=(None, None),
    )
    if out["position_status"] == "coarse":
        out["position_status"] = "encoded"
        set_accuracy(out, _USER_LOCATION_STEP_DEG)


def _short_data(m: int, code: int) -> tuple[tuple[str, str], ...]:
    """Short-message bits 107–112: emergency code flag, activation, nature of distress."""
    activation = "manual and automatic" if field(m, 108, 108) else "manual only"
    details = [("activation", activation)]
    if field(m, 107, 107):
        if code in (MARITIME, CALL_SIGN):
            nature = code_table("maritime_distress").get(field(m, 109, 112), "spare code")
        else:
            nature = ", ".join(n for bit, n in _NON_MARITIME_EMERGENCY if field(m, bit, bit))
        details.append(("nature_of_distress", nature or "unspecified"))
    return tuple(details)
