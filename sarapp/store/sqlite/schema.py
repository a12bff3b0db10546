"""The desk database's schema as numbered migrations (``PRAGMA user_version``).

A migration is never edited once released: a change of schema is a new step. Each version has
a golden file in ``tests/data/store/`` that the tests compare against.
"""

from __future__ import annotations

import sqlite3

# "SARA" in ASCII: marks a SQLite file as a sarapp desk, so another program's database is
# recognised and left alone.
APPLICATION_ID = 0x53415241

_V1_CASE_DESK = """
CREATE TABLE desk_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL CHECK (title <> ''),
    phase TEXT NOT NULL CHECK (phase IN ('INCERFA', 'ALERFA', 'DETRESFA')),
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    nature TEXT NOT NULL DEFAULT '',
    pob INTEGER CHECK (pob IS NULL OR pob >= 0),
    vessel_name TEXT NOT NULL DEFAULT '',
    mmsi TEXT NOT NULL DEFAULT '',
    imo TEXT NOT NULL DEFAULT '',
    call_sign TEXT NOT NULL DEFAULT '',
    flag TEXT NOT NULL DEFAULT '',
    vessel_type TEXT NOT NULL DEFAULT '',
    vessel_description TEXT NOT NULL DEFAULT '',
    rcc TEXT NOT NULL DEFAULT '',
    smc TEXT NOT NULL DEFAULT '',
    lkp_id TEXT REFERENCES positions (id),
    is_demo INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE positions (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    time TEXT,
    source TEXT NOT NULL,
    accuracy_m REAL CHECK (accuracy_m IS NULL OR accuracy_m >= 0),
    recorded TEXT NOT NULL
);
CREATE INDEX positions_by_case ON positions (case_id, time);
CREATE TABLE log_entries (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    seq INTEGER NOT NULL CHECK (seq >= 1),
    time TEXT NOT NULL,
    author TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    corrects TEXT REFERENCES log_entries (id),
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (case_id, seq)
);
CREATE TRIGGER log_entries_append_only_update BEFORE UPDATE ON log_entries
BEGIN
    SELECT RAISE(ABORT, 'the case log is append-only: an entry cannot be changed');
END;
CREATE TRIGGER log_entries_append_only_delete BEFORE DELETE ON log_entries
BEGIN
    SELECT RAISE(ABORT, 'the case log is append-only: an entry cannot be deleted');
END;
CREATE TRIGGER positions_append_only_update BEFORE UPDATE ON positions
BEGIN
    SELECT RAISE(ABORT, 'position reports are append-only: report a new position instead');
END;
CREATE TRIGGER positions_append_only_delete BEFORE DELETE ON positions
BEGIN
    SELECT RAISE(ABORT, 'position reports are append-only: report a new position instead');
END;
"""

_V2_FULL_TEXT_SEARCH = """
CREATE VIRTUAL TABLE log_search USING fts5 (
    text,
    content = 'log_entries',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER log_entries_index AFTER INSERT ON log_entries
BEGIN
    INSERT INTO log_search (rowid, text) VALUES (new.rowid, new.text);
END;
INSERT INTO log_search (log_search) VALUES ('rebuild');
"""

_V3_ALERTS_AND_UNITS = """
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    source_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sit185', 'ais')),
    case_id TEXT NOT NULL REFERENCES cases (id),
    entry_id TEXT NOT NULL REFERENCES log_entries (id),
    received TEXT NOT NULL
);
CREATE INDEX alerts_by_source ON alerts (source_key, received);
CREATE TRIGGER alerts_append_only_update BEFORE UPDATE ON alerts
BEGIN
    SELECT RAISE(ABORT, 'received alerts are append-only');
END;
CREATE TRIGGER alerts_append_only_delete BEFORE DELETE ON alerts
BEGIN
    SELECT RAISE(ABORT, 'received alerts are append-only');
END;
CREATE TABLE units (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    unit_type TEXT NOT NULL CHECK (unit_type IN
        ('lifeboat', 'patrol_vessel', 'helicopter', 'fixed_wing', 'merchant_vessel')),
    call_sign TEXT NOT NULL DEFAULT '',
    mmsi TEXT NOT NULL DEFAULT '',
    speed_kt REAL CHECK (speed_kt IS NULL OR speed_kt > 0),
    endurance_h REAL CHECK (endurance_h IS NULL OR endurance_h > 0),
    home_base TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE UNIQUE INDEX units_by_mmsi ON units (mmsi) WHERE mmsi <> '';
CREATE TABLE unit_positions (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units (id),
    lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    time TEXT NOT NULL,
    source TEXT NOT NULL,
    sog_kt REAL,
    cog_deg REAL,
    heading_deg REAL,
    altitude_m REAL,
    recorded TEXT NOT NULL,
    UNIQUE (unit_id, time, source)
);
CREATE INDEX unit_positions_by_unit ON unit_positions (unit_id, time);
"""

