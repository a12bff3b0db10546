"""Ed25519 keys: the desk's key pair, key files peers exchange, fingerprints and signatures.

Where a desk's key lives and how it is found is ``sarapp.exchange.keyring``; the trust list is
in the desk (``sarapp.store.trust``). A key's fingerprint is the SHA-256 of its 32 raw
public-key bytes, shown as 16 groups of 4 hex digits, so two coordinators can read it to each
other over the phone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sarapp.exchange.atomic import write_atomic
from sarapp.exchange.errors import KeyStoreError
from sarapp.model import PeerKey, Rcc

PRIVATE_KEY_FILE = "desk.key"
KEY_FILE_FORMAT = "sarapp-public-key"
MAX_KEY_FILE_BYTES = 64 * 1024  # a key file is a few hundred bytes; refuse anything huge


@dataclass(frozen=True)
class DeskKeys:
    """A desk's key pair and the RCC it signs as: the signer of its packages and checkpoints.

    ``sign(message)`` returns the raw 64-byte Ed25519 signature, ``raw_public_key`` the raw 32
    bytes; ``public_key`` is their base64 as packages carry it. ``key_path`` and ``desk_id``
    say where the private key was read from and for which desk (empty for a detached pair).
    """

    private_key: Ed25519PrivateKey
    rcc: Rcc | None = None
    key_path: Path | None = None
    desk_id: str = ""

    @classmethod
    def generate(cls, rcc: Rcc | None = None) -> DeskKeys:
        """A fresh key pair held in memory only (a detached signer: tests, tools)."""
        return cls(Ed25519PrivateKey.generate(), rcc)

    @property
    def raw_public_key(self) -> bytes:
        return raw_public(self.private_key.public_key())

    @property
    def public_key(self) -> str:
        return b64(self.raw_public_key)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.raw_public_key)

    def sign(self, message: bytes) -> bytes:
        """The raw 64-byte Ed25519 signature of ``message``."""
        return self.private_key.sign(message)

    def require_rcc(self) -> Rcc:
        if self.rcc is None or not self.rcc.id:
            raise KeyStoreError(
                "this desk has no RCC identity: set it first "
                "(sarapp keys rcc ID --name NAME --country CC)"
            )
        return self.rcc

    def as_peer(self) -> PeerKey:
        """This desk's own key as a trust-list record (its packages coming back are its own)."""
        return PeerKey(self.rcc or Rcc("this desk"), self.public_key, self.fingerprint)


@dataclass(frozen=True)
class Trust:
    """Whose signatures a desk believes, as a snapshot: its own key and its trust list."""

    peers: tuple[PeerKey, ...] = ()
    own: PeerKey | None = None
    _by_key: dict[str, PeerKey] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({p.public_key: p for p in self.peers})
        if self.own is not None:
            self._by_key[self.own.public_key] = self.own

    @classmethod
    def of(cls, keys: Iterable[DeskKeys]) -> Trust:
        """Trust exactly these key pairs (under their own RCC identity)."""
        return cls(tuple(k.as_peer() for k in keys))

    def find(self, public_key: str) -> PeerKey | None:
        """The trusted record of a key (base64), or None for an unknown signer."""
        return self._by_key.get(public_key)


def fingerprint(raw_public_key: bytes) -> str:
    """SHA-256 of the raw public key as ``ab12 cd34 …`` (64 hex digits in groups of 4)."""
    digest = hashlib.sha256(raw_public_key).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, 64, 4))


def same_fingerprint(typed: str, known: str) -> bool:
    """Whether a fingerprint as an officer typed it (any spaces, any case) is ``known``."""
    return "".join(typed.split()).lower() == "".join(known.split()).lower()


def read_private_key(path: Path) -> Ed25519PrivateKey:
    """The private key in ``path``, refused (KeyStoreError, one line) when it is missing, not
    a file, owned by another user, readable by others, unreadable or not an Ed25519 key."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise KeyStoreError(f"private key {path} is missing") from None
    except OSError as exc:
        raise KeyStoreError(f"cannot read the private key {path}: {_reason(exc)}") from None
    if not stat.S_ISREG(info.st_mode):
        raise KeyStoreError(f"private key {path} is not a file")
    if info.st_uid != os.geteuid():
        raise KeyStoreError(
            f"private key {path} is owned by another user (uid {info.st_uid}); sarapp signs "
            "only with a key of the user running it"
        )
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise KeyStoreError(
            f"private key {path} is readable by others (mode {mode:04o}); run: chmod 600 {path}"
        )
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise KeyStoreError(f"cannot read the private key {path}: {_reason(exc)}") from None
    try:
        key = serialization.load_pem_private_key(content, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise KeyStoreError(f"private key {path} cannot be read: {reason}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyStoreError(f"private key {path} is not an Ed25519 key")
    return key


def write_private_key(path: Path, key: Ed25519PrivateKey) -> None:
    """Write a private key owner-only (file 0600 in a 0700 folder), never over another."""
    path = Path(path)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.exists():
            raise KeyStoreError(f"private key {path} already exists; it is not overwritten")
        write_atomic(path, pem, mode=0o600)
    except OSError as exc:
        raise KeyStoreError(f"cannot write the private key {path}: {_reason(exc)}") from None


def public_key_file(keys: DeskKeys) -> bytes:
    """The key file a peer imports into its trust list (JSON, no secret in it)."""
    rcc = keys.require_rcc()
    return json_bytes(
        {
            "format": KEY_FILE_FORMAT,
            "version": 1,
            "algorithm": "Ed25519",
            "rcc": asdict(rcc),
            "public_key": keys.public_key,
            "fingerprint": keys.fingerprint,
        }
    )


def is_key_file(content: bytes) -> bool:
    """Whether ``content`` looks like a key file rather than something else (a package)."""
    return KEY_FILE_FORMAT.encode() in content[:4096]


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
    rcc = rcc_from(doc.get("rcc"), name)
    raw = decode_public_key(doc.get("public_key"), name)
    stated = doc.get("fingerprint")
    if stated is not None and stated != fingerprint(raw):
        raise KeyStoreError(f"{name}: the stated fingerprint does not match the key")
    return PeerKey(rcc, b64(raw), fingerprint(raw))


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


def rcc_from(value: Any, name: str) -> Rcc:
    """An RCC as a key file or package names it (``{"id", "name", "country"}``)."""
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not value["id"]:
        raise KeyStoreError(f"{name}: the RCC needs an id")
    fields = {k: value.get(k, "") for k in ("id", "name", "country")}
    if not all(isinstance(v, str) for v in fields.values()):
        raise KeyStoreError(f"{name}: RCC id, name and country must be text")
    return Rcc(**fields)


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def json_bytes(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


__all__ = [
    "DeskKeys",
    "PeerKey",
    "Rcc",
    "Trust",
    "fingerprint",
    "public_key_file",
    "read_key_file",
    "read_private_key",
    "same_fingerprint",
    "verify_signature",
    "write_private_key",
]
