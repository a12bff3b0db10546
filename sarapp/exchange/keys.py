"""The desk's Ed25519 signing key, its RCC identity, and the trust list of peer RCCs' keys.

Everything lives in one folder (the CLI's default is ``<data dir>/keys``): ``desk.key`` (the
private key, PKCS#8 PEM, owner-only 0600), ``rcc.json`` (who this desk is: id, name, country)
and ``trusted.json`` (peer RCCs' public keys, imported from their key files). A key's
fingerprint is the SHA-256 of its 32 raw public-key bytes, shown as 16 groups of 4 hex digits,
so two coordinators can read it to each other over the phone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sarapp.exchange.atomic import write_atomic
from sarapp.exchange.errors import KeyStoreError
from sarapp.model import utc_now

PRIVATE_KEY_FILE = "desk.key"
IDENTITY_FILE = "rcc.json"
TRUST_FILE = "trusted.json"
KEY_FILE_FORMAT = "sarapp-public-key"
MAX_KEY_FILE_BYTES = 64 * 1024  # a key file is a few hundred bytes; refuse anything huge


@dataclass(frozen=True)
class Rcc:
    """An RCC as packages name it: a short id (``MRCC-ETEL``), its name and ISO 3166 country."""

    id: str
    name: str = ""
    country: str = ""


@dataclass(frozen=True)
class PeerKey:
    """A public key with the RCC it belongs to; ``public_key`` is base64 of the 32 raw bytes."""

    rcc: Rcc
    public_key: str
    fingerprint: str
    added: str = ""  # ISO 8601 UTC time it entered the trust list


@dataclass(frozen=True)
class DeskKeys:
    """This desk's key pair and identity, loaded from its key folder."""

    folder: Path
    private_key: Ed25519PrivateKey
    rcc: Rcc | None

    @property
    def public_key(self) -> str:
        return _b64(_raw_public(self.private_key.public_key()))

    @property
    def fingerprint(self) -> str:
        return fingerprint(_raw_public(self.private_key.public_key()))

    def sign(self, message: bytes) -> str:
        """The Ed25519 signature of ``message``, base64."""
        return _b64(self.private_key.sign(message))

    def require_rcc(self) -> Rcc:
        if self.rcc is None or not self.rcc.id:
            raise KeyStoreError(
                f"this desk has no RCC identity in {self.folder}: set it first "
                "(sarapp keys rcc ID --name NAME --country CC)"
            )
        return self.rcc


def fingerprint(raw_public_key: bytes) -> str:
    """SHA-256 of the raw public key as ``ab12 cd34 …`` (64 hex digits in groups of 4)."""
    digest = hashlib.sha256(raw_public_key).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, 64, 4))


