"""Decode Cospas-Sarsat 406 MHz beacon identifiers and messages (C/S T.001 and T.018).

``decode(hex_text)`` accepts what MCCs, SIT 185 messages and decoders print:

====== ===================================================================
length meaning
====== ===================================================================
15     first-generation 15 Hex ID (bits 26–85), or a second-generation one
22/28  first-generation short message, bits 25–112 (28: with bits 1–24 sync)
30/36  first-generation long message, bits 25–144 (36: with bits 1–24 sync)
23     second-generation 23 Hex ID
51/63  second-generation 250-bit message with two leading 0 bits (51: no BCH)
====== ===================================================================

Every refusal is a ``BeaconError`` naming the character or bit at fault.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sarapp.alerts.beacon_bits import BeaconError, bch_codes, field, parse_hex
from sarapp.alerts.beacon_location import check_id_defaults, decode_location
from sarapp.alerts.beacon_sgb import decode_sgb_15_hex, decode_sgb_id, decode_sgb_message
from sarapp.alerts.beacon_user import decode_user
from sarapp.mid import MidEntry, mid_entry

__all__ = ["BeaconDecode", "BeaconError", "decode"]

VALID_LENGTHS = (15, 22, 23, 28, 30, 36, 51, 63)
_SYNC_ONES = 0x7FFF  # bits 1–15 bit sync
_FRAME_NORMAL, _FRAME_SELF_TEST = 0b000101111, 0b011010000  # bits 16–24
_SGB_USER_CODE = 0b101
POSITION_NOTES = {
    "default": "default position / not available",
    "coarse": "coarse position from PDF-1 only (no valid PDF-2 offset)",
    "refined": "PDF-1 coarse position refined by the PDF-2 offset",
    "encoded": "encoded position",
    "damaged": "no usable position: PDF-2, which carries it, failed its BCH-2 check",
}


@dataclass(frozen=True, slots=True)
class BeaconDecode:
    """What a beacon ID or message says. Positions in WGS84 degrees (north/east positive).

    ``mmsi`` is the full nine-digit MMSI a coordinator can call: a first-generation beacon
    carries only its last six digits (``mmsi_last6``), preceded by the MID, which is the
    beacon's country code (T.001 Annex A); None when the country code is not an allocated MID
    (``details`` says why). ``aircraft_address`` is 6 upper-case hex digits.
    ``message_length`` is ``id``, ``short``, ``long`` or ``sgb``. ``bch1_ok``/``bch2_ok`` are
    None when the input carries no BCH (IDs; BCH-2 of short messages); for second-generation
    messages ``bch1_ok`` reports the BCH(250,202). ``position_status`` is ``default`` (the
    beacon sent the "no position" values), ``coarse``, ``refined``, ``encoded`` or ``damaged``
    (a user-location message whose PDF-2 failed BCH-2). ``position_accuracy_m`` is the radius
    in metres within which the coding puts the position (a coarse PDF-1 position: the largest
    offset PDF-2 could have added). ``notes`` are sentences for people about what could not be
    used and why.
    """

    hex_id: str
    country_code: int
    country: str | None
    protocol: str
    protocol_label: str
    beacon_type: str
    generation: int = 1
    message_length: str = "id"
    test: bool = False
    self_test: bool = False
    bch1_ok: bool | None = None
    bch2_ok: bool | None = None
    mmsi: str | None = None
    mmsi_last6: str | None = None
    call_sign: str | None = None
    registration: str | None = None
    serial: int | None = None
    aircraft_address: str | None = None
    operator: str | None = None
    ta_number: int | None = None
    beacon_number: str | None = None
    national_id: int | None = None
    hex_id_23: str | None = None
    lat: float | None = None
    lon: float | None = None
    position_status: str | None = None
    position_accuracy_m: float | None = None
    position_source: str | None = None
    homing: str | None = None
    details: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def position_note(self) -> str | None:
        """A sentence for people about the position (None when the input has no position)."""
        return POSITION_NOTES.get(self.position_status) if self.position_status else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dict: the identification keys always, other fields only when present."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value == ():
                continue
            if f.name == "details":
                value = dict(value)
            elif f.name == "notes":
                value = list(value)
            out[f.name] = value
        out["country"] = self.country
        if self.position_status:
            out["position_note"] = self.position_note
        return out


def decode(hex_text: str, *, check_bch: bool = True) -> BeaconDecode:
    """Decode a beacon ID or message given as hex (see the module docstring for lengths).

    A long message whose PDF-2 fails BCH-2 still decodes (MCCs use PDF-1 alone): the result
    says ``bch2_ok`` False with a note, and nothing of PDF-2 is used. With ``check_bch`` (the
    default) a failing BCH-1 (or second-generation BCH) raises BeaconError; without it the
    result reports ``bch1_ok`` False and decodes anyway.
    """
    value, n = parse_hex(hex_text, VALID_LENGTHS)
    if n == 23:
        out = decode_sgb_id(value)
    elif n >= 51:
        out = decode_sgb_message(value, n)
        computed, received = out.pop("_bch_detail", (0, 0))
        if check_bch and out.get("bch1_ok") is False:
            raise BeaconError(
                f"BCH (bits 203-250) failed: the message carries {received:012X} but its "
                f"bits 1-202 give {computed:012X}; the message is corrupted or mistyped"
            )
    else:
        out = _first_generation(value, n, check_bch=check_bch)
    entry = mid_entry(out["country_code"])
    if "mmsi" in out:
        _full_mmsi(out, entry)
    return BeaconDecode(country=entry.country if entry else None, **out)


def _full_mmsi(out: dict[str, Any], entry: MidEntry | None) -> None:
    """The MID (country code) followed by the six digits a first-generation beacon carries."""
    digits = out["mmsi"]
    out["mmsi_last6"] = digits[-6:]
    if len(digits) == 9:  # a second-generation beacon carries the whole MMSI
        return
    code = out["country_code"]
    if entry is None:
        out["mmsi"] = None
        note = (
            f"country code {code} is not an allocated MID: only the MMSI's last six digits "
            f"({digits}) are known"
        )
        out["notes"] = (*out.get("notes", ()), note)
    else:
        out["mmsi"] = f"{code:03d}{digits}"


def _first_generation(value: int, n: int, *, check_bch: bool) -> dict[str, Any]:
    if n == 15:
        m, length = value << 59, "id"
    elif n in (22, 28):
        m, length = (value << 32) & ((1 << 120) - 1), "short"
    else:
        m, length = value & ((1 << 120) - 1), "long"
    self_test = _frame_sync(value >> (n * 4 - 24)) if n in (28, 36) else False
    out: dict[str, Any] = {}
    notes: list[str] = []
    if length != "id":
        out.update(_check_bch(m, length, check_bch=check_bch, notes=notes))
        _check_format_flag(m, length, n)
    pdf2_ok = out.get("bch2_ok") is not False
    user = field(m, 26, 26)
    if user:
        code = field(m, 37, 39)
        if code == _SGB_USER_CODE and length == "id":
            out.update(decode_sgb_15_hex(m))
        else:
            out.update(decode_user(m, code, length=length, pdf2_ok=pdf2_ok))
    else:
        code = field(m, 37, 40)
        if length == "id":
            check_id_defaults(m, code)
        out.update(decode_location(m, code, long=length == "long", pdf2_ok=pdf2_ok))
    if notes:
        out["notes"] = (*notes, *out.get("notes", ()))
    out["country_code"] = field(m, 27, 36)
    out.setdefault("message_length", length)
    if self_test:
        out.update(self_test=True, test=True)
    return out


def _frame_sync(sync: int) -> bool:
    """Check bits 1–24; return True for the self-test frame synchronisation pattern."""
    if sync >> 9 != _SYNC_ONES:
        bit = 16 - ((sync >> 9) ^ _SYNC_ONES).bit_length()
        raise BeaconError(f"bit {bit} of the bit sync (bits 1-15) is 0; all 15 must be 1")
    frame = sync & 0x1FF
    if frame not in (_FRAME_NORMAL, _FRAME_SELF_TEST):
        raise BeaconError(
            f"frame sync (bits 16-24) is {frame:09b}; expected 000101111 (normal) "
            "or 011010000 (self-test)"
        )
    return frame == _FRAME_SELF_TEST


def _check_bch(m: int, length: str, *, check_bch: bool, notes: list[str]) -> dict[str, bool]:
    """BCH-1 refuses the message (unless ``check_bch`` is off); BCH-2 only marks PDF-2 unusable."""
    codes = bch_codes()
    computed, received = codes["bch1"].remainder(field(m, 25, 85)), field(m, 86, 106)
    result = {"bch1_ok": computed == received}
    if check_bch and computed != received:
        raise BeaconError(
            f"BCH-1 (bits 86-106) failed: the message carries {received:021b} but PDF-1 "
            f"(bits 25-85) gives {computed:021b}; the message is corrupted or mistyped"
        )
    if length == "long":
        computed, received = codes["bch2"].remainder(field(m, 107, 132)), field(m, 133, 144)
        result["bch2_ok"] = computed == received
        if computed != received:
            notes.append(_pdf2_note(m, computed, received))
    return result


def _pdf2_note(m: int, computed: int, received: int) -> str:
    if field(m, 107, 144) == (1 << 38) - 1:
        why = "PDF-2 and BCH-2 (bits 107-144) are all ones, as some beacons send them"
    else:
        why = (
            f"BCH-2 (bits 133-144) failed: the message carries {received:012b} but PDF-2 "
            f"(bits 107-132) gives {computed:012b}"
        )
    return (
        f"{why}; PDF-2 is not used (no position offset, position source, homing or other "
        "PDF-2 data): identity and any position come from PDF-1 alone"
    )


def _check_format_flag(m: int, length: str, n: int) -> None:
    """Bit 25 must agree with the length given; a location protocol needs a long message."""
    long_flag = field(m, 25, 25)
    if long_flag != (length == "long"):
        said = "long" if long_flag else "short"
        raise BeaconError(
            f"bit 25 (format flag) is {long_flag} ({said} message) but {n} hex characters "
            f"make a {length} message"
        )
    if length == "short" and not field(m, 26, 26):
        raise BeaconError(
            "bit 26 (protocol flag) is 0 (location protocol), which only exists as a long "
            "message (30 or 36 hex)"
        )
