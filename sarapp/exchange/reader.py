"""Read and verify a handover package: size limits, zip safety, signature, upgrade, schema.

Nothing from a package is believed before it has passed, in order: size limits; for a zip,
member names (none may leave the package folder), member sizes and compression ratios; strict
JSON (UTF-8, no duplicate names, no NaN); the Ed25519 signature over the RFC 8785 form of the
document as received; the upgrade to the current format version; the JSON Schema (unknown
members refused in strict mode); the hash chain of the log; the attachments' SHA-256.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from sarapp.exchange import keys as keystore
from sarapp.exchange.body import check_log_chain, check_references, check_times
from sarapp.exchange.canonical import CanonicalError, read_int
from sarapp.exchange.case_checkpoint import verified
from sarapp.exchange.errors import ExchangeError, PackageError
from sarapp.exchange.keys import Rcc, Trust
from sarapp.exchange.large_ints import restore_exact_data
from sarapp.exchange.package import signed_content
from sarapp.exchange.persons_body import check_personal_references
from sarapp.exchange.validation import (
    check_schema_keywords,
    drop_unknown,
    raise_if_invalid,
    validate,
)
from sarapp.exchange.versions import CURRENT_VERSION, FORMAT, upgrade
from sarapp.exchange.ziparchive import DEFAULT_LIMITS, Limits, is_zip, open_zip
from sarapp.resources import resource_path

SCHEMA_NAME = f"schemas/handover-package-v{CURRENT_VERSION}.schema.json"


class SignatureStatus(StrEnum):
    VALID_TRUSTED = "valid-and-trusted"
    VALID_UNKNOWN = "valid-but-unknown-signer"
    INVALID = "invalid"


@dataclass(frozen=True)
class Signature:
    """What the signature says: status, the key's fingerprint, the trusted RCC, and why."""

    status: SignatureStatus
    fingerprint: str
    signer: Rcc | None  # the RCC the trust list names for this key
    reason: str


@dataclass(frozen=True)
class ReadPackage:
    """A package that passed every check but (possibly) the signature; see ``require_valid``."""

    document: dict[str, Any]
    signature: Signature
    attachments: dict[str, bytes] = field(default_factory=dict)
    upgraded_from: int | None = None
    dropped: tuple[str, ...] = ()  # unknown members dropped (lenient mode only)

    @property
    def header(self) -> dict[str, Any]:
        return self.document["header"]

    @property
    def body(self) -> dict[str, Any]:
        return self.document["body"]

    @property
    def public_key(self) -> str:
        """The signing key (base64), as the signature block states it."""
        return self.document["signature"]["public_key"]

    @property
    def claimed_sender(self) -> Rcc:
        """The RCC the header says the package is from (not proof of anything by itself)."""
        sender = self.header["from"]
        return Rcc(sender["id"], sender.get("name", ""), sender.get("country", ""))

    def require_valid(self) -> ReadPackage:
        """Refuse (PackageError) a package whose signature does not verify."""
        if self.signature.status is SignatureStatus.INVALID:
            raise PackageError(f"package refused: invalid signature ({self.signature.reason})")
        return self


@cache
def package_schema() -> dict[str, Any]:
    schema = json.loads(resource_path(SCHEMA_NAME).read_text(encoding="utf-8"))
    check_schema_keywords(schema)
    return schema


def read_package_file(
    path: Path, *, trust: Trust | None, strict: bool = True, limits: Limits = DEFAULT_LIMITS
) -> ReadPackage:
    """``read_package`` on a file, refusing an oversized file before reading it."""
    content = package_file_bytes(path, limits)
    return read_package(content, trust=trust, strict=strict, limits=limits)


