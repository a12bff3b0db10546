"""The PostgreSQL desk's schema as numbered migrations, mirroring the SQLite desk's.

Version 1 is the SQLite desk at its version 9 in PostgreSQL's own types: ``uuid`` ids,
``timestamptz`` times, ``jsonb`` values (a checkpoint's body stays text: its bytes are
signed), ``boolean`` flags, ``bytea`` bodies, and a ``rowid`` identity column where the
SQLite store orders by rowid, so that SQL reads the same on both.
Added for many desks at once: ``cases.version`` (a field edit sees a change made under it),
``log_entries.written_by`` (the database role that wrote the entry, set by the database), and
``log_entries.search`` (the entry's words, folded as the SQLite desk folds them; see
``sarapp.store.pg.search``). Append-only tables refuse UPDATE, DELETE and TRUNCATE in the
database itself. A released step is never edited: a change is a new step with its golden
dump in ``tests/data/store/pg/``.
"""

from __future__ import annotations

import psycopg

from sarapp.store.pg.location import PgStoreError
from sarapp.store.sqlite.schema import APPLICATION_ID

MARKER_TABLE = "sarapp_schema"

_V1_DESK = """
CREATE TABLE sarapp_schema (
    application_id integer PRIMARY KEY CHECK (application_id = 1396789825),
    version integer NOT NULL CHECK (version >= 1)
);
COMMENT ON TABLE sarapp_schema IS 'sarapp desk: the schema version of this database';

CREATE FUNCTION sarapp_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = TG_ARGV[0];
END;
$$;

CREATE FUNCTION sarapp_entry_writer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.written_by := current_user;
    RETURN NEW;
END;
$$;

CREATE TABLE desk_meta (
    key text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE cases (
    id uuid PRIMARY KEY,
    number text NOT NULL UNIQUE,
    title text NOT NULL CHECK (title <> ''),
    phase text NOT NULL CHECK (phase IN ('INCERFA', 'ALERFA', 'DETRESFA')),
    status text NOT NULL CHECK (status IN ('open', 'closed')),
    nature text NOT NULL DEFAULT '',
    pob integer CHECK (pob IS NULL OR pob >= 0),
    vessel_name text NOT NULL DEFAULT '',
    mmsi text NOT NULL DEFAULT '',
    imo text NOT NULL DEFAULT '',
    call_sign text NOT NULL DEFAULT '',
    flag text NOT NULL DEFAULT '',
    vessel_type text NOT NULL DEFAULT '',
    vessel_description text NOT NULL DEFAULT '',
    rcc text NOT NULL DEFAULT '',
    smc text NOT NULL DEFAULT '',
    lkp_id uuid,
    is_demo boolean NOT NULL DEFAULT false,
    created timestamptz NOT NULL,
    updated timestamptz NOT NULL,
    origin_rcc text NOT NULL DEFAULT '',
    origin_number text NOT NULL DEFAULT '',
    version bigint NOT NULL DEFAULT 1 CHECK (version >= 1)
);
CREATE INDEX cases_by_origin ON cases (origin_rcc, origin_number);
CREATE TABLE positions (
    id uuid PRIMARY KEY,
    case_id uuid NOT NULL REFERENCES cases (id),
    lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    time timestamptz,
    source text NOT NULL,
    accuracy_m double precision CHECK (accuracy_m IS NULL OR accuracy_m >= 0),
    recorded timestamptz NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE INDEX positions_by_case ON positions (case_id, time);
ALTER TABLE cases ADD FOREIGN KEY (lkp_id) REFERENCES positions (id);
CREATE TABLE log_entries (
    id uuid PRIMARY KEY,
    case_id uuid NOT NULL REFERENCES cases (id),
    seq integer NOT NULL CHECK (seq >= 1),
    time timestamptz NOT NULL,
    author text NOT NULL,
    kind text NOT NULL,
    text text NOT NULL,
    data jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object'),
    corrects uuid REFERENCES log_entries (id),
    prev_hash text NOT NULL,
    hash text NOT NULL,
    written_by text NOT NULL DEFAULT current_user,
    search tsvector NOT NULL,
    UNIQUE (case_id, seq)
);
CREATE INDEX log_entries_by_time ON log_entries (case_id, time);
CREATE INDEX log_entries_search ON log_entries USING gin (search);
CREATE TRIGGER log_entries_written_by BEFORE INSERT ON log_entries
    FOR EACH ROW EXECUTE FUNCTION sarapp_entry_writer();

CREATE TABLE alerts (
    id uuid PRIMARY KEY,
    digest text NOT NULL UNIQUE,
    source_key text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('sit185', 'ais', 'dsc')),
    case_id uuid NOT NULL REFERENCES cases (id),
    entry_id uuid NOT NULL REFERENCES log_entries (id),
    received timestamptz NOT NULL
);
CREATE INDEX alerts_by_source ON alerts (source_key, received);
CREATE TABLE units (
    id uuid PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (name <> ''),
    unit_type text NOT NULL CHECK (unit_type IN
        ('lifeboat', 'patrol_vessel', 'helicopter', 'fixed_wing', 'merchant_vessel')),
    call_sign text NOT NULL DEFAULT '',
    mmsi text NOT NULL DEFAULT '',
    speed_kt double precision CHECK (speed_kt IS NULL OR speed_kt > 0),
    endurance_h double precision CHECK (endurance_h IS NULL OR endurance_h > 0),
    home_base text NOT NULL DEFAULT '',
    created timestamptz NOT NULL,
    updated timestamptz NOT NULL
);
CREATE UNIQUE INDEX units_by_mmsi ON units (mmsi) WHERE mmsi <> '';
CREATE TABLE unit_positions (
    id uuid PRIMARY KEY,
    unit_id uuid NOT NULL REFERENCES units (id),
    lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    time timestamptz NOT NULL,
    source text NOT NULL,
    sog_kt double precision,
    cog_deg double precision,
    heading_deg double precision,
    altitude_m double precision,
    recorded timestamptz NOT NULL,
    UNIQUE (unit_id, time, source)
);
CREATE INDEX unit_positions_by_unit ON unit_positions (unit_id, time);

CREATE TABLE drift_runs (
    id uuid PRIMARY KEY,
    case_id uuid NOT NULL REFERENCES cases (id),
    created timestamptz NOT NULL,
    author text NOT NULL,
    label text NOT NULL DEFAULT '',
    seed bigint NOT NULL,
    params jsonb NOT NULL,
    forcing jsonb NOT NULL,
    summary jsonb NOT NULL,
    entry_id uuid NOT NULL REFERENCES log_entries (id),
    rowid bigint GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE INDEX drift_runs_by_case ON drift_runs (case_id, created);
CREATE TABLE forcing_cache (
    key text PRIMARY KEY,
    fetched timestamptz NOT NULL,
    body bytea NOT NULL
);

CREATE TABLE coordination (
    id uuid PRIMARY KEY,
    case_id uuid NOT NULL REFERENCES cases (id),
    event text NOT NULL CHECK (event IN ('coordinating', 'proposed', 'accepted', 'declined')),
    rcc_id text NOT NULL,
    rcc_name text NOT NULL DEFAULT '',
    package_id uuid,
    time timestamptz NOT NULL,
    entry_id uuid NOT NULL REFERENCES log_entries (id),
    rowid bigint GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE INDEX coordination_by_case ON coordination (case_id, time);
CREATE TABLE packages (
    id uuid PRIMARY KEY,
    direction text NOT NULL CHECK (direction IN ('sent', 'received')),
    case_id uuid REFERENCES cases (id),
    purpose text NOT NULL,
    peer_rcc text NOT NULL DEFAULT '',
    signer_fingerprint text NOT NULL DEFAULT '',
    signature_status text NOT NULL DEFAULT '',
    digest text NOT NULL,
    time timestamptz NOT NULL,
    created timestamptz
);
CREATE INDEX packages_by_case ON packages (case_id, peer_rcc, created);
CREATE TABLE search_plans (
    id uuid PRIMARY KEY,
    case_id uuid NOT NULL REFERENCES cases (id),
    unit_id uuid REFERENCES units (id),
    unit_name text NOT NULL,
    pattern text NOT NULL,
    params jsonb NOT NULL,
    waypoints jsonb NOT NULL,
    start timestamptz,
    "end" timestamptz,
    pod double precision CHECK (pod IS NULL OR pod BETWEEN 0 AND 1),
    drift_run_id uuid REFERENCES drift_runs (id),
    status text NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
    created timestamptz NOT NULL,
    author text NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE INDEX search_plans_by_case ON search_plans (case_id, created);

CREATE TABLE trusted_keys (
    fingerprint text PRIMARY KEY,
    public_key text NOT NULL UNIQUE,
    rcc_id text NOT NULL UNIQUE CHECK (rcc_id <> ''),
    rcc_name text NOT NULL DEFAULT '',
    rcc_country text NOT NULL DEFAULT '',
    added timestamptz NOT NULL,
    added_by text NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE TABLE outbox (
    package_id uuid PRIMARY KEY REFERENCES packages (id),
    case_id uuid NOT NULL REFERENCES cases (id),
    peer_rcc text NOT NULL,
    url text NOT NULL,
    content bytea NOT NULL,
    state text NOT NULL CHECK (state IN ('prepared', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error text NOT NULL DEFAULT '',
    prepared timestamptz NOT NULL,
    updated timestamptz NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE INDEX outbox_by_state ON outbox (state, prepared);

CREATE TABLE checkpoints (
    seq bigint PRIMARY KEY CHECK (seq >= 1),
    time timestamptz NOT NULL,
    body text NOT NULL,
    hash text NOT NULL,
    public_key text NOT NULL,
    signature text NOT NULL
);
""" + "".join(
    f"""
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION sarapp_refuse_change('{message}');
CREATE TRIGGER {table}_append_only_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION sarapp_refuse_change('{message}');
"""
    for table, message in (
        ("log_entries", "the case log is append-only: an entry cannot be changed or deleted"),
        ("positions", "position reports are append-only: report a new position instead"),
        ("alerts", "received alerts are append-only"),
        ("drift_runs", "drift runs are kept as run: start a new run instead"),
        ("coordination", "the coordination history is append-only"),
        ("checkpoints", "signed checkpoints are append-only"),
    )
)

