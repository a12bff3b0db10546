-- sarapp desk schema version 4
-- table alerts
CREATE TABLE alerts (
    id uuid NOT NULL,
    digest text NOT NULL,
    source_key text NOT NULL,
    kind text NOT NULL,
    case_id uuid NOT NULL,
    entry_id uuid NOT NULL,
    received timestamp with time zone NOT NULL
);
-- table cases
CREATE TABLE cases (
    id uuid NOT NULL,
    number text NOT NULL,
    title text NOT NULL,
    phase text NOT NULL,
    status text NOT NULL,
    nature text DEFAULT ''::text NOT NULL,
    pob integer,
    vessel_name text DEFAULT ''::text NOT NULL,
    mmsi text DEFAULT ''::text NOT NULL,
    imo text DEFAULT ''::text NOT NULL,
    call_sign text DEFAULT ''::text NOT NULL,
    flag text DEFAULT ''::text NOT NULL,
    vessel_type text DEFAULT ''::text NOT NULL,
    vessel_description text DEFAULT ''::text NOT NULL,
    rcc text DEFAULT ''::text NOT NULL,
    smc text DEFAULT ''::text NOT NULL,
    lkp_id uuid,
    is_demo boolean DEFAULT false NOT NULL,
    created timestamp with time zone NOT NULL,
    updated timestamp with time zone NOT NULL,
    origin_rcc text DEFAULT ''::text NOT NULL,
    origin_number text DEFAULT ''::text NOT NULL,
    version bigint DEFAULT 1 NOT NULL,
    outcome text DEFAULT ''::text NOT NULL,
    port_requested text DEFAULT ''::text NOT NULL,
    port_requested_at timestamp with time zone,
    port_assigned text DEFAULT ''::text NOT NULL,
    port_authority text DEFAULT ''::text NOT NULL,
    port_assigned_at timestamp with time zone,
    disembark_unit text DEFAULT ''::text NOT NULL,
    disembark_eta timestamp with time zone,
    disembarked_at timestamp with time zone
);
-- table checkpoints
CREATE TABLE checkpoints (
    seq bigint NOT NULL,
    time timestamp with time zone NOT NULL,
    body text NOT NULL,
    hash text NOT NULL,
    public_key text NOT NULL,
    signature text NOT NULL
);
-- table coordination
CREATE TABLE coordination (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    event text NOT NULL,
    rcc_id text NOT NULL,
    rcc_name text DEFAULT ''::text NOT NULL,
    package_id uuid,
    time timestamp with time zone NOT NULL,
    entry_id uuid NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY NOT NULL
);
-- table desk_meta
CREATE TABLE desk_meta (
    key text NOT NULL,
    value text NOT NULL
);
-- table disclosures
CREATE TABLE disclosures (
    id uuid NOT NULL,
    time timestamp with time zone NOT NULL,
    author text NOT NULL,
    case_id uuid NOT NULL,
    kind text NOT NULL,
    recipient text NOT NULL,
    purpose text NOT NULL,
    reason text DEFAULT ''::text NOT NULL,
    subjects text NOT NULL,
    entry_id uuid
);
-- table drift_runs
CREATE TABLE drift_runs (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    created timestamp with time zone NOT NULL,
    author text NOT NULL,
    label text DEFAULT ''::text NOT NULL,
    seed bigint NOT NULL,
    params jsonb NOT NULL,
    forcing jsonb NOT NULL,
    summary jsonb NOT NULL,
    entry_id uuid NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY NOT NULL
);
-- table forcing_cache
CREATE TABLE forcing_cache (
    key text NOT NULL,
    fetched timestamp with time zone NOT NULL,
    body bytea NOT NULL
);
-- table log_entries
CREATE TABLE log_entries (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    seq integer NOT NULL,
    time timestamp with time zone NOT NULL,
    author text NOT NULL,
    kind text NOT NULL,
    text text NOT NULL,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    corrects uuid,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    written_by text DEFAULT CURRENT_USER NOT NULL,
    search tsvector NOT NULL
);
-- table log_personal
CREATE TABLE log_personal (
    entry_id uuid NOT NULL,
    case_id uuid NOT NULL,
    state text NOT NULL,
    salt text,
    text text,
    content text,
    gone_entry uuid
);
-- table outbox
CREATE TABLE outbox (
    package_id uuid NOT NULL,
    case_id uuid NOT NULL,
    peer_rcc text NOT NULL,
    url text NOT NULL,
    content bytea NOT NULL,
    state text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    last_error text DEFAULT ''::text NOT NULL,
    prepared timestamp with time zone NOT NULL,
    updated timestamp with time zone NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY NOT NULL
);
-- table packages
CREATE TABLE packages (
    id uuid NOT NULL,
    direction text NOT NULL,
    case_id uuid,
    purpose text NOT NULL,
    peer_rcc text DEFAULT ''::text NOT NULL,
    signer_fingerprint text DEFAULT ''::text NOT NULL,
    signature_status text DEFAULT ''::text NOT NULL,
    digest text NOT NULL,
    time timestamp with time zone NOT NULL,
    created timestamp with time zone
);
-- table person_counts
CREATE TABLE person_counts (
    case_id uuid NOT NULL,
    category text NOT NULL,
    total integer,
    counted integer DEFAULT 0 NOT NULL
);
-- table persons
CREATE TABLE persons (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    number integer NOT NULL,
    status text NOT NULL,
    unit text DEFAULT ''::text NOT NULL,
    recovered timestamp with time zone,
    taken_to text DEFAULT ''::text NOT NULL,
    personal text DEFAULT 'held'::text NOT NULL,
    name text DEFAULT ''::text NOT NULL,
    age integer,
    sex text DEFAULT ''::text NOT NULL,
    nationality text DEFAULT ''::text NOT NULL,
    medical boolean,
    note text DEFAULT ''::text NOT NULL
);
-- table positions
CREATE TABLE positions (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    time timestamp with time zone,
    source text NOT NULL,
    accuracy_m double precision,
    recorded timestamp with time zone NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY NOT NULL
);
-- table sarapp_schema
CREATE TABLE sarapp_schema (
    application_id integer NOT NULL,
    version integer NOT NULL
);
-- table search_plans
CREATE TABLE search_plans (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    unit_id uuid,
    unit_name text NOT NULL,
    pattern text NOT NULL,
    params jsonb NOT NULL,
    waypoints jsonb NOT NULL,
    start timestamp with time zone,
    end timestamp with time zone,
    pod double precision,
    drift_run_id uuid,
    status text NOT NULL,
    created timestamp with time zone NOT NULL,
    author text NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY NOT NULL
);
-- table sync_grants
CREATE TABLE sync_grants (
    laptop text NOT NULL,
    case_id uuid NOT NULL,
    granted timestamp with time zone NOT NULL,
    granted_by text NOT NULL
);
-- table sync_marks
CREATE TABLE sync_marks (
    peer uuid NOT NULL,
    case_id uuid NOT NULL,
    received_seq integer DEFAULT 0 NOT NULL,
    received_cut timestamp with time zone,
    acked_seq integer DEFAULT 0 NOT NULL,
    acked_cut timestamp with time zone,
    sent_seq integer DEFAULT 0 NOT NULL,
    ranges jsonb DEFAULT '[]'::jsonb NOT NULL,
    updated timestamp with time zone NOT NULL
);
-- table sync_peers
CREATE TABLE sync_peers (
    desk_id uuid NOT NULL,
    name text NOT NULL,
    location text DEFAULT ''::text NOT NULL,
    last_sync timestamp with time zone
);
-- table trusted_keys
CREATE TABLE trusted_keys (
    fingerprint text NOT NULL,
    public_key text NOT NULL,
    rcc_id text NOT NULL,
    rcc_name text DEFAULT ''::text NOT NULL,
    rcc_country text DEFAULT ''::text NOT NULL,
    added timestamp with time zone NOT NULL,
    added_by text NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY NOT NULL
);
-- table unit_positions
CREATE TABLE unit_positions (
    id uuid NOT NULL,
    unit_id uuid NOT NULL,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    time timestamp with time zone NOT NULL,
    source text NOT NULL,
    sog_kt double precision,
    cog_deg double precision,
    heading_deg double precision,
    altitude_m double precision,
    recorded timestamp with time zone NOT NULL
);
-- table units
CREATE TABLE units (
    id uuid NOT NULL,
    name text NOT NULL,
    unit_type text NOT NULL,
    call_sign text DEFAULT ''::text NOT NULL,
    mmsi text DEFAULT ''::text NOT NULL,
    speed_kt double precision,
    endurance_h double precision,
    home_base text DEFAULT ''::text NOT NULL,
    created timestamp with time zone NOT NULL,
    updated timestamp with time zone NOT NULL
);
-- constraint alerts_case_id_fkey
ALTER TABLE alerts ADD CONSTRAINT alerts_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint alerts_digest_key
ALTER TABLE alerts ADD CONSTRAINT alerts_digest_key UNIQUE (digest);
-- constraint alerts_entry_id_fkey
ALTER TABLE alerts ADD CONSTRAINT alerts_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES log_entries(id);
-- constraint alerts_kind_check
ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK ((kind = ANY (ARRAY['sit185'::text, 'ais'::text, 'dsc'::text])));
-- constraint alerts_pkey
ALTER TABLE alerts ADD CONSTRAINT alerts_pkey PRIMARY KEY (id);
-- constraint cases_lkp_id_fkey
ALTER TABLE cases ADD CONSTRAINT cases_lkp_id_fkey FOREIGN KEY (lkp_id) REFERENCES positions(id);
-- constraint cases_number_key
ALTER TABLE cases ADD CONSTRAINT cases_number_key UNIQUE (number);
-- constraint cases_phase_check
ALTER TABLE cases ADD CONSTRAINT cases_phase_check CHECK ((phase = ANY (ARRAY['INCERFA'::text, 'ALERFA'::text, 'DETRESFA'::text])));
-- constraint cases_pkey
ALTER TABLE cases ADD CONSTRAINT cases_pkey PRIMARY KEY (id);
-- constraint cases_pob_check
ALTER TABLE cases ADD CONSTRAINT cases_pob_check CHECK (((pob IS NULL) OR (pob >= 0)));
-- constraint cases_status_check
ALTER TABLE cases ADD CONSTRAINT cases_status_check CHECK ((status = ANY (ARRAY['open'::text, 'closed'::text])));
-- constraint cases_title_check
ALTER TABLE cases ADD CONSTRAINT cases_title_check CHECK ((title <> ''::text));
-- constraint cases_version_check
ALTER TABLE cases ADD CONSTRAINT cases_version_check CHECK ((version >= 1));
-- constraint checkpoints_pkey
ALTER TABLE checkpoints ADD CONSTRAINT checkpoints_pkey PRIMARY KEY (seq);
-- constraint checkpoints_seq_check
ALTER TABLE checkpoints ADD CONSTRAINT checkpoints_seq_check CHECK ((seq >= 1));
-- constraint coordination_case_id_fkey
ALTER TABLE coordination ADD CONSTRAINT coordination_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint coordination_entry_id_fkey
ALTER TABLE coordination ADD CONSTRAINT coordination_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES log_entries(id);
-- constraint coordination_event_check
ALTER TABLE coordination ADD CONSTRAINT coordination_event_check CHECK ((event = ANY (ARRAY['coordinating'::text, 'proposed'::text, 'accepted'::text, 'declined'::text])));
-- constraint coordination_pkey
ALTER TABLE coordination ADD CONSTRAINT coordination_pkey PRIMARY KEY (id);
-- constraint coordination_rowid_key
ALTER TABLE coordination ADD CONSTRAINT coordination_rowid_key UNIQUE (rowid);
-- constraint desk_meta_pkey
ALTER TABLE desk_meta ADD CONSTRAINT desk_meta_pkey PRIMARY KEY (key);
-- constraint disclosures_case_id_fkey
ALTER TABLE disclosures ADD CONSTRAINT disclosures_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint disclosures_entry_id_fkey
ALTER TABLE disclosures ADD CONSTRAINT disclosures_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES log_entries(id);
-- constraint disclosures_kind_check
ALTER TABLE disclosures ADD CONSTRAINT disclosures_kind_check CHECK ((kind = ANY (ARRAY['display'::text, 'export'::text, 'package'::text, 'sitrep'::text, 'access'::text])));
-- constraint disclosures_pkey
ALTER TABLE disclosures ADD CONSTRAINT disclosures_pkey PRIMARY KEY (id);
-- constraint disclosures_purpose_check
ALTER TABLE disclosures ADD CONSTRAINT disclosures_purpose_check CHECK ((purpose = ANY (ARRAY['coordination'::text, 'medical'::text, 'disembarkation'::text, 'identification'::text, 'flag-state'::text, 'statistics'::text, 'subject-access'::text])));
-- constraint drift_runs_case_id_fkey
ALTER TABLE drift_runs ADD CONSTRAINT drift_runs_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint drift_runs_entry_id_fkey
ALTER TABLE drift_runs ADD CONSTRAINT drift_runs_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES log_entries(id);
-- constraint drift_runs_pkey
ALTER TABLE drift_runs ADD CONSTRAINT drift_runs_pkey PRIMARY KEY (id);
-- constraint drift_runs_rowid_key
ALTER TABLE drift_runs ADD CONSTRAINT drift_runs_rowid_key UNIQUE (rowid);
-- constraint forcing_cache_pkey
ALTER TABLE forcing_cache ADD CONSTRAINT forcing_cache_pkey PRIMARY KEY (key);
-- constraint log_entries_case_id_fkey
ALTER TABLE log_entries ADD CONSTRAINT log_entries_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint log_entries_case_id_seq_key
ALTER TABLE log_entries ADD CONSTRAINT log_entries_case_id_seq_key UNIQUE (case_id, seq);
-- constraint log_entries_corrects_fkey
ALTER TABLE log_entries ADD CONSTRAINT log_entries_corrects_fkey FOREIGN KEY (corrects) REFERENCES log_entries(id);
-- constraint log_entries_data_check
ALTER TABLE log_entries ADD CONSTRAINT log_entries_data_check CHECK ((jsonb_typeof(data) = 'object'::text));
-- constraint log_entries_pkey
ALTER TABLE log_entries ADD CONSTRAINT log_entries_pkey PRIMARY KEY (id);
-- constraint log_entries_seq_check
ALTER TABLE log_entries ADD CONSTRAINT log_entries_seq_check CHECK ((seq >= 1));
-- constraint log_personal_case_id_fkey
ALTER TABLE log_personal ADD CONSTRAINT log_personal_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint log_personal_check
ALTER TABLE log_personal ADD CONSTRAINT log_personal_check CHECK (((state = 'held'::text) = ((salt IS NOT NULL) AND (text IS NOT NULL) AND (content IS NOT NULL))));
-- constraint log_personal_entry_id_fkey
ALTER TABLE log_personal ADD CONSTRAINT log_personal_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES log_entries(id);
-- constraint log_personal_gone_entry_fkey
ALTER TABLE log_personal ADD CONSTRAINT log_personal_gone_entry_fkey FOREIGN KEY (gone_entry) REFERENCES log_entries(id);
-- constraint log_personal_pkey
ALTER TABLE log_personal ADD CONSTRAINT log_personal_pkey PRIMARY KEY (entry_id);
-- constraint log_personal_state_check
ALTER TABLE log_personal ADD CONSTRAINT log_personal_state_check CHECK ((state = ANY (ARRAY['held'::text, 'purged'::text, 'withheld'::text])));
-- constraint outbox_attempts_check
ALTER TABLE outbox ADD CONSTRAINT outbox_attempts_check CHECK ((attempts >= 0));
-- constraint outbox_case_id_fkey
ALTER TABLE outbox ADD CONSTRAINT outbox_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint outbox_package_id_fkey
ALTER TABLE outbox ADD CONSTRAINT outbox_package_id_fkey FOREIGN KEY (package_id) REFERENCES packages(id);
-- constraint outbox_pkey
ALTER TABLE outbox ADD CONSTRAINT outbox_pkey PRIMARY KEY (package_id);
-- constraint outbox_rowid_key
ALTER TABLE outbox ADD CONSTRAINT outbox_rowid_key UNIQUE (rowid);
-- constraint outbox_state_check
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check CHECK ((state = ANY (ARRAY['prepared'::text, 'delivered'::text, 'failed'::text])));
-- constraint packages_case_id_fkey
ALTER TABLE packages ADD CONSTRAINT packages_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint packages_direction_check
ALTER TABLE packages ADD CONSTRAINT packages_direction_check CHECK ((direction = ANY (ARRAY['sent'::text, 'received'::text])));
-- constraint packages_pkey
ALTER TABLE packages ADD CONSTRAINT packages_pkey PRIMARY KEY (id);
-- constraint person_counts_case_id_fkey
ALTER TABLE person_counts ADD CONSTRAINT person_counts_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint person_counts_category_check
ALTER TABLE person_counts ADD CONSTRAINT person_counts_category_check CHECK ((category = ANY (ARRAY['on_board'::text, 'women'::text, 'men'::text, 'minors'::text, 'medical'::text, 'rescued'::text, 'missing'::text, 'dead'::text, 'medevac'::text])));
-- constraint person_counts_counted_check
ALTER TABLE person_counts ADD CONSTRAINT person_counts_counted_check CHECK ((counted >= 0));
-- constraint person_counts_pkey
ALTER TABLE person_counts ADD CONSTRAINT person_counts_pkey PRIMARY KEY (case_id, category);
-- constraint person_counts_total_check
ALTER TABLE person_counts ADD CONSTRAINT person_counts_total_check CHECK (((total IS NULL) OR (total >= 0)));
-- constraint persons_age_check
ALTER TABLE persons ADD CONSTRAINT persons_age_check CHECK (((age IS NULL) OR ((age >= 0) AND (age <= 130))));
-- constraint persons_case_id_fkey
ALTER TABLE persons ADD CONSTRAINT persons_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint persons_number_check
ALTER TABLE persons ADD CONSTRAINT persons_number_check CHECK ((number >= 1));
-- constraint persons_personal_check
ALTER TABLE persons ADD CONSTRAINT persons_personal_check CHECK ((personal = ANY (ARRAY['held'::text, 'purged'::text, 'withheld'::text])));
-- constraint persons_pkey
ALTER TABLE persons ADD CONSTRAINT persons_pkey PRIMARY KEY (id);
-- constraint persons_sex_check
ALTER TABLE persons ADD CONSTRAINT persons_sex_check CHECK ((sex = ANY (ARRAY[''::text, 'F'::text, 'M'::text, 'X'::text])));
-- constraint persons_status_check
ALTER TABLE persons ADD CONSTRAINT persons_status_check CHECK ((status = ANY (ARRAY['at-risk'::text, 'missing'::text, 'rescued'::text, 'dead'::text, 'medevac'::text])));
-- constraint positions_accuracy_m_check
ALTER TABLE positions ADD CONSTRAINT positions_accuracy_m_check CHECK (((accuracy_m IS NULL) OR (accuracy_m >= (0)::double precision)));
-- constraint positions_case_id_fkey
ALTER TABLE positions ADD CONSTRAINT positions_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint positions_lat_check
ALTER TABLE positions ADD CONSTRAINT positions_lat_check CHECK (((lat >= ('-90'::integer)::double precision) AND (lat <= (90)::double precision)));
-- constraint positions_lon_check
ALTER TABLE positions ADD CONSTRAINT positions_lon_check CHECK (((lon >= ('-180'::integer)::double precision) AND (lon <= (180)::double precision)));
-- constraint positions_pkey
ALTER TABLE positions ADD CONSTRAINT positions_pkey PRIMARY KEY (id);
-- constraint positions_rowid_key
ALTER TABLE positions ADD CONSTRAINT positions_rowid_key UNIQUE (rowid);
-- constraint sarapp_schema_application_id_check
ALTER TABLE sarapp_schema ADD CONSTRAINT sarapp_schema_application_id_check CHECK ((application_id = 1396789825));
-- constraint sarapp_schema_pkey
ALTER TABLE sarapp_schema ADD CONSTRAINT sarapp_schema_pkey PRIMARY KEY (application_id);
-- constraint sarapp_schema_version_check
ALTER TABLE sarapp_schema ADD CONSTRAINT sarapp_schema_version_check CHECK ((version >= 1));
-- constraint search_plans_case_id_fkey
ALTER TABLE search_plans ADD CONSTRAINT search_plans_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint search_plans_drift_run_id_fkey
ALTER TABLE search_plans ADD CONSTRAINT search_plans_drift_run_id_fkey FOREIGN KEY (drift_run_id) REFERENCES drift_runs(id);
-- constraint search_plans_pkey
ALTER TABLE search_plans ADD CONSTRAINT search_plans_pkey PRIMARY KEY (id);
-- constraint search_plans_pod_check
ALTER TABLE search_plans ADD CONSTRAINT search_plans_pod_check CHECK (((pod IS NULL) OR ((pod >= (0)::double precision) AND (pod <= (1)::double precision))));
-- constraint search_plans_rowid_key
ALTER TABLE search_plans ADD CONSTRAINT search_plans_rowid_key UNIQUE (rowid);
-- constraint search_plans_status_check
ALTER TABLE search_plans ADD CONSTRAINT search_plans_status_check CHECK ((status = ANY (ARRAY['planned'::text, 'done'::text, 'cancelled'::text])));
-- constraint search_plans_unit_id_fkey
ALTER TABLE search_plans ADD CONSTRAINT search_plans_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id);
-- constraint sync_grants_case_id_fkey
ALTER TABLE sync_grants ADD CONSTRAINT sync_grants_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint sync_grants_laptop_check
ALTER TABLE sync_grants ADD CONSTRAINT sync_grants_laptop_check CHECK ((laptop <> ''::text));
-- constraint sync_grants_pkey
ALTER TABLE sync_grants ADD CONSTRAINT sync_grants_pkey PRIMARY KEY (laptop, case_id);
-- constraint sync_marks_acked_seq_check
ALTER TABLE sync_marks ADD CONSTRAINT sync_marks_acked_seq_check CHECK ((acked_seq >= 0));
-- constraint sync_marks_case_id_fkey
ALTER TABLE sync_marks ADD CONSTRAINT sync_marks_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id);
-- constraint sync_marks_peer_fkey
ALTER TABLE sync_marks ADD CONSTRAINT sync_marks_peer_fkey FOREIGN KEY (peer) REFERENCES sync_peers(desk_id);
-- constraint sync_marks_pkey
ALTER TABLE sync_marks ADD CONSTRAINT sync_marks_pkey PRIMARY KEY (peer, case_id);
-- constraint sync_marks_ranges_check
ALTER TABLE sync_marks ADD CONSTRAINT sync_marks_ranges_check CHECK ((jsonb_typeof(ranges) = 'array'::text));
-- constraint sync_marks_received_seq_check
ALTER TABLE sync_marks ADD CONSTRAINT sync_marks_received_seq_check CHECK ((received_seq >= 0));
-- constraint sync_marks_sent_seq_check
ALTER TABLE sync_marks ADD CONSTRAINT sync_marks_sent_seq_check CHECK ((sent_seq >= 0));
-- constraint sync_peers_name_check
ALTER TABLE sync_peers ADD CONSTRAINT sync_peers_name_check CHECK ((name <> ''::text));
-- constraint sync_peers_pkey
ALTER TABLE sync_peers ADD CONSTRAINT sync_peers_pkey PRIMARY KEY (desk_id);
-- constraint trusted_keys_pkey
ALTER TABLE trusted_keys ADD CONSTRAINT trusted_keys_pkey PRIMARY KEY (fingerprint);
-- constraint trusted_keys_public_key_key
ALTER TABLE trusted_keys ADD CONSTRAINT trusted_keys_public_key_key UNIQUE (public_key);
-- constraint trusted_keys_rcc_id_check
ALTER TABLE trusted_keys ADD CONSTRAINT trusted_keys_rcc_id_check CHECK ((rcc_id <> ''::text));
-- constraint trusted_keys_rcc_id_key
ALTER TABLE trusted_keys ADD CONSTRAINT trusted_keys_rcc_id_key UNIQUE (rcc_id);
-- constraint trusted_keys_rowid_key
ALTER TABLE trusted_keys ADD CONSTRAINT trusted_keys_rowid_key UNIQUE (rowid);
-- constraint unit_positions_lat_check
ALTER TABLE unit_positions ADD CONSTRAINT unit_positions_lat_check CHECK (((lat >= ('-90'::integer)::double precision) AND (lat <= (90)::double precision)));
-- constraint unit_positions_lon_check
ALTER TABLE unit_positions ADD CONSTRAINT unit_positions_lon_check CHECK (((lon >= ('-180'::integer)::double precision) AND (lon <= (180)::double precision)));
-- constraint unit_positions_pkey
ALTER TABLE unit_positions ADD CONSTRAINT unit_positions_pkey PRIMARY KEY (id);
-- constraint unit_positions_unit_id_fkey
ALTER TABLE unit_positions ADD CONSTRAINT unit_positions_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id);
-- constraint unit_positions_unit_id_time_source_key
ALTER TABLE unit_positions ADD CONSTRAINT unit_positions_unit_id_time_source_key UNIQUE (unit_id, "time", source);
-- constraint units_endurance_h_check
ALTER TABLE units ADD CONSTRAINT units_endurance_h_check CHECK (((endurance_h IS NULL) OR (endurance_h > (0)::double precision)));
-- constraint units_name_check
ALTER TABLE units ADD CONSTRAINT units_name_check CHECK ((name <> ''::text));
-- constraint units_name_key
ALTER TABLE units ADD CONSTRAINT units_name_key UNIQUE (name);
-- constraint units_pkey
ALTER TABLE units ADD CONSTRAINT units_pkey PRIMARY KEY (id);
-- constraint units_speed_kt_check
ALTER TABLE units ADD CONSTRAINT units_speed_kt_check CHECK (((speed_kt IS NULL) OR (speed_kt > (0)::double precision)));
-- constraint units_unit_type_check
ALTER TABLE units ADD CONSTRAINT units_unit_type_check CHECK ((unit_type = ANY (ARRAY['lifeboat'::text, 'patrol_vessel'::text, 'helicopter'::text, 'fixed_wing'::text, 'merchant_vessel'::text])));
-- index alerts_by_source
CREATE INDEX alerts_by_source ON public.alerts USING btree (source_key, received);
-- index cases_by_origin
CREATE INDEX cases_by_origin ON public.cases USING btree (origin_rcc, origin_number);
-- index checkpoints_by_key
CREATE INDEX checkpoints_by_key ON public.checkpoints USING btree (public_key, seq);
-- index coordination_by_case
CREATE INDEX coordination_by_case ON public.coordination USING btree (case_id, "time");
-- index disclosures_by_case
CREATE INDEX disclosures_by_case ON public.disclosures USING btree (case_id, "time");
-- index drift_runs_by_case
CREATE INDEX drift_runs_by_case ON public.drift_runs USING btree (case_id, created);
-- index log_entries_by_time
CREATE INDEX log_entries_by_time ON public.log_entries USING btree (case_id, "time");
-- index log_entries_search
CREATE INDEX log_entries_search ON public.log_entries USING gin (search);
-- index log_personal_by_case
CREATE INDEX log_personal_by_case ON public.log_personal USING btree (case_id);
-- index outbox_by_state
CREATE INDEX outbox_by_state ON public.outbox USING btree (state, prepared);
-- index packages_by_case
CREATE INDEX packages_by_case ON public.packages USING btree (case_id, peer_rcc, created);
-- index persons_by_case
CREATE INDEX persons_by_case ON public.persons USING btree (case_id, number);
-- index positions_by_case
CREATE INDEX positions_by_case ON public.positions USING btree (case_id, "time");
-- index search_plans_by_case
CREATE INDEX search_plans_by_case ON public.search_plans USING btree (case_id, created);
-- index unit_positions_by_unit
CREATE INDEX unit_positions_by_unit ON public.unit_positions USING btree (unit_id, "time");
-- index units_by_mmsi
CREATE UNIQUE INDEX units_by_mmsi ON public.units USING btree (mmsi) WHERE (mmsi <> ''::text);
-- trigger alerts_append_only
CREATE TRIGGER alerts_append_only BEFORE DELETE OR UPDATE ON public.alerts FOR EACH ROW EXECUTE FUNCTION sarapp_refuse_change('received alerts are append-only');
-- trigger alerts_append_only_truncate
CREATE TRIGGER alerts_append_only_truncate BEFORE TRUNCATE ON public.alerts FOR EACH STATEMENT EXECUTE FUNCTION sarapp_refuse_change('received alerts are append-only');
-- trigger checkpoints_append_only
CREATE TRIGGER checkpoints_append_only BEFORE DELETE OR UPDATE ON public.checkpoints FOR EACH ROW EXECUTE FUNCTION sarapp_refuse_change('signed checkpoints are append-only');
-- trigger checkpoints_append_only_truncate
CREATE TRIGGER checkpoints_append_only_truncate BEFORE TRUNCATE ON public.checkpoints FOR EACH STATEMENT EXECUTE FUNCTION sarapp_refuse_change('signed checkpoints are append-only');
-- trigger coordination_append_only
CREATE TRIGGER coordination_append_only BEFORE DELETE OR UPDATE ON public.coordination FOR EACH ROW EXECUTE FUNCTION sarapp_refuse_change('the coordination history is append-only');
-- trigger coordination_append_only_truncate
CREATE TRIGGER coordination_append_only_truncate BEFORE TRUNCATE ON public.coordination FOR EACH STATEMENT EXECUTE FUNCTION sarapp_refuse_change('the coordination history is append-only');
-- trigger disclosures_append_only
CREATE TRIGGER disclosures_append_only BEFORE DELETE OR UPDATE ON public.disclosures FOR EACH ROW EXECUTE FUNCTION sarapp_refuse_change('the record of disclosures is append-only');
-- trigger disclosures_append_only_truncate
CREATE TRIGGER disclosures_append_only_truncate BEFORE TRUNCATE ON public.disclosures FOR EACH STATEMENT EXECUTE FUNCTION sarapp_refuse_change('the record of disclosures is append-only');
-- trigger drift_runs_append_only
CREATE TRIGGER drift_runs_append_only BEFORE DELETE OR UPDATE ON public.drift_runs FOR EACH ROW EXECUTE FUNCTION sarapp_refuse_change('drift runs are kept as run: start a new run instead');
-- trigger drift_runs_append_only_truncate
CREATE TRIGGER drift_runs_append_only_truncate BEFORE TRUNCATE ON public.drift_runs FOR EACH STATEMENT EXECUTE FUNCTION sarapp_refuse_change('drift runs are kept as run: start a new run instead');
-- trigger log_entries_append_only
CREATE TRIGGER log_entries_append_only BEFORE DELETE OR UPDATE ON public.log_entries FOR EACH ROW EXECUTE FUNCTION sarapp_refuse_change('the case log is append-only: an entry cannot be changed or deleted');
-- trigger log_entries_append_only_truncate
CREATE TRIGGER log_entries_append_only_truncate BEFORE TRUNCATE ON public.log_entries FOR EACH STATEMENT EXECUTE FUNCTION sarapp_refuse_change('the case log is append-only: an entry cannot be changed or deleted');
-- trigger log_entries_written_by
CREATE TRIGGER log_entries_written_by BEFORE INSERT ON public.log_entries FOR EACH ROW EXECUTE FUNCTION sarapp_entry_writer();
-- trigger log_personal_no_truncate
CREATE TRIGGER log_personal_no_truncate BEFORE TRUNCATE ON public.log_personal FOR EACH STATEMENT EXECUTE FUNCTION sarapp_refuse_change('personal content is purged, never deleted');
-- trigger log_personal_only_erased
CREATE TRIGGER log_personal_only_erased BEFORE DELETE OR UPDATE ON public.log_personal FOR EACH ROW EXECUTE FUNCTION sarapp_personal_only_erased();
-- trigger positions_append_only
CREATE TRIGGER positions_append_only BEFORE DELETE OR UPDATE ON public.positions FOR EACH ROW EXECUTE FUNCTION sarapp_refuse_change('position reports are append-only: report a new position instead');
-- trigger positions_append_only_truncate
CREATE TRIGGER positions_append_only_truncate BEFORE TRUNCATE ON public.positions FOR EACH STATEMENT EXECUTE FUNCTION sarapp_refuse_change('position reports are append-only: report a new position instead');
-- sequence checkpoint_numbers
CREATE SEQUENCE checkpoint_numbers AS bigint;
-- function sarapp_append
CREATE OR REPLACE FUNCTION public.sarapp_append(p_id uuid, p_case uuid, p_time timestamp with time zone, p_author text, p_kind text, p_text text, p_data jsonb, p_corrects uuid, p_search tsvector, p_before text, p_after text, OUT new_seq integer, OUT new_hash text)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
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
$function$;
-- function sarapp_checkpoint_next
CREATE OR REPLACE FUNCTION public.sarapp_checkpoint_next(p_key text, OUT next_seq bigint, OUT prev text)
 RETURNS record
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO '$user', 'public'
AS $function$
BEGIN
    PERFORM pg_advisory_xact_lock(1396789827, hashtext(p_key));
    next_seq := nextval('checkpoint_numbers');
    SELECT c.hash INTO prev FROM checkpoints c WHERE c.public_key = p_key
        ORDER BY c.seq DESC LIMIT 1;
    prev := coalesce(prev, repeat('0', 64));
END;
$function$;
-- function sarapp_entry_writer
CREATE OR REPLACE FUNCTION public.sarapp_entry_writer()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    NEW.written_by := current_user;
    RETURN NEW;
END;
$function$;
-- function sarapp_personal_only_erased
CREATE OR REPLACE FUNCTION public.sarapp_personal_only_erased()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.entry_id = OLD.entry_id AND NEW.case_id = OLD.case_id AND (
        (NEW.state = 'purged' AND NEW.salt IS NULL AND NEW.text IS NULL AND NEW.content IS NULL)
        OR (OLD.state = 'withheld' AND NEW.state = 'held')) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
        MESSAGE = 'personal content is only ever purged (or received later), never changed';
END;
$function$;
-- function sarapp_refuse_change
CREATE OR REPLACE FUNCTION public.sarapp_refuse_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = TG_ARGV[0];
END;
$function$;
