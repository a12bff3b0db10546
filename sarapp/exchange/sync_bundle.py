"""The sync file (format ``sarapp-sync``): a sync between a field laptop and its centre, for a
team no network reaches, carried on a stick, a satellite mail or a radio data link.

A sync file holds what a sync over the link would send one way: for each case the deltas
(``sarapp.exchange.sync_delta``), the sender's acknowledgements (how far it holds the
receiver's log of each case) and, from the centre, the cases it gives the laptop. It is signed
as a handover package is (Ed25519 over the RFC 8785 form of all but ``signature``), and read
with the package's defences: size limits, strict JSON, the signature over the document as
received, the schema (``resources/schemas/sync-bundle-v1.schema.json``), and each case's
entries checked against their own hashes, references and times. See ``docs/multi-desk.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sarapp.chain import content_hash
from sarapp.exchange.errors import PackageError
from sarapp.exchange.keys import DeskKeys, Trust
from sarapp.exchange.large_ints import restore_exact_data
from sarapp.exchange.package import package_bytes, sign_package
from sarapp.exchange.reader import Signature, SignatureStatus, check_signature, parse_json
from sarapp.exchange.sync_delta import Delta
from sarapp.exchange.tasking import check_tasking_references
from sarapp.exchange.validation import check_schema_keywords, raise_if_invalid, validate
from sarapp.exchange.wire import exact_data_text, time_from_wire, time_to_wire
from sarapp.exchange.ziparchive import DEFAULT_LIMITS, Limits
from sarapp.model import CaseId, Rcc
from sarapp.resources import resource_path
from sarapp.times import TimeRangeError, check_not_before_1970, check_report_time

FORMAT = "sarapp-sync"
CURRENT_VERSION = 1
SCHEMA_NAME = f"schemas/sync-bundle-v{CURRENT_VERSION}.schema.json"
SUFFIX = ".sarsync"


@dataclass(frozen=True)
class Ack:
    """The sender holds the receiver's log of ``case_id`` up to ``received_seq`` (the
    receiver's clock at its cut: ``received_cut``)."""

    case_id: CaseId
    received_seq: int
    received_cut: datetime | None


@dataclass(frozen=True)
class Bundle:
    """A read (or built) sync file: who sent it to whom, its acknowledgements, the cases the
    sender gives, the deltas, and the signature as checked."""

    bundle_id: str
    created: datetime
    sender: Rcc
    sender_desk: str
    to: str
    to_desk: str | None
    acks: tuple[Ack, ...]
    given: tuple[CaseId, ...]
    deltas: tuple[Delta, ...]
    signature: Signature | None = None
    document: dict[str, Any] | None = None


def build_bundle(
    *,
    bundle_id: str,
    keys: DeskKeys,
    sender_desk: str,
    to: str,
    to_desk: str | None,
    acks: Sequence[Ack],
    given: Sequence[str],
    deltas: Sequence[Delta],
    created: datetime,
) -> dict[str, Any]:
    """The signed document of a sync file."""
    document = {
        "format": FORMAT,
        "format_version": CURRENT_VERSION,
        "header": {
            "bundle_id": bundle_id,
            "created": time_to_wire(created),
            "from": asdict(keys.require_rcc()),
            "from_desk": sender_desk,
            "to": {"id": to},
            "to_desk": to_desk,
        },
        "acks": [
            {
                "case_id": a.case_id,
                "received_seq": a.received_seq,
                "received_cut": time_to_wire(a.received_cut) if a.received_cut else None,
            }
            for a in acks
        ],
        "given": list(given),
        "cases": [
            {
                "case_id": d.case_id,
                "base_seq": d.base_seq,
                "cut_seq": d.cut_seq,
                "cut_time": time_to_wire(d.cut_time),
                "body": d.body,
            }
            for d in deltas
        ],
    }
    return sign_package(document, keys)


def bundle_bytes(document: dict[str, Any]) -> bytes:
    """The file's content: the JSON document (as a package without attachments is)."""
    return package_bytes(document)


@cache
def bundle_schema() -> dict[str, Any]:
    import json

    schema = json.loads(resource_path(SCHEMA_NAME).read_text(encoding="utf-8"))
    check_schema_keywords(schema)
    return schema


def read_bundle(content: bytes, *, trust: Trust, limits: Limits = DEFAULT_LIMITS) -> Bundle:
    """Check a sync file's bytes (PackageError says why one is refused); its signature must
    verify. Whether its signer may change this desk is the importer's question."""
    if len(content) > limits.max_file_bytes:
        raise PackageError(f"sync file of {len(content)} bytes exceeds {limits.max_file_bytes}")
    try:
        document = parse_json(content, limits)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise PackageError(f"not a sarapp sync file (format is not {FORMAT!r})")
        signature = check_signature(document, trust)
        if signature.status is SignatureStatus.INVALID:
            raise PackageError(f"sync file refused: invalid signature ({signature.reason})")
        version = document.get("format_version")
        if version != CURRENT_VERSION:
            raise PackageError(
                f"sync file format version {version!r}: this sarapp reads version "
                f"{CURRENT_VERSION} (update sarapp to read a newer one)"
            )
        raise_if_invalid(validate(document, bundle_schema()), strict=True)
        return _bundle(document, signature)
    except RecursionError:
        raise PackageError("sync file JSON is nested too deeply") from None


