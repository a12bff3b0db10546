-- user_version 1
-- index positions_by_case
CREATE INDEX positions_by_case ON positions (case_id, time);
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
);
-- table desk_meta
CREATE TABLE desk_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
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
