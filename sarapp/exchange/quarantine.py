"""Packages from signers this desk does not trust, kept aside until an officer decides.

A package whose signature verifies but whose key is not in the trust list changes nothing on
the desk: it is kept in a quarantine folder beside the desk file (``<desk>.quarantine/``,
0700; each package 0600, named ``<package id>.<digest>.sarpkg``) and written nowhere in the
desk's tables. The officer sees its claimed sender and its key's fingerprint, checks the
fingerprint with that RCC by another channel (telephone, its published fingerprint), trusts
the key (``trust_signer``) and only then imports it (``import_quarantined``) — or discards it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sarapp.exchange.apply import import_package, package_digest
from sarapp.exchange.atomic import write_atomic
from sarapp.exchange.errors import ExchangeError, KeyStoreError, PackageError
from sarapp.exchange.gate import UntrustedSigner
from sarapp.exchange.keyring import desk_trust, trust_key
from sarapp.exchange.keys import PeerKey, Rcc, same_fingerprint
from sarapp.exchange.reader import ReadPackage, read_package, read_package_file
from sarapp.exchange.ziparchive import DEFAULT_LIMITS, Limits
from sarapp.model import Changes
from sarapp.model_exchange import ImportResult
from sarapp.store import Desk

SUFFIX = ".sarpkg"


@dataclass(frozen=True)
class Quarantined:
    """A package kept aside: where, what it claims, and the key that signed it."""

    path: Path
    package_id: str
    case_id: str
    case_title: str
    purpose: str
    claimed: Rcc  # header.from: what the package says, not proof
    fingerprint: str
    public_key: str
    received: datetime  # when it was put in quarantine (UTC)
    size: int


@dataclass(frozen=True)
class Received:
    """What became of a package offered to the desk: imported, or quarantined."""

    read: ReadPackage
    result: ImportResult | None = None
    quarantined: Quarantined | None = None


def quarantine_dir(store: Desk) -> Path:
    """The quarantine folder beside the desk file."""
    return store.path.with_name(f"{store.path.name}.quarantine")


def receive(
    store: Desk, content: bytes, *, author: str, limits: Limits = DEFAULT_LIMITS
) -> Received:
    """Verify a package and import it if its signer is trusted here, else quarantine it.
    PackageError when it is refused outright (damaged, forged, a sender it cannot speak for)."""
    read = read_package(content, trust=desk_trust(store), limits=limits).require_valid()
    try:
        return Received(read, result=import_package(store, read, author=author))
    except UntrustedSigner:
        return Received(read, quarantined=keep(store, content, read))


def keep(store: Desk, content: bytes, read: ReadPackage) -> Quarantined:
    """Put a verified package in the quarantine folder (the same package only once)."""
    folder = quarantine_dir(store)
    name = f"{read.header['package_id']}.{package_digest(read.document)[:12]}{SUFFIX}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)
        if not (folder / name).exists():
            write_atomic(folder / name, content, mode=0o600)
    except OSError as exc:
        raise ExchangeError(f"cannot keep the package in {folder}: {exc.strerror or exc}") from None
    return _item(folder / name, read)


def count(store: Desk) -> tuple[int, int]:
    """How many packages the quarantine holds, and their bytes."""
    files = _files(quarantine_dir(store))
    return len(files), sum(f.stat().st_size for f in files)


def list_quarantined(store: Desk) -> list[Quarantined]:
    """The packages kept aside, oldest first (one that no longer reads is left out)."""
    items = []
    for path in _files(quarantine_dir(store)):
        try:
            items.append(_item(path, read_package_file(path, trust=None)))
        except PackageError:
            continue
    return sorted(items, key=lambda q: (q.received, q.path.name))


def find_quarantined(store: Desk, ref: str) -> Quarantined:
    """A quarantined package by its package id (or a unique prefix), or its file name."""
    ref = ref.strip()
    found = [q for q in list_quarantined(store) if q.package_id.startswith(ref) or
             q.path.name == ref or str(q.path) == ref]  # fmt: skip
    if len(found) == 1:
        return found[0]
    if not found:
        raise ExchangeError(f"no quarantined package {ref!r} (see: sarapp handover quarantine)")
    raise ExchangeError(f"{ref!r} names {len(found)} quarantined packages; give more of the id")


def read_quarantined(path: Path) -> Quarantined:
    """A quarantined package (or any package file) as a quarantine item."""
    return _item(Path(path), read_package_file(Path(path), trust=None).require_valid())


def trust_signer(
    store: Desk, item: Quarantined, *, fingerprint: str, author: str
) -> tuple[PeerKey, Changes]:
    """Trust the key that signed a quarantined package, as the RCC it claims to be — only
    when ``fingerprint`` (as the officer got it from that RCC by another channel) is the
    key's. The package itself stays in quarantine until imported."""
    if not same_fingerprint(fingerprint, item.fingerprint):
        raise KeyStoreError(
            f"the fingerprint given does not match the key of package {item.package_id} "
            f"({item.fingerprint}): not trusted"
        )
    return trust_key(store, PeerKey(item.claimed, item.public_key, item.fingerprint), author=author)


def import_quarantined(store: Desk, item: Quarantined, *, author: str) -> Received:
    """Import a quarantined package now that its signer is trusted; it leaves quarantine.
    ``UntrustedSigner`` while its key is still unknown (nothing written)."""
    read = read_package_file(item.path, trust=desk_trust(store)).require_valid()
    result = import_package(store, read, author=author)
    discard(item)
    return Received(read, result=result)


def discard(item: Quarantined) -> None:
    """Delete a quarantined package (the officer judged it not genuine)."""
    try:
        item.path.unlink(missing_ok=True)
    except OSError as exc:
        raise ExchangeError(f"cannot remove {item.path}: {exc.strerror or exc}") from None


def _item(path: Path, read: ReadPackage) -> Quarantined:
    info = path.stat()
    return Quarantined(
        path=path,
        package_id=read.header["package_id"],
        case_id=read.header["case_id"],
        case_title=read.body["case"]["title"],
        purpose=read.header["purpose"],
        claimed=read.claimed_sender,
        fingerprint=read.signature.fingerprint,
        public_key=read.public_key,
        received=datetime.fromtimestamp(info.st_mtime, UTC),
        size=info.st_size,
    )


def _files(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file() and p.name.endswith(SUFFIX)]
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ExchangeError(f"cannot read the quarantine {folder}: {exc.strerror or exc}") from None


__all__ = [
    "Quarantined",
    "Received",
    "discard",
    "find_quarantined",
    "import_quarantined",
    "keep",
    "list_quarantined",
    "quarantine_dir",
    "read_quarantined",
    "receive",
    "trust_signer",
]