def _bundle(document: dict[str, Any], signature: Signature) -> Bundle:
    header = document["header"]
    created = time_from_wire(header["created"])
    deltas = []
    for item in document["cases"]:
        body = item["body"]
        if body["case"]["id"] != item["case_id"]:
            raise PackageError(f"sync file: case {item['case_id']} carries another case's body")
        check_delta(body, created)
        deltas.append(
            Delta(
                CaseId(item["case_id"]),
                item["base_seq"],
                item["cut_seq"],
                time_from_wire(item["cut_time"]),
                body,
            )
        )
    ids = [d.case_id for d in deltas]
    if len(set(ids)) != len(ids):
        raise PackageError("sync file: the same case appears twice")
    sender = header["from"]
    return Bundle(
        bundle_id=header["bundle_id"],
        created=created,
        sender=Rcc(sender["id"], sender["name"], sender["country"]),
        sender_desk=header["from_desk"],
        to=header["to"]["id"],
        to_desk=header["to_desk"],
        acks=tuple(
            Ack(
                CaseId(a["case_id"]),
                a["received_seq"],
                time_from_wire(a["received_cut"]) if a["received_cut"] else None,
            )
            for a in document["acks"]
        ),
        given=tuple(CaseId(c) for c in document["given"]),
        deltas=tuple(deltas),
        signature=signature,
        document=document,
    )


def check_delta(body: dict[str, Any], created: datetime) -> None:
    """A delta's own consistency (PackageError naming what is wrong): every entry's hash
    covers what it says, in increasing seq; ids unique; the LKP among the positions; each
    drift run's entry in the delta; units and plans refer to one another; every time one the
    desk would take typed."""
    restore_exact_data(body["log"])
    case_id, last = body["case"]["id"], 0
    for e in body["log"]:
        label = f"case {case_id}: log entry seq {e['seq']} ({e['id']})"
        if e["seq"] <= last:
            raise PackageError(f"{label}: entries out of order")
        last = e["seq"]
        if content_hash({**e, "case_id": case_id, "data": exact_data_text(e["data"])}) != e["hash"]:
            raise PackageError(f"{label}: hash does not match its content (altered entry)")
    entry_ids = {e["id"] for e in body["log"]}
    position_ids = {p["id"] for p in body["positions"]}
    if len(entry_ids) != len(body["log"]) or len(position_ids) != len(body["positions"]):
        raise PackageError(f"case {case_id}: the same entry or position id appears twice")
    lkp = body["case"]["lkp_id"]
    if lkp is not None and lkp not in position_ids:
        raise PackageError(f"case {case_id}: its last known position is not among the positions")
    for run in body["drift_runs"]:
        if run["entry_id"] not in entry_ids:
            raise PackageError(f"drift run {run['id']}: its log entry is not in the sync file")
    run_ids = {r["id"] for r in body["drift_runs"]}
    # A plan's run recorded before this delta is one the receiver holds (the importer checks).
    plans = [
        {**p, "drift_run_id": None} if p["drift_run_id"] not in run_ids else p
        for p in body["plans"]
    ]
    check_tasking_references({**body, "plans": plans})
    _check_times(body, created)


def _check_times(body: dict[str, Any], created: datetime) -> None:
    reports = [
        ("the file's creation", time_to_wire(created)),
        ("case created", body["case"]["created"]),
    ]
    reports += [(f"log entry seq {e['seq']}", e["time"]) for e in body["log"]]
    reports += [(f"position {p['id']}", p["time"]) for p in body["positions"]]
    reports += [(f"drift run {r['id']}", r["created"]) for r in body["drift_runs"]]
    for unit in body["units"]:
        reports += [(f"unit {unit['id']} position", p["time"]) for p in unit["positions"]]
    reports += [(f"search plan {p['id']}", p["created"]) for p in body["plans"]]
    windows = [
        (f"search plan {p['id']} {k}", p[k]) for p in body["plans"] for k in ("start", "end")
    ]
    now = datetime.now(UTC)
    try:
        for where, text in reports:
            if text is not None:
                check_report_time(time_from_wire(text), what=where, now=now)
        for where, text in windows:
            if text is not None:
                check_not_before_1970(time_from_wire(text), what=where)
    except (TimeRangeError, ValueError) as exc:
        raise PackageError(f"sync file refused: {exc}") from None


__all__ = [
    "CURRENT_VERSION",
    "FORMAT",
    "SUFFIX",
    "Ack",
    "Bundle",
    "build_bundle",
    "bundle_bytes",
    "check_delta",
    "read_bundle",
]
