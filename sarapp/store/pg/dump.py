"""The PostgreSQL desk's schema as stable text: what the golden files in
``tests/data/store/pg/`` hold, read from the catalogs (not pg_dump, whose layout changes
between releases), every object in name order."""

from __future__ import annotations

import psycopg

_TABLES = """
SELECT c.oid, c.relname FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' ORDER BY c.relname
"""
_COLUMNS = """
SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
"""
_CONSTRAINTS = """
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE connamespace = current_schema()::regnamespace AND conrelid <> 0
ORDER BY conrelid::regclass::text, conname
"""
_INDEXES = """
SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
AND indexname NOT IN (SELECT conname FROM pg_constraint
                      WHERE connamespace = current_schema()::regnamespace)
ORDER BY indexname
"""
_TRIGGERS = """
SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal ORDER BY t.tgname
"""
_FUNCTIONS = """
SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p
WHERE p.pronamespace = current_schema()::regnamespace ORDER BY p.proname
"""

_SEQUENCES = """
SELECT c.relname, format_type(s.seqtypid, NULL) FROM pg_class c
JOIN pg_sequence s ON s.seqrelid = c.oid
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'S'
AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'i')
ORDER BY c.relname
"""


def schema_dump(conn: psycopg.Connection) -> str:
    """Tables with their columns, constraints, indexes, triggers, sequences and functions,
    and the version the desk records."""
    version = conn.execute("SELECT max(version) FROM sarapp_schema").fetchone()[0]
    lines = [f"-- sarapp desk schema version {version}"]
    for oid, table in conn.execute(_TABLES).fetchall():
        columns = [_column(*row) for row in conn.execute(_COLUMNS, (oid,))]
        lines.append(f"-- table {table}\nCREATE TABLE {table} (\n" + ",\n".join(columns) + "\n);")
    for table, name, definition in conn.execute(_CONSTRAINTS):
        lines.append(
            f"-- constraint {name}\nALTER TABLE {table} ADD CONSTRAINT {name} {definition};"
        )
    for name, definition in conn.execute(_INDEXES):
        lines.append(f"-- index {name}\n{definition};")
    for name, definition in conn.execute(_TRIGGERS):
        lines.append(f"-- trigger {name}\n{definition};")
    for name, kind in conn.execute(_SEQUENCES):  # identity columns' own are in their tables
        lines.append(f"-- sequence {name}\nCREATE SEQUENCE {name} AS {kind};")
    for name, definition in conn.execute(_FUNCTIONS):
        lines.append(f"-- function {name}\n{definition.strip()};")
    return "\n".join(lines) + "\n"


def _column(name: str, kind: str, not_null: bool, default: str | None, identity: str) -> str:
    text = f"    {name} {kind}"
    if identity:
        text += " GENERATED " + ("ALWAYS" if identity == "a" else "BY DEFAULT") + " AS IDENTITY"
    if default is not None:
        text += f" DEFAULT {default}"
    return text + (" NOT NULL" if not_null else "")