def load_or_create(folder: Path) -> DeskKeys:
    """The desk's keys in ``folder``, creating the folder (0700) and key pair (0600) if absent.

    An existing private key readable by group or others is refused: it may have been copied.
    """
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_path = folder / PRIVATE_KEY_FILE
    if not key_path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        write_atomic(key_path, pem, mode=0o600)
    mode = stat.S_IMODE(key_path.stat().st_mode)
    if mode & 0o077:
        raise KeyStoreError(
            f"private key {key_path} is readable by others (mode {mode:04o}); "
            f"run: chmod 600 {key_path}"
        )
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise KeyStoreError(f"private key {key_path} cannot be read: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyStoreError(f"private key {key_path} is not an Ed25519 key")
    return DeskKeys(folder, key, _read_identity(folder / IDENTITY_FILE))


def set_identity(folder: Path, rcc: Rcc) -> DeskKeys:
    """Name the RCC this desk signs as; creates the key pair if needed."""
    if not rcc.id.strip():
        raise KeyStoreError("an RCC needs an id (e.g. MRCC-ETEL)")
    keys = load_or_create(folder)
    write_atomic(Path(folder) / IDENTITY_FILE, _json_bytes(asdict(rcc)), mode=0o600)
    return DeskKeys(keys.folder, keys.private_key, rcc)


def public_key_file(keys: DeskKeys) -> bytes:
    """The key file a peer imports into its trust list (JSON, no secret in it)."""
    rcc = keys.require_rcc()
    return _json_bytes(
        {
            "format": KEY_FILE_FORMAT,
            "version": 1,
            "algorithm": "Ed25519",
            "rcc": asdict(rcc),
            "public_key": keys.public_key,
            "fingerprint": keys.fingerprint,
        }
    )


def read_key_file(content: bytes, *, name: str = "key file") -> PeerKey:
    """A peer's key file → ``PeerKey``; the stated fingerprint must match the key."""
    if len(content) > MAX_KEY_FILE_BYTES:
        raise KeyStoreError(f"{name}: {len(content)} bytes is too large for a key file")
    try:
        doc = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KeyStoreError(f"{name}: not a sarapp key file (bad JSON: {exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != KEY_FILE_FORMAT:
        raise KeyStoreError(f"{name}: not a sarapp key file (format is not {KEY_FILE_FORMAT!r})")
    if doc.get("version") != 1 or doc.get("algorithm") != "Ed25519":
        raise KeyStoreError(f"{name}: only version 1 Ed25519 key files are understood")
    rcc = _rcc_from(doc.get("rcc"), name)
    raw = decode_public_key(doc.get("public_key"), name)
    stated = doc.get("fingerprint")
    if stated is not None and stated != fingerprint(raw):
        raise KeyStoreError(f"{name}: the stated fingerprint does not match the key")
    return PeerKey(rcc, _b64(raw), fingerprint(raw))


def trust(folder: Path, peer: PeerKey) -> PeerKey:
    """Add (or replace, for the same RCC id or key) a peer's key in the trust list."""
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    added = PeerKey(peer.rcc, peer.public_key, peer.fingerprint, utc_now().isoformat())
    kept = [
        p
        for p in trusted_peers(folder)
        if p.rcc.id != peer.rcc.id and p.public_key != peer.public_key
    ]
    peers = [*kept, added]
    write_atomic(
        folder / TRUST_FILE,
        _json_bytes({"version": 1, "peers": [asdict(p) for p in peers]}),
        mode=0o600,
    )
    return added


def trusted_peers(folder: Path) -> list[PeerKey]:
    """The trust list, in the order keys were added (empty when there is none yet)."""
    path = Path(folder) / TRUST_FILE
    if not path.exists():
        return []
    try:
        doc = json.loads(path.read_bytes())
        return [
            PeerKey(_rcc_from(p["rcc"], str(path)), p["public_key"], p["fingerprint"], p["added"])
            for p in doc["peers"]
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyStoreError(f"trust list {path} is damaged: {exc}") from None


def find_trusted(folder: Path, public_key: str) -> PeerKey | None:
    return next((p for p in trusted_peers(folder) if p.public_key == public_key), None)


def decode_public_key(text: Any, name: str = "key") -> bytes:
    """Base64 of a 32-byte Ed25519 public key → the raw bytes (KeyStoreError if not)."""
    if not isinstance(text, str):
        raise KeyStoreError(f"{name}: public_key must be base64 text")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyStoreError(f"{name}: public_key is not valid base64") from None
    if len(raw) != 32:
        raise KeyStoreError(f"{name}: an Ed25519 public key is 32 bytes, not {len(raw)}")
    return raw


def verify_signature(public_key: str, signature: str, message: bytes) -> bool:
    """Whether ``signature`` (base64) is the Ed25519 signature of ``message`` by that key."""
    try:
        raw_signature = base64.b64decode(signature, validate=True)
        key = Ed25519PublicKey.from_public_bytes(decode_public_key(public_key))
        key.verify(raw_signature, message)
    except (InvalidSignature, KeyStoreError, binascii.Error, ValueError, TypeError):
        return False
    return True


def _read_identity(path: Path) -> Rcc | None:
    if not path.exists():
        return None
    try:
        return _rcc_from(json.loads(path.read_bytes()), str(path))
    except ValueError as exc:
        raise KeyStoreError(f"{path} is damaged: {exc}") from None


def _rcc_from(value: Any, name: str) -> Rcc:
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not value["id"]:
        raise KeyStoreError(f"{name}: the RCC needs an id")
    fields = {k: value.get(k, "") for k in ("id", "name", "country")}
    if not all(isinstance(v, str) for v in fields.values()):
        raise KeyStoreError(f"{name}: RCC id, name and country must be text")
    return Rcc(**fields)


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _json_bytes(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


__all__ = [
    "DeskKeys",
    "PeerKey",
    "Rcc",
    "find_trusted",
    "fingerprint",
    "load_or_create",
    "public_key_file",
    "read_key_file",
    "set_identity",
    "trust",
    "trusted_peers",
    "verify_signature",
]
