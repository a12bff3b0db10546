"""The desk: the one object that owns the SQLite database.

Every change goes through an operation here that validates its input, writes the change and
its log entry in one transaction, and returns a ``Changes`` value for the views to refresh.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from sarapp.casefields import CASE_FIELDS, parse_field
from sarapp.geo import format_ddm, format_dtg
from sarapp.limits import check_length, check_text
from sarapp.model import (
    AlertPhase,
    Case,
    CaseId,
    CaseStatus,
    Changes,
    EntryId,
    EntryKind,
    LogEntry,
    Position,
    new_id,
    utc_now,
)
from sarapp.outcomes import CaseOutcome, parse_outcome
from sarapp.store import rows
from sarapp.store.alerts import AlertStore
from sarapp.store.case_input import CaseError, author_name, check_position
from sarapp.store.check import CheckReport, check_desk
from sarapp.store.checkpoint_keeper import CheckpointKeeper
from sarapp.store.checkpoints import Signer
from sarapp.store.connection import BUSY_TIMEOUT_MS, StoreError, explain, open_connection
from sarapp.store.coordination import CoordinationStore
from sarapp.store.drift import DriftStore
from sarapp.store.handover import HandoverStore
from sarapp.store.outbox import OutboxStore
from sarapp.store.personal import PersonalData
from sarapp.store.persons import PersonRegister
from sarapp.store.plans import PlanStore
from sarapp.store.replay import position_record
from sarapp.store.report_queries import ReportQueries
from sarapp.store.text_query import escape_like, fts_query, like_prefix
from sarapp.store.trust import TrustStore
from sarapp.store.units import UnitStore
from sarapp.times import check_report_time


@dataclass(frozen=True)
class SearchHit:
    entry: LogEntry
    case_number: str
    snippet: str  # the matching words between [ and ]


class Store(
    AlertStore,
    UnitStore,
    DriftStore,
    PlanStore,
    HandoverStore,
    CoordinationStore,
    TrustStore,
    OutboxStore,
    ReportQueries,
):
    """A desk database. Open with ``Store.open(path)``; close, or use as a context manager."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        created: bool,
        signer: Signer | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.conn = conn
        self.db = Database(conn)
        self.path = path
        self.created = created  # True when this open created the file
        # When things happen on this desk (UTC): the wall clock, or a test's or a replay's
        # clock, so a synthetic year of cases is written with that year's times.
        self.clock = clock
        self._depth = 0
        self.checkpoints = CheckpointKeeper(conn, path, signer)
        # Repositories composed on the desk (issue 16): personal data, the persons register.
        self.privacy = PersonalData(self)
        self.persons = PersonRegister(self, self.privacy)

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        signer: Signer | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> Store:
        """Open the desk at ``path``, creating and migrating it as needed (StoreError if not).

        ``signer`` (the desk's key) signs a checkpoint at each commit that adds log entries;
        without one the desk works the same and ``db check`` says the checkpoints lag.
        """
        conn, created = open_connection(Path(path), create=create, busy_timeout_ms=busy_timeout_ms)
        store = cls(conn, Path(path), created=created, signer=signer, clock=clock)
        store.checkpoints.catch_up(store.transaction)
        return store

    def attach_signer(self, signer: Signer) -> None:
        """Sign checkpoints with ``signer`` from now on (the desk's key, once it could be read:
        ``sarapp.exchange.desk_signer``); signs at once what was written without it."""
        self.checkpoints.attach(signer, self.transaction)

    def close(self) -> None:
        self.checkpoints.close()
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One durable transaction; nested uses join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from None
        self._depth = 1
        try:
            yield
            sealed = self.checkpoints.seal()
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.conn.execute("ROLLBACK")
            self.checkpoints.forget()
            raise explain(exc, self.path) from None
        except BaseException:
            self.conn.execute("ROLLBACK")
            self.checkpoints.forget()
            raise
        finally:
            self._depth = 0
        if sealed:
            self.checkpoints.mirror()

    # --- reading -----------------------------------------------------------------------

    def resolve_case(self, ref: str) -> CaseId:
        """A case id from its UUID, a unique prefix of it, or its case number."""
        ref = ref.strip()
        if not ref:
            raise CaseError("no case given")
        row = self.conn.execute(
            "SELECT id FROM cases WHERE id = ? OR number = ?", (ref.lower(), ref)
        ).fetchone()
        if row:
            return CaseId(row[0])
        matches = self.conn.execute(
            "SELECT id, number FROM cases WHERE id LIKE ? ESCAPE '\\' LIMIT 6",
            (like_prefix(ref.lower()),),
        ).fetchall()
        if len(matches) == 1:
            return CaseId(matches[0][0])
        if not matches:
            raise CaseError(f"no case {ref!r} on this desk (give a case number or id)")
        numbers = ", ".join(number for _, number in matches[:5])
        raise CaseError(f"case reference {ref!r} is ambiguous ({numbers}…); give more of the id")

    def get_case(self, ref: str) -> Case:
        case_id = self.resolve_case(ref)
        row = next(self.db.query("SELECT * FROM cases WHERE id = ?", [case_id]))
        return rows.case_from_row(row, self._position(row["lkp_id"]))

    def list_cases(
        self, *, phase: AlertPhase | None = None, status: CaseStatus | None = None, text: str = ""
    ) -> list[Case]:
        """Cases, most recently active first, filtered by phase, status and free text (words
        of the title, number, vessel, MMSI, call sign, nature, or the originating RCC and its
        case number for an imported case)."""
        where, params = ["1"], []
        if phase:
            where.append("c.phase = ?")
            params.append(AlertPhase(phase).value)
        if status:
            where.append("c.status = ?")
            params.append(CaseStatus(status).value)
        for word in text.split():
            where.append(
                "(c.title || ' ' || c.number || ' ' || c.vessel_name || ' ' || c.mmsi || ' ' ||"
                " c.call_sign || ' ' || c.nature || ' ' || c.origin_rcc || ' ' ||"
                " c.origin_number) LIKE ? ESCAPE '\\'"
            )
            params.append(f"%{escape_like(word)}%")
        sql = (
            "SELECT c.*, p.lat AS p_lat, p.lon AS p_lon, p.time AS p_time, p.source AS p_source,"
            " p.accuracy_m AS p_accuracy_m, p.id AS p_id FROM cases c"
            " LEFT JOIN positions p ON p.id = c.lkp_id"
            f" WHERE {' AND '.join(where)} ORDER BY c.updated DESC"
        )
        cases = []
        for row in self.db.query(sql, params):
            lkp = None
            if row["p_id"]:
                lkp = rows.position_from_row({k[2:]: row[k] for k in row if k.startswith("p_")})
            cases.append(rows.case_from_row(row, lkp))
        return cases

    def log(self, case_ref: str) -> list[LogEntry]:
        case_id = self.resolve_case(case_ref)
        sql = "SELECT * FROM log_entries WHERE case_id = ? ORDER BY seq"
        return [rows.entry_from_row(r) for r in self.db.query(sql, [case_id])]

    def timeline(self, case_ref: str) -> list[LogEntry]:
        """The case log in the order things happened (each entry's own time; the seq where
        this desk filed it only breaks ties): how a coordinator reads a log that holds
        entries imported from another RCC. ``log`` keeps the chain's (seq) order."""
        case_id = self.resolve_case(case_ref)
        sql = "SELECT * FROM log_entries WHERE case_id = ? ORDER BY time, seq"
        return [rows.entry_from_row(r) for r in self.db.query(sql, [case_id])]

    def log_since(self, case_id: CaseId, after_seq: int) -> list[LogEntry]:
        """Entries of a case after ``after_seq``: what a view showing the log lacks."""
        sql = "SELECT * FROM log_entries WHERE case_id = ? AND seq > ? ORDER BY seq"
        return [rows.entry_from_row(r) for r in self.db.query(sql, [case_id, after_seq])]

    def entry(self, entry_id: str) -> LogEntry:
        found = list(self.db.query("SELECT * FROM log_entries WHERE id = ?", [entry_id]))
        if not found:
            raise CaseError(f"no log entry {entry_id!r}")
        return rows.entry_from_row(found[0])

    def positions(self, case_ref: str) -> list[Position]:
        """Every position report of the case, oldest first (reports without a time last)."""
        case_id = self.resolve_case(case_ref)
        sql = (
            "SELECT * FROM positions WHERE case_id = ? ORDER BY time IS NULL, time, recorded, rowid"
        )
        return [rows.position_from_row(r) for r in self.db.query(sql, [case_id])]

    def search_log(
        self, query: str, *, limit: int = 50, case_ref: str | None = None
    ) -> list[SearchHit]:
        """The best-matching log entries (BM25) for the words of ``query``, with snippets.

        Every word must match; ``word*`` matches a prefix. Operators are not interpreted, so
        anything a user types is a valid search.
        """
        match = fts_query(query)
        if not match:
            return []
        sql = (
            "SELECT e.*, c.number AS case_number,"
            " snippet(log_search, 0, '[', ']', '…', 12) AS snip"
            " FROM log_search JOIN log_entries e ON e.rowid = log_search.rowid"
            " JOIN cases c ON c.id = e.case_id WHERE log_search MATCH ?"
        )
        params: list[Any] = [match]
        if case_ref:
            sql += " AND e.case_id = ?"
            params.append(self.resolve_case(case_ref))
        sql += " ORDER BY rank LIMIT ?"
        params.append(limit)
        return [
            SearchHit(rows.entry_from_row(r), r["case_number"], r["snip"])
            for r in self.db.query(sql, params)
        ]

    def check(self) -> CheckReport:
        """SQLite integrity, foreign keys, times, schema, search index, every case's hash
        chain and replay, and the signed checkpoints (``sarapp.store.check``)."""
        return check_desk(self.conn, **self.checkpoints.check_options())

    # --- writing -----------------------------------------------------------------------

    def create_case(
        self,
        *,
        title: str,
        author: str,
        phase: AlertPhase = AlertPhase.INCERFA,
        values: Mapping[str, Any] | None = None,
        lkp: Position | None = None,
        is_demo: bool = False,
        time: datetime | None = None,
    ) -> Changes:
        """Open a new case, numbered ``YYYY-NNNN`` in its year; logs its creation."""
        author = author_name(author)
        fields = {"title": parse_field("title", title)}
        for name, value in (values or {}).items():
            fields[name] = parse_field(name, value)
        if time is not None and time.tzinfo is None:
            raise CaseError("a case's opening time must be in UTC (a naive time was given)")
        if time is not None:
            check_report_time(time, what="the case's opening time")
        now = (time or self.clock()).astimezone(UTC)  # the number's year is the UTC year
        case_id = CaseId(new_id())
        with self.transaction():
            number = self._next_number(now.year)
            self.db["cases"].insert(
                {
                    "id": case_id,
                    "number": number,
                    "phase": AlertPhase(phase).value,
                    "status": CaseStatus.OPEN.value,
                    "is_demo": int(is_demo),
                    "created": rows.time_to_text(now),
                    "updated": rows.time_to_text(now),
                    **fields,
                }
            )
            details = {k: v for k, v in fields.items() if v not in ("", None) and k != "title"}
            text = f"Case {number} opened: {fields['title']} ({AlertPhase(phase).value})"
            # Everything the new row holds is in the entry, so db check can replay it.
            opened = {"number": number, "title": fields["title"], "is_demo": bool(is_demo)}
            changes = self._append(
                case_id,
                kind=EntryKind.CREATED,
                text=text,
                author=author,
                data={"phase": AlertPhase(phase).value, **details, **opened},
                time=now,
            )
            if lkp is not None:
                changes |= self.add_position(case_id, lkp, author=author)
        return Changes(cases=frozenset({case_id}), created=True) | changes

    def set_field(self, case_ref: str, name: str, value: Any, *, author: str) -> Changes:
        """Change one case field (validated); logs the old and the new value."""
        author = author_name(author)
        case = self.get_case(case_ref)
        new = parse_field(name, value)
        old = getattr(case, name)
        if new == old:
            return Changes()
        label = CASE_FIELDS[name].label
        shown_old = CASE_FIELDS[name].format(old) or "(empty)"
        shown_new = CASE_FIELDS[name].format(new) or "(empty)"
        with self.transaction():
            self.conn.execute(f"UPDATE cases SET {name} = ? WHERE id = ?", (new, case.id))
            return self._append(
                case.id,
                kind=EntryKind.FIELD,
                text=f"{label}: {shown_old} → {shown_new}",
                author=author,
                data={"field": name, "old": old, "new": new},
            )

    def set_phase(
        self, case_ref: str, phase: AlertPhase | str, *, author: str, reason: str = ""
    ) -> Changes:
        author = author_name(author)
        try:
            phase = AlertPhase(str(phase).upper())
        except ValueError:
            raise CaseError(f"unknown alert phase {phase!r} (INCERFA, ALERFA, DETRESFA)") from None
        case = self.get_case(case_ref)
        if phase is case.phase:
            return Changes()
        text = f"Phase {case.phase.value} → {phase.value}" + (f": {reason}" if reason else "")
        with self.transaction():
            self.conn.execute("UPDATE cases SET phase = ? WHERE id = ?", (phase.value, case.id))
            return self._append(
                case.id,
                kind=EntryKind.PHASE,
                text=text,
                author=author,
                data={"old": case.phase.value, "new": phase.value, "reason": reason},
            )

    def set_status(
        self,
        case_ref: str,
        status: CaseStatus | str,
        *,
        author: str,
        reason: str = "",
        outcome: str = "",
    ) -> Changes:
        """Close or reopen a case; the reason goes into the log, and so does the closing
        ``outcome`` (``sarapp.outcomes``; a reopened case has none)."""
        author = author_name(author)
        try:
            status = CaseStatus(str(status).lower())
        except ValueError:
            raise CaseError(f"unknown case status {status!r} (open, closed)") from None
        outcome = parse_outcome(outcome) if status is CaseStatus.CLOSED else ""
        case = self.get_case(case_ref)
        if status is case.status:
            return Changes()
        verb = "closed" if status is CaseStatus.CLOSED else "reopened"
        shown = f" ({CaseOutcome(outcome).label})" if outcome else ""
        text = f"Case {verb}{shown}" + (f": {reason}" if reason else "")
        with self.transaction():
            self.conn.execute(
                "UPDATE cases SET status = ?, outcome = ? WHERE id = ?",
                (status.value, outcome, case.id),
            )
            data = {"old": case.status.value, "new": status.value, "reason": reason}
            return self._append(
                case.id,
                kind=EntryKind.STATUS,
                text=text,
                author=author,
                data={**data, "outcome": outcome},
            )

    def add_position(
        self, case_ref: str, position: Position, *, author: str, as_lkp: bool = True
    ) -> Changes:
        """Record a position report (and by default make it the last known position)."""
        author = author_name(author)
        case_id = self.resolve_case(case_ref)
        check_position(position)
        now = self.clock()
        when = format_dtg(position.time) if position.time else "time unknown"
        accuracy = f", ±{position.accuracy_m:.0f} m" if position.accuracy_m is not None else ""
        text = (
            f"Position {format_ddm(position.lat, position.lon)} at {when} "
            f"({position.source}{accuracy})" + (" — last known position" if as_lkp else "")
        )
        with self.transaction():
            self.db["positions"].insert(
                rows.position_to_row(position, case_id=case_id, recorded=now)
            )
            if as_lkp:
                self.conn.execute(
                    "UPDATE cases SET lkp_id = ? WHERE id = ?", (position.id, case_id)
                )
            changes = self._append(
                case_id,
                kind=EntryKind.POSITION,
                text=text,
                author=author,
                data={"position_id": position.id, "lkp": as_lkp, **position_record(position)},
            )
        return changes | Changes(positions=(position.id,))

    def append(
        self,
        case_ref: str,
        text: str,
        *,
        author: str,
        corrects: str | None = None,
        kind: EntryKind = EntryKind.NOTE,
        data: Mapping[str, Any] | None = None,
    ) -> Changes:
        """Append an entry to the case log; ``corrects`` names an earlier entry it corrects."""
        author = author_name(author)
        text = text.strip()
        if not text:
            raise CaseError("a log entry needs some text")
        case_id = self.resolve_case(case_ref)
        if corrects is not None:
            target = self.entry(corrects)
            if target.case_id != case_id:
                raise CaseError("a correction must refer to an entry of the same case")
            kind = EntryKind.CORRECTION
        with self.transaction():
            return self._append(
                case_id,
                kind=kind,
                text=text,
                author=author,
                data=dict(data or {}),
                corrects=corrects,
            )

    # --- internals ---------------------------------------------------------------------

    def _append(
        self,
        case_id: CaseId,
        *,
        kind: EntryKind,
        text: str,
        author: str,
        data: dict[str, Any],
        corrects: str | None = None,
        time: datetime | None = None,
    ) -> Changes:
        """Chain a new entry to the case's last one; must run inside a transaction."""
        try:
            check_length(text, "entry", "text")
            check_text(author, "entry", "author")
        except ValueError as exc:
            raise CaseError(f"log entry: {exc}") from None
        last = self.conn.execute(
            "SELECT seq, hash FROM log_entries WHERE case_id = ? ORDER BY seq DESC LIMIT 1",
            (case_id,),
        ).fetchone()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, rows.GENESIS_HASH)
        when = rows.time_to_text(time or self.clock())
        row = {
            "id": new_id(),
            "case_id": case_id,
            "seq": seq,
            "time": when,
            "author": author,
            "kind": EntryKind(kind).value,
            "text": text,
            "data": rows.data_to_text(data),
            "corrects": corrects,
            "prev_hash": prev_hash,
        }
        row["hash"] = rows.entry_hash(row)
        self.conn.execute(
            "INSERT INTO log_entries (id, case_id, seq, time, author, kind, text, data, corrects,"
            " prev_hash, hash) VALUES (:id, :case_id, :seq, :time, :author, :kind, :text, :data,"
            " :corrects, :prev_hash, :hash)",
            row,
        )
        self.conn.execute("UPDATE cases SET updated = ? WHERE id = ?", (when, case_id))
        self.checkpoints.touched(case_id, seq, row["hash"])
        return Changes(cases=frozenset({case_id}), entries=(EntryId(row["id"]),))

    def _next_number(self, year: int) -> str:
        last = self.conn.execute(
            "SELECT MAX(CAST(substr(number, 6) AS INTEGER)) FROM cases WHERE number LIKE ?",
            (f"{year}-%",),
        ).fetchone()[0]
        return f"{year}-{(last or 0) + 1:04d}"

    def _position(self, position_id: str | None) -> Position | None:
        if not position_id:
            return None
        found = list(self.db.query("SELECT * FROM positions WHERE id = ?", [position_id]))
        return rows.position_from_row(found[0]) if found else None


__all__ = ["CaseError", "SearchHit", "Store", "StoreError"]
