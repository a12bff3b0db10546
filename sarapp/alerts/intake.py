"""From a received SIT 185 message to an open case with its positions, in one call.

A new beacon opens a new case (DETRESFA, unless the message is a test or a close-out); a
later message about the same beacon updates the same case while it is open. Every position
becomes a Position with its source and time, the message is logged verbatim, and a message
received twice changes nothing. Identity typed by a coordinator is never overwritten: where
the alert disagrees, the log says so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from sarapp import identity
from sarapp.alerts import sit185
from sarapp.alerts.beacon import BeaconDecode, BeaconError, decode
from sarapp.casefields import FieldError, parse_field
from sarapp.geo import NM, format_ddm
from sarapp.mid import mid_entry
from sarapp.model import AlertPhase, CaseId, CaseStatus, Changes, Position
from sarapp.safetext import plain_line
from sarapp.store import Desk

# Which position becomes the last known position, best first. Doppler A and B are an
# ambiguous pair: one is a mirror image, so neither replaces a better fix.
_LKP_PRIORITY = ("resolved", "encoded", "doa", "doppler-A")
_QUIET_TYPES = (sit185.MessageType.CLOSE_OUT,)


@dataclass(frozen=True)
class AlertImport:
    case_id: CaseId
    case_number: str
    created: bool
    duplicate: bool
    positions: tuple[Position, ...] = ()
    summary: tuple[str, ...] = ()
    changes: Changes = field(default_factory=Changes)

    def to_dict(self) -> dict:
        return {
            "case_id": self.case_id,
            "case_number": self.case_number,
            "created": self.created,
            "duplicate": self.duplicate,
            "positions": [
                {
                    "lat": p.lat,
                    "lon": p.lon,
                    "source": p.source,
                    "time": p.time.isoformat().replace("+00:00", "Z") if p.time else None,
                }
                for p in self.positions
            ],
            "summary": list(self.summary),
        }


def message_digest(text: str) -> str:
    """SHA-256 of the message with line endings and trailing blanks normalised: the same
    message relayed twice (CRLF by one gateway, LF by another) is still the same message, and
    so is one saved by an editor that puts a byte-order mark in front."""
    text = text.lstrip("\ufeff")
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return hashlib.sha256("\n".join(lines).strip().encode("utf-8")).hexdigest()


def import_sit185(store: Desk, text: str, *, author: str) -> AlertImport:
    """Parse ``text`` (Sit185Error if it is not a SIT 185) and file it under its case."""
    alert = sit185.parse(text)
    digest = message_digest(text)
    seen = store.alerts.seen(digest)
    if seen is not None:
        case = store.cases.get(seen)
        return AlertImport(seen, case.number, created=False, duplicate=True)
    beacon, beacon_note = _decode_beacon(alert)
    source_key = f"beacon:{alert.hex_id}"
    linked = store.alerts.case_of(source_key)
    summary: list[str] = []
    if beacon_note:
        summary.append(beacon_note)
    beacon_notes = [f"beacon message: {note}" for note in (beacon.notes if beacon else ())]
    with store.transaction():
        if linked and (linked[1] is CaseStatus.OPEN or alert.message_type in _QUIET_TYPES):
            case_id, created = linked[0], False
            summary += _update_identity(store, case_id, alert, beacon, author=author)
        else:
            case_id, created = _open_case(store, alert, beacon, author=author), True
        changes = store.alerts.record(
            case_id,
            digest=digest,
            source_key=source_key,
            kind="sit185",
            text=alert.raw,
            author=author,
            data=_alert_data(alert, beacon),
        )
        for note in beacon_notes:
            changes |= store.log.append(case_id, note, author=author)
        positions = _new_positions(store, case_id, alert, beacon)
        lkp = _lkp_choice(store, case_id, positions)
        for position in positions:
            changes |= store.cases.add_position(
                case_id, position, author=author, as_lkp=position is lkp
            )
    case = store.cases.get(case_id)
    verb = "opened" if created else "updated"
    summary.insert(
        0,
        f"{alert.message_type.value} alert for beacon {alert.hex_id}: {verb} "
        f"case {case.number} ({case.phase.value})",
    )
    summary += beacon_notes
    summary += [
        f"position {p.source}: {format_ddm(p.lat, p.lon)}"
        + (f" ±{p.accuracy_m / NM:.1f} NM" if p.accuracy_m else "")
        + ("  (LKP)" if p is lkp else "")
        for p in positions
    ]
    if not positions:
        summary.append("no new position in this message")
    return AlertImport(
        case_id,
        case.number,
        created=created,
        duplicate=False,
        positions=tuple(positions),
        summary=tuple(summary),
        changes=changes | Changes(cases=frozenset({case_id}), created=created),
    )


def _decode_beacon(alert: sit185.Sit185Alert) -> tuple[BeaconDecode | None, str]:
    """The full message if the MCC sent it, else the 15 Hex ID; a note if neither decodes."""
    notes = []
    for hex_text in (alert.beacon_message_hex, alert.hex_id):
        if hex_text:
            try:
                return decode(hex_text), ""
            except BeaconError as exc:
                notes.append(f"beacon {hex_text} could not be decoded: {exc}")
    return None, "; ".join(notes)


def _identity(alert: sit185.Sit185Alert, beacon: BeaconDecode | None) -> dict[str, str]:
    """Case fields the alert tells: registry data first, then the beacon's own coding."""
    reg = alert.registry
    values = {
        "vessel_name": reg.vessel_name,
        "call_sign": reg.call_sign or (beacon.call_sign if beacon else "") or "",
        "mmsi": reg.mmsi or (beacon.mmsi if beacon and beacon.mmsi else ""),
    }
    code = alert.country_code or (beacon.country_code if beacon else None)
    entry = mid_entry(code) if code else None
    if entry and entry.iso:
        values["flag"] = entry.iso
    checks = {
        "mmsi": identity.validate_mmsi,
        "call_sign": identity.validate_call_sign,
        "flag": identity.validate_flag,
    }
    clean = {}
    for name, value in values.items():
        if not value:
            continue
        try:
            clean[name] = parse_field(name, checks[name](value) if name in checks else value)
        except (identity.IdentityError, FieldError):
            continue  # a garbled registry field is kept in the verbatim message, not the case
    return clean