# Version 2: an append in one round trip, and checkpoints signed by each desk computer.
# ``sarapp_append`` locks the case's row, reads the chain's head, hashes the entry from the
# frame the desk sent (``sarapp.chain.hash_frame``: the canonical text less the entry's place),
# inserts it and marks the case updated: the case is locked for one statement, not for four
# round trips. Each statement of a volatile PL/pgSQL function takes a new snapshot, so the
# head is read after the lock was granted (the previous writer's entry included).
# ``sarapp_checkpoint_next`` draws a checkpoint's number (a sequence: unique, rising in
# commit order for any one case, since it is drawn after the case's lock) and the hash of the
# last checkpoint signed by the same key, whose chain it continues; the key's advisory lock
# holds that chain until the transaction ends (only the same computer's desks wait on it).
# It runs as the desk's owner: an officer needs no right on the sequence.
_V2_APPEND_AND_SIGNERS = """
CREATE FUNCTION sarapp_append(
    p_id uuid, p_case uuid, p_time timestamptz, p_author text, p_kind text, p_text text,
    p_data jsonb, p_corrects uuid, p_search tsvector, p_before text, p_after text,
    OUT new_seq integer, OUT new_hash text
) LANGUAGE plpgsql AS $$
DECLARE
    head_seq integer;
    head_hash text;
BEGIN
    PERFORM 1 FROM cases WHERE id = p_case FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = 'no case ' || p_case || ' on this desk';
    END IF;
    SELECT e.seq, e.hash INTO head_seq, head_hash FROM log_entries e
        WHERE e.case_id = p_case ORDER BY e.seq DESC LIMIT 1;
    IF head_seq IS NULL THEN
        head_seq := 0;
        head_hash := repeat('0', 64);
    END IF;
    new_seq := head_seq + 1;
    new_hash := encode(sha256(convert_to(
        p_before || head_hash || '","seq":' || new_seq || p_after, 'UTF8')), 'hex');
    INSERT INTO log_entries (id, case_id, seq, time, author, kind, text, data, corrects,
                             prev_hash, hash, search)
        VALUES (p_id, p_case, new_seq, p_time, p_author, p_kind, p_text, p_data, p_corrects,
                head_hash, new_hash, p_search);
    UPDATE cases SET updated = p_time WHERE id = p_case;
END;
$$;

CREATE SEQUENCE checkpoint_numbers AS bigint;
SELECT setval('checkpoint_numbers', coalesce((SELECT max(seq) FROM checkpoints), 0) + 1, false);
CREATE INDEX checkpoints_by_key ON checkpoints (public_key, seq);

CREATE FUNCTION sarapp_checkpoint_next(p_key text, OUT next_seq bigint, OUT prev text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(1396789827, hashtext(p_key));
    next_seq := nextval('checkpoint_numbers');
    SELECT c.hash INTO prev FROM checkpoints c WHERE c.public_key = p_key
        ORDER BY c.seq DESC LIMIT 1;
    prev := coalesce(prev, repeat('0', 64));
END;
$$;
"""

