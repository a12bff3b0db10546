"""Second-generation 406 MHz beacons (C/S T.018): the 250-bit message and the 23 Hex ID.

Layout as summarised in ``shared/reference/formats.md``: TAC, serial, country, homing, RLS and
test flags, GNSS position (degrees plus a 15-bit binary fraction), vessel identity, beacon type,
rotating field and BCH(250,202). Ground segments print the message with two 0 bits in front:
63 hex with the BCH, 51 hex without. The vessel-ID sub-layouts (MMSI + EPIRB-AIS digits, call
sign, registration, 24-bit address + operator, operator + serial) were cross-checked against
the Apache-2.0 decoder davidmoten/sgb-decoder.
"""

from __future__ import annotations

from typing import Any

from sarapp.alerts.beacon_bits import BeaconError, baudot, bch_codes, code_table
from sarapp.alerts.beacon_location import set_accuracy, set_position

SGB_BITS = 250
_NO_POSITION = 0b0_1111111_000001111100000_0_11111111_111110000011111  # bits 44–90
_NO_MMSI, _NO_EPIRB_AIS = 111111, 10922
_FRACTION = 1 << 15  # the position fraction's denominator (2^15 parts of a degree)
_VESSEL_TEST = 0b111


def _f(s: int, first: int, last: int) -> int:
    """Bits ``first``–``last`` (1-based, T.018 numbering) of a 250-bit message int."""
    return (s >> (SGB_BITS - last)) & ((1 << (last - first + 1)) - 1)


def decode_sgb_message(value: int, n_hex: int) -> dict[str, Any]:
    """Decode a 63-hex (with BCH) or 51-hex (without) ground-segment SGB message."""
    total = n_hex * 4
    if value >> (total - 2):
        raise BeaconError(
            "bits 1-2 of a second-generation hex message are padding and must be 0 "
            "(the first hex character must be 0-3)"
        )
    s = value if n_hex == 63 else value << 48
    out: dict[str, Any] = {"generation": 2, "message_length": "sgb"}
    if n_hex == 63:
        computed = bch_codes()["sgb"].remainder(s >> 48)
        out["bch1_ok"] = computed == _f(s, 203, 250)
        out["_bch_detail"] = (computed, _f(s, 203, 250))
    country, tac, serial, test = _f(s, 31, 40), _f(s, 1, 16), _f(s, 17, 30), _f(s, 43, 43)
    id23 = (
        (1 << 91)
        | (country << 81)
        | (0b101 << 78)
        | (tac << 62)
        | (serial << 48)
        | (test << 47)
        | _f(s, 91, 137)
    )
    out.update(_identity(id23))
    beacon_code = _f(s, 138, 140)
    out["beacon_type"] = code_table("sgb_beacon_type").get(beacon_code, f"spare code {beacon_code}")
    out["homing"] = "enabled" if _f(s, 41, 41) else "none"
    rotating = _f(s, 155, 158)
    details = [
        *out.get("details", ()),
        ("rls_enabled", "yes" if _f(s, 42, 42) else "no"),
        ("rotating_field", code_table("sgb_rotating_field").get(rotating, f"spare {rotating}")),
    ]
    if _f(s, 141, 154) == 0:
        details.append(("spare_bits", "all 0: cancellation message"))
    out["details"] = tuple(details)
    _gnss_position(_f(s, 44, 90), out)
    return out


def _gnss_position(bits: int, out: dict[str, Any]) -> None:
    """Bits 44–90: N/S, 7-bit degrees, 15-bit fraction; E/W, 8-bit degrees, 15-bit fraction."""
    if bits == _NO_POSITION:
        out["position_status"] = "default"
        return
    lat_deg, lat_frac = (bits >> 39) & 0x7F, (bits >> 24) & 0x7FFF
    lon_deg, lon_frac = (bits >> 15) & 0xFF, bits & 0x7FFF
    set_position(
        out,
        coarse_ok=lat_deg <= 90 and lon_deg <= 180,
        south=bits >> 46,
        lat_mag=lat_deg + lat_frac / _FRACTION,
        west=(bits >> 23) & 1,
        lon_mag=lon_deg + lon_frac / _FRACTION,
        offsets=(None, None),
    )
    if out["position_status"] == "coarse":
        out["position_status"] = "encoded"
        set_accuracy(out, 1 / _FRACTION)  # one step of the 15-bit fraction of a degree


