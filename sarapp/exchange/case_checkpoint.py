"""A handover package's ``checkpoint``: the sender desk's signed statement of the case's log
head, so the receiver can tell later if the sender's copy was cut or rewritten.

The sender signs, with the package's key, the case id, the seq and hash of the last entry of
the log it sends, the time, and a reference to the latest checkpoint of its own desk that
signed the case (``desk_checkpoint``: where an inquiry can look in the sender's checkpoint
chain). The receiver verifies it, keeps it in its import note (its own log, under its own
checkpoints), and compares every later package from the same key for the case with every
checkpoint kept: a log that no longer reaches a signed entry, or holds another entry there,
is named in the import (and in the receiver's log); the merge itself loses nothing, as
entries are merged by UUID.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sarapp.exchange.canonical import canonical_bytes
from sarapp.exchange.errors import PackageError
from sarapp.exchange.keys import DeskKeys, verify_signature
from sarapp.exchange.wire import time_from_wire, time_to_wire
from sarapp.geo import format_dtg
from sarapp.model import utc_now
from sarapp.store import Desk

FORMAT = "sarapp-case-checkpoint"
VERSION = 1


def case_checkpoint(
    store: Desk, keys: DeskKeys, case_id: str, log: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The signed checkpoint of a package body's ``log`` (the sender's, as sent)."""
    head = log[-1]
    covering = store.checkpoints.covering(case_id)
    content = {
        "format": FORMAT,
        "version": VERSION,
        "case_id": case_id,
        "seq": head["seq"],
        "hash": head["hash"],
        "desk_checkpoint": (
            {"seq": covering[0], "hash": covering[1], "case_seq": covering[2]} if covering else None
        ),
        "time": time_to_wire(utc_now()),
        "key": keys.public_key,
    }
    signature = base64.b64encode(keys.sign(canonical_bytes(content))).decode("ascii")
    return {**content, "signature": signature}


def verified(body: Mapping[str, Any], package_key: str) -> dict | None:
    """The body's checkpoint if it holds: signed by the package's key, for the body's case,
    naming the last entry of the log sent (PackageError otherwise); None if it has none."""
    checkpoint = body.get("checkpoint")
    if checkpoint is None:
        return None
    content = {k: v for k, v in checkpoint.items() if k != "signature"}
    if checkpoint["key"] != package_key:
        raise PackageError("package refused: its checkpoint is signed by another key")
    if checkpoint["case_id"] != body["case"]["id"]:
        raise PackageError("package refused: its checkpoint is of another case")
    last = body["log"][-1] if body["log"] else {}
    if (checkpoint["seq"], checkpoint["hash"]) != (last.get("seq"), last.get("hash")):
        raise PackageError(
            f"package refused: its checkpoint signs entry {checkpoint['seq']}, not the last "
            "entry of the log it carries"
        )
    if not verify_signature(package_key, checkpoint["signature"], canonical_bytes(content)):
        raise PackageError("package refused: its checkpoint's signature does not verify")
    return dict(checkpoint)


def cut_since(
    kept: Iterable[Mapping[str, Any]], log: Sequence[Mapping[str, Any]], sender: str
) -> str | None:
    """How the sender's ``log`` in this package falls short of a checkpoint it signed before
    (the first one, oldest first), in words for the officer; None if it does not."""
    hashes = {e["seq"]: e["hash"] for e in log}
    held = max(hashes, default=0)
    for checkpoint in sorted(genuine(kept), key=lambda c: (c["time"], c["seq"])):
        when = format_dtg(time_from_wire(checkpoint["time"]))
        if checkpoint["seq"] > held:
            return (
                f"{sender}'s copy of the case was cut: it signed {checkpoint['seq']} log "
                f"entries at {when}, this package holds {held}"
            )
        if hashes[checkpoint["seq"]] != checkpoint["hash"]:
            return (
                f"{sender}'s copy of the case was rewritten: its entry {checkpoint['seq']} is "
                f"not the one it signed at {when}"
            )
    return None


def genuine(kept: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Kept checkpoints whose signature verifies: an entry another desk forwarded could
    claim anything."""
    out = []
    for checkpoint in kept:
        try:
            content = {k: v for k, v in checkpoint.items() if k != "signature"}
            message = canonical_bytes(content)
            if verify_signature(checkpoint["key"], checkpoint["signature"], message):
                out.append(checkpoint)
        except (KeyError, TypeError, ValueError):
            continue
    return out


__all__ = ["FORMAT", "case_checkpoint", "cut_since", "genuine", "verified"]
