"""The desk: the one object that owns the desk database.

A ``Desk`` owns the backend's connection, the transactions, the clock and the chain writer
(log entries with their hash chain; the signed checkpoints sealed at each commit). The
repositories composed on it hold the SQL: ``cases``, ``log``, ``units``, ``plans``,
``drift``, ``packages``, ``alerts``, ``coordination``, ``trust``, ``outbox``, ``reports``,
``privacy``, ``persons`` and ``sync``.
Every change goes through an operation of a repository that validates its input, writes the
change and its log entry in one transaction, and returns a ``Changes`` value for the views to
refresh. A repository needs another only through its public methods, reached through the desk.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sarapp.errors import SarappError
from sarapp.model import Changes, CheckReport, new_id, utc_now
from sarapp.store.alerts import Alerts
from sarapp.store.backend import Backend, DeskAccess, Values
from sarapp.store.checkpoint_keeper import CheckpointKeeper
from sarapp.store.checkpoints import Signer, b64
from sarapp.store.coordination import Coordination
from sarapp.store.drift import DriftRuns
from sarapp.store.errors import ReadOnlyDesk, StoreError
from sarapp.store.outbox import Outbox
from sarapp.store.personal import PersonalData
from sarapp.store.persons import PersonRegister
from sarapp.store.plans import Plans
from sarapp.store.sqlite.connection import BUSY_TIMEOUT_MS
from sarapp.store.trust import Trust
from sarapp.store.units import Units
from sarapp.store.watch import ChangeFeed


class Desk:
    """A desk database. Open a desk file with ``Desk.open(path)``; close it, or use it as a
    context manager."""

    def __init__(
        self,
        backend: Backend,
        *,
        path: Path | None = None,
        created: bool = False,
        signer: Signer | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.backend = backend
        self.path = path  # the desk file (its checkpoint mirror sits beside it); None: a server
        # What ``Desk.open`` takes to open this desk again (a worker's own connection): the
        # file, or the server location as given (never with a password: one is refused).
        self.address: str | Path | None = path
        self.created = created  # True when this open created the desk
        # When things happen on this desk (UTC): the wall clock, or a test's or a replay's
        # clock, so a synthetic year of cases is written with that year's times.
        self.clock = clock
        self.origin = new_id()  # this opened desk, in its change notices (its feed skips them)
        self._depth = 0
        self._signing = False  # a server desk signing what it committed (``_sign_unsigned``)
        self._announced = Changes()
        self._access: DeskAccess | None = None
        self.checkpoints = CheckpointKeeper(backend, path, signer)
        parts = backend.repositories
        self.chain = parts.chain(self)
        self.cases = parts.cases(self)
        self.log = parts.log(self)
        self.units = Units(self)
        self.plans = Plans(self)
        self.drift = DriftRuns(self)
        self.packages = parts.packages(self)
        self.alerts = Alerts(self)
        self.coordination = Coordination(self)
        self.trust = Trust(self)
        self.outbox = Outbox(self)
        self.reports = parts.reports(self)
        self.sync = parts.sync(self)
        # Issue 16: personal data (content beside the log, disclosures, retention) and the
        # persons register; their SQL is written once for both backends.
        self.privacy = PersonalData(self)
        self.persons = PersonRegister(self)

    @classmethod
    def open(
        cls,
        location: str | Path,
        *,
        create: bool = True,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        signer: Signer | None = None,
        clock: Callable[[], datetime] = utc_now,
        reconnect: bool = True,
    ) -> Desk:
        """Open the desk at ``location``: a SQLite file, created and migrated as needed
        (``create``), or a PostgreSQL location (``sarapp.store.pg.location``), a database
        that ``db init`` made a desk. StoreError, in one line, if it cannot be opened.
        ``signer`` (the desk's key) signs a checkpoint at each commit that adds log entries;
        without one the desk works the same and ``db check`` says they lag. ``reconnect``:
        after a lost server connection, the next transaction or read connects afresh
        (``PgBackend.ensure_connected``); the app says False, as it reconnects in a worker."""
        from sarapp.store.pg.location import is_server_location

        if isinstance(location, str) and is_server_location(location):
            from sarapp.store.pg.backend import PgBackend

            desk = cls(PgBackend.open(location, reconnect=reconnect), clock=clock)
            desk.address = location
            return desk
        from sarapp.store.sqlite.backend import SqliteBackend

        path = Path(location)
        backend, created = SqliteBackend.open(path, create=create, busy_timeout_ms=busy_timeout_ms)
        desk = cls(backend, path=path, created=created, signer=signer, clock=clock)
        desk.checkpoints.catch_up(desk.transaction)
        return desk

    @property
    def location(self) -> str:
        """Where the desk is, as people are shown it (a file path, or server/database as
        role, never a password)."""
        return self.backend.location

    def set_reconnect(self, on: bool) -> None:
        """Whether a server desk connects afresh by itself after a lost connection (see
        ``open``); a desk file has no connection to lose."""
        if hasattr(self.backend, "reconnect"):
            self.backend.reconnect = on

    @property
    def conn(self) -> Any:
        """The backend driver's own connection (for ``db`` tools and tests)."""
        return self.backend.conn

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction of this desk is open (network work never runs inside one)."""
        return self._depth > 0

    @property
    def values(self) -> Values:
        """How the backend stores times and JSON (``sarapp.store.backend.Values``)."""
        return self.backend.values

    @property
    def access(self) -> DeskAccess:
        """Who the desk is open as (login, role) and whether it may write
        (``sarapp.store.backend.DeskAccess``): for the status bar."""
        if self._access is None:
            self._access = self.backend.access()
        return self._access

    @property
    def read_only(self) -> bool:
        """True when every write would be refused (a viewer, a read-only file): the faces
        disable their editing and say why once."""
        return self.access.read_only

    def watch(self) -> ChangeFeed:
        """A feed of what other desks change on this database, as it happens: see
        ``sarapp.store.watch.ChangeFeed`` (``wait(timeout_s) -> Changes | None``, ``close``).
        It has a connection of its own: give it to one worker thread, close it when done."""
        return self.backend.watch(self.origin)

    def announce(self, changes: Changes) -> Changes:
        """Note what the current transaction changed, for the other desks' feeds: sent with
        its commit, dropped with its rollback. Returns ``changes``. The chain writer announces
        every entry (so every case change); units and the trust list announce their own."""
        if self._depth:
            self._announced |= changes
        return changes

    def attach_signer(self, signer: Signer, *, mirror_file: Path | None = None) -> None:
        """Sign checkpoints with ``signer`` from now on (the desk's key, once it could be read:
        ``sarapp.exchange.desk_signer``); signs at once what was written without it. On a
        server desk the signer is this computer's own key and ``mirror_file`` its copy of the
        checkpoints that key signs (``docs/multi-desk.md``)."""
        self.checkpoints.attach(signer, self.transaction, mirror_file=mirror_file)

    def replace_signer(self, signer: Signer, *, old_key: bytes | None) -> str:
        """The desk's key was replaced on purpose: record its public key and sign with
        ``signer`` from now on, the desk's chain of checkpoints (and its signed trust) carried
        over to it if it holds (``CheckpointKeeper.hand_over``); returns one line for the
        officer."""
        return self.checkpoints.hand_over(
            signer, self.transaction, old_key=old_key,
            recorded_key=self.checkpoints.recorded_public_key(),
            record=lambda: self.trust.record_public_key(b64(signer.raw_public_key)),
        )  # fmt: skip

    def check(self) -> CheckReport:
        """``db check``: the database's integrity, times, schema, search index, every case's
        hash chain and replay, and the signed checkpoints."""
        return self.backend.check(self)

    def close(self) -> None:
        if self.checkpoints.has_unsigned:  # what this computer committed last, signed
            with contextlib.suppress(SarappError):
                self.sign_pending()
        self.checkpoints.close()
        self.backend.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One durable transaction; nested uses join the outer one. The checkpoint of the
        entries it appended is sealed inside it, and mirrored after the commit."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        if self.read_only:
            raise ReadOnlyDesk(self._read_only_reason())
        try:
            self.backend.begin()
        except Exception as exc:
            raise self._explained(exc) from None
        self._depth = 1
        committing = False
        try:
            yield
            sealed = self.checkpoints.seal()
            if self._announced:
                self.backend.announce(self._announced, self.origin)
            committing = True
            self.backend.commit()
        except BaseException as exc:
            self.backend.rollback()
            self.checkpoints.forget(outcome_unknown=committing)
            explained = self.backend.explain(exc)
            if explained is not None:
                raise explained from None
            raise
        finally:
            self._depth = 0
            self._announced = Changes()
        if sealed:
            self.checkpoints.mirror()
        elif (self.checkpoints.signs_after_commit and self.checkpoints.committed()
              and not self._signing):  # fmt: skip
            self._sign_unsigned()

    def sign_pending(self) -> None:
        """A server desk: sign what this computer committed and has not signed yet (a desk
        left idle after its last write: the app calls it every second)."""
        if self.checkpoints.has_unsigned and not self._signing and not self.read_only:
            self._sign_unsigned()

    def _sign_unsigned(self) -> None:
        """A server desk: this computer's checkpoint of what it committed, in a transaction
        of its own. If it cannot be written now (the connection went), a later one signs it;
        the entries are stored either way."""
        self._signing = True
        try:
            with self.transaction():
                self.checkpoints.sign_unsigned()
        except StoreError:
            return
        finally:
            self._signing = False
        self.checkpoints.unsigned_signed()
        self.checkpoints.mirror()

    def _read_only_reason(self) -> str:
        access = self.access
        if access.user is None:
            return f"{self.location} is read-only: sarapp cannot write to it"
        what = "a viewer" if access.role == "viewer" else "which may not write"
        return (
            f"{self.location}: connected as {access.user}, {what}: this desk is read-only for "
            "you (ask its administrator for the officer role to write)"
        )

    def _explained(self, exc: Exception) -> Exception:
        return self.backend.explain(exc) or exc


__all__ = ["Desk"]
