"""Personal data on the desk: the personal content of log entries, kept beside the log under a
salted commitment (``sarapp.privacy``), and the record of every disclosure of it.

A repository composed on the desk (``desk.privacy``): it uses only the desk's public face
(``conn``, ``clock``, ``transaction``, ``resolve_case``, ``append``), so it moves onto the
``Desk`` of composed repositories as it is. The purge is ``sarapp.store.purge``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sarapp.limits import check_length
from sarapp.model import Case, CaseId, Changes, EntryKind, new_id
from sarapp.privacy import (
    COMMITMENT_KEY,
    Disclosure,
    PersonalContent,
    PrivacyError,
    Purpose,
    commitment,
    new_salt,
)
from sarapp.store import rows
from sarapp.store.case_input import author_name

RETENTION_KEY = "retention_days"  # desk_meta: days after closing before personal data goes
PERSONAL_NOTE = "Personal note"  # the log's own text of a note marked personal


class DeskFace(Protocol):
    """What a repository needs of the desk (``Store`` today, ``Desk`` tomorrow)."""

    conn: sqlite3.Connection
    clock: Callable[[], datetime]

    def transaction(self) -> AbstractContextManager[None]: ...

    def resolve_case(self, ref: str) -> CaseId: ...

    def get_case(self, ref: str) -> Case: ...

    def append(
        self,
        case_ref: str,
        text: str,
        *,
        author: str,
        corrects: str | None = None,
        kind: EntryKind = EntryKind.NOTE,
        data: Mapping[str, Any] | None = None,
    ) -> Changes: ...


@dataclass(frozen=True)
class DisclosureRecord:
    """One processing of personal data the desk accounts for: who (``author``), whose
    (``subjects``: person ids, and ``entry:<id>`` for a personal note), to whom
    (``recipient``), why (``purpose``, ``reason``), how (``kind``), when."""

    id: str
    time: datetime
    author: str
    case_id: CaseId
    kind: str  # display, export, package, sitrep, access
    recipient: str
    purpose: str
    reason: str
    subjects: tuple[str, ...]
    entry_id: str | None


class PersonalData:
    """``desk.privacy``: personal content of log entries, disclosures, the retention period."""

    def __init__(self, desk: DeskFace) -> None:
        self.desk = desk
        self._displayed: set[tuple[str, str, str]] = set()  # (case, author, purpose) shown

    @property
    def conn(self) -> sqlite3.Connection:
        return self.desk.conn

    # --- personal content of log entries ------------------------------------------------

    def append_personal(
        self,
        case_ref: str,
        *,
        text: str,
        personal_text: str,
        values: Mapping[str, Any] | None = None,
        author: str,
        kind: EntryKind = EntryKind.NOTE,
        data: Mapping[str, Any] | None = None,
        corrects: str | None = None,
    ) -> Changes:
        """Append an entry whose personal part (``personal_text`` and ``values``) is kept
        beside the log, its commitment in the entry's data; ``text`` is what the log says
        without it."""
        personal_text = personal_text.strip()
        try:
            check_length(personal_text, "personal_content", "text")
        except ValueError as exc:
            raise PrivacyError(f"personal text: {exc}") from None
        salt, content = new_salt(), dict(values or {})
        sealed = {**dict(data or {}), COMMITMENT_KEY: commitment(salt, personal_text, content)}
        case_id = self.desk.resolve_case(case_ref)
        with self.desk.transaction():
            changes = self.desk.append(
                case_id, text, author=author, kind=kind, data=sealed, corrects=corrects
            )
            self.conn.execute(
                "INSERT INTO log_personal (entry_id, case_id, state, salt, text, content)"
                " VALUES (?, ?, 'held', ?, ?, ?)",
                (changes.entries[-1], case_id, salt, personal_text, rows.data_to_text(content)),
            )
        return changes

    def append_note(
        self, case_ref: str, text: str, *, author: str, corrects: str | None = None
    ) -> Changes:
        """A free-text entry marked personal: purged whole, like a register entry."""
        if not text.strip():
            raise PrivacyError("a log entry needs some text")
        label = "Personal correction" if corrects else PERSONAL_NOTE
        return self.append_personal(
            case_ref, text=label, personal_text=text, author=author, corrects=corrects
        )

    def contents(self, case_ref: str) -> dict[str, PersonalContent]:
        """The personal content of each entry of the case that has one, by entry id."""
        return read_contents(self.conn, self.desk.resolve_case(case_ref))

    def content(self, entry_id: str) -> PersonalContent | None:
        row = self.conn.execute(
            "SELECT entry_id, state, text, content, salt FROM log_personal WHERE entry_id = ?",
            (entry_id,),
        ).fetchone()
        return _content(row) if row else None

    def receive(
        self,
        case_id: CaseId,
        commitments: Mapping[str, str],
        provided: Mapping[str, Mapping[str, Any]],
        note_id: str,
    ) -> int:
        """Inside an import: each entry of ``commitments`` (entry id → its commitment) gets
        its personal content, held when the package ``provided`` it (checked against the
        commitment), else withheld (``note_id``: the import's note says why). A content
        this desk lacked is taken when a later package brings it. Returns how many are held
        that were not."""
        taken = 0
        for entry_id, sealed in commitments.items():
            item = provided.get(entry_id)
            row = self.conn.execute(
                "SELECT state FROM log_personal WHERE entry_id = ?", (entry_id,)
            ).fetchone()
            if (
                item is not None
                and commitment(item["salt"], item["text"], item["values"]) != sealed
            ):
                raise PrivacyError(
                    f"the personal content of log entry {entry_id} does not match its "
                    "commitment: refused (altered in the package)"
                )
            if row is None:
                state = "held" if item is not None else "withheld"
                self.conn.execute(
                    "INSERT INTO log_personal (entry_id, case_id, state, salt, text, content,"
                    " gone_entry) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (entry_id, case_id, state, *_held(item), None if item else note_id),
                )
                taken += item is not None
            elif row[0] == "withheld" and item is not None:
                self.conn.execute(
                    "UPDATE log_personal SET state = 'held', salt = ?, text = ?, content = ?,"
                    " gone_entry = NULL WHERE entry_id = ?",
                    (*_held(item), entry_id),
                )
                taken += 1
        return taken

    def package_contents(self, case_ref: str) -> list[dict[str, Any]]:
        """The held personal content of the case's entries, as a package carries it."""
        case_id = self.desk.resolve_case(case_ref)
        cursor = self.conn.execute(
            "SELECT p.entry_id, p.salt, p.text, p.content FROM log_personal p"
            " JOIN log_entries e ON e.id = p.entry_id"
            " WHERE p.case_id = ? AND p.state = 'held' ORDER BY e.seq",
            (case_id,),
        )
        return [{"entry_id": r[0], "salt": r[1], "text": r[2], "values": json.loads(r[3])}
                for r in cursor]  # fmt: skip

    # --- disclosures --------------------------------------------------------------------

    def record_disclosure(
        self,
        case_ref: str,
        *,
        disclosure: Disclosure,
        kind: str,
        recipient: str,
        subjects: Iterable[str],
        author: str,
        entry_id: str | None = None,
    ) -> Changes:
        """Account for a processing that held personal data (nothing when ``subjects`` is
        empty or the disclosure carried none)."""
        found = tuple(dict.fromkeys(subjects))
        if not found or not disclosure.personal:
            return Changes()
        case_id = self.desk.resolve_case(case_ref)
        with self.desk.transaction():
            self.conn.execute(
                "INSERT INTO disclosures (id, time, author, case_id, kind, recipient, purpose,"
                " reason, subjects, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id(), rows.time_to_text(self.desk.clock()), author_name(author), case_id,
                 kind, recipient, disclosure.purpose.value, disclosure.reason,
                 json.dumps(list(found)), entry_id),
            )  # fmt: skip
        return Changes(persons=tuple(s for s in found if not s.startswith("entry:")))

    def note_display(
        self, case_ref: str, *, subjects: Iterable[str], author: str, where: str,
        purpose: Purpose = Purpose.COORDINATION,
    ) -> Changes:  # fmt: skip
        """A display of personal data on this desk, recorded once per case, operator and
        purpose for as long as the desk is open (a screen refreshing is one display)."""
        found = tuple(subjects)
        case_id = self.desk.resolve_case(case_ref)
        key = (case_id, author, purpose.value)
        if not found or key in self._displayed:
            return Changes()
        self._displayed.add(key)
        return self.record_disclosure(case_id, disclosure=Disclosure(purpose, True),
                                      kind="display", recipient=where, subjects=found,
                                      author=author)  # fmt: skip

    def disclosures(
        self, case_ref: str | None = None, *, subject: str | None = None
    ) -> list[DisclosureRecord]:
        sql = "SELECT * FROM disclosures WHERE 1"
        params: list[str] = []
        if case_ref is not None:
            sql += " AND case_id = ?"
            params.append(self.desk.resolve_case(case_ref))
        if subject is not None:
            sql += " AND instr(subjects, ?) > 0"
            params.append(json.dumps(subject))
        cursor = self.conn.execute(sql + " ORDER BY time, rowid", params)
        columns = [d[0] for d in cursor.description]
        return [_disclosure(dict(zip(columns, r, strict=True))) for r in cursor]

    # --- retention ----------------------------------------------------------------------

    def retention_days(self) -> int | None:
        """Days after a case is closed before its personal data is purged (None: not set)."""
        row = self.conn.execute(
            "SELECT value FROM desk_meta WHERE key = ?", (RETENTION_KEY,)
        ).fetchone()
        return int(row[0]) if row and str(row[0]).isdigit() else None

    def set_retention_days(self, days: int | None) -> Changes:
        if days is not None and not 0 <= days <= 36500:
            raise PrivacyError(f"a retention period of {days} days is not 0 to 36500")
        with self.desk.transaction():
            if days is None:
                self.conn.execute("DELETE FROM desk_meta WHERE key = ?", (RETENTION_KEY,))
            else:
                self.conn.execute(
                    "INSERT OR REPLACE INTO desk_meta (key, value) VALUES (?, ?)",
                    (RETENTION_KEY, str(days)),
                )
        return Changes()


