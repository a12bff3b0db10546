"""``sarapp log follow`` on a server desk prints what was stored while it could not read,
once it can, without waiting for the next entry.

Seen in the failover test (1 run in 8): the feed came back first and reported every case as
changed, the follow's read of the log then failed (no server took its connection yet), and
the entries stored meanwhile were printed only when another entry came — in the test, never.
Here the relay makes that order every time: the follow's listening connection stays, its
reading connection is cut and new connections are refused while an entry is stored.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from sarapp.store import Desk


def test_an_entry_stored_while_the_follow_could_not_read_is_printed_when_it_can(
    relayed, pg_desk
) -> None:
    location, relay = relayed
    with Desk.open(pg_desk) as desk:
        (case_id,) = desk.cases.create(title="FV Marie-Jo", author="op").cases
        number = desk.cases.get(case_id).number
    follow = subprocess.Popen(
        [sys.executable, "-m", "sarapp.cli", "--db", location, "log", "follow", number,
         "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert follow.stderr.readline().startswith("following case ")
        relay.refusing = True
        assert relay.drop(keep=b"LISTEN") >= 1  # its reading connection; the listener stays
        with Desk.open(pg_desk) as other:  # straight to the server, not through the relay
            other.log.append(case_id, "Rescue 169 winching the first person", author="op2")
        assert "retrying" in follow.stderr.readline()  # told of the entry, could not read it
        time.sleep(0.5)
        relay.refusing = False  # the server can be reached again; no other entry comes
        entry = json.loads(follow.stdout.readline())
        assert entry["text"] == "Rescue 169 winching the first person"
    finally:
        follow.terminate()
        follow.wait(timeout=30)
