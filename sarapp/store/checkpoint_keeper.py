"""The desk's side of signed checkpoints: which cases a transaction touched, the checkpoint
sealed before its commit, the mirror line appended after it, and the catch-up at opening."""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sarapp.errors import SarappError
from sarapp.store.checkpoints import Checkpoint, Mirror, Signer, b64, mirror_path, seal
from sarapp.store.errors import TrustError
from sarapp.store.trust_seal import has_trust, last_signed, trust_digest, trust_problem

BEHIND_KEY = "checkpoints_behind"  # desk_meta: entries were written without the key
# A server desk's computer signs its commits in batches (``signs_after_commit``).
SIGN_EVERY = 32  # commits
SIGN_WITHIN_S = 1.0  # seconds after the first of them (checked at each commit, and
# ``Desk.sign_pending`` for a desk left idle)


class CheckpointKeeper:
    """Held by the desk as ``desk.checkpoints``. ``touched`` is called for each entry
    appended (``desk.chain``); ``seal`` runs inside the outermost transaction just before
    COMMIT, ``mirror`` just after it."""

    def __init__(self, conn: Any, path: Path | None, signer: Signer | None) -> None:
        """``conn``: what runs the desk's SQL (``desk.backend``); ``path``: the desk file, its
        mirror beside it (None: a server desk, shared by many desk computers, each signing with
        its own key and mirroring its own checkpoints in a file of its own: ``attach``)."""
        self.conn = conn
        self.signer = signer
        self.shared = path is None
        self.mirror_file = mirror_path(path) if path is not None else None
        self._mirror = self._new_mirror() if signer is not None else None
        self._heads: dict[str, tuple[int, str, int]] = {}  # seq, hash, seq before: appended
        self._pending: dict[str, tuple[int, str, int]] = {}  # sealed, to be signed on commit
        self._sealed: Checkpoint | None = None
        # a server desk's heads committed and not signed yet (signed once the case is free)
        self.unsigned: dict[str, tuple[int, str, int]] = {}
        # heads of a commit whose answer was lost: signed once the log shows them stored
        self.doubtful: dict[str, tuple[int, str, int]] = {}
        self._unsigned_commits, self._first_unsigned = 0, 0.0
        self._behind_marked = False
        self._trust_due = False  # the transaction changes the desk's trust: sign its digest

    def touched(self, case_id: str, seq: int, digest: str) -> None:
        """An entry was appended: ``seq`` and ``digest`` are the case's new head."""
        base = self._heads[case_id][2] if case_id in self._heads else seq - 1
        self._heads[case_id] = (seq, digest, base)

    def trust_changed(self) -> None:
        """The transaction is about to change the desk's trust (its own key or RCC, a trusted
        key): on a desk file, refused when the trust as it stands is not the one the desk's
        key signed (the change would sign an intruder's row with it), or when it was signed
        and the key is not at hand; else its digest is signed at the commit."""
        if self.shared:
            return
        problem = trust_problem(self.conn, self.desk_key())
        if problem is not None:
            raise TrustError(
                f"{problem}; nothing is changed until the desk is restored from a backup "
                "(sarapp db check names what differs)"
            )
        if self.signer is None and last_signed(self.conn) is not None:
            raise TrustError(
                "the desk's trust list is signed by the desk's key, which is not at hand: "
                "change it where the key is (--keys-dir)"
            )
        self._trust_due = True

    def desk_key(self) -> str | None:
        """The desk's public key (base64) to check signatures with: the key at hand, else the
        one the desk records."""
        if self.signer is not None and not self.shared:
            return b64(self.signer.raw_public_key)
        recorded = self.recorded_public_key()
        return b64(recorded) if recorded is not None else None

    def forget(self, *, outcome_unknown: bool = False) -> None:
        """The transaction rolled back: nothing to sign. ``outcome_unknown``: the COMMIT was
        sent and its answer lost (the connection went): on a server desk the heads it wrote
        may be stored, so they are kept aside and signed once the log shows them."""
        if outcome_unknown and self.signs_after_commit:
            _merge(self.doubtful, self._pending)
        self._heads.clear()
        self._pending = {}
        self._sealed = None
        self._trust_due = False

    @property
    def has_unsigned(self) -> bool:
        """This computer has committed heads to sign, or heads that may have been committed."""
        return bool(self.unsigned or self.doubtful)

    def committed(self) -> bool:
        """After a commit: the heads it wrote join those waiting for the signature; True
        when they are due to be signed (``SIGN_EVERY`` commits, or ``SIGN_WITHIN_S`` since
        the first of them)."""
        if self._pending:
            if not self.unsigned:
                self._first_unsigned = time.monotonic()
            self._unsigned_commits += 1
        _merge(self.unsigned, self._pending)
        self._pending = {}
        return self.has_unsigned and (
            self._unsigned_commits >= SIGN_EVERY
            or time.monotonic() - self._first_unsigned >= SIGN_WITHIN_S
        )

    def sign_unsigned(self) -> None:
        """Inside a transaction of its own: sign the committed heads not signed yet (each
        case's first unsigned entry's base kept, so ``db check`` sees them vouched for)."""
        heads = dict(self.unsigned)
        _merge(heads, self._stored(self.doubtful))
        if heads:
            self._sealed = seal(self.conn, self.signer, heads, shared=True,
                                stored_time=self.conn.values.time)  # fmt: skip

    def unsigned_signed(self) -> None:
        """The heads were signed (the doubtful ones found stored with them, the others were
        never stored: another entry may hold their number by now)."""
        self.unsigned, self.doubtful, self._unsigned_commits = {}, {}, 0

    def _stored(self, heads: dict[str, tuple[int, str, int]]) -> dict[str, tuple[int, str, int]]:
        """Those of ``heads`` the log holds as they were written (same entry, same hash)."""
        found = {}
        for case_id, head in heads.items():
            row = self.conn.execute(
                "SELECT hash FROM log_entries WHERE case_id = ? AND seq = ?", (case_id, head[0])
            ).fetchone()
            if row is not None and row[0] == head[1]:
                found[case_id] = head
        return found

    @property
    def signs_after_commit(self) -> bool:
        """A server desk's computer signs what its transactions committed in a transaction
        of its own, after the commits, in batches (``SIGN_EVERY`` commits or
        ``SIGN_WITHIN_S``, and when the desk closes): appends to one case wait for each
        other's commit only, not for signatures (4 desks on one case: about 940 appends/s
        signing each commit under the case's lock, 1,170 so)."""
        return self.shared and self.signer is not None

    def seal(self) -> bool:
        """Sign the heads the transaction changed (and the desk's trust, when it changed it);
        True if a checkpoint was written."""
        trust = None
        if self._trust_due and self.signer is not None and not self.shared:
            trust = trust_digest(self.conn)
        self._trust_due = False
        if not self._heads:
            if trust is None:
                return False
            self._sealed = seal(self.conn, self.signer, {}, stored_time=self.conn.values.time,
                                trust=trust)  # fmt: skip
            return self._sealed is not None
        heads, self._heads = self._heads, {}
        if self.signs_after_commit:  # signed after the commit (``forget`` drops them)
            self._pending = heads
            return False
        if self.signer is not None:
            self._sealed = seal(self.conn, self.signer, heads, shared=self.shared,
                                stored_time=self.conn.values.time, trust=trust)  # fmt: skip
            if self._sealed is not None:
                return True
        if not self._behind_marked:  # the next desk opened with the key signs a full one
            self.conn.execute(
                "INSERT INTO desk_meta (key, value) VALUES (?, '1')"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (BEHIND_KEY,),
            )
            self._behind_marked = True
        return False

    def mirror(self) -> None:
        """After the commit: the sealed checkpoint (and any the mirror lacks) to the file."""
        sealed, self._sealed = self._sealed, None
        if self._mirror is not None:
            self._mirror.append(self.conn, sealed)

    def close(self) -> None:
        if self._mirror is not None:
            self._mirror.close()

    def catch_up(self, transaction: Callable[[], AbstractContextManager[Any]]) -> None:
        """With the key at hand: sign every case's head when entries were written without it
        (or none was ever signed), and append what the mirror lacks. A desk that cannot be
        written (a read-only copy) still opens."""
        if self.signer is None:
            return
        try:
            behind = self.conn.execute(
                "SELECT 1 FROM desk_meta WHERE key = ?", (BEHIND_KEY,)
            ).fetchone() or (
                self.conn.execute("SELECT 1 FROM checkpoints LIMIT 1").fetchone() is None
                and self.conn.execute("SELECT 1 FROM log_entries LIMIT 1").fetchone()
            )
            adopt = (  # a desk whose trust was never signed: signed now, once
                not self.shared and last_signed(self.conn) is None and has_trust(self.conn)
            )
            if behind or adopt:
                with transaction():
                    trust = trust_digest(self.conn) if adopt else None
                    full = seal(self.conn, self.signer, None if behind else {},
                                shared=self.shared, stored_time=self.conn.values.time,
                                trust=trust)  # fmt: skip
                    if full is not None and behind:
                        self.conn.execute("DELETE FROM desk_meta WHERE key = ?", (BEHIND_KEY,))
            self.mirror()
        except (SarappError, sqlite3.Error):
            return

    def attach(
        self,
        signer: Signer,
        transaction: Callable[[], AbstractContextManager[Any]],
        *,
        mirror_file: Path | None = None,
    ) -> None:
        """Sign from now on (the key could only be read once the desk was open). On a shared
        desk ``mirror_file`` is this computer's copy of the checkpoints its key signs."""
        self.signer = signer
        self.close()
        if self.shared:
            self.mirror_file = mirror_file
        self._mirror = self._new_mirror()
        self._behind_marked = False
        self.catch_up(transaction)

    def hand_over(
        self,
        signer: Signer,
        transaction: Callable[[], AbstractContextManager[Any]],
        *,
        old_key: bytes | None,
        recorded_key: bytes | None,
        record: Callable[[], None],
    ) -> str:
        """The desk's key was replaced on purpose (``sarapp keys new-key``): the new key's first
        checkpoint, a full one, takes a desk file's chain over from the key that signed its
        last checkpoint, if that chain holds and is the desk's: checked against ``old_key``
        (the old private key's, when at hand) or else ``recorded_key`` (the key the desk
        recorded). A chain that does not hold is not carried over: the new key would launder
        it. ``record`` records the new public key, in the transaction of the hand-over (its
        checkpoint signs the desk's trust with it). Signs with ``signer`` from now on either
        way; returns one line saying which."""
        from sarapp.store.check_checkpoints import signed_heads

        if self.shared:  # a server desk's checkpoints are signed by each computer's own key
            with transaction():
                record()
            return "the server desk's checkpoints are signed by each desk computer's own key"
        if self._mirror is not None:
            self._mirror.flush()  # the lines it holds back, so the mirror agrees
        found = signed_heads(self.conn, mirror=self.mirror_file, public_key=old_key,
                             recorded_key=None if old_key else recorded_key)  # fmt: skip
        if found.last is None or found.problems:
            with transaction():
                record()
            self.attach(signer, transaction)
        if found.last is None:
            return "no checkpoints to carry over: the new key signs every case's head"
        if found.problems:
            return (
                f"checkpoints not carried over: {found.problems[0]}; db check names it until "
                "the desk is restored from a backup"
            )
        with transaction():
            record()
            self._sealed = seal(self.conn, signer, None, stored_time=self.conn.values.time,
                                rotated_from=found.last.public_key,
                                trust=trust_digest(self.conn))  # fmt: skip
        self.attach(signer, transaction)
        against = "the old key" if old_key else "the key this desk records (the old key is gone)"
        return f"checkpoints carried over to the new key (checked against {against})"

    def covering(self, case_id: str) -> tuple[int, str, int] | None:
        """The latest checkpoint that signed ``case_id``: (its seq, its hash, the case's seq)."""
        row = self.conn.execute(  # a case id holds no LIKE wildcard
            "SELECT seq, hash, body FROM checkpoints WHERE body LIKE ? ORDER BY seq DESC LIMIT 1",
            (f'%["{case_id}",%',),
        ).fetchone()
        if row is None:
            return None
        heads = {h[0]: h[1] for h in json.loads(row[2])["heads"]}
        return (row[0], row[1], heads[case_id]) if case_id in heads else None

    def _new_mirror(self) -> Mirror | None:
        if self.mirror_file is None:
            return None
        key = b64(self.signer.raw_public_key) if self.shared and self.signer else None
        return Mirror(self.mirror_file, key=key)

    def recorded_public_key(self) -> bytes | None:
        """The desk's public key as the desk records it (``desk_meta``), raw; None if none."""
        row = self.conn.execute("SELECT value FROM desk_meta WHERE key = 'public_key'").fetchone()
        try:
            return base64.b64decode(row[0], validate=True) if row else None
        except (binascii.Error, ValueError):
            return None

    def check_options(self) -> dict[str, Any]:
        """What ``check_desk`` needs: the desk's public key if at hand, else the one the desk
        records (weaker: whoever has the file can change that record), and the mirror (with
        the lines this desk still holds back written first)."""
        if self._mirror is not None:
            self._mirror.flush()
        if self.signer is not None:
            return {"public_key": self.signer.raw_public_key, "mirror": self.mirror_file}
        return {"recorded_key": self.recorded_public_key(), "mirror": self.mirror_file}


def _merge(into: dict[str, tuple[int, str, int]], heads: dict[str, tuple[int, str, int]]) -> None:
    """Add ``heads`` (case id → seq, hash, seq before) to ``into``: per case the later head,
    and the earlier base, so one checkpoint's span holds the entries of both."""
    for case_id, (seq, digest, base) in heads.items():
        held = into.get(case_id)
        if held is None:
            into[case_id] = (seq, digest, base)
        else:
            later = (seq, digest) if seq > held[0] else held[:2]
            into[case_id] = (*later, min(base, held[2]))


__all__ = ["BEHIND_KEY", "CheckpointKeeper"]