def decode_sgb_id(value: int) -> dict[str, Any]:
    """Decode a 23 Hex ID (92 bits); refuse it when its fixed bits 1 and 12–14 are wrong."""
    if not value >> 91:
        raise BeaconError("23 Hex ID: bit 1 must be 1 (the first hex character must be 8-F)")
    if (value >> 78) & 0b111 != 0b101:
        raise BeaconError("23 Hex ID: bits 12-14 must be 101 (second-generation marker)")
    out = _identity(value)
    out.update(generation=2, message_length="id", beacon_type="unknown")
    return out


def _identity(id23: int) -> dict[str, Any]:
    """Country, TAC, serial, test flag and vessel identity from the 92-bit 23 Hex ID."""
    hex23 = f"{id23:023X}"
    out: dict[str, Any] = {
        "hex_id": hex23[:15],
        "hex_id_23": hex23,
        "country_code": (id23 >> 81) & 0x3FF,
        "protocol": "sgb",
        "protocol_label": "Second-generation beacon",
        "ta_number": (id23 >> 62) & 0xFFFF,
        "serial": (id23 >> 48) & 0x3FFF,
        "test": bool((id23 >> 47) & 1),
    }
    _vessel(id23 & ((1 << 47) - 1), out)
    return out


def _vessel(v47: int, out: dict[str, Any]) -> None:
    """Vessel-ID type (3 bits) and identity (44 bits, T.018 bits 94–137)."""
    kind, ident = v47 >> 44, v47 & ((1 << 44) - 1)

    def sub(first: int, last: int) -> int:  # T.018 bit numbers within 94–137
        return (ident >> (137 - last)) & ((1 << (last - first + 1)) - 1)

    name = code_table("sgb_vessel_id").get(kind, f"spare code {kind}")
    details: list[tuple[str, str]] = [("vessel_id_type", name)]
    if kind == 0b001:
        mmsi, epirb_ais = sub(94, 123), sub(124, 137)
        if mmsi != _NO_MMSI:
            out["mmsi"] = f"{mmsi:09d}"
        if epirb_ais != _NO_EPIRB_AIS:
            details.append(("epirb_ais_last_digits", f"{epirb_ais:04d}"))
    elif kind == 0b010:
        out["call_sign"] = baudot(sub(96, 137), 7).strip()
    elif kind == 0b011:
        out["registration"] = baudot(sub(96, 137), 7).strip()
    elif kind == 0b100:
        out["aircraft_address"] = f"{sub(94, 117):06X}"
        if sub(118, 137):
            out["operator"] = baudot(sub(118, 132), 3, width=5)
    elif kind == 0b101:
        out["operator"] = baudot(sub(94, 108), 3, width=5)
        details.append(("operator_serial", str(sub(109, 120))))
    elif kind == _VESSEL_TEST:
        out["test"] = True
    out["details"] = tuple(details)


def decode_sgb_15_hex(m: int) -> dict[str, Any]:
    """An SGB 15 Hex ID (first 60 bits of the 23 Hex ID) given in T.001 numbering 26–85."""
    v = (m >> 59) & ((1 << 60) - 1)
    partial = (v << 32) | (1 << 91)  # widen to 92 bits; bit 1 is already set in v
    out = _identity(partial)
    out.pop("hex_id_23")
    for key in ("mmsi", "call_sign", "registration", "aircraft_address", "operator"):
        out.pop(key, None)  # only 12 of the 44 vessel-ID bits are in the 15 Hex ID
    out["details"] = out["details"][:1]
    out.update(generation=2, message_length="id", beacon_type="unknown")
    return out
