"""The persons register as a case's log says it must be: replayed from the ``persons``
entries (``data.register``: the records each touched, without personal values, and the counts
after it) and the personal content kept under each entry's commitment.

Entries are replayed in the order this desk filed them (``seq``), so an import, which files
another desk's entries after this desk's own, leaves the register its rebuild made
(``PersonRegister.rebuild``) and ``db check`` finds the same. A personal content purged or
withheld makes the personal fields it set read ``[purged]`` / ``[withheld]``; a purge entry
(op ``purged``) erases every record's personal fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sarapp.personfields import ERASED_PERSONAL, PURGED, SEXES, STATUSES, WITHHELD
from sarapp.privacy import PersonalContent
from sarapp.register import Counts

if TYPE_CHECKING:
    from sarapp.store.desk import Desk


class RegisterDataError(ValueError):
    """A ``persons`` entry whose register data is not what sarapp writes."""


@dataclass
class RegisterState:
    """Records by id (the values of ``Person`` but its case) and the counts."""

    persons: dict[str, dict[str, Any]] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)


def register_entries(desk: Desk, case_id: str) -> list[tuple[int, str, dict]]:
    """``(seq, entry id, data)`` of the case's entries that change its register (``persons``
    entries, and a purge's ``privacy`` entry: read in SQL both backends speak alike)."""
    values = desk.values
    cursor = desk.backend.execute(
        "SELECT seq, id, data FROM log_entries WHERE case_id = ?"
        " AND kind IN ('persons', 'privacy') ORDER BY seq",
        (case_id,),
    )
    found = [(seq, values.read_id(i), values.read_json(data)) for seq, i, data in cursor]
    return [(seq, i, data) for seq, i, data in found if isinstance(data.get("register"), dict)]


def replay_register(
    entries: Iterable[tuple[int, str, Mapping[str, Any]]],
    contents: Mapping[str, PersonalContent],
) -> RegisterState:
    """Replay ``(seq, entry id, data)`` in seq order (RegisterDataError on data sarapp does
    not write)."""
    state = RegisterState()
    for seq, entry_id, data in sorted(entries, key=lambda e: e[0]):
        register = data.get("register")
        if not isinstance(register, dict):
            continue
        try:
            _apply(state, entry_id, register, contents.get(entry_id))
        except (KeyError, TypeError, ValueError) as exc:
            raise RegisterDataError(f"entry {seq}: register data cannot be read ({exc})") from None
    return state


def _apply(
    state: RegisterState, entry_id: str, register: dict, content: PersonalContent | None
) -> None:
    for item in register["persons"]:
        snapshot = operational(item)
        record = state.persons.setdefault(snapshot["id"], _new_record())
        record.update(snapshot)
    personal = register.get("personal", [])
    if not isinstance(personal, list):
        raise ValueError("'personal' is not a list")
    for person_id in personal:
        record = state.persons[str(person_id)]
        if content is not None and content.state == "held":
            record.update(personal_values(content.values["persons"][person_id]), personal="held")
        else:
            record.update(erased("withheld" if content is None else content.state))
    if register["op"] == "purged":
        for record in state.persons.values():
            record.update(erased("purged"))
    state.counts = Counts.from_json(register["counts"])


def _new_record() -> dict[str, Any]:
    return {"personal": "held", "name": "", "age": None, "sex": "", "nationality": "",
            "medical": False, "note": ""}  # fmt: skip


def erased(state: str) -> dict[str, Any]:
    """The personal fields of a record whose content is purged or withheld."""
    marker = PURGED if state == "purged" else WITHHELD
    return {**ERASED_PERSONAL, "name": marker, "note": marker, "personal": state}


def operational(item: Any) -> dict[str, Any]:
    """A record's snapshot in an entry (ValueError when it is not one sarapp writes)."""
    if not isinstance(item, dict):
        raise ValueError("a person snapshot is not an object")
    out = {
        "id": _text(item["id"]),
        "number": item["number"],
        "status": item["status"],
        "unit": _text(item["unit"]),
        "recovered": item["recovered"],
        "taken_to": _text(item["taken_to"]),
    }
    if not _whole(out["number"]) or out["number"] < 1 or out["status"] not in STATUSES:
        raise ValueError(f"person {out['id']}: number or status is not valid")
    if out["recovered"] is not None:
        _text(out["recovered"])
    return out


def personal_values(item: Any) -> dict[str, Any]:
    """A record's personal values in a content (ValueError when not sarapp's form)."""
    if not isinstance(item, dict):
        raise ValueError("personal values are not an object")
    out = {k: item[k] for k in ("name", "age", "sex", "nationality", "medical", "note")}
    for key in ("name", "nationality", "note"):
        _text(out[key])
    if out["age"] is not None and not _whole(out["age"]):
        raise ValueError("age is not a whole number")
    if out["sex"] not in ("", *SEXES) or not isinstance(out["medical"], bool | None):
        raise ValueError("sex or medical is not valid")
    return out


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    return value


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


__all__ = [
    "RegisterDataError",
    "RegisterState",
    "erased",
    "register_entries",
    "replay_register",
]