def package_file_bytes(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A package file's bytes, an oversized file refused before it is read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise PackageError(f"{path.name}: {size} bytes exceeds {limits.max_file_bytes}")
        return path.read_bytes()
    except OSError as exc:
        raise PackageError(f"cannot read {path}: {exc.strerror or exc}") from None


def read_package(
    content: bytes, *, trust: Trust | None, strict: bool = True, limits: Limits = DEFAULT_LIMITS
) -> ReadPackage:
    """Check a package's bytes; PackageError says why one is refused.

    ``trust`` (``sarapp.exchange.keyring.desk_trust``) names the keys the desk trusts; None
    means none, so a good signature reads as valid but from an unknown signer. The status is
    for the officer to read: an import checks the desk's trust list again itself.
    """
    if len(content) > limits.max_file_bytes:
        raise PackageError(f"package of {len(content)} bytes exceeds {limits.max_file_bytes}")
    try:
        return _read(content, trust=trust, strict=strict, limits=limits)
    except RecursionError:
        raise PackageError("package JSON is nested too deeply") from None


def _read(content: bytes, *, trust: Trust | None, strict: bool, limits: Limits) -> ReadPackage:
    attachments: dict[str, bytes] = {}
    if is_zip(content):
        content, attachments = open_zip(content, limits)
    document = parse_json(content, limits)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise PackageError(f"not a sarapp handover package (format is not {FORMAT!r})")
    signature = check_signature(document, trust)
    document, upgraded_from = upgrade(document)
    result = validate(document, package_schema())
    raise_if_invalid(result, strict=strict)
    drop_unknown(document, result.unknown)
    body = document["body"]
    if document["header"]["case_id"] != body["case"]["id"]:
        raise PackageError("header.case_id is not the id of the case in the body")
    check_references(body)
    check_times(document)
    restore_exact_data(body["log"])
    check_log_chain(body["case"]["id"], body["log"])
    check_personal_references(body)
    verified(body, document["signature"]["public_key"])  # the sender's case checkpoint
    _check_attachments(body["attachments"], attachments)
    signature = _match_sender(signature, document["header"]["from"])
    return ReadPackage(document, signature, attachments, upgraded_from, result.unknown)


def parse_json(content: bytes, limits: Limits) -> Any:
    """Strict JSON: UTF-8, no duplicate member names, no NaN/Infinity, bounded nesting."""
    if len(content) > limits.max_json_bytes:
        raise PackageError(f"package JSON of {len(content)} bytes exceeds {limits.max_json_bytes}")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(f"package is not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constant,
            parse_int=read_int,
        )
    except json.JSONDecodeError as exc:
        raise PackageError(f"package is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise PackageError(f"package JSON cannot be read: {exc}") from None
    except RecursionError:
        raise PackageError("package JSON is nested too deeply") from None


def check_signature(document: dict[str, Any], trust: Trust | None) -> Signature:
    """Verify the signature over the document as received (before any upgrade)."""
    block = document.get("signature")
    if not isinstance(block, dict):
        return Signature(SignatureStatus.INVALID, "", None, "the package is not signed")
    public_key, value = block.get("public_key"), block.get("value")
    if block.get("algorithm") != "Ed25519" or not isinstance(public_key, str):
        return Signature(SignatureStatus.INVALID, "", None, "signature is not Ed25519")
    try:
        message = signed_content(document)
    except CanonicalError as exc:
        raise PackageError(f"package is not I-JSON, so it cannot be verified: {exc}") from None
    try:
        raw = keystore.decode_public_key(public_key, "signature")
    except ExchangeError as exc:
        return Signature(SignatureStatus.INVALID, "", None, str(exc))
    fingerprint = keystore.fingerprint(raw)
    if block.get("fingerprint") != fingerprint:
        reason = "the stated fingerprint is not the signing key's"
        return Signature(SignatureStatus.INVALID, fingerprint, None, reason)
    if not isinstance(value, str) or not keystore.verify_signature(public_key, value, message):
        reason = "the content does not match the signature (altered or damaged)"
        return Signature(SignatureStatus.INVALID, fingerprint, None, reason)
    peer = trust.find(public_key) if trust is not None else None
    if peer is None:
        reason = "the signing key is not in this desk's trust list"
        return Signature(SignatureStatus.VALID_UNKNOWN, fingerprint, None, reason)
    return Signature(SignatureStatus.VALID_TRUSTED, fingerprint, peer.rcc, "")


def _match_sender(signature: Signature, sender: dict[str, Any]) -> Signature:
    """A trusted key signing for another RCC than its own is not that RCC's word."""
    if signature.signer is None or signature.signer.id == sender["id"]:
        return signature
    reason = (
        f"the key belongs to {signature.signer.id} but the package says it is from {sender['id']}"
    )
    return Signature(SignatureStatus.VALID_UNKNOWN, signature.fingerprint, None, reason)


def _check_attachments(listed: list[dict[str, Any]], found: dict[str, bytes]) -> None:
    names = {a["name"] for a in listed}
    if len(names) != len(listed):
        raise PackageError("attachments: the same name is listed twice")
    for name in sorted(set(found) - names):
        raise PackageError(f"attachment {name!r} is in the archive but not listed in the body")
    for item in listed:
        content = found.get(item["name"])
        if content is None:
            raise PackageError(f"attachment {item['name']!r} is listed but missing")
        if len(content) != item["size"] or hashlib.sha256(content).hexdigest() != item["sha256"]:
            raise PackageError(f"attachment {item['name']!r} does not match its signed SHA-256")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise PackageError(f"package JSON names member {name!r} twice in one object")
        result[name] = value
    return result


def _no_constant(name: str) -> Any:
    raise PackageError(f"package JSON contains {name}, which is not a JSON number")
