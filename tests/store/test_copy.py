"""``db copy``: a whole desk between any two backends, every table's rows the same, every
chain the same chain with the same head, and ``db check`` clean on every side."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sarapp.cli import main
from sarapp.exchange.keys import fingerprint
from sarapp.model import PeerKey, Position, Rcc, UnitPosition
from sarapp.model_exchange import PackageRecord
from sarapp.store import Desk, StoreError
from sarapp.store.checkpoints import b64, mirror_path
from sarapp.store.copy import CopyError, chain_heads, copy_desk, desk_content
from sarapp.store.copy_tables import BACKEND_OWN, NOT_COPIED, TABLES

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


class _Signer:
    """An Ed25519 key signing checkpoints as a desk's key does."""

    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.raw_public_key = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)


def fill(desk: Desk) -> None:
    """A row in every table a desk copies, through the desk's own operations."""
    desk.trust.desk_id()
    desk.trust.set_rcc(Rcc("MRCC-ETEL", "MRCC Etel", "FR"))
    (case_id,) = desk.cases.create(title="FV Marie-Jo taking water", author="op1", time=T0).cases
    (other,) = desk.cases.create(title="Kayak overdue", author="op2", time=T0).cases
    desk.cases.set_field(case_id, "pob", "4", author="op1")
    desk.cases.set_phase(case_id, "alerfa", author="op1", reason="overdue")
    lkp = Position(47.5, -3.5, T0 + timedelta(minutes=5), source="reported", accuracy_m=500.0)
    desk.cases.add_position(case_id, lkp, author="op1")
    desk.cases.add_position(other, Position(47.6, -3.4), author="op2", as_lkp=False)
    first = desk.log.append(case_id, "Called on VHF 16, no answer", author="op2").entries[0]
    desk.log.append(case_id, "Called on VHF 16, answered: é ß 🚤", author="op2", corrects=first,
                    data={"n": 1, "f": 2.5, "big": 1e16, "list": [1, "x", None]})  # fmt: skip
    desk.units.add(name="SNS 061", unit_type="lifeboat", mmsi="227006120", speed_kt=25.0)
    unit = desk.units.get("227006120")
    desk.units.add_positions([UnitPosition(unit.id, 47.5, -3.4, T0, "ais", sog_kt=12.0)])
    desk.drift.add(case_id, params={"particles": 500}, forcing={"wind": [1.5, 0.25]},
                   summary={"radius_m": [800.0, 2150.5]}, seed=7, author="op1",
                   text="Drift run kept")  # fmt: skip
    (run,) = desk.drift.runs(case_id)
    desk.drift.forcing_cache().put("wind:47:-3", b"\x00\x01binary")
    tasked = desk.plans.add(case_id, unit="SNS 061", pattern="sector",
                            params={"radius_nm": 2.0}, waypoints=[("CSP", 47.5, -3.4)],
                            start=T0, end=T0 + timedelta(hours=2), pod=0.6, drift_run_id=run.id,
                            author="op1")  # fmt: skip
    desk.plans.set_status(tasked.plan_id, "done", "op1")
    desk.alerts.record(case_id, digest="d1", source_key="beacon:ABC", kind="sit185",
                       text="SIT 185 …", author="op1", data={"hex_id": "ABC"})  # fmt: skip
    desk.coordination.record(case_id, event="coordinating", rcc_id="MRCC-ETEL", time=T0,
                             author="op1", text="MRCC Etel coordinates")  # fmt: skip
    raw = _Signer().raw_public_key
    desk.trust.trust(PeerKey(Rcc("MRCC-FALMOUTH", "Falmouth", "GB"), b64(raw), fingerprint(raw)),
                     author="op1", time=T0)  # fmt: skip
    record = PackageRecord("00000000-0000-4000-8000-0000000000c1", "sent", case_id,
                           "information", "MRCC-FALMOUTH", "", "", "ab" * 32, T0)  # fmt: skip
    desk.packages.record(record)
    desk.outbox.queue(package_id=record.id, case_id=case_id, peer_rcc="MRCC-FALMOUTH",
                      url="https://falmouth.example/inbox", content=b"{}")  # fmt: skip
    desk.outbox.record_delivery(record.id, delivered=False, detail="timed out", author="op1")
    desk.privacy.append_note(case_id, "The skipper's wife called: Mrs Le Goff", author="op1")
    _persons(desk, other)  # personal content held in one case, purged in the other
    _sync(desk, case_id)