# Version 3 is the SQLite desk's version 11 (issue 16): the persons register, the personal
# content of log entries beside the log (kept as text: its commitment covers those exact
# bytes), the record of disclosures, and the case's place of safety, disembarkation and
# closing outcome. Personal content is only ever purged (or, once withheld, received).
_V3_PERSONS = """
ALTER TABLE cases ADD COLUMN outcome text NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN port_requested text NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN port_requested_at timestamptz;
ALTER TABLE cases ADD COLUMN port_assigned text NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN port_authority text NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN port_assigned_at timestamptz;
ALTER TABLE cases ADD COLUMN disembark_unit text NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN disembark_eta timestamptz;
ALTER TABLE cases ADD COLUMN disembarked_at timestamptz;
CREATE TABLE persons (
    id uuid PRIMARY KEY,
    case_id uuid NOT NULL REFERENCES cases (id),
    number integer NOT NULL CHECK (number >= 1),
    status text NOT NULL CHECK (status IN ('at-risk', 'missing', 'rescued', 'dead', 'medevac')),
    unit text NOT NULL DEFAULT '',
    recovered timestamptz,
    taken_to text NOT NULL DEFAULT '',
    personal text NOT NULL DEFAULT 'held' CHECK (personal IN ('held', 'purged', 'withheld')),
    name text NOT NULL DEFAULT '',
    age integer CHECK (age IS NULL OR age BETWEEN 0 AND 130),
    sex text NOT NULL DEFAULT '' CHECK (sex IN ('', 'F', 'M', 'X')),
    nationality text NOT NULL DEFAULT '',
    medical boolean,
    note text NOT NULL DEFAULT ''
);
CREATE INDEX persons_by_case ON persons (case_id, number);
CREATE TABLE person_counts (
    case_id uuid NOT NULL REFERENCES cases (id),
    category text NOT NULL CHECK (category IN ('on_board', 'women', 'men', 'minors', 'medical',
        'rescued', 'missing', 'dead', 'medevac')),
    total integer CHECK (total IS NULL OR total >= 0),
    counted integer NOT NULL DEFAULT 0 CHECK (counted >= 0),
    PRIMARY KEY (case_id, category)
);
CREATE TABLE log_personal (
    entry_id uuid PRIMARY KEY REFERENCES log_entries (id),
    case_id uuid NOT NULL REFERENCES cases (id),
    state text NOT NULL CHECK (state IN ('held', 'purged', 'withheld')),
    salt text,
    text text,
    content text,
    gone_entry uuid REFERENCES log_entries (id),
    CHECK ((state = 'held') = (salt IS NOT NULL AND text IS NOT NULL AND content IS NOT NULL))
);
CREATE INDEX log_personal_by_case ON log_personal (case_id);
CREATE FUNCTION sarapp_personal_only_erased() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.entry_id = OLD.entry_id AND NEW.case_id = OLD.case_id AND (
        (NEW.state = 'purged' AND NEW.salt IS NULL AND NEW.text IS NULL AND NEW.content IS NULL)
        OR (OLD.state = 'withheld' AND NEW.state = 'held')) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
        MESSAGE = 'personal content is only ever purged (or received later), never changed';
END;
$$;
CREATE TRIGGER log_personal_only_erased BEFORE UPDATE OR DELETE ON log_personal
    FOR EACH ROW EXECUTE FUNCTION sarapp_personal_only_erased();
CREATE TRIGGER log_personal_no_truncate BEFORE TRUNCATE ON log_personal
    FOR EACH STATEMENT EXECUTE FUNCTION
    sarapp_refuse_change('personal content is purged, never deleted');
CREATE TABLE disclosures (
    id uuid PRIMARY KEY,
    time timestamptz NOT NULL,
    author text NOT NULL,
    case_id uuid NOT NULL REFERENCES cases (id),
    kind text NOT NULL CHECK (kind IN ('display', 'export', 'package', 'sitrep', 'access')),
    recipient text NOT NULL,
    purpose text NOT NULL CHECK (purpose IN ('coordination', 'medical', 'disembarkation',
        'identification', 'flag-state', 'statistics', 'subject-access')),
    reason text NOT NULL DEFAULT '',
    subjects text NOT NULL,
    entry_id uuid REFERENCES log_entries (id)
);
CREATE INDEX disclosures_by_case ON disclosures (case_id, time);
CREATE TRIGGER disclosures_append_only BEFORE UPDATE OR DELETE ON disclosures
    FOR EACH ROW EXECUTE FUNCTION
    sarapp_refuse_change('the record of disclosures is append-only');
CREATE TRIGGER disclosures_append_only_truncate BEFORE TRUNCATE ON disclosures
    FOR EACH STATEMENT EXECUTE FUNCTION
    sarapp_refuse_change('the record of disclosures is append-only');
"""

