"""What ``db copy`` copies: every table of a desk with the kind of each column, in an order
that never inserts a row before the row it refers to.

A column's kind says how its value travels between backends: ``id`` (text on a file, ``uuid``
on a server), ``time`` (the chain's UTC text, or ``timestamptz``), ``json`` (canonical text,
or ``jsonb``), ``flag`` (0/1, or ``boolean``), ``blob`` (bytes) and ``value`` (text and
numbers, the same on both). What only one backend has is left to it: a server's identity
``rowid`` columns are numbered again in the copy's order, its ``search`` words are computed
from the text, its ``written_by`` is the login that ran the copy (this database's record of
who stored the entry, not the entry's content); a file's ``change_notices`` and search index
are its own. A column a desk holds that is not named here stops the copy (a newer sarapp's
desk): nothing is dropped in silence.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """A desk table: its columns as (name, kind), and the ORDER BY that reads it in an order
    valid to insert (both backends understand it)."""

    name: str
    columns: tuple[tuple[str, str], ...]
    order: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)


def _cols(spec: str) -> tuple[tuple[str, str], ...]:
    """``"id:id number title created:time"``: a column without a kind holds a ``value``."""
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        out.append((name, kind or "value"))
    return tuple(out)


# Cases first without their last known position (it refers to a position, which refers to
# the case): ``LKP`` is set once the positions are in.
TABLES: tuple[Table, ...] = (
    Table("desk_meta", _cols("key value"), "key"),
    Table(
        "cases",
        _cols(
            "id:id number title phase status nature pob vessel_name mmsi imo call_sign flag"
            " vessel_type vessel_description rcc smc lkp_id:id is_demo:flag created:time"
            " updated:time origin_rcc origin_number version outcome port_requested"
            " port_requested_at:time port_assigned port_authority port_assigned_at:time"
            " disembark_unit disembark_eta:time disembarked_at:time"
        ),
        "number",
    ),
    Table(
        "positions",
        _cols("id:id case_id:id lat lon time:time source accuracy_m recorded:time"),
        "rowid",
    ),
    Table(
        "log_entries",
        _cols(
            "id:id case_id:id seq time:time author kind text data:json corrects:id prev_hash hash"
        ),
        "case_id, seq",  # a correction refers to an earlier entry of its own case
    ),
    Table(
        "alerts",
        _cols("id:id digest source_key kind case_id:id entry_id:id received:time"),
        "received, id",
    ),
    Table(
        "units",
        _cols(
            "id:id name unit_type call_sign mmsi speed_kt endurance_h home_base created:time"
            " updated:time"
        ),
        "name",
    ),
    Table(
        "unit_positions",
        _cols(
            "id:id unit_id:id lat lon time:time source sog_kt cog_deg heading_deg altitude_m"
            " recorded:time"
        ),
        "unit_id, time, source",
    ),
    Table(
        "drift_runs",
        _cols(
            "id:id case_id:id created:time author label seed params:json forcing:json"
            " summary:json entry_id:id"
        ),
        "rowid",
    ),
    Table("forcing_cache", _cols("key fetched:time body:blob"), "key"),
    Table(
        "coordination",
        _cols("id:id case_id:id event rcc_id rcc_name package_id:id time:time entry_id:id"),
        "rowid",
    ),
    Table(
        "packages",
        _cols(
            "id:id direction case_id:id purpose peer_rcc signer_fingerprint signature_status"
            " digest time:time created:time"
        ),
        "time, id",
    ),
    Table(
        "search_plans",
        _cols(
            "id:id case_id:id unit_id:id unit_name pattern params:json waypoints:json"
            " start:time end:time pod drift_run_id:id status created:time author"
        ),
        "rowid",
    ),
    Table(
        "trusted_keys",
        _cols("fingerprint public_key rcc_id rcc_name rcc_country added:time added_by"),
        "rowid",
    ),
    Table(
        "outbox",
        _cols(
            "package_id:id case_id:id peer_rcc url content:blob state attempts last_error"
            " prepared:time updated:time"
        ),
        "rowid",
    ),
    Table("checkpoints", _cols("seq time:time body hash public_key signature"), "seq"),
    # Persons in distress (SQLite 11, PostgreSQL 3): the register, the personal content of
    # entries kept beside the log (as text: its commitment in the entry covers those bytes),
    # and the record of disclosures.
    Table(
        "persons",
        _cols(
            "id:id case_id:id number status unit recovered:time taken_to personal name age sex"
            " nationality medical:flag note"
        ),
        "case_id, number",
    ),
    Table("person_counts", _cols("case_id:id category total counted"), "case_id, category"),
    Table(
        "log_personal",
        _cols("entry_id:id case_id:id state salt text content gone_entry:id"),
        "entry_id",
    ),
    Table(
        "disclosures",
        _cols(
            "id:id time:time author case_id:id kind recipient purpose reason subjects entry_id:id"
        ),
        "time, id",
    ),
    # Sync between field laptops and their centre (SQLite 12, PostgreSQL 4): the cases given
    # to each laptop, the peers this desk syncs with, how far each side holds the other's log.
    Table("sync_grants", _cols("laptop case_id:id granted:time granted_by"), "laptop, case_id"),
    Table("sync_peers", _cols("desk_id:id name location last_sync:time"), "desk_id"),
    Table(
        "sync_marks",
        _cols(
            "peer:id case_id:id received_seq received_cut:time acked_seq acked_cut:time"
            " sent_seq ranges:json updated:time"
        ),
        "peer, case_id",
    ),
)
BY_NAME = {table.name: table for table in TABLES}

# Columns one backend adds to a table, filled by that backend itself in a copy.
BACKEND_OWN = {
    "positions": {"rowid"},
    "log_entries": {"written_by", "search"},
    "drift_runs": {"rowid"},
    "coordination": {"rowid"},
    "search_plans": {"rowid"},
    "trusted_keys": {"rowid"},
    "outbox": {"rowid"},
}
# Tables of one backend's own, never copied (a file's change notices and search index).
NOT_COPIED = {"sarapp_schema", "change_notices", "sqlite_sequence", "log_search",
              "log_search_config", "log_search_data", "log_search_docsize", "log_search_idx",
              "report_period_cases", "report_areas"}  # fmt: skip


def quoted(name: str) -> str:
    """A column name as SQL (``end`` is a keyword on both backends)."""
    return f'"{name}"'


__all__ = ["BACKEND_OWN", "BY_NAME", "NOT_COPIED", "TABLES", "Table", "quoted"]
