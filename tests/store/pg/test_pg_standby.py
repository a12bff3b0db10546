"""A standby server (issue 14): a primary with a synchronous streaming-replication standby,
two writer processes, the primary killed mid-write and the standby promoted. Every entry a
desk acknowledged is on the promoted standby, once; the writers and ``log follow`` carried on
through the multi-host location without a restart."""

from __future__ import annotations

import pytest

from .failover import run_failover


def test_every_acknowledged_entry_survives_a_failover_and_the_writers_carry_on(pg_server, tmp_path):
    """``pg_server`` only for its skip (or CI's failure) where PostgreSQL is missing."""
    result = run_failover(tmp_path, writers=2, before=20, after=20)
    assert result.lost == []
    assert result.twice == []
    assert all(count >= 20 for count in result.after_kill.values()), result.after_kill
    assert result.followed_after_kill > 0
    assert result.check_ok, result.check_problems
    assert len(result.acknowledged) >= 80
    assert result.failover_s == pytest.approx(result.failover_s)  # a number, not NaN


def test_a_desk_says_its_server_is_lost_in_one_line_and_reconnects_when_it_is_back(pg_server):
    import psycopg

    from sarapp.store import ConnectionLost, Desk
    from sarapp.store.pg.desk import open_desk
    from sarapp.store.pg.local_server import LocalServer

    server = LocalServer.start(durable=True)
    try:
        with psycopg.connect(server.conninfo(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE sar")
        open_desk(server.conninfo("sar"), create=True).close()
        with Desk.open(server.conninfo("sar")) as desk:
            case_id = next(iter(desk.cases.create(title="FV Marie-Jo", author="smc").cases))
            desk.log.append(case_id, "before", author="smc")
            server.crash()
            with pytest.raises(ConnectionLost) as lost:
                desk.log.append(case_id, "while it is down", author="smc")
            assert "\n" not in str(lost.value) and "reconnecting" in str(lost.value)
            with pytest.raises(ConnectionLost):
                desk.log.entries(case_id)  # a read too, in one line, until it is back
            server.restart()
            desk.log.append(case_id, "after", author="smc")
            texts = [e.text for e in desk.log.entries(case_id)]
            assert texts[-2:] == ["before", "after"] and desk.check().ok
    finally:
        server.stop()