_V4_DRIFT = """
CREATE TABLE drift_runs (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    created TEXT NOT NULL,
    author TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    seed INTEGER NOT NULL,
    params TEXT NOT NULL,
    forcing TEXT NOT NULL,
    summary TEXT NOT NULL,
    entry_id TEXT NOT NULL REFERENCES log_entries (id)
);
CREATE INDEX drift_runs_by_case ON drift_runs (case_id, created);
CREATE TRIGGER drift_runs_append_only_update BEFORE UPDATE ON drift_runs
BEGIN
    SELECT RAISE(ABORT, 'drift runs are kept as run: start a new run instead');
END;
CREATE TRIGGER drift_runs_append_only_delete BEFORE DELETE ON drift_runs
BEGIN
    SELECT RAISE(ABORT, 'drift runs are kept as run: start a new run instead');
END;
CREATE TABLE forcing_cache (
    key TEXT PRIMARY KEY,
    fetched TEXT NOT NULL,
    body BLOB NOT NULL
);
"""

_V5_HANDOVER_AND_PLANS = """
CREATE TABLE coordination (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    event TEXT NOT NULL CHECK (event IN ('coordinating', 'proposed', 'accepted', 'declined')),
    rcc_id TEXT NOT NULL,
    rcc_name TEXT NOT NULL DEFAULT '',
    package_id TEXT,
    time TEXT NOT NULL,
    entry_id TEXT NOT NULL REFERENCES log_entries (id)
);
CREATE INDEX coordination_by_case ON coordination (case_id, time);
CREATE TRIGGER coordination_append_only_update BEFORE UPDATE ON coordination
BEGIN
    SELECT RAISE(ABORT, 'the coordination history is append-only');
END;
CREATE TRIGGER coordination_append_only_delete BEFORE DELETE ON coordination
BEGIN
    SELECT RAISE(ABORT, 'the coordination history is append-only');
END;
CREATE TABLE packages (
    id TEXT PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    case_id TEXT REFERENCES cases (id),
    purpose TEXT NOT NULL,
    peer_rcc TEXT NOT NULL DEFAULT '',
    signer_fingerprint TEXT NOT NULL DEFAULT '',
    signature_status TEXT NOT NULL DEFAULT '',
    digest TEXT NOT NULL,
    time TEXT NOT NULL
);
CREATE TABLE search_plans (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    unit_id TEXT REFERENCES units (id),
    unit_name TEXT NOT NULL,
    pattern TEXT NOT NULL,
    params TEXT NOT NULL,
    waypoints TEXT NOT NULL,
    start TEXT,
    end TEXT,
    pod REAL CHECK (pod IS NULL OR pod BETWEEN 0 AND 1),
    drift_run_id TEXT REFERENCES drift_runs (id),
    status TEXT NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
    created TEXT NOT NULL,
    author TEXT NOT NULL
);
CREATE INDEX search_plans_by_case ON search_plans (case_id, created);
"""

# The desk's own identity (desk id, RCC id/name/country, public key) lives in ``desk_meta``;
# the private key does not: it stays in the user's folder, keyed by the desk id.
_V6_TRUST = """
CREATE TABLE trusted_keys (
    fingerprint TEXT PRIMARY KEY,
    public_key TEXT NOT NULL UNIQUE,
    rcc_id TEXT NOT NULL UNIQUE CHECK (rcc_id <> ''),
    rcc_name TEXT NOT NULL DEFAULT '',
    rcc_country TEXT NOT NULL DEFAULT '',
    added TEXT NOT NULL,
    added_by TEXT NOT NULL
);
ALTER TABLE packages ADD COLUMN created TEXT;
CREATE INDEX packages_by_case ON packages (case_id, peer_rcc, created);
"""

# DSC distress alerts (issue 15) are received alerts too: the kind check admits 'dsc'. SQLite
# cannot change a CHECK in place, so the table is rebuilt with its rows, index and triggers
# (DROP TABLE fires no delete trigger; nothing references this table).
_V7_DSC_ALERTS = """
CREATE TABLE alerts_v7 (
    id TEXT PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    source_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sit185', 'ais', 'dsc')),
    case_id TEXT NOT NULL REFERENCES cases (id),
    entry_id TEXT NOT NULL REFERENCES log_entries (id),
    received TEXT NOT NULL
);
INSERT INTO alerts_v7 (id, digest, source_key, kind, case_id, entry_id, received)
    SELECT id, digest, source_key, kind, case_id, entry_id, received FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_v7 RENAME TO alerts;
CREATE INDEX alerts_by_source ON alerts (source_key, received);
CREATE TRIGGER alerts_append_only_update BEFORE UPDATE ON alerts
BEGIN
    SELECT RAISE(ABORT, 'received alerts are append-only');
END;
CREATE TRIGGER alerts_append_only_delete BEFORE DELETE ON alerts
BEGIN
    SELECT RAISE(ABORT, 'received alerts are append-only');
END;
"""

