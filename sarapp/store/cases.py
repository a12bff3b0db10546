"""Cases and their position reports (``desk.cases``): opening a case, its fields, phase and
status, each change logged with the old and the new value.

The SQL differs between backends in three steps, each left to the backend's subclass:
finding a case by a prefix of its id, matching a word of the case list's filter, and drawing
the year's next case number (a server draws it under a lock, so two desks never draw the
same one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sarapp.casefields import CASE_FIELDS, parse_field
from sarapp.chain import time_text
from sarapp.geo import format_ddm, format_dtg
from sarapp.model import (
    AlertPhase,
    Case,
    CaseId,
    CaseStatus,
    Changes,
    EntryKind,
    Position,
    new_id,
    utc_now,
)
from sarapp.outcomes import CaseOutcome, parse_outcome
from sarapp.store import rows
from sarapp.store.case_input import author_name, check_position
from sarapp.store.errors import CaseError, FieldConflict, HandoverError
from sarapp.store.replay import STATE_COLUMNS, position_record
from sarapp.times import check_report_time

if TYPE_CHECKING:
    from sarapp.store.desk import Desk


class _Unseen:
    """``expected`` not given: set the field over whatever is stored."""

    def __repr__(self) -> str:
        return "UNSEEN"


UNSEEN: Any = _Unseen()

# Case columns an import may set (``take_fields``): the values and the three with their own
# operations. Names are checked against this set before they meet SQL.
UPDATABLE = frozenset({*rows.CASE_VALUE_COLUMNS, "phase", "status", "lkp_id", "outcome"})
_LIST_SQL = (
    "SELECT c.*, p.lat AS p_lat, p.lon AS p_lon, p.time AS p_time, p.source AS p_source,"
    " p.accuracy_m AS p_accuracy_m, p.id AS p_id FROM cases c"
    " LEFT JOIN positions p ON p.id = c.lkp_id"
)
_FILTERED = ("c.title", "c.number", "c.vessel_name", "c.mmsi", "c.call_sign", "c.nature",
             "c.origin_rcc", "c.origin_number")  # fmt: skip


class Cases:
    """Held by the desk as ``desk.cases``; a backend's subclass supplies the steps its SQL
    says differently (``_by_id_prefix``, ``_word_filter``, ``_next_number``)."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    # --- reading -----------------------------------------------------------------------

    def resolve(self, ref: str) -> CaseId:
        """A case id from its UUID, a unique prefix of it, or its case number."""
        ref = ref.strip()
        if not ref:
            raise CaseError("no case given")
        found = self._by_id_or_number(ref)
        if found is not None:
            return found
        matches = self._by_id_prefix(ref.lower(), limit=6)
        if len(matches) == 1:
            return matches[0][0]
        if not matches:
            raise CaseError(f"no case {ref!r} on this desk (give a case number or id)")
        numbers = ", ".join(number for _, number in matches[:5])
        raise CaseError(f"case reference {ref!r} is ambiguous ({numbers}…); give more of the id")

    def get(self, ref: str) -> Case:
        case_id = self.resolve(ref)
        row = next(self._desk.backend.rows("SELECT * FROM cases WHERE id = ?", (case_id,)))
        return rows.case_from_row(row, self._position(row["lkp_id"]), self._desk.values)

    def list(
        self, *, phase: AlertPhase | None = None, status: CaseStatus | None = None, text: str = ""
    ) -> list[Case]:
        """Cases, most recently active first, filtered by phase, status and free text (words
        of the title, number, vessel, MMSI, call sign, nature, or the originating RCC and its
        case number for an imported case)."""
        where, params = ["1 = 1"], []
        if phase:
            where.append("c.phase = ?")
            params.append(AlertPhase(phase).value)
        if status:
            where.append("c.status = ?")
            params.append(CaseStatus(status).value)
        for word in text.split():
            clause, value = self._word_filter(_FILTERED, word)
            where.append(clause)
            params.append(value)
        sql = f"{_LIST_SQL} WHERE {' AND '.join(where)} ORDER BY c.updated DESC"
        values = self._desk.values
        cases = []
        for row in self._desk.backend.rows(sql, params):
            lkp = None
            if row["p_id"]:
                lkp = rows.position_from_row(
                    {k[2:]: row[k] for k in row if k.startswith("p_")}, values
                )
            cases.append(rows.case_from_row(row, lkp, values))
        return cases

    def positions(self, case_ref: str) -> list[Position]:
        """Every position report of the case, oldest first (reports without a time last)."""
        case_id = self.resolve(case_ref)
        sql = (
            "SELECT * FROM positions WHERE case_id = ? ORDER BY time IS NULL, time, recorded, rowid"
        )
        values = self._desk.values
        return [rows.position_from_row(r, values) for r in self._desk.backend.rows(sql, (case_id,))]

    def state(self, case_id: str) -> dict[str, Any]:
        """The case row's replayable columns, as an import's note records them (``db check``
        replays from it)."""
        cursor = self._desk.backend.execute(
            f"SELECT {', '.join(STATE_COLUMNS)} FROM cases WHERE id = ?", (case_id,)
        )
        values = dict(zip(STATE_COLUMNS, cursor.fetchone(), strict=True))
        values["is_demo"] = bool(values["is_demo"])
        # As the log's data holds them (a server hands back a datetime and a UUID).
        if not isinstance(values["created"], str):
            values["created"] = time_text(values["created"])
        if values["lkp_id"] is not None:
            values["lkp_id"] = self._desk.values.read_id(values["lkp_id"])
        for name in rows.CASE_TIME_COLUMNS:
            if values[name] is not None and not isinstance(values[name], str):
                values[name] = time_text(values[name])
        return values

    # --- writing -----------------------------------------------------------------------

    def create(
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
        now = (time or self._desk.clock()).astimezone(UTC)  # the number's year is the UTC year
        case_id = CaseId(new_id())
        stored = self._desk.values
        with self._desk.transaction():
            number = self._next_number(now.year)
            self._insert(
                {
                    "id": case_id,
                    "number": number,
                    "phase": AlertPhase(phase).value,
                    "status": CaseStatus.OPEN.value,
                    "is_demo": stored.flag(is_demo),
                    "created": stored.time(now),
                    "updated": stored.time(now),
                    **fields,
                }
            )
            details = {k: v for k, v in fields.items() if v not in ("", None) and k != "title"}
            text = f"Case {number} opened: {fields['title']} ({AlertPhase(phase).value})"
            # Everything the new row holds is in the entry, so db check can replay it.
            opened = {"number": number, "title": fields["title"], "is_demo": bool(is_demo)}
            changes = self._desk.chain.append(
                case_id,
                kind=EntryKind.CREATED,
                text=text,
                author=author,
                data={"phase": AlertPhase(phase).value, **details, **opened},
                time=now,
            )
            if lkp is not None:
                changes |= self.add_position(case_id, lkp, author=author)
            return self._desk.announce(Changes(cases=frozenset({case_id}), created=True)) | changes

    def set_field(
        self, case_ref: str, name: str, value: Any, *, author: str, expected: Any = UNSEEN
    ) -> Changes:
        """Change one case field (validated); logs the old and the new value.

        ``expected``: the value the officer's form showed when the edit began (as ``Case``
        holds it, or as typed). If the field holds another value by the time this saves (another
        desk or window saved one meanwhile), nothing is written and ``FieldConflict`` carries
        the value seen, the value stored and the officer's value; the officer's choice, saved
        again with ``expected=conflict.current``, is logged like any edit. Without
        ``expected`` the value is set over whatever is stored (the CLI's ``case set``).
        Two desks that save the same value do not conflict."""
        author = author_name(author)
        case_id = self.resolve(case_ref)
        new = parse_field(name, value)  # FieldError for an unknown field, before any SQL
        seen = expected if expected is UNSEEN else parse_field(name, expected)
        spec = CASE_FIELDS[name]
        with self._desk.transaction():
            old = self._locked(case_id, name)
            if seen is not UNSEEN and old not in (seen, new):
                raise FieldConflict(case_id=case_id, field=name, label=spec.label, seen=seen,
                                    current=old, yours=new)  # fmt: skip
            if new == old:
                return Changes()
            shown_old = spec.format(old) or "(empty)"
            shown_new = spec.format(new) or "(empty)"
            self._set(case_id, name, new)
            return self._desk.chain.append(
                case_id,
                kind=EntryKind.FIELD,
                text=f"{spec.label}: {shown_old} → {shown_new}",
                author=author,
                data={"field": name, "old": old, "new": new},
            )

    def settle_field(
        self, case_ref: str, name: str, value: Any, *, author: str, reason: str
    ) -> Changes:
        """An officer's decision on a field (a value field, ``phase`` or ``status``) that two
        desks changed each their own way: set it, and log the decision as a change of the
        field even when it keeps the value this desk holds (the other desk takes it then)."""
        author = author_name(author)
        case = self.get(case_ref)
        if name in ("phase", "status"):
            kind = EntryKind.PHASE if name == "phase" else EntryKind.STATUS
            enum = AlertPhase if name == "phase" else CaseStatus
            try:
                new = enum(str(value).upper() if name == "phase" else str(value).lower()).value
            except ValueError:
                raise CaseError(f"{name} {value!r} is not one of the values it takes") from None
            old = getattr(case, name).value
            data: dict[str, Any] = {"old": old, "new": new, "reason": reason}
            text = f"{'Phase' if name == 'phase' else 'Status'} {old} → {new}: {reason}"
        elif name in CASE_FIELDS:
            kind, new, old = EntryKind.FIELD, parse_field(name, value), getattr(case, name)
            data = {"field": name, "old": old, "new": new, "reason": reason}
            spec = CASE_FIELDS[name]
            text = (f"{spec.label}: {spec.format(old) or '(empty)'} → "
                    f"{spec.format(new) or '(empty)'}: {reason}")  # fmt: skip
        else:
            raise CaseError(f"field {name!r} cannot be settled this way")
        with self._desk.transaction():
            self._set(case.id, name, new)
            return self._desk.chain.append(case.id, kind=kind, text=text, author=author, data=data)

    def set_phase(
        self, case_ref: str, phase: AlertPhase | str, *, author: str, reason: str = ""
    ) -> Changes:
        author = author_name(author)
        try:
            phase = AlertPhase(str(phase).upper())
        except ValueError:
            raise CaseError(f"unknown alert phase {phase!r} (INCERFA, ALERFA, DETRESFA)") from None
        case_id = self.resolve(case_ref)
        with self._desk.transaction():
            old = AlertPhase(self._locked(case_id, "phase"))
            if phase is old:
                return Changes()
            text = f"Phase {old.value} → {phase.value}" + (f": {reason}" if reason else "")
            self._set(case_id, "phase", phase.value)
            return self._desk.chain.append(
                case_id,
                kind=EntryKind.PHASE,
                text=text,
                author=author,
                data={"old": old.value, "new": phase.value, "reason": reason},
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
        case_id = self.resolve(case_ref)
        verb = "closed" if status is CaseStatus.CLOSED else "reopened"
        shown = f" ({CaseOutcome(outcome).label})" if outcome else ""
        text = f"Case {verb}{shown}" + (f": {reason}" if reason else "")
        with self._desk.transaction():
            old = CaseStatus(self._locked(case_id, "status"))
            if status is old:
                return Changes()
            self._set(case_id, "status", status.value)
            self._set(case_id, "outcome", outcome)
            return self._desk.chain.append(
                case_id,
                kind=EntryKind.STATUS,
                text=text,
                author=author,
                data={"old": old.value, "new": status.value, "reason": reason, "outcome": outcome},
            )

    def add_position(
        self, case_ref: str, position: Position, *, author: str, as_lkp: bool = True
    ) -> Changes:
        """Record a position report (and by default make it the last known position)."""
        author = author_name(author)
        case_id = self.resolve(case_ref)
        check_position(position)
        now = self._desk.clock()
        when = format_dtg(position.time) if position.time else "time unknown"
        accuracy = f", ±{position.accuracy_m:.0f} m" if position.accuracy_m is not None else ""
        text = (
            f"Position {format_ddm(position.lat, position.lon)} at {when} "
            f"({position.source}{accuracy})" + (" — last known position" if as_lkp else "")
        )
        with self._desk.transaction():
            self.insert_positions(case_id, [position], recorded=now)
            if as_lkp:
                self._set(case_id, "lkp_id", position.id)
            changes = self._desk.chain.append(
                case_id,
                kind=EntryKind.POSITION,
                text=text,
                author=author,
                data={"position_id": position.id, "lkp": as_lkp, **position_record(position)},
            )
            return self._desk.announce(changes | Changes(positions=(position.id,)))

    # --- a case from another desk (``desk.packages.import_case``) ------------------------

    def insert_received(self, case: Case) -> None:
        """Open on this desk a case imported from another (its UUID, times and values; a
        number of this desk). Inside the caller's transaction; the import logs it."""
        now = utc_now()  # when this desk took it in, by the wall clock
        stored = self._desk.values
        self._insert(
            {
                "id": case.id,
                "number": self._next_number(now.astimezone(UTC).year),
                "phase": case.phase.value,
                "status": case.status.value,
                "is_demo": stored.flag(case.is_demo),
                "created": stored.time(case.created),
                "updated": stored.time(now),
                "origin_rcc": case.origin_rcc,
                "origin_number": case.origin_number,
                "outcome": case.outcome,
                **{name: getattr(case, name) for name in rows.CASE_VALUE_COLUMNS},
            }
        )

    def insert_positions(
        self, case_id: CaseId, positions: Sequence[Position], *, recorded: datetime
    ) -> None:
        """Store position reports as they are (inside the caller's transaction, which logs
        them)."""
        for position in positions:
            row = rows.position_to_row(
                position, case_id=case_id, recorded=recorded, values=self._desk.values
            )
            self._insert_row("positions", row)

    def take_fields(self, case_id: CaseId, updates: Mapping[str, Any]) -> None:
        """Set case columns an import takes from a package (names of ``UPDATABLE`` only),
        inside the caller's transaction, which logs them."""
        for name, value in updates.items():
            if name not in UPDATABLE:
                raise HandoverError(f"case field {name!r} cannot be taken from a package")
            self._set(case_id, name, value)

    # --- internals ---------------------------------------------------------------------

    def _set(self, case_id: str, column: str, value: Any) -> None:
        """``column`` is one of ours, never user text (callers check it against the fields).
        The case's ``version`` counts the changes of its row."""
        self._desk.backend.execute(
            f"UPDATE cases SET {column} = ?, version = version + 1 WHERE id = ?", (value, case_id)
        )

    def _locked(self, case_id: str, column: str) -> Any:
        """The column's value now, the case held until the transaction ends (a desk saving
        at the same moment waits, then reads what this one saved)."""
        self._desk.chain.lock_case(case_id)
        row = self._desk.backend.execute(
            f"SELECT {column} FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
        return row[0]

    def _insert(self, row: dict[str, Any]) -> None:
        self._insert_row("cases", row)

    def _insert_row(self, table: str, row: dict[str, Any]) -> None:
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        self._desk.backend.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values())
        )

    def _by_id_or_number(self, ref: str) -> CaseId | None:
        row = self._desk.backend.execute(
            "SELECT id FROM cases WHERE id = ? OR number = ?", (ref.lower(), ref)
        ).fetchone()
        return CaseId(self._desk.values.read_id(row[0])) if row else None

    def _position(self, position_id: str | None) -> Position | None:
        if not position_id:
            return None
        found = list(
            self._desk.backend.rows("SELECT * FROM positions WHERE id = ?", (position_id,))
        )
        return rows.position_from_row(found[0], self._desk.values) if found else None

    # --- what the backend's SQL says its own way -----------------------------------------

    def _by_id_prefix(self, prefix: str, *, limit: int) -> list[tuple[CaseId, str]]:
        """Cases whose id starts with ``prefix`` (any characters): (id, number)."""
        raise NotImplementedError

    def _word_filter(self, columns: Sequence[str], word: str) -> tuple[str, Any]:
        """A WHERE clause (one ``?``) matching ``word`` anywhere in ``columns``, case
        folded as the backend folds it, and its parameter."""
        raise NotImplementedError

    def _next_number(self, year: int) -> str:
        """The year's next case number ``YYYY-NNNN`` (inside the transaction that uses it)."""
        raise NotImplementedError


__all__ = ["UNSEEN", "UPDATABLE", "Cases"]
