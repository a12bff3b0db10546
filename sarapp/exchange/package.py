"""Build, sign and write a case handover package (format ``sarapp-handover``).

A package is one JSON document: ``header`` (who sends what to whom, why), ``body`` (the case,
its whole hash-chained log, its positions, a SITREP, the list of attachments) and
``signature`` (Ed25519 over the RFC 8785 canonical form of everything but the signature).
Without attachments it is written as plain JSON; with attachments as a zip holding
``package.json`` and ``attachments/<name>``, each attachment's SHA-256 signed in the body.
See ``docs/handover-format.md``.
"""

from __future__ import annotations

import hashlib
import io
import json
import mimetypes
import re
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sarapp.exchange.atomic import write_atomic
from sarapp.exchange.body import case_body
from sarapp.exchange.canonical import canonical_bytes
from sarapp.exchange.case_checkpoint import case_checkpoint
from sarapp.exchange.errors import ExchangeError
from sarapp.exchange.keys import DeskKeys, Rcc, b64
from sarapp.exchange.persons_body import persons_body
from sarapp.exchange.versions import CURRENT_VERSION, FORMAT
from sarapp.exchange.wire import time_to_wire
from sarapp.exchange.ziparchive import ATTACHMENT_NAME, ATTACHMENT_PREFIX, PACKAGE_MEMBER
from sarapp.limits import check_length
from sarapp.model import new_id, utc_now
from sarapp.privacy import Disclosure
from sarapp.privacy import Purpose as DataPurpose
from sarapp.store import Desk

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member times: the same package gives the same bytes


class Purpose(StrEnum):
    """Why a package is sent (the header's ``purpose``)."""

    INFORMATION = "information"
    REQUEST_COORDINATION = "request-coordination"  # please accept coordination of this case
    ACCEPTANCE = "acceptance"  # we accept coordination
    REFUSAL = "refusal"  # we decline coordination
    SITREP = "sitrep"
    ACKNOWLEDGEMENT = "acknowledgement"


@dataclass(frozen=True)
class Attachment:
    """A file sent with the case (a photo, a fax scan); ``name`` is a plain file name."""

    name: str
    media_type: str
    content: bytes

    @classmethod
    def from_file(cls, path: Path) -> Attachment:
        """Read a file to attach; its name is made plain (other characters become '_')."""
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise ExchangeError(f"cannot read {path}: {exc.strerror}") from None
        name = re.sub(r"[^A-Za-z0-9._ -]", "_", Path(path).name).lstrip(".-_ ")[:100] or "file"
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return cls(name, media_type, content)


def build_package(
    store: Desk,
    case_ref: str,
    *,
    keys: DeskKeys,
    to: Rcc,
    purpose: Purpose | str = Purpose.INFORMATION,
    sitrep: str | None = None,
    attachments: Sequence[Attachment] = (),
    in_reply_to: str | None = None,
    created: datetime | None = None,
    package_id: str | None = None,
    disclosure: Disclosure | None = None,
) -> dict[str, Any]:
    """The signed package document for a case, read from ``store`` (nothing is written).

    ``disclosure`` says why it is sent and whether personal data goes with it (default:
    ``default_disclosure`` of the purpose: the register for a handover of coordination,
    counts and statuses else)."""
    try:
        purpose = Purpose(purpose)
    except ValueError:
        choices = ", ".join(p.value for p in Purpose)
        raise ExchangeError(f"unknown purpose {purpose!r} (one of: {choices})") from None
    disclosure = disclosure or default_disclosure(purpose)
    body = case_body(store, case_ref)
    body["persons"], body["personal"] = persons_body(store, body["case"]["id"], disclosure)
    sender = keys.require_rcc()
    if body["case"]["origin"] is None:  # opened on this desk
        body["case"]["origin"] = {"rcc": sender.id, "number": body["case"]["number"]}
    names = [a.name for a in attachments]
    if len(set(names)) != len(names):
        raise ExchangeError("two attachments have the same name")
    for name in names:
        if not ATTACHMENT_NAME.fullmatch(name):
            raise ExchangeError(
                f"attachment name {name!r}: use letters, digits, '.', '_', '-' or spaces"
            )
    if sitrep is not None:
        try:
            check_length(sitrep, "body", "sitrep")
        except ValueError as exc:
            raise ExchangeError(f"SITREP: {exc}") from None
    body["sitrep"] = sitrep
    body["checkpoint"] = case_checkpoint(store, keys, body["case"]["id"], body["log"])
    body["attachments"] = [
        {
            "name": a.name,
            "media_type": a.media_type,
            "size": len(a.content),
            "sha256": hashlib.sha256(a.content).hexdigest(),
        }
        for a in attachments
    ]
    document = {
        "format": FORMAT,
        "format_version": CURRENT_VERSION,
        "header": {
            "package_id": package_id or new_id(),
            "created": time_to_wire(created or utc_now()),
            "from": asdict(sender),
            "to": asdict(to),
            "purpose": purpose.value,
            "case_id": body["case"]["id"],
            "in_reply_to": in_reply_to,
            "data_protection": disclosure.to_json(),
        },
        "body": body,
    }
    return sign_package(document, keys)


COORDINATION_PURPOSES = (Purpose.REQUEST_COORDINATION, Purpose.ACCEPTANCE, Purpose.REFUSAL)


def default_disclosure(purpose: Purpose | str) -> Disclosure:
    """A handover of coordination carries the register (coordination of the rescue needs
    it); any other package counts and statuses only (flag-state information), unless the
    officer chooses otherwise."""
    if Purpose(purpose) in COORDINATION_PURPOSES:
        return Disclosure(DataPurpose.COORDINATION, True)
    return Disclosure(DataPurpose.FLAG_STATE, False)


def signed_content(document: dict[str, Any]) -> bytes:
    """The bytes a package's signature covers: RFC 8785 JSON of all but ``signature``."""
    return canonical_bytes({k: v for k, v in document.items() if k != "signature"})


def sign_package(document: dict[str, Any], keys: DeskKeys) -> dict[str, Any]:
    """A copy of ``document`` with a fresh Ed25519 signature by this desk."""
    unsigned = {k: v for k, v in document.items() if k != "signature"}
    return {
        **unsigned,
        "signature": {
            "algorithm": "Ed25519",
            "public_key": keys.public_key,
            "fingerprint": keys.fingerprint,
            "value": b64(keys.sign(signed_content(unsigned))),
        },
    }


def package_bytes(document: dict[str, Any], attachments: Sequence[Attachment] = ()) -> bytes:
    """The file content: JSON, or a zip (``package.json`` + ``attachments/…``) when needed."""
    text = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if not attachments:
        return text
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(PACKAGE_MEMBER, _ZIP_TIME), text, zipfile.ZIP_DEFLATED)
        for attachment in attachments:
            info = zipfile.ZipInfo(ATTACHMENT_PREFIX + attachment.name, _ZIP_TIME)
            archive.writestr(info, attachment.content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_package(
    path: Path, document: dict[str, Any], attachments: Sequence[Attachment] = ()
) -> int:
    """Write the package atomically (temp file, fsync, rename), owner-only (0600); returns
    its size in bytes."""
    content = package_bytes(document, attachments)
    try:
        write_atomic(Path(path), content)
    except OSError as exc:
        raise ExchangeError(f"cannot write the package to {path}: {exc.strerror or exc}") from None
    return len(content)