# Sync between a field laptop and the centre (issue 14): the SQLite desk's version 12. Which
# laptop may write which case is enforced for the laptop's login role by row-level security
# policies that ``sarapp.store.pg.roles`` creates with the roles (their names are the
# database's).
_V4_SYNC = """
CREATE TABLE sync_grants (
    laptop text NOT NULL CHECK (laptop <> ''),
    case_id uuid NOT NULL REFERENCES cases (id),
    granted timestamptz NOT NULL,
    granted_by text NOT NULL,
    PRIMARY KEY (laptop, case_id)
);
CREATE TABLE sync_peers (
    desk_id uuid PRIMARY KEY,
    name text NOT NULL CHECK (name <> ''),
    location text NOT NULL DEFAULT '',
    last_sync timestamptz
);
CREATE TABLE sync_marks (
    peer uuid NOT NULL REFERENCES sync_peers (desk_id),
    case_id uuid NOT NULL REFERENCES cases (id),
    received_seq integer NOT NULL DEFAULT 0 CHECK (received_seq >= 0),
    received_cut timestamptz,
    acked_seq integer NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
    acked_cut timestamptz,
    sent_seq integer NOT NULL DEFAULT 0 CHECK (sent_seq >= 0),
    ranges jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(ranges) = 'array'),
    updated timestamptz NOT NULL,
    PRIMARY KEY (peer, case_id)
);
"""