def read_contents(conn: sqlite3.Connection, case_id: str) -> dict[str, PersonalContent]:
    """The personal content of each entry of a case that has one, by entry id."""
    cursor = conn.execute(
        "SELECT entry_id, state, text, content, salt FROM log_personal WHERE case_id = ?",
        (case_id,),
    )
    return {r[0]: _content(r) for r in cursor}


def entry_subjects(entry_ids: Sequence[str], persons_of: Mapping[str, Sequence[str]]) -> list[str]:
    """Whose data the entries' personal content is: the persons it names, or the entry."""
    found: list[str] = []
    for entry_id in entry_ids:
        found += persons_of.get(entry_id) or [f"entry:{entry_id}"]
    return found


def _held(item: Mapping[str, Any] | None) -> tuple[Any, Any, Any]:
    if item is None:
        return None, None, None
    return item["salt"], item["text"], rows.data_to_text(dict(item["values"]))


def _content(row: Sequence[Any]) -> PersonalContent:
    entry_id, state, text, content, salt = row
    if state != "held":
        return PersonalContent(entry_id, state)
    return PersonalContent(entry_id, state, text, json.loads(content), salt)


def _disclosure(r: dict[str, Any]) -> DisclosureRecord:
    return DisclosureRecord(
        id=r["id"],
        time=rows.time_from_text(r["time"]),
        author=r["author"],
        case_id=CaseId(r["case_id"]),
        kind=r["kind"],
        recipient=r["recipient"],
        purpose=r["purpose"],
        reason=r["reason"],
        subjects=tuple(json.loads(r["subjects"])),
        entry_id=r["entry_id"],
    )


__all__ = [
    "PERSONAL_NOTE",
    "DeskFace",
    "DisclosureRecord",
    "PersonalData",
    "entry_subjects",
    "read_contents",
]
