"""A watched inbox folder (a USB stick, a shared drive): package files dropped there are
verified and imported exactly as ``handover import`` does, then moved out of the way.

Each ``*.sarpkg`` file is imported in its own transaction. An imported one (or one imported
before) moves to ``processed/``; one signed by a key the desk does not trust goes to the desk's
quarantine (``sarapp.exchange.quarantine``) and leaves the folder; a refused one moves to
``refused/`` beside a ``<name>.reason.txt`` (0600) saying why, so the coordinator sees it and
nothing is retried forever.
A file still being copied (its size changed since the last look) is left for the next poll.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sarapp.errors import SarappError
from sarapp.exchange.atomic import write_atomic
from sarapp.exchange.errors import ExchangeError
from sarapp.exchange.quarantine import receive
from sarapp.exchange.ziparchive import DEFAULT_LIMITS
from sarapp.model_exchange import ImportResult
from sarapp.store import Desk

PACKAGE_SUFFIX = ".sarpkg"
PROCESSED = "processed"
REFUSED = "refused"
POLL_INTERVAL_S = 5.0  # seconds between two looks at the folder


@dataclass(frozen=True)
class FolderImport:
    """One file handled: imported (``result``), quarantined or refused (``reason``), and
    where it went."""

    name: str
    moved_to: Path
    result: ImportResult | None
    reason: str = ""
    quarantined: bool = False


def import_folder(
    store: Desk,
    folder: Path,
    *,
    author: str,
    sizes: dict[str, int] | None = None,
) -> list[FolderImport]:
    """Import every complete package file in ``folder`` now (oldest first); none, and
    ``TrustError``, while the desk's trust is not what its key signed.

    ``sizes`` (name → bytes seen at the last poll) lets a watcher skip files still growing;
    without it every file is taken as complete.
    """
    folder = Path(folder)
    done = []
    files = _package_files(folder)
    if files:  # a trust changed behind the desk's back is the desk's fault, not the files':
        store.trust.check_intact()  # they stay where they are (TrustError)
    for path in sorted(files, key=lambda p: (p.stat().st_mtime, p.name)):
        size = path.stat().st_size
        if sizes is not None and sizes.get(path.name) != size:
            sizes[path.name] = size  # look again next time: it may still be copying
            continue
        done.append(_import_one(store, path, author=author))
        if sizes is not None:
            sizes.pop(path.name, None)
    return done


def watch_folder(
    store: Desk,
    folder: Path,
    *,
    author: str,
    interval_s: float = POLL_INTERVAL_S,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[FolderImport]:
    """Poll ``folder`` every ``interval_s`` seconds, yielding each file handled; stops when
    the generator is closed. A file is taken once its size is the same on two looks."""
    sizes: dict[str, int] = {}
    while True:
        yield from import_folder(store, folder, author=author, sizes=sizes)
        sleep(interval_s)


def _package_files(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file() and p.name.endswith(PACKAGE_SUFFIX)]
    except OSError as exc:
        raise ExchangeError(
            f"cannot read the inbox folder {folder}: {exc.strerror or exc}"
        ) from None


def _import_one(store: Desk, path: Path, *, author: str) -> FolderImport:
    try:
        received = receive(store, _read_file(path), author=author)
    except SarappError as exc:
        target = _move(path, path.parent / REFUSED)
        reason = str(exc)
        write_atomic(target.parent / f"{target.name}.reason.txt", (reason + "\n").encode())
        return FolderImport(path.name, target, None, reason)
    if received.quarantined is not None:
        kept = received.quarantined
        try:
            path.unlink()  # kept in the desk's quarantine: it leaves the drop folder
        except OSError as exc:
            raise ExchangeError(f"cannot remove {path}: {exc.strerror or exc}") from None
        reason = f"signed by a key this desk does not trust (fingerprint {kept.fingerprint})"
        return FolderImport(path.name, kept.path, None, reason, quarantined=True)
    return FolderImport(path.name, _move(path, path.parent / PROCESSED), received.result)


def _read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > DEFAULT_LIMITS.max_file_bytes:
            raise ExchangeError(f"{path.name}: larger than {DEFAULT_LIMITS.max_file_bytes} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"cannot read {path}: {exc.strerror or exc}") from None


def _move(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder``, never overwriting a file already there."""
    try:
        folder.mkdir(exist_ok=True)
        target = folder / path.name
        counter = 1
        while target.exists():
            target = folder / f"{path.stem}.{counter}{path.suffix}"
            counter += 1
        os.replace(path, target)
    except OSError as exc:
        raise ExchangeError(f"cannot move {path.name} to {folder}: {exc.strerror or exc}") from None
    return target


__all__ = ["FolderImport", "import_folder", "watch_folder"]
