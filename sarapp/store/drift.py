"""Drift runs kept with their case (``desk.drift``), and the cache of fetched forcing (wind,
current), so a run can be repeated offline exactly as it was made."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sarapp.limits import check_text
from sarapp.model import CaseId, Changes, DriftRecord, EntryKind, new_id, utc_now
from sarapp.store import rows
from sarapp.store.errors import DriftStoreError, HandoverError

if TYPE_CHECKING:
    from sarapp.store.backend import Backend
    from sarapp.store.desk import Desk

_INSERT = (
    "INSERT INTO drift_runs (id, case_id, created, author, label, seed, params, forcing,"
    " summary, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class DriftRuns:
    """Held by the desk as ``desk.drift``."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    def add(
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
        case_id = self._desk.cases.resolve(case_ref)
        try:
            check_text(label, "drift_run", "label")
        except ValueError as exc:
            raise DriftStoreError(f"drift run label: {exc}") from None
        run = DriftRecord(
            id=new_id(),
            case_id=case_id,
            created=utc_now(),
            author=author,
            label=label,
            seed=seed,
            params=params,
            forcing=forcing,
            summary=summary,
        )
        with self._desk.transaction():
            changes = self._desk.chain.append(
                case_id,
                kind=EntryKind.NOTE,
                text=text,
                author=author,
                data={"drift_run": run.id, "seed": seed},
            )
            self._insert(run, changes.entries[0])
            return self._desk.announce(changes | Changes(drift_runs=(run.id,)))

    def runs(self, case_ref: str) -> list[DriftRecord]:
        """The case's drift runs, oldest first."""
        case_id = self._desk.cases.resolve(case_ref)
        values = self._desk.values
        return [
            rows.drift_from_row(r, values)
            for r in self._desk.backend.rows(
                "SELECT id, case_id, created, author, label, seed, params, forcing, summary"
                " FROM drift_runs WHERE case_id = ? ORDER BY created, rowid",
                (case_id,),
            )
        ]

    def add_received(self, case_id: CaseId, run: DriftRecord, entry_id: str | None) -> None:
        """Keep another desk's run of the case as it is, with the log entry that recorded
        it (inside the caller's transaction)."""
        if entry_id is None:
            raise HandoverError(f"drift run {run.id} comes without its log entry")
        known = self._desk.backend.execute(
            "SELECT case_id FROM drift_runs WHERE id = ?", (run.id,)
        ).fetchone()
        if known is not None:
            raise HandoverError(f"drift run {run.id} already exists here in case {known[0]}")
        self._insert(run, entry_id, case_id=case_id)

    def forcing_cache(self) -> ForcingCache:
        """The desk's forcing cache (the ``get``/``put`` Protocol of ``sarapp.drift``)."""
        return ForcingCache(self._desk.backend)

    def _insert(self, run: DriftRecord, entry_id: str, *, case_id: str | None = None) -> None:
        stored = self._desk.values
        self._desk.backend.execute(
            _INSERT,
            (run.id, case_id or run.case_id, stored.time(run.created), run.author, run.label,
             run.seed, stored.json(run.params), stored.json(run.forcing),
             stored.json(run.summary), entry_id),
        )  # fmt: skip


class ForcingCache:
    """Fetched forcing answers kept in the desk, so a run can be repeated with no network."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def get(self, key: str) -> bytes | None:
        row = self._backend.execute(
            "SELECT body FROM forcing_cache WHERE key = ?", (key,)
        ).fetchone()
        return bytes(row[0]) if row else None

    def put(self, key: str, body: bytes) -> None:
        """One statement: autocommitted alone, or part of the desk's open transaction."""
        self._backend.execute(
            "INSERT INTO forcing_cache (key, fetched, body) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET fetched = excluded.fetched, body = excluded.body",
            (key, self._backend.values.time(utc_now()), body),
        )


__all__ = ["DriftRuns", "ForcingCache"]
