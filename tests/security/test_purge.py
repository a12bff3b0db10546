"""Retention and purge on an injected clock: the personal data of a closed case goes, its
counts and statuses stay, and the hash chain, the signed checkpoints, the search index and
``db check`` are whole afterwards, while any other edit is still found."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sarapp.privacy import PrivacyError
from sarapp.store import Desk
from sarapp.store.purge import purge

from .conftest import KeySigner, drop_append_only_triggers, tamper

CLOSED = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
NAMES = ("Abdoulaye Diallo", "Fatoumata Keita", "Samuel Mensah")
SECRETS = (*NAMES, "asthmatic", "brother in Lyon", "Sister called from Dakar")


class Clock:
    """The desk's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def closed_case(desk_path: Path, signer: KeySigner, clock: Clock) -> str:
    """A rescued boat: counts, three named persons, a personal note, closed at CLOSED."""
    with Desk.open(desk_path, signer=signer, clock=clock) as store:
        (case_id,) = store.cases.create(title="Boat off Lampedusa", author="op").cases
        store.persons.set_counts(case_id, {"on_board": 40, "rescued": 38, "dead": 2}, author="op")
        for name, sex, age in zip(NAMES, "MFM", ("34", "16", "41"), strict=True):
            store.persons.add(case_id, {"name": name, "sex": sex, "age": age,
                                        "nationality": "SN", "status": "rescued"},
                              author="op")  # fmt: skip
        person = store.persons.person("P2", case_ref=case_id)
        store.persons.set_field(person.id, "note", "asthmatic; brother in Lyon", author="op")
        store.privacy.append_note(case_id, "Sister called from Dakar", author="op")
        store.log.append(case_id, "SNS 061 back at base", author="op")
        clock.now = CLOSED
        store.cases.set_status(case_id, "closed", author="op", outcome="rescued")
        store.privacy.set_retention_days(30)
    return case_id


def every_text(path: Path) -> str:
    """Every value of every table (the full-text index's own tables included)."""
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    values = [str(row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"')]
    conn.close()
    return "\n".join(values)


def test_a_purge_after_the_retention_period_leaves_counts_and_a_checkable_chain(
    desk_path: Path, signer: KeySigner
) -> None:
    clock = Clock(CLOSED - timedelta(days=2))
    case_id = closed_case(desk_path, signer, clock)
    clock.now = CLOSED + timedelta(days=29)  # not yet
    with Desk.open(desk_path, signer=signer, clock=clock) as store:
        assert purge(store.persons, author="op").cases == ()
        counts = store.persons.counts(case_id)
        statuses = [p.status for p in store.persons.register(case_id).persons]
        heads = [(e.seq, e.hash) for e in store.log.entries(case_id)]
        assert all(s in every_text(desk_path) for s in SECRETS)
        clock.now = CLOSED + timedelta(days=31)
        result = purge(store.persons, author="DPO Marie")
        (purged,) = result.cases
        assert (purged.persons, purged.entries) == (3, 5)  # 3 added, 1 note changed, 1 note
        assert store.persons.counts(case_id) == counts_after(counts)
        assert store.persons.counts(case_id).total == counts.total  # the figures stay
        register = store.persons.register(case_id)
        assert [p.status for p in register.persons] == statuses
        assert {(p.name, p.note, p.age, p.personal) for p in register.persons} == {
            ("[purged]", "[purged]", None, "purged")}  # fmt: skip
        log = store.log.entries(case_id)
        assert [(e.seq, e.hash) for e in log[: len(heads)]] == heads  # nothing rewritten
        last = log[-1]
        assert last.kind.value == "privacy" and last.author == "DPO Marie"
        assert last.text.startswith(
            "Personal data purged: 3 person records and the personal "
            "content of 5 log entries (rule: 30 days after closing"
        )
        assert store.log.search("Dakar") == [] and store.log.search("Diallo") == []
        report = store.check()
        assert report.ok, report.problems
        assert not report.notices  # the checkpoints signed every head, the purge's too
        assert purge(store.persons, author="op").cases == ()  # nothing left to purge
        # erased from the files themselves, the write-ahead log included, desk still open
        assert not [s for s in SECRETS if s.encode() in raw_bytes(desk_path)]
    assert not [s for s in SECRETS if s in every_text(desk_path)]
    assert not [s for s in SECRETS if s.encode() in raw_bytes(desk_path)]
    # an edit of any other entry is still found, the purge notwithstanding
    drop_append_only_triggers(desk_path)
    tamper(desk_path, "UPDATE log_entries SET text = 'SNS 061 never left' "
                      "WHERE text = 'SNS 061 back at base'")  # fmt: skip
    with Desk.open(desk_path, signer=signer, clock=clock) as store:
        problems = store.check().problems
    assert any("content does not match its hash" in p for p in problems)


def raw_bytes(desk: Path) -> bytes:
    wal = Path(f"{desk}-wal")
    return desk.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def counts_after(counts):
    from sarapp.register import counts_after_purge

    return counts_after_purge(counts)


def test_older_than_overrides_the_period_and_dry_run_changes_nothing(
    desk_path: Path, signer: KeySigner
) -> None:
    clock = Clock(CLOSED - timedelta(days=2))
    case_id = closed_case(desk_path, signer, clock)
    clock.now = CLOSED + timedelta(hours=1)
    with Desk.open(desk_path, signer=signer, clock=clock) as store:
        assert purge(store.persons, author="op").cases == ()
        dry = purge(store.persons, author="op", older_than_days=0, dry_run=True)
        assert [c.case_id for c in dry.cases] == [case_id] and dry.dry_run
        assert store.persons.person("P1", case_ref=case_id).name == NAMES[0]
        done = purge(store.persons, author="op", older_than_days=0)
        assert done.rule == "0 days after closing"
        assert store.persons.person("P1", case_ref=case_id).name == "[purged]"


def test_open_cases_are_never_purged(desk_path: Path, signer: KeySigner) -> None:
    clock = Clock(CLOSED)
    with Desk.open(desk_path, signer=signer, clock=clock) as store:
        (case_id,) = store.cases.create(title="Still searching", author="op").cases
        store.persons.add(case_id, {"name": "Kofi Annan"}, author="op")
        with pytest.raises(PrivacyError, match="is open: its personal data is still needed"):
            purge(store.persons, author="op", case_ref=case_id, older_than_days=0)
        assert purge(store.persons, author="op", older_than_days=0).cases == ()
        assert store.persons.person("P1", case_ref=case_id).name == "Kofi Annan"


def test_without_a_period_the_purge_asks_for_one(desk_path: Path) -> None:
    with Desk.open(desk_path) as store, pytest.raises(PrivacyError, match="no retention period"):
        purge(store.persons, author="op")
