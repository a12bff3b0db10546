BEGIN TRANSACTION;
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
INSERT INTO "cases" VALUES('e8e977d8-51b3-435e-bd20-44f3456c8f5e','2026-0001','FV Marie-Jo taking water','ALERFA','open','',4,'Marie-Jo','227123456','','','','','','','','5e7ed4b1-2749-4253-acc6-1ee918252807',0,'2026-11-26T14:30:00.000000Z','2026-11-28T16:59:47.565048Z');
CREATE TABLE desk_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
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
INSERT INTO "log_entries" VALUES('ae2dc270-6d69-48b3-afd2-5c03dd06bb51','e8e977d8-51b3-435e-bd20-44f3456c8f5e',1,'2026-11-26T14:30:00.000000Z','golden','created','Case 2026-0001 opened: FV Marie-Jo taking water (DETRESFA)','{"mmsi":"227123456","phase":"DETRESFA","pob":4,"vessel_name":"Marie-Jo"}',NULL,'0000000000000000000000000000000000000000000000000000000000000000','bc855355e6a4aa62301b2cd0d9b1fbded057cce4193d4651e961f549dfb139a6');
INSERT INTO "log_entries" VALUES('c7aede9e-ac35-4352-be7d-d31bfd8513e2','e8e977d8-51b3-435e-bd20-44f3456c8f5e',2,'2026-11-28T16:59:47.562721Z','golden','position','Position 43°12.345''N 005°06.789''E at 261430Z NOV 26 (reported, ±500 m) — last known position','{"lkp":true,"position_id":"5e7ed4b1-2749-4253-acc6-1ee918252807"}',NULL,'bc855355e6a4aa62301b2cd0d9b1fbded057cce4193d4651e961f549dfb139a6','eb6d29a38cd540cc9aa1feb6d8a223f762775b3114ce32eb3a2483e0b2f2d7d9');
INSERT INTO "log_entries" VALUES('20bae3a9-585d-4320-b021-dbd1291d161d','e8e977d8-51b3-435e-bd20-44f3456c8f5e',3,'2026-11-28T16:59:47.563322Z','golden','note','Helicopter Dragon 13 tasked','{}',NULL,'eb6d29a38cd540cc9aa1feb6d8a223f762775b3114ce32eb3a2483e0b2f2d7d9','d13a5060b33e4790018c884fac32a64a5934d94d20f8fd759abfea7165cbddca');
INSERT INTO "log_entries" VALUES('1ad7884a-b461-49d3-a407-c2bb7a07c1e0','e8e977d8-51b3-435e-bd20-44f3456c8f5e',4,'2026-11-28T16:59:47.565048Z','golden','phase','Phase DETRESFA → ALERFA: crew reports pumps holding','{"new":"ALERFA","old":"DETRESFA","reason":"crew reports pumps holding"}',NULL,'d13a5060b33e4790018c884fac32a64a5934d94d20f8fd759abfea7165cbddca','6c00efd6fae66eba05f50f2a6e2037acd91ba3eada8dc12ac1bde2dd31a308b3');
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
INSERT INTO "positions" VALUES('5e7ed4b1-2749-4253-acc6-1ee918252807','e8e977d8-51b3-435e-bd20-44f3456c8f5e',43.20575,5.11315,'2026-11-26T14:30:00.000000Z','reported',500.0,'2026-11-28T16:59:47.562502Z');
CREATE INDEX positions_by_case ON positions (case_id, time);
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
COMMIT;
