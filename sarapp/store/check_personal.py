"""``db check`` of personal data: each log entry's personal content against the commitment its
hashed data holds, each erased content against the purge or import that explains it, and the
persons register (records and counts) against the replay of its log.

The log's hash chain covers the commitment, not the content: so content changed behind the
desk's back shows here (its hash no longer matches), content erased without a purge entry
shows as unexplained, and a purge leaves nothing to report (``docs/data-protection.md``).

Shared by both backends: ``db`` is anything with ``execute(sql, params)`` taking ``?``
placeholders (a ``sqlite3.Connection``, the PostgreSQL backend) and ``values`` the backend's
stored forms; the SQL is the part both dialects share.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sarapp.privacy import COMMITMENT_KEY, PersonalContent, commitment
from sarapp.store.backend import Cursor, Values
from sarapp.store.persons import person_from_row
from sarapp.store.register_replay import RegisterDataError, replay_register


class Db(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Cursor: ...


_PERSON_LABELS = {"status": "status", "unit": "unit", "recovered": "time of recovery",
                  "taken_to": "place taken to", "personal": "personal data state",
                  "name": "name", "age": "age", "sex": "sex", "nationality": "nationality",
                  "medical": "medical mark", "note": "note", "number": "number"}  # fmt: skip


def personal_problems(db: Db, values: Values, numbers: Mapping[str, str]) -> list[str]:
    """One line per personal content that does not match, or is missing, or is erased
    without the entry that explains it."""
    entries: dict[str, tuple[str, int, Any]] = {}  # entry id → case id, seq, commitment
    for entry_id, case_id, seq, data in _rows(db, values,
        "SELECT id, case_id, seq, data FROM log_entries WHERE CAST(data AS TEXT) LIKE ?",
        (f'%"{COMMITMENT_KEY}"%',),
    ):  # fmt: skip
        sealed = _data(data).get(COMMITMENT_KEY)
        if sealed is not None:
            entries[entry_id] = (case_id, seq, sealed)
    explain = _explaining(db, values)
    problems = []
    cursor = _rows(db, values,
        "SELECT entry_id, case_id, state, salt, text, content, gone_entry FROM log_personal"
    )  # fmt: skip
    for entry_id, case_id, state, salt, text, content, gone in cursor:
        known = entries.pop(entry_id, None)
        label = f"case {numbers.get(case_id, case_id)}"
        if known is None or known[0] != case_id:
            problems.append(f"{label}: personal content for entry {entry_id}, which commits to "
                            "none in this case (added outside sarapp)")  # fmt: skip
            continue
        where = f"{label} entry {known[1]}"
        if state == "held":
            if commitment(salt, text, _data(content, keep=True)) != known[2]:
                problems.append(f"{where}: its personal content does not match its commitment "
                                "(changed outside sarapp)")  # fmt: skip
            continue
        reason = explain.get(gone or "")
        wanted = "purge" if state == "purged" else "import"
        if reason is None or reason[0] != case_id or reason[1] <= known[1] or reason[2] != wanted:
            problems.append(f"{where}: its personal content is {state}, but no {wanted} of the "
                            "case after it says so (erased outside sarapp)")  # fmt: skip
    for case_id, seq, _ in entries.values():
        problems.append(f"case {numbers.get(case_id, case_id)} entry {seq}: its personal content "
                        "is missing (deleted outside sarapp)")  # fmt: skip
    return problems


def register_problems(db: Db, values: Values, numbers: Mapping[str, str]) -> list[str]:
    """Each case's person records and counts against the replay of its register entries."""
    cases = {values.read_id(r[0]) for r in db.execute(
        "SELECT case_id FROM persons UNION SELECT case_id FROM person_counts UNION"
        " SELECT case_id FROM log_entries WHERE kind IN ('persons', 'privacy')"
    )}  # fmt: skip
    problems = []
    for case_id in sorted(cases, key=lambda c: numbers.get(c, c)):
        label = f"case {numbers.get(case_id, case_id)}"
        try:
            state = replay_register(
                _register_entries(db, values, case_id), _contents(db, values, case_id)
            )
        except RegisterDataError as exc:
            problems.append(f"{label}: persons register: {exc}")
            continue
        problems += _persons_faults(db, values, case_id, state.persons, label)
        counts = {r[0]: (r[1], r[2]) for r in db.execute(
            "SELECT category, total, counted FROM person_counts WHERE case_id = ?", (case_id,)
        )}  # fmt: skip
        for category in state.counts.total:
            want = (state.counts.total[category], state.counts.counted[category])
            have = counts.get(category, (None, 0) if not state.persons and not counts else None)
            if have != want:
                problems.append(f"{label}: persons count {category} is {have} but its log says "
                                f"{want}: changed outside sarapp")  # fmt: skip
    return problems