def _open_case(
    store: Desk, alert: sit185.Sit185Alert, beacon: BeaconDecode | None, *, author: str
) -> CaseId:
    values = _identity(alert, beacon)
    quiet = alert.test or alert.message_type in _QUIET_TYPES
    kind = beacon.beacon_type if beacon else "406 MHz beacon"
    title = f"{'TEST ' if alert.test else ''}{kind} {alert.hex_id}"
    if values.get("vessel_name"):
        title += f", {values['vessel_name']}"
    category = plain_line(alert.category or "") or "DISTRESS"
    values["nature"] = f"{category[:100]} beacon alert ({alert.message_type.value})"
    if beacon:
        values["vessel_description"] = f"{beacon.protocol_label}; {kind}"
    (case_id,) = store.cases.create(
        title=title[:200],
        author=author,
        phase=AlertPhase.INCERFA if quiet else AlertPhase.DETRESFA,
        values=values,
    ).cases
    return case_id


def _update_identity(
    store: Desk,
    case_id: CaseId,
    alert: sit185.Sit185Alert,
    beacon: BeaconDecode | None,
    *,
    author: str,
) -> list[str]:
    """Fill the case's empty identity fields; never overwrite, note disagreements."""
    case = store.cases.get(case_id)
    notes = []
    for name, value in _identity(alert, beacon).items():
        current = getattr(case, name)
        if not current:
            store.cases.set_field(case_id, name, value, author=author)
            notes.append(f"{name} set to {value} from the alert")
        elif str(current).upper() != str(value).upper():
            note = f"alert gives {name} {value}; case keeps {current} (check)"
            store.log.append(case_id, f"SIT 185 disagreement: {note}", author=author)
            notes.append(note)
    return notes


def _alert_data(alert: sit185.Sit185Alert, beacon: BeaconDecode | None) -> dict:
    data = {
        "format": "sit185",
        "message_type": alert.message_type.value,
        "hex_id": alert.hex_id,
        "mcc": alert.mcc,
        "message_number": alert.message_number,
        "test": alert.test,
    }
    if alert.detected_at:
        data["detected_at"] = alert.detected_at.isoformat()
    if beacon:
        data["beacon"] = {"protocol": beacon.protocol, "beacon_type": beacon.beacon_type}
    return data


def _encoded_from_beacon(
    alert: sit185.Sit185Alert, beacon: BeaconDecode | None
) -> sit185.AlertPosition | None:
    """The encoded position as the SIT 185 gives it, with no better accuracy than the beacon
    message's own coding allows (a coarse PDF-1 position is good to tens of miles only); the
    beacon message's position when the MCC gave none."""
    encoded = alert.encoded
    if beacon is None or beacon.lat is None or beacon.lon is None:
        return encoded
    coded = beacon.position_accuracy_m
    if encoded is None:
        return sit185.AlertPosition(
            lat=beacon.lat,
            lon=beacon.lon,
            source="encoded",
            time=alert.detected_at,
            accuracy_m=coded,
            time_note="beacon message position; detection time stands in",
        )
    if beacon.position_status == "coarse" and coded and (encoded.accuracy_m or 0) < coded:
        return replace(encoded, accuracy_m=coded)
    return encoded


def _new_positions(
    store: Desk, case_id: CaseId, alert: sit185.Sit185Alert, beacon: BeaconDecode | None
) -> list[Position]:
    """The message's positions the case does not have yet.

    The same source, place and time is the same fix. When the MCC gives no time of its own
    for a fix (``time_note``: the detection time stands in), the same source and place is
    the same fix re-sent with a later message, not a new report.
    """
    stored = store.cases.positions(case_id)
    known = {(p.source, p.time, round(p.lat, 6), round(p.lon, 6)) for p in stored}
    places = {(p.source, round(p.lat, 6), round(p.lon, 6)) for p in stored}
    out = []
    encoded = _encoded_from_beacon(alert, beacon)
    for found in (alert.resolved, encoded, alert.doa, alert.doppler_a, alert.doppler_b):
        if found is None:
            continue
        place = (found.source, round(found.lat, 6), round(found.lon, 6))
        if (found.source, found.time, *place[1:]) in known or (found.time_note and place in places):
            continue
        known.add((found.source, found.time, *place[1:]))
        places.add(place)
        out.append(
            Position(
                found.lat,
                found.lon,
                time=found.time or alert.detected_at,
                source=found.source,
                accuracy_m=found.accuracy_m,
            )
        )
    return out


def _lkp_choice(store: Desk, case_id: CaseId, positions: list[Position]) -> Position | None:
    """The position that becomes the LKP: the best kind, and no older than the current one."""
    ranked = sorted(
        (p for p in positions if p.source in _LKP_PRIORITY),
        key=lambda p: _LKP_PRIORITY.index(p.source),
    )
    if not ranked:
        return None
    best = ranked[0]
    current = store.cases.get(case_id).lkp
    if current is None:
        return best
    if best.source == "doppler-A" and current.source != "doppler-A":
        return None  # an ambiguous Doppler pair does not replace a better fix
    if current.time and best.time and best.time < current.time:
        return None
    return best