# MIGRATIONS[n - 1] takes a database from version n - 1 to version n.
MIGRATIONS: tuple[str, ...] = (_V1_DESK, _V2_APPEND_AND_SIGNERS, _V3_PERSONS, _V4_SYNC)
LATEST_VERSION = len(MIGRATIONS)

# Tables each role may write beyond reading everything (append-only tables: INSERT only).
APPEND_ONLY = ("log_entries", "positions", "alerts", "drift_runs", "coordination",
               "checkpoints", "disclosures")  # fmt: skip
EDITABLE = ("cases", "units", "unit_positions", "search_plans", "packages", "outbox",
            "desk_meta", "person_counts", "log_personal", "sync_peers",
            "sync_marks")  # fmt: skip
# rows an officer may also delete (a case's person records are rebuilt from its log)
REPLACEABLE = ("trusted_keys", "forcing_cache", "persons", "sync_grants")
_LOCK_CLASS = APPLICATION_ID - 2**32 if APPLICATION_ID >= 2**31 else APPLICATION_ID
MIGRATION_LOCK = (_LOCK_CLASS, 0)  # advisory lock key while a desk is being migrated
CHECKPOINT_LOCK = _LOCK_CLASS + 2  # a signer's checkpoint chain (+ 1: the case numbers)


def recognise(conn: psycopg.Connection, where: str) -> int:
    """The desk's schema version, 0 for an empty database; PgStoreError for a database that
    holds another program's tables (sarapp leaves it alone)."""
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')"
            " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
            " ORDER BY c.relname LIMIT 5"
        )
    ]
    if not tables:
        return 0
    if MARKER_TABLE in _public_tables(conn):
        row = conn.execute(
            f"SELECT version FROM {MARKER_TABLE} WHERE application_id = %s", (APPLICATION_ID,)
        ).fetchone()
        if row:
            return int(row[0])
    raise PgStoreError(
        f"{where} holds tables of another program ({', '.join(tables[:3])}…), not a sarapp "
        "desk; sarapp will not touch it (choose or create another database)"
    )


def _public_tables(conn: psycopg.Connection) -> set[str]:
    return {
        name
        for (name,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
    }


def migrate(conn: psycopg.Connection, *, where: str, to_version: int | None = None) -> int:
    """Bring the desk to ``to_version`` (the latest by default), one transaction per step,
    under an advisory lock so two desks opening a new database do not both build it.
    ``conn`` must be in autocommit mode. Returns the version it found."""
    target = LATEST_VERSION if to_version is None else to_version
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", MIGRATION_LOCK)
        found = recognise(conn, where)
    if found > LATEST_VERSION:
        raise PgStoreError(
            f"{where} was written by a newer sarapp (schema version {found}; this one knows up "
            f"to {LATEST_VERSION}); update sarapp to open it"
        )
    for version in range(found + 1, target + 1):
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", MIGRATION_LOCK)
            if recognise(conn, where) >= version:
                continue  # another desk took this step meanwhile
            conn.execute(MIGRATIONS[version - 1].encode())
            conn.execute(
                f"INSERT INTO {MARKER_TABLE} (application_id, version) VALUES (%s, %s)"
                " ON CONFLICT (application_id) DO UPDATE SET version = excluded.version",
                (APPLICATION_ID, version),
            )
    return found
