"""Sync between a field laptop (a desk file) and a centre on PostgreSQL (issue 14): the same
merge as desk file to desk file, and the server itself holds a laptop's login to the cases the
centre gave it (row-level security)."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from sarapp.exchange.errors import SyncError
from sarapp.exchange.sync_conflicts import open_conflicts
from sarapp.model import Position
from sarapp.store import CaseError, Desk
from sarapp.store.pg.location import connect
from sarapp.store.pg.roles import create_roles

from .conftest import T0, build_case
from .helpers import add_tasking
from .sync_helpers import ETEL, FIELD, dump, named_desk, same_cases, sync


@pytest.fixture
def centre_location(pg_desk: str) -> str:
    with connect(pg_desk) as admin:
        create_roles(admin)
    return pg_desk


@pytest.fixture
def centre(centre_location: str, keys_dir: Path):
    with named_desk(centre_location, ETEL, keys_dir) as desk:
        yield desk


@pytest.fixture
def laptop(tmp_path: Path, empty_desk_file: Path, keys_dir: Path):
    path = tmp_path / "laptop.sqlite"
    shutil.copyfile(empty_desk_file, path)
    with named_desk(path, FIELD, keys_dir) as desk:
        yield desk


def _login(pg_server, location: str, name: str, group: str) -> str:
    """A login role in ``group`` (roles are the server's: one test's login may exist); the
    location to connect as it."""
    with connect(location) as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(
            sql.Identifier(group), sql.Identifier(name)))  # fmt: skip
        dbname = conn.info.dbname
    return pg_server.conninfo(dbname, user=name)


@pytest.fixture
def field_login(pg_server, centre_location: str) -> str:
    """The location the laptop FIELD-1 logs in to the centre with: its own role."""
    with connect(centre_location) as conn:
        dbname = conn.info.dbname
    return _login(pg_server, centre_location, FIELD.id, f"{dbname}_field")


@pytest.fixture
def carried(centre: Desk, laptop: Desk) -> list[str]:
    first = build_case(centre)
    add_tasking(centre, first)
    second = next(iter(centre.cases.create(title="Kayaker overdue", author="op1").cases))
    centre.sync.give(FIELD.id, [first, second], author="smc")
    return [first, second]


def test_a_laptop_and_a_server_centre_unite_their_work(centre, laptop, carried):
    sync(laptop, centre)
    same_cases(centre, laptop, carried)
    first, second = carried
    for n in range(20):
        laptop.log.append(first, f"Team: leg {n} flown", author="team")
    laptop.cases.add_position(first, Position(47.6, -3.3, T0, source="sru"), author="team")
    laptop.cases.set_field(second, "pob", "2", author="team")
    centre.log.append(first, "Centre: Falmouth informed", author="smc")
    centre.cases.set_field(first, "pob", "3", author="smc")
    centre.cases.set_field(second, "pob", "1", author="smc")  # both: a conflict
    sync(laptop, centre)
    same_cases(centre, laptop, carried, differ=("pob",))
    assert laptop.cases.get(first).pob == centre.cases.get(first).pob == 3
    assert [c.field for c in open_conflicts(centre, second)] == ["pob"]
    assert [c.field for c in open_conflicts(laptop, second)] == ["pob"]
    before = dump(laptop), dump(centre)
    sync(laptop, centre)
    assert (dump(laptop), dump(centre)) == before
    assert laptop.check().ok and centre.check().ok


def test_the_laptops_own_login_syncs_its_cases(centre, laptop, carried, field_login):
    with Desk.open(field_login) as through_role:
        sync(laptop, through_role)
        laptop.log.append(carried[0], "Team: on scene", author="team")
        sync(laptop, through_role)
    assert "Team: on scene" in [e.text for e in centre.log.entries(carried[0])]
    (entry,) = [e for e in centre.log.entries(carried[0]) if e.text == "Team: on scene"]
    writer = centre.backend.execute("SELECT written_by FROM log_entries WHERE id = ?", (entry.id,))
    assert writer.fetchone()[0] == FIELD.id
    assert centre.check().ok


def test_the_persons_a_laptop_logs_reach_the_server_through_its_login(
    centre, laptop, carried, field_login
):
    first = carried[0]
    with Desk.open(field_login) as through_role:
        sync(laptop, through_role)
        laptop.persons.set_counts(first, {"on_board": 2, "rescued": 1, "missing": 1},
                                  author="team")  # fmt: skip
        laptop.persons.add(first, {"name": "Touré", "status": "rescued"}, author="team")
        sync(laptop, through_role)
    register = centre.persons.register(first)
    assert register.counts == laptop.persons.register(first).counts
    assert [(p.status, p.personal) for p in register.persons] == [("rescued", "held")]
    assert register.persons[0].personal_values()["name"] == "Touré"
    centre.privacy.append_note(first, "Touré's daughter called", author="smc")
    with Desk.open(field_login) as through_role:
        sync(laptop, through_role)  # the centre's disclosure written through the laptop's login
    assert [d.recipient for d in centre.privacy.disclosures(first)] == ["laptop FIELD-1 (sync)"]
    assert centre.check().ok


def test_the_server_refuses_a_laptops_writes_to_other_cases(centre, laptop, carried, field_login):
    """Whatever program holds the laptop's login: it reads its cases only, and the server
    refuses any row it would add to another case."""
    other = next(iter(centre.cases.create(title="Not for the team", author="op1").cases))
    before = dump(centre)
    with psycopg.connect(field_login, autocommit=True) as rogue:
        visible = {str(r[0]) for r in rogue.execute("SELECT id FROM cases")}
        assert visible == set(carried)
        for statement, params in (
            ("INSERT INTO log_entries (id, case_id, seq, time, author, kind, text, prev_hash,"
             " hash, search) VALUES (gen_random_uuid(), %s, 99, now(), 'x', 'note', 'x', '',"
             " '', '')", (other,)),
            ("INSERT INTO positions (id, case_id, lat, lon, source, recorded)"
             " VALUES (gen_random_uuid(), %s, 1, 1, 'sru', now())", (other,)),
            ("INSERT INTO sync_grants (laptop, case_id, granted, granted_by)"
             " VALUES ('FIELD-1', %s, now(), 'me')", (other,)),
            ("DELETE FROM sync_grants", ()),
        ):  # fmt: skip
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                rogue.execute(statement, params)
        assert rogue.execute("UPDATE cases SET pob = 9 WHERE id = %s", (other,)).rowcount == 0
    with Desk.open(field_login) as through_role, pytest.raises(CaseError, match="no case"):
        through_role.log.append(other, "Written from a laptop", author="team")
    assert dump(centre) == before


def test_a_laptop_logging_in_under_another_name_is_refused(
    pg_server, centre, laptop, carried, centre_location
):
    with connect(centre_location) as conn:
        dbname = conn.info.dbname
    other = _login(pg_server, centre_location, "FIELD-2", f"{dbname}_field")
    with Desk.open(other) as through_role, pytest.raises(SyncError, match="log in as FIELD-1"):
        sync(laptop, through_role)


def test_the_centres_viewers_see_nothing_of_the_laptop_until_it_syncs(
    pg_server, centre, laptop, carried, centre_location
):
    with connect(centre_location) as conn:
        dbname = conn.info.dbname
    viewer = _login(pg_server, centre_location, "liaison", f"{dbname}_viewer")
    sync(laptop, centre)
    laptop.log.append(carried[0], "Team: survivor sighted", author="team")
    with psycopg.connect(viewer, autocommit=True) as watch:
        seen = "SELECT count(*) FROM log_entries WHERE text = 'Team: survivor sighted'"
        assert watch.execute(seen).fetchone()[0] == 0
        sync(laptop, centre)
        assert watch.execute(seen).fetchone()[0] == 1
