"""Registry data that MCCs append to a SIT 185 (from the beacon registration database).

Registration details travel as labelled lines in paragraphs 6, 14, 15 or 16, or after the end
of the message, in forms like ``VESSEL NAME: SEA SPRITE  CALL SIGN: 2ABC4`` or
``OWNER - J SMITH``. A label must be followed by ``:``, ``=`` or a spaced dash so that running
text (``MMSI LAST 6 DIGITS 088000``) is not mistaken for registry data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

_LABELS = {
    "vessel_name": r"VESSEL\s+NAME|NAME\s+OF\s+(?:VESSEL|SHIP)|SHIP\s+NAME|VESSEL",
    "call_sign": r"(?:RADIO\s+)?CALL\s*SIGN",
    "mmsi": r"MMSI(?:\s+NO\.?)?",
    "owner": r"OWNER(?:\s*/\s*OPERATOR|\s+NAME)?",
    "emergency_phone": (
        r"(?:24\s*H(?:OU)?R\s+)?EMERGENCY\s+(?:CONTACT\s+)?(?:TEL(?:EPHONE)?|PHONE)(?:\s+NO\.?)?"
    ),
    "emergency_contact": r"(?:24\s*H(?:OU)?R\s+)?EMERGENCY\s+CONTACT(?:\s+NAME)?",
    "phone": r"TEL(?:EPHONE)?(?:\s+NO\.?)?|PHONE",
}
_LABEL_RE = re.compile(
    r"(?:^|(?<=\s))(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _LABELS.items()) + r")"
    r"\s*(?::|=|\s-\s)\s*"
)
_PHONE_RE = re.compile(r"\+?\d[\d ()./-]{5,}\d")
_MMSI_RE = re.compile(r"\b\d{9}\b")


@dataclass(frozen=True)
class Registry:
    """Registration data found in the message; empty strings when the MCC gave none."""

    vessel_name: str = ""
    call_sign: str = ""
    mmsi: str = ""  # 9 digits
    owner: str = ""
    emergency_contact: str = ""  # name of the emergency contact
    emergency_phone: str = ""  # telephone as printed

    @property
    def is_empty(self) -> bool:
        return self == Registry()


def read_registry(lines: Iterable[str]) -> Registry:
    """Collect labelled registry values from ``lines``; the first value of each field wins."""
    found: dict[str, str] = {}
    for line in lines:
        if ":" not in line and "=" not in line and " - " not in line:
            continue  # every label needs one of these after it
        matches = list(_LABEL_RE.finditer(line))
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            value = line[match.end() : end].strip(" ,;")
            field = match.lastgroup or ""
            if value and value not in ("NIL", "UNKNOWN", "NONE"):
                _store(found, field, value)
    return replace(Registry(), **found)


def _store(found: dict[str, str], field: str, value: str) -> None:
    if field == "mmsi":
        mmsi = _MMSI_RE.search(value)
        if mmsi is not None:
            found.setdefault("mmsi", mmsi.group(0))
        return
    if field in ("emergency_contact", "phone", "emergency_phone"):
        phone = _PHONE_RE.search(value)
        if phone is not None:
            found.setdefault("emergency_phone", phone.group(0).strip())
            value = (value[: phone.start()] + value[phone.end() :]).strip(" ,;-")
        if field == "emergency_contact" and value:
            found.setdefault("emergency_contact", value)
        return
    found.setdefault(field, value)