def _sync(desk: Desk, case_id: str) -> None:
    """A case given to a field laptop, the laptop as a peer, how far each holds the other."""
    from sarapp.model_sync import SyncMark, SyncPeer

    desk.sync.give("FIELD-1", [case_id], author="op1")
    peer = "00000000-0000-4000-8000-0000000000f1"
    with desk.transaction():
        desk.sync.note_peer(SyncPeer(peer, "FIELD-1", "laptop", T0))
        desk.sync.save_mark(SyncMark(peer, case_id, received_seq=3, received_cut=T0,
                                     acked_seq=2, sent_seq=4, ranges=((5, 6),)))  # fmt: skip


def _persons(desk: Desk, case_id: str) -> None:
    """The persons register, personal content beside the log, a disclosure, a case's
    outcome, and that case's personal data purged."""
    from sarapp.privacy import Disclosure, Purpose
    from sarapp.store.purge import purge

    desk.persons.set_counts(case_id, {"on_board": 2, "rescued": 1}, author="op2")
    desk.persons.add(case_id, {"name": "Ama Owusu", "sex": "F", "age": "12", "medical": "yes",
                               "status": "rescued", "recovered": "2026-11-28T10:00:00Z"},
                     author="op2")  # fmt: skip
    desk.persons.add(case_id, {"name": "Kofi", "status": "missing"}, author="op2")
    desk.privacy.append_note(case_id, "Ama's mother called", author="op2")
    person = desk.persons.register(case_id).persons[0]
    desk.privacy.record_disclosure(case_id, disclosure=Disclosure(Purpose.MEDICAL, True),
                                   kind="export", recipient="Hospital", subjects=[person.id],
                                   author="op2")  # fmt: skip
    desk.cases.set_status(case_id, "closed", author="op2", outcome="rescued")
    (purged,) = purge(desk.persons, author="op2", older_than_days=0).cases  # the closed case's
    assert purged.persons == 2


def _signed_file(path: Path) -> Desk:
    signer = _Signer()
    desk = Desk.open(path, signer=signer)
    desk.trust.set_public_key(b64(signer.raw_public_key))
    return desk


def _clean(desk: Desk) -> None:
    report = desk.check()
    assert report.ok, report.problems


def test_the_copy_knows_every_column_of_both_backends(desk_path: Path, pg_desk: str) -> None:
    """A column added to either schema must be added to ``copy_tables`` (or the copy refuses
    the desk rather than dropping it in silence)."""
    for location in (str(desk_path), pg_desk):
        with Desk.open(location) as desk:
            found = {
                name: set(columns)
                for name, columns in desk.backend.columns().items()
                if name not in NOT_COPIED and not name.startswith("sqlite_")
            }
        assert set(found) == {table.name for table in TABLES}, location
        for table in TABLES:
            own = BACKEND_OWN.get(table.name, set())
            assert found[table.name] - own == set(table.names), (location, table.name)


def test_round_trip_sqlite_postgresql_sqlite(tmp_path: Path, pg_desk: str) -> None:
    first = _signed_file(tmp_path / "first.sqlite")
    fill(first)
    with first, Desk.open(pg_desk) as server, Desk.open(tmp_path / "back.sqlite") as back:
        to_server = copy_desk(first, server)
        assert to_server.checkpoints_copied and to_server.rows["log_entries"] > 10
        from_server = copy_desk(server, back)
        assert not from_server.checkpoints_copied
        for desk in (first, server, back):
            _clean(desk)
        heads = chain_heads(first)
        assert len(heads) == 2 and chain_heads(server) == heads == chain_heads(back)
        content = desk_content(first)
        assert all(content.values()), [name for name, rows in content.items() if not rows]
        assert desk_content(server) == content
        assert desk_content(back, checkpoints=False) == desk_content(first, checkpoints=False)
        assert desk_content(back)["checkpoints"] == []
        case_id = next(iter(heads))
        assert first.cases.get(case_id) == server.cases.get(case_id) == back.cases.get(case_id)
        assert first.log.entries(case_id) == back.log.entries(case_id)
        assert [e.hash for e in server.log.entries(case_id)] == [
            e.hash for e in first.log.entries(case_id)]  # fmt: skip
        assert [h.entry.id for h in server.log.search("vhf answered")] == [
            h.entry.id for h in first.log.search("vhf answered")]  # fmt: skip
        assert server.trust.identity() == first.trust.identity() == back.trust.identity()
        # the server desk goes on: its next checkpoint is numbered after the copied ones
        server.attach_signer(_Signer())
        server.log.append(case_id, "after the move", author="op1")
        _clean(server)