_V8_ORIGIN_OUTBOX = """
ALTER TABLE cases ADD COLUMN origin_rcc TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN origin_number TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_by_origin ON cases (origin_rcc, origin_number);
CREATE INDEX log_entries_by_time ON log_entries (case_id, time);
CREATE TABLE outbox (
    package_id TEXT PRIMARY KEY REFERENCES packages (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    peer_rcc TEXT NOT NULL,
    url TEXT NOT NULL,
    content BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('prepared', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error TEXT NOT NULL DEFAULT '',
    prepared TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX outbox_by_state ON outbox (state, prepared);
"""

_V9_CHECKPOINTS = """
CREATE TABLE checkpoints (
    seq INTEGER PRIMARY KEY CHECK (seq >= 1),
    time TEXT NOT NULL,
    body TEXT NOT NULL,
    hash TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE TRIGGER checkpoints_append_only_update BEFORE UPDATE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'signed checkpoints are append-only');
END;
CREATE TRIGGER checkpoints_append_only_delete BEFORE DELETE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'signed checkpoints are append-only');
END;
"""

# Many desks on one file (issue 13): a case's version counts the edits of its row, so an edit
# made from what another window showed before is seen as a conflict (``desk.cases.set_field``);
# each transaction's change notices (``sarapp.store.notices``) for the other windows and
# processes on this file, pruned as they age (``sarapp.store.sqlite.watch``).
_V10_VERSIONS_AND_NOTICES = """
ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
CREATE TABLE change_notices (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    payload TEXT NOT NULL
);
"""

# Persons in distress and their data protection (issue 16): the persons register (records
# and counts), the place of safety and disembarkation and the closing outcome (case columns),
# the personal content of log entries kept beside the log (each entry's data holds a salted
# commitment to it, so a purge erases the content and the chain still checks), and the
# record of every disclosure of personal data. See docs/data-protection.md.
_V11_PERSONS = """
ALTER TABLE cases ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN port_requested TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN port_requested_at TEXT;
ALTER TABLE cases ADD COLUMN port_assigned TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN port_authority TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN port_assigned_at TEXT;
ALTER TABLE cases ADD COLUMN disembark_unit TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN disembark_eta TEXT;
ALTER TABLE cases ADD COLUMN disembarked_at TEXT;
CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    number INTEGER NOT NULL CHECK (number >= 1),
    status TEXT NOT NULL CHECK (status IN ('at-risk', 'missing', 'rescued', 'dead', 'medevac')),
    unit TEXT NOT NULL DEFAULT '',
    recovered TEXT,
    taken_to TEXT NOT NULL DEFAULT '',
    personal TEXT NOT NULL DEFAULT 'held' CHECK (personal IN ('held', 'purged', 'withheld')),
    name TEXT NOT NULL DEFAULT '',
    age INTEGER CHECK (age IS NULL OR age BETWEEN 0 AND 130),
    sex TEXT NOT NULL DEFAULT '' CHECK (sex IN ('', 'F', 'M', 'X')),
    nationality TEXT NOT NULL DEFAULT '',
    medical INTEGER CHECK (medical IS NULL OR medical IN (0, 1)),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX persons_by_case ON persons (case_id, number);
CREATE TABLE person_counts (
    case_id TEXT NOT NULL REFERENCES cases (id),
    category TEXT NOT NULL CHECK (category IN ('on_board', 'women', 'men', 'minors', 'medical',
        'rescued', 'missing', 'dead', 'medevac')),
    total INTEGER CHECK (total IS NULL OR total >= 0),
    counted INTEGER NOT NULL DEFAULT 0 CHECK (counted >= 0),
    PRIMARY KEY (case_id, category)
);
CREATE TABLE log_personal (
    entry_id TEXT PRIMARY KEY REFERENCES log_entries (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    state TEXT NOT NULL CHECK (state IN ('held', 'purged', 'withheld')),
    salt TEXT,
    text TEXT,
    content TEXT,
    gone_entry TEXT REFERENCES log_entries (id),
    CHECK ((state = 'held') = (salt IS NOT NULL AND text IS NOT NULL AND content IS NOT NULL))
);
CREATE INDEX log_personal_by_case ON log_personal (case_id);
CREATE TRIGGER log_personal_no_delete BEFORE DELETE ON log_personal
BEGIN
    SELECT RAISE(ABORT, 'personal content is purged, never deleted: its row stays');
END;
CREATE TRIGGER log_personal_only_erased BEFORE UPDATE ON log_personal
WHEN NOT (new.entry_id = old.entry_id AND new.case_id = old.case_id AND (
    (new.state = 'purged' AND new.salt IS NULL AND new.text IS NULL AND new.content IS NULL)
    OR (old.state = 'withheld' AND new.state = 'held')))
BEGIN
    SELECT RAISE(ABORT, 'personal content is only ever purged (or received later), never changed');
END;
CREATE TABLE disclosures (
    id TEXT PRIMARY KEY,
    time TEXT NOT NULL,
    author TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('display', 'export', 'package', 'sitrep', 'access')),
    recipient TEXT NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('coordination', 'medical', 'disembarkation',
        'identification', 'flag-state', 'statistics', 'subject-access')),
    reason TEXT NOT NULL DEFAULT '',
    subjects TEXT NOT NULL,
    entry_id TEXT REFERENCES log_entries (id)
);
CREATE INDEX disclosures_by_case ON disclosures (case_id, time);
CREATE TRIGGER disclosures_append_only_update BEFORE UPDATE ON disclosures
BEGIN
    SELECT RAISE(ABORT, 'the record of disclosures is append-only');
END;
CREATE TRIGGER disclosures_append_only_delete BEFORE DELETE ON disclosures
BEGIN
    SELECT RAISE(ABORT, 'the record of disclosures is append-only');
END;
"""

