-- user_version 12
-- index alerts_by_source
CREATE INDEX alerts_by_source ON alerts (source_key, received);
-- index cases_by_origin
CREATE INDEX cases_by_origin ON cases (origin_rcc, origin_number);
-- index coordination_by_case
CREATE INDEX coordination_by_case ON coordination (case_id, time);
-- index disclosures_by_case
CREATE INDEX disclosures_by_case ON disclosures (case_id, time);
-- index drift_runs_by_case
CREATE INDEX drift_runs_by_case ON drift_runs (case_id, created);
-- index log_entries_by_time
CREATE INDEX log_entries_by_time ON log_entries (case_id, time);
-- index log_personal_by_case
CREATE INDEX log_personal_by_case ON log_personal (case_id);
-- index outbox_by_state
CREATE INDEX outbox_by_state ON outbox (state, prepared);
-- index packages_by_case
CREATE INDEX packages_by_case ON packages (case_id, peer_rcc, created);
-- index persons_by_case
CREATE INDEX persons_by_case ON persons (case_id, number);
-- index positions_by_case
CREATE INDEX positions_by_case ON positions (case_id, time);
-- index search_plans_by_case
CREATE INDEX search_plans_by_case ON search_plans (case_id, created);
-- index unit_positions_by_unit
CREATE INDEX unit_positions_by_unit ON unit_positions (unit_id, time);
-- index units_by_mmsi
CREATE UNIQUE INDEX units_by_mmsi ON units (mmsi) WHERE mmsi <> '';
-- table alerts
CREATE TABLE "alerts" (
    id TEXT PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    source_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sit185', 'ais', 'dsc')),
    case_id TEXT NOT NULL REFERENCES cases (id),
    entry_id TEXT NOT NULL REFERENCES log_entries (id),
    received TEXT NOT NULL
);
-- table cases
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
, origin_rcc TEXT NOT NULL DEFAULT '', origin_number TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1), outcome TEXT NOT NULL DEFAULT '', port_requested TEXT NOT NULL DEFAULT '', port_requested_at TEXT, port_assigned TEXT NOT NULL DEFAULT '', port_authority TEXT NOT NULL DEFAULT '', port_assigned_at TEXT, disembark_unit TEXT NOT NULL DEFAULT '', disembark_eta TEXT, disembarked_at TEXT);
-- table change_notices
CREATE TABLE change_notices (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    payload TEXT NOT NULL
);
-- table checkpoints
CREATE TABLE checkpoints (
    seq INTEGER PRIMARY KEY CHECK (seq >= 1),
    time TEXT NOT NULL,
    body TEXT NOT NULL,
    hash TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature TEXT NOT NULL
);
-- table coordination
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
-- table desk_meta
CREATE TABLE desk_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- table disclosures
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
-- table drift_runs
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
-- table forcing_cache
CREATE TABLE forcing_cache (
    key TEXT PRIMARY KEY,
    fetched TEXT NOT NULL,
    body BLOB NOT NULL
);
-- table log_entries
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
-- table log_personal
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
-- table log_search
CREATE VIRTUAL TABLE log_search USING fts5 (
    text,
    content = 'log_entries',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
-- table log_search_config
CREATE TABLE 'log_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;
-- table log_search_data
CREATE TABLE 'log_search_data'(id INTEGER PRIMARY KEY, block BLOB);
-- table log_search_docsize
CREATE TABLE 'log_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
-- table log_search_idx
CREATE TABLE 'log_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
-- table outbox
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
-- table packages
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
, created TEXT);
-- table person_counts
CREATE TABLE person_counts (
    case_id TEXT NOT NULL REFERENCES cases (id),
    category TEXT NOT NULL CHECK (category IN ('on_board', 'women', 'men', 'minors', 'medical',
        'rescued', 'missing', 'dead', 'medevac')),
    total INTEGER CHECK (total IS NULL OR total >= 0),
    counted INTEGER NOT NULL DEFAULT 0 CHECK (counted >= 0),
    PRIMARY KEY (case_id, category)
);
-- table persons
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
-- table positions
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
-- table search_plans
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
-- table sqlite_sequence
CREATE TABLE sqlite_sequence(name,seq);
-- table sync_grants
CREATE TABLE sync_grants (
    laptop TEXT NOT NULL CHECK (laptop <> ''),
    case_id TEXT NOT NULL REFERENCES cases (id),
    granted TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    PRIMARY KEY (laptop, case_id)
);
-- table sync_marks
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
-- table sync_peers
CREATE TABLE sync_peers (
    desk_id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (name <> ''),
    location TEXT NOT NULL DEFAULT '',
    last_sync TEXT
);
-- table trusted_keys
CREATE TABLE trusted_keys (
    fingerprint TEXT PRIMARY KEY,
    public_key TEXT NOT NULL UNIQUE,
    rcc_id TEXT NOT NULL UNIQUE CHECK (rcc_id <> ''),
    rcc_name TEXT NOT NULL DEFAULT '',
    rcc_country TEXT NOT NULL DEFAULT '',
    added TEXT NOT NULL,
    added_by TEXT NOT NULL
);
-- table unit_positions
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
-- table units
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
-- trigger alerts_append_only_delete
CREATE TRIGGER alerts_append_only_delete BEFORE DELETE ON alerts
BEGIN
    SELECT RAISE(ABORT, 'received alerts are append-only');