def _persons_faults(
    db: Db, values: Values, case_id: str, replayed: Mapping[str, dict[str, Any]], label: str
) -> list[str]:
    problems = []
    cursor = db.execute("SELECT * FROM persons WHERE case_id = ?", (case_id,))
    columns = [d[0] for d in cursor.description]
    seen = set()
    for row in cursor:
        person = person_from_row(dict(zip(columns, row, strict=True)), values)
        seen.add(person.id)
        want = replayed.get(person.id)
        if want is None:
            problems.append(f"{label}: person {person.id} is in no entry of its log "
                            "(added outside sarapp)")  # fmt: skip
            continue
        differ = [k for k, v in want.items() if k != "id" and getattr(person, k) != v]
        if differ:
            problems.append(f"{label}: person {person.label} ({person.id}) differs from its log "
                            f"in {', '.join(_PERSON_LABELS.get(k, k) for k in differ)}: "
                            "changed outside sarapp")  # fmt: skip
    for person_id in replayed.keys() - seen:
        problems.append(f"{label}: person {person_id} of its log is missing "
                        "(deleted outside sarapp)")  # fmt: skip
    return problems


def _register_entries(db: Db, values: Values, case_id: str) -> list[tuple[int, str, dict]]:
    cursor = _rows(db, values,
        "SELECT seq, id, data FROM log_entries WHERE case_id = ?"
        " AND kind IN ('persons', 'privacy') ORDER BY seq",  # as desk.persons reads them
        (case_id,),
    )  # fmt: skip
    found = [(seq, entry_id, _data(data)) for seq, entry_id, data in cursor]
    return [(seq, i, data) for seq, i, data in found if isinstance(data.get("register"), dict)]


def _contents(db: Db, values: Values, case_id: str) -> dict[str, PersonalContent]:
    cursor = _rows(db, values,
        "SELECT entry_id, state, text, content, salt FROM log_personal WHERE case_id = ?",
        (case_id,),
    )  # fmt: skip
    return {
        entry_id: PersonalContent(entry_id, state, text, _data(content, keep=True), salt)
        if state == "held" else PersonalContent(entry_id, state)
        for entry_id, state, text, content, salt in cursor
    }  # fmt: skip


def _explaining(db: Db, values: Values) -> dict[str, tuple[str, int, str]]:
    """Entries that explain erased content: purges and imports (id → case, seq, what)."""
    found = {}
    cursor = _rows(db, values,
        "SELECT id, case_id, seq, kind, data FROM log_entries WHERE kind IN ('privacy',"
        " 'handover') AND (CAST(data AS TEXT) LIKE ? OR CAST(data AS TEXT) LIKE ?)",
        ('%"purge"%', '%"added_entries"%'),
    )  # fmt: skip
    for entry_id, case_id, seq, kind, data in cursor:
        content = _data(data)
        if kind == "privacy" and isinstance(content.get("purge"), dict):
            found[entry_id] = (case_id, seq, "purge")
        elif isinstance((content.get("handover") or {}).get("added_entries"), int):
            found[entry_id] = (case_id, seq, "import")
    return found


_ID_COLUMNS = {"id", "entry_id", "case_id", "gone_entry"}


def _rows(db: Db, values: Values, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """Rows with ids as text and JSON data as the chain's text (whatever the backend keeps)."""
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    out = []
    for row in cursor:
        out.append(tuple(
            values.read_id(v) if n in _ID_COLUMNS and v is not None
            else (v if isinstance(v, str) or v is None else json.dumps(v)) if n == "data"
            else v
            for n, v in zip(names, row, strict=True)
        ))  # fmt: skip
    return out


def _data(text: str | None, *, keep: bool = False) -> Any:
    try:
        value = json.loads(text or "")
    except (TypeError, ValueError):
        return None if keep else {}
    return value if keep or isinstance(value, dict) else {}


__all__ = ["personal_problems", "register_problems"]
