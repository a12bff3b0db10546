"""Personal data on the desk: the personal content of log entries, kept beside the log under a
salted commitment (``sarapp.privacy``), and the record of every disclosure of it.

A repository composed on the desk (``desk.privacy``), its SQL written once for both backends
(``?`` placeholders, times through the backend's ``Values``; the personal content is kept as
the canonical JSON text its commitment covers, on either backend). The purge is
``sarapp.store.purge``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sarapp.chain import data_text
from sarapp.limits import check_length
from sarapp.model import CaseId, Changes, EntryKind, new_id
from sarapp.privacy import (
    COMMITMENT_KEY,
    Disclosure,
    PersonalContent,
    PrivacyError,
    Purpose,
    commitment,
    new_salt,
)
from sarapp.store.backend import Backend
from sarapp.store.case_input import author_name
from sarapp.store.log import canonical_entry_id

if TYPE_CHECKING:
    from sarapp.store.desk import Desk

RETENTION_KEY = "retention_days"  # desk_meta: days after closing before personal data goes
PERSONAL_NOTE = "Personal note"  # the log's own text of a note marked personal


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

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._displayed: set[tuple[str, str, str]] = set()  # (case, author, purpose) shown

    @property
    def backend(self) -> Backend:
        return self.desk.backend

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
        entry_id: str | None = None,
    ) -> Changes:
        """Append an entry whose personal part (``personal_text`` and ``values``) is kept
        beside the log, its commitment in the entry's data; ``text`` is what the log says
        without it. ``entry_id``: as ``log.append``'s, an entry sent again after a lost
        answer is stored once."""
        personal_text = personal_text.strip()
        try:
            check_length(personal_text, "personal_content", "text")
        except ValueError as exc:
            raise PrivacyError(f"personal text: {exc}") from None
        salt, content = new_salt(), dict(values or {})
        sealed = {**dict(data or {}), COMMITMENT_KEY: commitment(salt, personal_text, content)}
        case_id = self.desk.cases.resolve(case_ref)
        with self.desk.transaction():
            changes = self.desk.log.append(
                case_id, text, author=author, kind=kind, data=sealed, corrects=corrects,
                entry_id=entry_id,
            )  # fmt: skip
            if not changes.entries:  # an earlier attempt stored it: the same content?
                held = self.content(canonical_entry_id(str(entry_id)))
                if held is None or held.text != personal_text:
                    raise PrivacyError(f"log entry id {entry_id} is another entry's")
                return changes
            self.backend.execute(
                "INSERT INTO log_personal (entry_id, case_id, state, salt, text, content)"
                " VALUES (?, ?, 'held', ?, ?, ?)",
                (changes.entries[-1], case_id, salt, personal_text, data_text(content)),
            )
        return changes

    def append_note(
        self,
        case_ref: str,
        text: str,
        *,
        author: str,
        corrects: str | None = None,
        entry_id: str | None = None,
    ) -> Changes:
        """A free-text entry marked personal: purged whole, like a register entry."""
        if not text.strip():
            raise PrivacyError("a log entry needs some text")
        label = "Personal correction" if corrects else PERSONAL_NOTE
        return self.append_personal(case_ref, text=label, personal_text=text, author=author,
                                    corrects=corrects, entry_id=entry_id)  # fmt: skip

    def contents(self, case_ref: str) -> dict[str, PersonalContent]:
        """The personal content of each entry of the case that has one, by entry id."""
        return read_contents(self.backend, self.desk.cases.resolve(case_ref))

    def content(self, entry_id: str) -> PersonalContent | None:
        row = self.backend.execute(
            "SELECT entry_id, state, text, content, salt FROM log_personal WHERE entry_id = ?",
            (entry_id,),
        ).fetchone()
        return _content(row, self.desk.values.read_id) if row else None

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
            row = self.backend.execute(
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
                self.backend.execute(
                    "INSERT INTO log_personal (entry_id, case_id, state, salt, text, content,"
                    " gone_entry) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (entry_id, case_id, state, *_held(item), None if item else note_id),
                )
                taken += item is not None
            elif row[0] == "withheld" and item is not None:
                self.backend.execute(
                    "UPDATE log_personal SET state = 'held', salt = ?, text = ?, content = ?,"
                    " gone_entry = NULL WHERE entry_id = ?",
                    (*_held(item), entry_id),
                )
                taken += 1
        return taken

    def package_contents(self, case_ref: str) -> list[dict[str, Any]]:
        """The held personal content of the case's entries, as a package carries it."""
        case_id = self.desk.cases.resolve(case_ref)
        cursor = self.backend.execute(
            "SELECT p.entry_id, p.salt, p.text, p.content FROM log_personal p"
            " JOIN log_entries e ON e.id = p.entry_id"
            " WHERE p.case_id = ? AND p.state = 'held' ORDER BY e.seq",
            (case_id,),
        )
        read_id = self.desk.values.read_id
        return [
            {"entry_id": read_id(r[0]), "salt": r[1], "text": r[2], "values": json.loads(r[3])}
            for r in cursor
        ]

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
        case_id = self.desk.cases.resolve(case_ref)
        with self.desk.transaction():
            self.backend.execute(
                "INSERT INTO disclosures (id, time, author, case_id, kind, recipient, purpose,"
                " reason, subjects, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id(), self.desk.values.time(self.desk.clock()), author_name(author),
                 case_id, kind, recipient, disclosure.purpose.value, disclosure.reason,
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
        case_id = self.desk.cases.resolve(case_ref)
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
        sql = "SELECT * FROM disclosures WHERE 1 = 1"
        params: list[str] = []
        if case_ref is not None:
            sql += " AND case_id = ?"
            params.append(self.desk.cases.resolve(case_ref))
        if subject is not None:  # an id within the JSON list (ids hold no LIKE wildcard)
            sql += " AND subjects LIKE ?"
            params.append(f"%{json.dumps(subject)}%")
        found = self.backend.rows(sql + " ORDER BY time, id", params)
        return [_disclosure(r, self.desk) for r in found]

    # --- retention ----------------------------------------------------------------------

    def retention_days(self) -> int | None:
        """Days after a case is closed before its personal data is purged (None: not set)."""
        row = self.backend.execute(
            "SELECT value FROM desk_meta WHERE key = ?", (RETENTION_KEY,)
        ).fetchone()
        return int(row[0]) if row and str(row[0]).isdigit() else None

    def set_retention_days(self, days: int | None) -> Changes:
        if days is not None and not 0 <= days <= 36500:
            raise PrivacyError(f"a retention period of {days} days is not 0 to 36500")
        with self.desk.transaction():
            if days is None:
                self.backend.execute("DELETE FROM desk_meta WHERE key = ?", (RETENTION_KEY,))
            else:
                self.backend.execute(
                    "INSERT INTO desk_meta (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (RETENTION_KEY, str(days)),
                )
        return Changes()


def read_contents(backend: Backend, case_id: str) -> dict[str, PersonalContent]:
    """The personal content of each entry of a case that has one, by entry id."""
    cursor = backend.execute(
        "SELECT entry_id, state, text, content, salt FROM log_personal WHERE case_id = ?",
        (case_id,),
    )
    read_id = backend.values.read_id
    return {read_id(r[0]): _content(r, read_id) for r in cursor}


def entry_subjects(entry_ids: Sequence[str], persons_of: Mapping[str, Sequence[str]]) -> list[str]:
    """Whose data the entries' personal content is: the persons it names, or the entry."""
    found: list[str] = []
    for entry_id in entry_ids:
        found += persons_of.get(entry_id) or [f"entry:{entry_id}"]
    return found


def _held(item: Mapping[str, Any] | None) -> tuple[Any, Any, Any]:
    if item is None:
        return None, None, None
    return item["salt"], item["text"], data_text(dict(item["values"]))


def _content(row: Sequence[Any], read_id: Any) -> PersonalContent:
    entry_id, state, text, content, salt = row
    entry_id = read_id(entry_id)
    if state != "held":
        return PersonalContent(entry_id, state)
    return PersonalContent(entry_id, state, text, json.loads(content), salt)


def _disclosure(r: dict[str, Any], desk: Desk) -> DisclosureRecord:
    values = desk.values
    return DisclosureRecord(
        id=values.read_id(r["id"]),
        time=values.read_time(r["time"]),
        author=r["author"],
        case_id=CaseId(values.read_id(r["case_id"])),
        kind=r["kind"],
        recipient=r["recipient"],
        purpose=r["purpose"],
        reason=r["reason"],
        subjects=tuple(json.loads(r["subjects"])),
        entry_id=values.read_id(r["entry_id"]) if r["entry_id"] else None,
    )


__all__ = [
    "PERSONAL_NOTE",
    "DisclosureRecord",
    "PersonalData",
    "entry_subjects",
    "read_contents",
]