END;
-- trigger alerts_append_only_update
CREATE TRIGGER alerts_append_only_update BEFORE UPDATE ON alerts
BEGIN
    SELECT RAISE(ABORT, 'received alerts are append-only');
END;
-- trigger checkpoints_append_only_delete
CREATE TRIGGER checkpoints_append_only_delete BEFORE DELETE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'signed checkpoints are append-only');
END;
-- trigger checkpoints_append_only_update
CREATE TRIGGER checkpoints_append_only_update BEFORE UPDATE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'signed checkpoints are append-only');
END;
-- trigger coordination_append_only_delete
CREATE TRIGGER coordination_append_only_delete BEFORE DELETE ON coordination
BEGIN
    SELECT RAISE(ABORT, 'the coordination history is append-only');
END;
-- trigger coordination_append_only_update
CREATE TRIGGER coordination_append_only_update BEFORE UPDATE ON coordination
BEGIN
    SELECT RAISE(ABORT, 'the coordination history is append-only');
END;
-- trigger disclosures_append_only_delete
CREATE TRIGGER disclosures_append_only_delete BEFORE DELETE ON disclosures
BEGIN
    SELECT RAISE(ABORT, 'the record of disclosures is append-only');
END;
-- trigger disclosures_append_only_update
CREATE TRIGGER disclosures_append_only_update BEFORE UPDATE ON disclosures
BEGIN
    SELECT RAISE(ABORT, 'the record of disclosures is append-only');
END;
-- trigger drift_runs_append_only_delete
CREATE TRIGGER drift_runs_append_only_delete BEFORE DELETE ON drift_runs
BEGIN
    SELECT RAISE(ABORT, 'drift runs are kept as run: start a new run instead');
END;
-- trigger drift_runs_append_only_update
CREATE TRIGGER drift_runs_append_only_update BEFORE UPDATE ON drift_runs
BEGIN
    SELECT RAISE(ABORT, 'drift runs are kept as run: start a new run instead');
END;
-- trigger log_entries_append_only_delete
CREATE TRIGGER log_entries_append_only_delete BEFORE DELETE ON log_entries
BEGIN
    SELECT RAISE(ABORT, 'the case log is append-only: an entry cannot be deleted');
END;
-- trigger log_entries_append_only_update
CREATE TRIGGER log_entries_append_only_update BEFORE UPDATE ON log_entries
BEGIN
    SELECT RAISE(ABORT, 'the case log is append-only: an entry cannot be changed');
END;
-- trigger log_entries_index
CREATE TRIGGER log_entries_index AFTER INSERT ON log_entries
BEGIN
    INSERT INTO log_search (rowid, text) VALUES (new.rowid, new.text);
END;
-- trigger log_personal_no_delete
CREATE TRIGGER log_personal_no_delete BEFORE DELETE ON log_personal
BEGIN
    SELECT RAISE(ABORT, 'personal content is purged, never deleted: its row stays');
END;
-- trigger log_personal_only_erased
CREATE TRIGGER log_personal_only_erased BEFORE UPDATE ON log_personal
WHEN NOT (new.entry_id = old.entry_id AND new.case_id = old.case_id AND (
    (new.state = 'purged' AND new.salt IS NULL AND new.text IS NULL AND new.content IS NULL)
    OR (old.state = 'withheld' AND new.state = 'held')))
BEGIN
    SELECT RAISE(ABORT, 'personal content is only ever purged (or received later), never changed');
END;
-- trigger positions_append_only_delete
CREATE TRIGGER positions_append_only_delete BEFORE DELETE ON positions
BEGIN
    SELECT RAISE(ABORT, 'position reports are append-only: report a new position instead');
END;
-- trigger positions_append_only_update
CREATE TRIGGER positions_append_only_update BEFORE UPDATE ON positions
BEGIN
    SELECT RAISE(ABORT, 'position reports are append-only: report a new position instead');
END;
