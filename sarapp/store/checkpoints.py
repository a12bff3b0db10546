"""Signed checkpoints: the desk's Ed25519 key signs the head of every case chain it changes.

Each transaction that adds log entries ends with a checkpoint, inside the same transaction:
its body names, for every case the transaction touched, the head it left (last seq and hash)
and the seq the case had before it (``[case id, seq, hash, base]``), the hash of the
checkpoint before it, the time and the signing key, and the key signs that body. A *full*
checkpoint names every case's head, with no base (written when a desk is first opened with
its key, and after entries were written without it). A base beyond the case's last signed
head, or a full checkpoint beyond it, shows entries that were written without the key and
signed only later: ``db check`` names them. Folding the checkpoints from the last full one gives
the list of cases and their signed heads; ``check_checkpoints`` compares it with the log, so
a recomputed chain, a truncated log or a deleted case no longer matches.

The rows are append-only (triggers, like the log), and each is mirrored after its commit as a
line of JSON in ``<desk>.checkpoints`` beside the desk file (``mirror_path``), a copy the
SQLite shell does not reach. A desk opened without a key (a read-only viewer, the CLI without
its key folder) works as before and simply writes no checkpoint; ``db check`` says so.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sarapp.chain import time_text
from sarapp.model import utc_now

FORMAT = "sarapp-checkpoint"
VERSION = 1
GENESIS = "0" * 64  # ``prev`` of the first checkpoint


class Signer(Protocol):
    """What signs checkpoints: the desk's key, or any Ed25519 signer (tests make one)."""

    @property
    def raw_public_key(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""
        ...

    def sign(self, message: bytes) -> bytes:
        """The raw 64-byte Ed25519 signature of ``message``."""
        ...


@dataclass(frozen=True)
class Checkpoint:
    """One row of the ``checkpoints`` table (or one line of the mirror file). ``body`` is
    the signed JSON text, ``hash`` its SHA-256 (hex); key and signature are base64."""

    seq: int
    time: str
    body: str
    hash: str
    public_key: str
    signature: str

    @property
    def content(self) -> dict[str, Any]:
        return json.loads(self.body)

    def line(self) -> str:
        """The checkpoint as a line of the mirror file: JSON, the body as an object (its text
        is the one JSON form ``body_text`` writes, so ``read_mirror`` gets it back exactly)."""
        return (
            f'{{"seq":{self.seq},"time":"{self.time}","hash":"{self.hash}",'
            f'"public_key":"{self.public_key}","signature":"{self.signature}",'
            f'"body":{self.body}}}\n'
        )


def _canonical(content: Any) -> str:
    """The one JSON form of a checkpoint body: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def mirror_path(desk: Path) -> Path:
    """The append-only copy of a desk's checkpoints: ``desk.sqlite.checkpoints``."""
    return desk.with_name(desk.name + ".checkpoints")


def body_text(*, seq: int, prev: str, time: str, key: str, full: bool,
              heads: Iterable[tuple[str, int, str, int | None]],
              rotated_from: str | None = None, trust: str | None = None) -> str:  # fmt: skip
    """The signed body: sorted keys, no spaces, heads sorted by case id. ``rotated_from``:
    the key this one takes the desk's chain over from (a key replaced on purpose); ``trust``:
    the digest of the desk's trust as a change made it (``sarapp.store.trust_seal``)."""
    content = {
        "format": FORMAT,
        "version": VERSION,
        "seq": seq,
        "prev": prev,
        "time": time,
        "key": key,
        "full": full,
        "heads": sorted([list(h) for h in heads]),
    }
    if rotated_from is not None:
        content["rotated_from"] = rotated_from
    if trust is not None:
        content["trust"] = trust
    return _canonical(content)


def seal(
    conn: Any,
    signer: Signer,
    heads: Mapping[str, tuple[int, str, int]] | None,
    *,
    shared: bool = False,
    stored_time: Callable[[datetime], Any] = time_text,
    rotated_from: str | None = None,
    trust: str | None = None,
) -> Checkpoint | None:
    """Sign and insert the next checkpoint: ``heads`` (case id → last seq and hash as the
    transaction wrote them, and the seq before its first entry), or every case's head read
    from the log (a full checkpoint) when None. Must run inside the transaction that wrote
    those heads; ``conn`` runs the desk's SQL (``?`` placeholders), ``stored_time`` gives a
    time as the backend stores it.

    A desk file has one signer: None, and nothing written, when the last checkpoint is signed
    by another key (signing on top of it would vouch for a chain this key did not make;
    ``db check`` names the key). A ``shared`` desk (a server) has one signer per desk
    computer: each key's checkpoints form a chain of their own, numbered from one sequence
    (``sarapp_checkpoint_next``, which holds the key's chain until the commit).
    The row is inserted with ``conn.defer`` where the backend has it (sent with the COMMIT).

    ``rotated_from`` (a desk file whose key was replaced on purpose: ``rotate``): the key
    that signed the last checkpoint, which this one, a full one, takes the chain over from.
    ``trust``: the digest of the desk's trust, signed with the heads (``trust_seal``); on a
    desk file, without it the last checkpoint's is carried forward.
    """
    key = b64(signer.raw_public_key)
    if shared:
        seq, prev = conn.execute(
            "SELECT next_seq, prev FROM sarapp_checkpoint_next(?)", (key,)
        ).fetchone()
    else:
        last = conn.execute(
            "SELECT seq, hash, public_key, body FROM checkpoints ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        if last is not None and last[2] != (rotated_from or key):
            return None
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        if trust is None and last is not None:
            trust = carried_trust(last[3])  # so the last checkpoint always says it
    if heads is None:
        signed = [
            (str(case_id), seq_, digest, None)
            for case_id, seq_, digest, _ in conn.execute(
                "SELECT e.case_id, e.seq, e.hash, NULL FROM log_entries e JOIN (SELECT case_id,"
                " MAX(seq) AS seq FROM log_entries GROUP BY case_id) h"
                " ON h.case_id = e.case_id AND h.seq = e.seq"
            ).fetchall()
        ]
    else:
        signed = [(case_id, *head) for case_id, head in heads.items()]
    now = utc_now()
    when = time_text(now)
    body = body_text(seq=seq, prev=prev, time=when, key=key, full=heads is None, heads=signed,
                     rotated_from=rotated_from, trust=trust)  # fmt: skip
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    checkpoint = Checkpoint(seq, when, body, digest, key, b64(signer.sign(body.encode("utf-8"))))
    insert = getattr(conn, "defer", conn.execute)
    insert(
        "INSERT INTO checkpoints (seq, time, body, hash, public_key, signature)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (seq, stored_time(now), body, digest, key, checkpoint.signature),
    )
    return checkpoint


TRUST_FIELD = '"trust":"'  # in a body's one JSON form (sorted keys, no spaces)


def carried_trust(body: str) -> str | None:
    """The trust digest a checkpoint's body signs, if any: found in its text, not parsed (a
    full checkpoint's body names every case)."""
    at = body.rfind(TRUST_FIELD)
    if at < 0:
        return None
    start = at + len(TRUST_FIELD)
    digest, closing = body[start : start + 64], body[start + 64 : start + 65]
    return digest if len(digest) == 64 and closing == '"' else None


def stored(conn: Any, *, after: int = 0, key: str | None = None) -> list[Checkpoint]:
    """The desk's checkpoints with ``seq`` above ``after`` (signed by ``key``, if given), in
    order; times in the chain's text form whatever the backend stores."""
    sql = (
        "SELECT seq, time, body, hash, public_key, signature FROM checkpoints WHERE seq > ?"
        + (" AND public_key = ?" if key is not None else "")
        + " ORDER BY seq"
    )
    cursor = conn.execute(sql, (after, key) if key is not None else (after,))
    return [
        Checkpoint(seq, t if isinstance(t, str) else time_text(t), body, digest, pub, signature)
        for seq, t, body, digest, pub, signature in cursor
    ]


class Mirror:
    """The mirror file: appended, never rewritten. Lines are written in one ``write`` at most
    a second (or 32 checkpoints) after their commit, and when the desk closes: a line per
    commit would cost more than the signature. Lines lost to a crash are appended when the
    desk is next opened with its key (the table holds them)."""

    FLUSH_AFTER_S = 1.0
    FLUSH_LINES = 32

    def __init__(self, path: Path, *, key: str | None = None) -> None:
        """``key``: on a shared desk, the key whose checkpoints this computer mirrors (its
        own; their seqs are not consecutive)."""
        self.path = path
        self.key = key
        self._last: int | None = None  # the last seq written or queued
        self._fd: int | None = None
        self._pending: list[str] = []
        self._since = 0.0

    def last_seq(self) -> int:
        """The seq of the file's last line (0 for a missing or empty file)."""
        if self._last is None:
            self._last = _last_line_seq(self.path)
        return self._last

    def append(self, conn: sqlite3.Connection, sealed: Checkpoint | None = None) -> None:
        """Append ``sealed`` (just committed), and first any checkpoint the file lacks. Best
        effort: the transaction has committed, and ``db check`` reports a mirror that lags
        or is missing."""
        try:
            follows = (
                (self._last is not None)
                if self.key
                else sealed is not None and (sealed.seq == self.last_seq() + 1)
            )
            if sealed is not None and follows:
                missing = [sealed]
            else:
                missing = stored(conn, after=self.last_seq(), key=self.key)
            if not missing:
                return
            if not self._pending:
                self._since = time.monotonic()
            self._pending += [c.line() for c in missing]
            self._last = missing[-1].seq
            if (
                sealed is None
                or len(self._pending) >= self.FLUSH_LINES
                or (time.monotonic() - self._since >= self.FLUSH_AFTER_S)
            ):
                self.flush()
        except Exception:  # any backend's error: the commit is done, db check reports the lag
            self._last = None

    def flush(self) -> None:
        """Write the queued lines (best effort: ``db check`` reports a mirror that lags)."""
        if not self._pending:
            return
        text, self._pending = "".join(self._pending), []
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.write(self._fd, text.encode("utf-8"))
        except OSError:
            self._last = None
            self._close_fd()

    def close(self) -> None:
        self.flush()
        self._close_fd()

    def _close_fd(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


def read_mirror(
    path: Path, *, known: Mapping[str, Checkpoint] | None = None
) -> tuple[list[Checkpoint], list[str]]:
    """The mirror file's checkpoints and one problem per line that is not one. A line equal
    to one of ``known`` (the table's checkpoints by their line) is that checkpoint, not
    parsed again: most of a long mirror."""
    out, problems = [], []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"checkpoint mirror {path.name} cannot be read: {exc}"]
    known = known or {}
    for number, line in enumerate(lines, start=1):
        same = known.get(line + "\n")
        if same is not None:
            out.append(same)
            continue
        try:
            item = json.loads(line)
            body = item["body"]
            text = _canonical(body) if isinstance(body, dict) else str(body)
            out.append(Checkpoint(int(item["seq"]), str(item["time"]), text, str(item["hash"]),
                                  str(item["public_key"]), str(item["signature"])))  # fmt: skip
        except (ValueError, KeyError, TypeError):
            problems.append(f"checkpoint mirror {path.name} line {number} is not a checkpoint")
    return out, problems


def _last_line_seq(path: Path) -> int:
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 65536))
            tail = handle.read().splitlines()
    except OSError:
        return 0
    for line in reversed(tail):
        try:
            return int(json.loads(line)["seq"])
        except (ValueError, KeyError, TypeError):
            continue
    return 0


__all__ = [
    "Checkpoint",
    "Mirror",
    "Signer",
    "mirror_path",
    "read_mirror",
    "seal",
    "stored",
]
