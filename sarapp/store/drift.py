"""Drift runs kept with their case, and the cache of fetched forcing (wind, current), so a
run can be repeated offline exactly as it was made."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from sarapp.errors import SarappError
from sarapp.limits import check_text
from sarapp.model import CaseId, Changes, DriftRecord, EntryKind, new_id, utc_now
from sarapp.store import rows


class DriftStoreError(SarappError, ValueError):
    """A drift run that cannot be kept as given; the message names the field."""


class DriftStore:
    """Mixed into Store: needs ``conn``, ``transaction()``, ``resolve_case`` and ``_append``."""

    conn: sqlite3.Connection

    def add_drift_run(
        self,
        case_ref: str,
        *,
        params: dict[str, Any],
        forcing: dict[str, Any],
        summary: dict[str, Any],
        seed: int,
        author: str,
        text: str,
        label: str = "",
    ) -> Changes:
        """Keep a finished run with its case; ``text`` is its line in the case log."""
        case_id: CaseId = self.resolve_case(case_ref)  # type: ignore[attr-defined]
        try:
            check_text(label, "drift_run", "label")
        except ValueError as exc:
            raise DriftStoreError(f"drift run label: {exc}") from None
        run_id = new_id()
        with self.transaction():  # type: ignore[attr-defined]
            changes = self._append(  # type: ignore[attr-defined]
                case_id,
                kind=EntryKind.NOTE,
                text=text,
                author=author,
                data={"drift_run": run_id, "seed": seed},
            )
            self.conn.execute(
                "INSERT INTO drift_runs (id, case_id, created, author, label, seed, params,"
                " forcing, summary, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    case_id,
                    rows.time_to_text(utc_now()),
                    author,
                    label,
                    seed,
                    rows.data_to_text(params),
                    rows.data_to_text(forcing),
                    rows.data_to_text(summary),
                    changes.entries[0],
                ),
            )
        return changes | Changes(drift_runs=(run_id,))

    def drift_runs(self, case_ref: str) -> list[DriftRecord]:
        """The case's drift runs, oldest first."""
        case_id = self.resolve_case(case_ref)  # type: ignore[attr-defined]
        cursor = self.conn.execute(
            "SELECT id, case_id, created, author, label, seed, params, forcing, summary"
            " FROM drift_runs WHERE case_id = ? ORDER BY created, rowid",
            (case_id,),
        )
        return [
            DriftRecord(
                id=r[0],
                case_id=CaseId(r[1]),
                created=rows.time_from_text(r[2]),
                author=r[3],
                label=r[4],
                seed=r[5],
                params=json.loads(r[6]),
                forcing=json.loads(r[7]),
                summary=json.loads(r[8]),
            )
            for r in cursor
        ]

    def forcing_cache(self) -> SqliteForcingCache:
        """The desk's forcing cache (the ``get``/``put`` Protocol of ``sarapp.drift``)."""
        return SqliteForcingCache(self.conn)


class SqliteForcingCache:
    """Fetched forcing answers kept in the desk, so a run can be repeated with no network."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, key: str) -> bytes | None:
        row = self._conn.execute("SELECT body FROM forcing_cache WHERE key = ?", (key,)).fetchone()
        return bytes(row[0]) if row else None

    def put(self, key: str, body: bytes) -> None:
        """One statement: autocommitted alone, or part of the desk's open transaction."""
        self._conn.execute(
            "INSERT OR REPLACE INTO forcing_cache (key, fetched, body) VALUES (?, ?, ?)",
            (key, rows.time_to_text(utc_now()), body),
        )