def test_file_to_file_keeps_the_checkpoints_and_their_mirror(tmp_path: Path) -> None:
    with _signed_file(tmp_path / "a.sqlite") as source, Desk.open(tmp_path / "b.sqlite") as copy:
        fill(source)
        report = copy_desk(source, copy)
        assert report.checkpoints_copied and report.rows["checkpoints"] >= 1
        source.checkpoints.check_options()  # writes out the lines the mirror holds back
        assert mirror_path(copy.path).read_text() == mirror_path(source.path).read_text()
        assert desk_content(copy) == desk_content(source)
        _clean(copy)


def test_server_to_server(pg_desk: str, pg_server, pg_empty: str) -> None:
    with Desk.open(pg_desk) as source:
        source.attach_signer(_Signer())
        fill(source)
        from sarapp.store.pg.desk import open_desk

        open_desk(pg_empty, create=True).close()
        with Desk.open(pg_empty) as copy:
            copy_desk(source, copy)
            assert desk_content(copy) == desk_content(source)
            _clean(copy)


def test_a_target_that_holds_a_desk_is_refused_untouched(tmp_path: Path, pg_desk: str) -> None:
    with Desk.open(tmp_path / "a.sqlite") as source, Desk.open(pg_desk) as target:
        fill(source)
        target.cases.create(title="Already here", author="op", time=T0)
        before = desk_content(target)
        with pytest.raises(CopyError, match=r"is not empty .*cases.*db copy writes only"):
            copy_desk(source, target)
        assert desk_content(target) == before


def test_a_value_a_server_cannot_keep_stops_the_copy_with_nothing_written(
    tmp_path: Path, pg_desk: str
) -> None:
    with Desk.open(tmp_path / "a.sqlite") as source, Desk.open(pg_desk) as target:
        (case_id,) = source.cases.create(title="FV Nul", author="op", time=T0).cases
        source.log.append(case_id, "odd data", author="op", data={"x": float("nan")})
        with pytest.raises(
            StoreError, match=r"log_entries: data\.x: nan is not a number PostgreSQL can keep"
        ):
            copy_desk(source, target)
        assert desk_content(target)["cases"] == []


def test_a_column_the_copy_does_not_know_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    Desk.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE units ADD COLUMN radio TEXT")
    with (
        Desk.open(path) as source,
        Desk.open(tmp_path / "b.sqlite") as target,
        pytest.raises(CopyError, match=r"units\.radio, which this sarapp cannot copy"),
    ):
        copy_desk(source, target)


def test_db_copy_on_the_command_line(tmp_path: Path, pg_desk: str, capsys) -> None:
    source = tmp_path / "rcc.sqlite"
    with Desk.open(source) as desk:
        fill(desk)
    assert main(["db", "copy", str(source), pg_desk]) == 0
    out = capsys.readouterr().out
    assert "2 cases" in out and "chain heads identical on both sides (2 cases)" in out
    assert main(["--db", pg_desk, "db", "check"]) == 0
    assert main(["db", "copy", str(source), pg_desk]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "is not empty" in err, err
    laptop = tmp_path / "laptop.sqlite"
    assert main(["db", "copy", pg_desk, str(laptop)]) == 0
    assert "checkpoints not copied" in capsys.readouterr().out
    assert main(["--db", str(laptop), "db", "check"]) == 0


def test_a_file_whose_key_was_replaced_copies_to_a_server_and_to_a_file_and_checks_clean(
    tmp_path: Path, pg_desk: str
) -> None:
    """A file's chain carried over to a new key (``keys new-key``) is two keys' stretches: on
    a server each key's chain is checked on its own, and the new key's first checkpoint
    follows the old key's last one, not the start."""
    source = _signed_file(tmp_path / "a.sqlite")
    with source:
        fill(source)
        renewed = _Signer()
        old = source.checkpoints.signer.raw_public_key
        said = source.replace_signer(renewed, old_key=old)
        assert said.startswith("checkpoints carried over"), said
        source.trust.set_public_key(b64(renewed.raw_public_key), replace=True)
        source.log.append(next(iter(chain_heads(source))), "after the new key", author="op1")
        _clean(source)
        with Desk.open(pg_desk) as server, Desk.open(tmp_path / "b.sqlite") as copy:
            assert copy_desk(source, server).checkpoints_copied
            assert copy_desk(source, copy).checkpoints_copied
            for desk in (server, copy):
                _clean(desk)