# Sync between a field laptop and its centre (issue 14): the cases the centre gave each laptop
# (by the laptop's name, its RCC id, which is also its login role on a server), the peers this
# desk syncs with, and per peer and case how far each side holds the other's log (``seq`` of
# the peer's chain held, of this desk's chain the peer said it holds, this desk's seqs filled
# from the peer above that) and the sender's clock at the cut (for unit positions).
_V12_SYNC = """
CREATE TABLE sync_grants (
    laptop TEXT NOT NULL CHECK (laptop <> ''),
    case_id TEXT NOT NULL REFERENCES cases (id),
    granted TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    PRIMARY KEY (laptop, case_id)
);
CREATE TABLE sync_peers (
    desk_id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (name <> ''),
    location TEXT NOT NULL DEFAULT '',
    last_sync TEXT
);
CREATE TABLE sync_marks (
    peer TEXT NOT NULL REFERENCES sync_peers (desk_id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    received_seq INTEGER NOT NULL DEFAULT 0 CHECK (received_seq >= 0),
    received_cut TEXT,
    acked_seq INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
    acked_cut TEXT,
    sent_seq INTEGER NOT NULL DEFAULT 0 CHECK (sent_seq >= 0),
    ranges TEXT NOT NULL DEFAULT '[]',
    updated TEXT NOT NULL,
    PRIMARY KEY (peer, case_id)
);
"""

# MIGRATIONS[n - 1] takes a database from version n - 1 to version n.
MIGRATIONS: tuple[str, ...] = (
    _V1_CASE_DESK,
    _V2_FULL_TEXT_SEARCH,
    _V3_ALERTS_AND_UNITS,
    _V4_DRIFT,
    _V5_HANDOVER_AND_PLANS,
    _V6_TRUST,
    _V7_DSC_ALERTS,
    _V8_ORIGIN_OUTBOX,
    _V9_CHECKPOINTS,
    _V10_VERSIONS_AND_NOTICES,
    _V11_PERSONS,
    _V12_SYNC,
)
LATEST_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, *, from_version: int, to_version: int) -> None:
    """Apply the steps ``from_version + 1 … to_version`` in one transaction each.

    The connection must be in autocommit mode (``isolation_level=None``).
    """
    for version in range(from_version + 1, to_version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[version - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    """Split a script into statements (triggers contain semicolons; complete_statement knows)."""
    statements, current = [], ""
    for line in script.strip().splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError(f"incomplete SQL statement in migration: {current.strip()[:60]}")
    return statements


def schema_dump(conn: sqlite3.Connection) -> str:
    """The schema as text, stable across runs: what the golden files hold."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
    ).fetchall()
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    lines = [f"-- user_version {version}"]
    lines += [f"-- {kind} {name}\n{sql};" for kind, name, sql in rows]
    return "\n".join(lines) + "\n"
