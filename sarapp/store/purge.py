"""Retention: the personal data of a closed case is purged once the desk's retention period
has run from its closing (``docs/data-protection.md``).

A purge erases, in one transaction per case: the personal content of every log entry (the
rows beside the log: salt, text and values; the entries and their commitments stay, so the
hash chain and the signed checkpoints still check), the personal fields of every person
record (names and notes read ``[purged]``; statuses and counts stay, the attribute counts
handed back to the hand counts), and the bytes of packages delivered from the outbox. It
appends a ``privacy`` entry saying what went, when, by whom and under which rule. Open cases
are never purged. Afterwards the write-ahead log is checkpointed, and the desk connection
zeroes what it frees (``secure_delete``), so the erased values leave the file too.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sarapp.chain import time_text
from sarapp.geo import format_dtg
from sarapp.model import CaseId, Changes, EntryKind
from sarapp.privacy import PrivacyError
from sarapp.register import counts_after_purge
from sarapp.store.persons import REGISTER_KEY, PersonRegister
from sarapp.store.register_replay import erased

if TYPE_CHECKING:
    from sarapp.store.desk import Desk

PURGE_KEY = "purge"  # data member of a purge entry


@dataclass(frozen=True)
class PurgeCase:
    """A closed case whose personal data is (or would be) purged."""

    case_id: CaseId
    number: str
    closed: datetime
    persons: int  # person records whose personal fields go
    entries: int  # log entries whose personal content goes
    packages: int  # delivered packages whose bytes go


@dataclass(frozen=True)
class PurgeResult:
    cases: tuple[PurgeCase, ...]
    rule: str
    dry_run: bool
    changes: Changes = field(default_factory=Changes)


def purge(
    persons: PersonRegister,
    *,
    author: str,
    older_than_days: int | None = None,
    case_ref: str | None = None,
    dry_run: bool = False,
) -> PurgeResult:
    """Purge the personal data of every closed case closed at least ``older_than_days`` ago
    (default: the desk's retention period; 0: every closed case), or of ``case_ref`` alone
    (refused while it is open). ``dry_run`` lists and changes nothing."""
    desk, privacy = persons.desk, persons.privacy
    days = privacy.retention_days() if older_than_days is None else older_than_days
    if days is None:
        raise PrivacyError(
            "no retention period is set for this desk: set one (sarapp privacy retention "
            "DAYS, or Tools → Data protection) or give --older-than DAYS"
        )
    if days < 0:
        raise PrivacyError("--older-than takes a number of days, 0 or more")
    now = desk.clock()
    only = None
    if case_ref is not None:
        case = desk.cases.get(case_ref)
        if case.is_open:
            raise PrivacyError(f"case {case.number} is open: its personal data is still needed")
        only = case.id
    rule = f"{days} days after closing" + (
        " (the desk's retention period)" if older_than_days is None else ""
    )
    due = [c for c in _closed(desk, only) if c.closed + timedelta(days=days) <= now]
    due = [c for c in due if c.persons or c.entries or c.packages]
    if dry_run or not due:
        return PurgeResult(tuple(due), rule, dry_run)
    changes = Changes()
    sqlite = desk.backend.kind == "sqlite"
    if sqlite:  # freed pages zeroed, so the erased values leave the file
        desk.backend.execute("PRAGMA secure_delete = ON")
    for case in due:
        changes |= _purge_case(persons, case, rule=rule, author=author)
    if sqlite:  # and the write-ahead log's copies of the pages with them
        with contextlib.suppress(Exception):  # a reader holds the log: the next one takes it
            desk.backend.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return PurgeResult(tuple(due), rule, False, changes)


def _purge_case(persons: PersonRegister, case: PurgeCase, *, rule: str, author: str) -> Changes:
    desk, backend = persons.desk, persons.desk.backend
    register = persons.register(case.case_id)
    text = (
        f"Personal data purged: {case.persons} person records and the personal content of "
        f"{case.entries} log entries (rule: {rule}; case closed {format_dtg(case.closed)})"
    )
    data: dict = {
        PURGE_KEY: {
            "rule": rule,
            "closed": time_text(case.closed),
            "persons": case.persons,
            "entries": case.entries,
            "packages": case.packages,
        }
    }
    counts = counts_after_purge(register.counts)
    if register.exists:
        data[REGISTER_KEY] = {"op": "purged", "persons": [], "personal": [],
                              "counts": counts.to_json()}  # fmt: skip
    with desk.transaction():
        changes = desk.log.append(case.case_id, text, author=author, kind=EntryKind.PRIVACY,
                                  data=data)  # fmt: skip
        backend.execute(
            "UPDATE log_personal SET state = 'purged', salt = NULL, text = NULL, content = NULL,"
            " gone_entry = ? WHERE case_id = ? AND state <> 'purged'",
            (changes.entries[-1], case.case_id),
        )
        gone = erased("purged")
        purged = [replace(p, **gone) for p in register.persons]
        if register.exists:
            persons.write_purged(case.case_id, purged, counts)
        backend.execute(
            "UPDATE outbox SET content = ? WHERE case_id = ? AND state = 'delivered'",
            (b"", case.case_id),
        )
    return changes | Changes(persons=tuple(p.id for p in purged))


def _closed(desk: Desk, only: CaseId | None) -> list[PurgeCase]:
    """Closed cases with the time of the closing that stands, and what each holds."""
    backend, values = desk.backend, desk.values
    sql = (
        "SELECT c.id, c.number,"
        " (SELECT COUNT(*) FROM persons p WHERE p.case_id = c.id AND p.personal = 'held'),"
        " (SELECT COUNT(*) FROM log_personal l WHERE l.case_id = c.id AND l.state <> 'purged'),"
        " (SELECT COUNT(*) FROM outbox o WHERE o.case_id = c.id AND o.state = 'delivered'"
        " AND length(o.content) > 0)"
        " FROM cases c WHERE c.status = 'closed'"
    )
    params: list[str] = []
    if only is not None:
        sql += " AND c.id = ?"
        params.append(only)
    closings = _closings(desk)
    found = []
    for case_id, number, held, entries, packages in backend.execute(sql + " ORDER BY c.number",
                                                                     params):  # fmt: skip
        case_id = CaseId(values.read_id(case_id))
        closed = closings.get(case_id)
        if closed is None:  # closed by an older sarapp's import without a logged closing
            continue
        found.append(PurgeCase(case_id, number, closed, held, entries, packages))
    return found


def _closings(desk: Desk) -> dict[str, datetime]:
    """The time of each closed case's last closing (the one that stands), in one pass."""
    values, found = desk.values, {}
    cursor = desk.backend.execute(
        "SELECT e.case_id, e.time, e.data FROM log_entries e JOIN cases c ON c.id = e.case_id"
        " WHERE c.status = 'closed' AND e.kind = 'status' ORDER BY e.case_id, e.seq"
    )
    for case_id, time, data in cursor:
        if values.read_json(data).get("new") == "closed":
            moment = values.read_time(time)
            key = values.read_id(case_id)
            found[key] = max(found.get(key, moment), moment)
    return found


__all__ = ["PURGE_KEY", "PurgeCase", "PurgeResult", "purge"]
