"""The persons register of each case (``desk.persons``): person records and counts, every
change logged as a ``persons`` entry whose data holds the records it touched (nothing
personal) and the counts after it, with the personal values kept beside the log under the
entry's commitment (``desk.privacy``). ``db check`` replays the register from those entries
(``sarapp.store.register_replay``).

A repository composed on the desk (its SQL written once for both backends); it reaches the
log and the personal content through ``desk.log`` and ``desk.privacy``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sarapp.chain import time_from_text, time_text
from sarapp.model import CaseId, Changes, EntryKind, new_id
from sarapp.personfields import (
    EMPTY_PERSONAL,
    OPERATIONAL_FIELDS,
    PERSON_FIELDS,
    PERSONAL_FIELDS,
    PersonError,
    parse_person_field,
)
from sarapp.register import (
    CATEGORIES,
    CATEGORY_LABELS,
    Counts,
    Person,
    PersonId,
    Register,
    counts_after_added,
    counts_after_change,
    counts_with_totals,
)
from sarapp.store.backend import Backend, Values
from sarapp.store.personal import PersonalData
from sarapp.store.register_replay import register_entries, replay_register
from sarapp.store.register_text import added_text, personal_text, status_text
from sarapp.store.text_query import like_prefix

if TYPE_CHECKING:
    from sarapp.store.desk import Desk

REGISTER_KEY = "register"  # data member of a persons entry
MAX_PERSONS = 10000  # per case: beyond any ship afloat


class PersonRegister:
    """``desk.persons``."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    @property
    def privacy(self) -> PersonalData:
        return self.desk.privacy

    @property
    def backend(self) -> Backend:
        return self.desk.backend

    # --- reading ------------------------------------------------------------------------

    def register(self, case_ref: str) -> Register:
        case_id = self.desk.cases.resolve(case_ref)
        return Register(tuple(self._persons(case_id)), self.counts(case_id))

    def counts(self, case_ref: str) -> Counts:
        case_id = self.desk.cases.resolve(case_ref)
        return _counts(self.backend.execute(
            "SELECT category, total, counted FROM person_counts WHERE case_id = ?", (case_id,)
        ))  # fmt: skip

    def all_counts(self) -> dict[CaseId, Counts]:
        """The counts of every case that has a register (for the case list and the report)."""
        found: dict[CaseId, list[tuple[str, int | None, int]]] = {}
        read_id = self.desk.values.read_id
        for case_id, *row in self.backend.execute(
            "SELECT case_id, category, total, counted FROM person_counts"
        ):
            found.setdefault(CaseId(read_id(case_id)), []).append(tuple(row))  # type: ignore[arg-type]
        return {case_id: _counts(items) for case_id, items in found.items()}

    def person(self, ref: str, *, case_ref: str | None = None) -> Person:
        """A person by UUID or unique prefix of it; within ``case_ref``, also ``P7`` or 7."""
        ref = ref.strip()
        if case_ref is not None:
            case_id = self.desk.cases.resolve(case_ref)
            number = ref[1:] if ref[:1] in "Pp" else ref
            if number.isdigit():
                found = self._query("case_id = ? AND number = ?", (case_id, int(number)))
                if len(found) == 1:
                    return found[0]
                if len(found) > 1:
                    raise PersonError(f"{ref} names {len(found)} persons here: give the id")
        prefix = like_prefix(ref.lower())
        found = self._query("CAST(id AS TEXT) LIKE ? ESCAPE '\\'", (prefix,)) if ref else []
        if case_ref is not None:
            found = [p for p in found if p.case_id == self.desk.cases.resolve(case_ref)]
        if len(found) == 1:
            return found[0]
        if not found:
            raise PersonError(f"no person {ref!r} on this desk (give the id from 'persons list')")
        raise PersonError(f"person reference {ref!r} is ambiguous: give more of the id")

    # --- writing ------------------------------------------------------------------------

    def add(self, case_ref: str, values: Mapping[str, Any], *, author: str) -> Changes:
        """Add one person record (values as typed, validated); the counts follow."""
        return self.add_many(case_ref, [values], author=author, source="")

    def add_many(
        self, case_ref: str, items: Sequence[Mapping[str, Any]], *, author: str, source: str
    ) -> Changes:
        """Add records in one entry (a list, a CSV file named ``source``): all or none."""
        case_id = self.desk.cases.resolve(case_ref)
        parsed = [_parsed(item) for item in items]
        if not parsed:
            raise PersonError("no persons to add")
        with self.desk.transaction():
            number = self._next_number(case_id)
            if number - 1 + len(parsed) > MAX_PERSONS:
                raise PersonError(f"a case holds at most {MAX_PERSONS} person records")
            counts, added = self.counts(case_id), []
            for offset, values in enumerate(parsed):
                person = Person(PersonId(new_id()), case_id, number + offset, **values)
                counts = counts_after_added(counts, person.categories())
                added.append(person)
            if source:
                text = f"{len(added)} persons added to the register from {source}"
                named = [p.label for p in added if _has_personal(p)]
                personal = f"personal values of {len(named)} of them" + (
                    f" ({named[0]}–{named[-1]})" if named else ""
                )
            else:
                (person,) = added
                text, personal = added_text(person), personal_text(person)
            changes = self._log(
                case_id, op="imported" if source else "added", text=text, touched=added,
                with_personal=[p for p in added if _has_personal(p)], personal=personal,
                counts=counts, author=author,
            )  # fmt: skip
        return changes

    def set_field(self, person_ref: str, name: str, value: Any, *, author: str,
                  case_ref: str | None = None) -> Changes:  # fmt: skip
        """Change one field of a record (logged with its old and new value)."""
        person = self.person(person_ref, case_ref=case_ref)
        new = parse_person_field(name, value)
        if getattr(person, name) == new:
            return Changes()
        spec = PERSON_FIELDS[name]
        if spec.personal and person.personal != "held":
            raise PersonError(
                f"the personal data of {person.label} was {person.personal} here: it cannot "
                "be changed (add the person anew if needed)"
            )
        changed = replace(person, **{name: new})
        with self.desk.transaction():
            counts = counts_after_change(
                self.counts(person.case_id), person.categories(), changed.categories()
            )
            shown_old, shown_new = spec.format(getattr(person, name)), spec.format(new)
            if spec.personal:
                text = f"Person {person.label}: {spec.label.lower()} changed"
                personal = f"{spec.label}: {shown_old or '(empty)'} → {shown_new or '(empty)'}"
            else:
                text = (f"Person {person.label} {spec.label.lower()}: {shown_old or '(empty)'}"
                        f" → {shown_new or '(empty)'}")  # fmt: skip
                personal = ""
            return self._log(
                person.case_id, op="changed", text=text, touched=[changed],
                with_personal=[changed] if spec.personal else [], personal=personal,
                counts=counts, author=author,
            )  # fmt: skip

    def set_status(
        self, case_ref: str, person_refs: Iterable[str], status: str, *, author: str
    ) -> Changes:
        """Set the status of many records at once (one entry)."""
        case_id = self.desk.cases.resolve(case_ref)
        new = parse_person_field("status", status)
        chosen = {p.id: p for p in (self.person(r, case_ref=case_id) for r in person_refs)}
        if not chosen:
            raise PersonError("name the persons whose status to set")
        changed = [replace(p, status=new) for p in chosen.values() if p.status != new]
        if not changed:
            return Changes()
        with self.desk.transaction():
            counts = self.counts(case_id)
            for person in changed:
                counts = counts_after_change(
                    counts, chosen[person.id].categories(), person.categories()
                )
            return self._log(
                case_id, op="status", text=status_text(changed, new), touched=changed,
                with_personal=[], personal="", counts=counts, author=author,
            )  # fmt: skip

    def set_counts(
        self, case_ref: str, totals: Mapping[str, int | None], *, author: str
    ) -> Changes:
        """The coordinator's counts (totals per category; None: not known)."""
        case_id = self.desk.cases.resolve(case_ref)
        old = self.counts(case_id)
        counts = counts_with_totals(old, totals)
        moved = [c for c in CATEGORIES if counts.total[c] != old.total[c]]
        if not moved:
            return Changes()
        text = "Persons counted: " + ", ".join(
            f"{CATEGORY_LABELS[c]} {_shown(old.total[c])} → {_shown(counts.total[c])}"
            for c in moved
        )
        with self.desk.transaction():
            return self._log(case_id, op="counts", text=text, touched=[], with_personal=[],
                             personal="", counts=counts, author=author)  # fmt: skip

    def rebuild(self, case_id: CaseId) -> None:
        """Make the case's records and counts what its log says (after an import wrote
        entries of another desk); inside the caller's transaction."""
        entries = register_entries(self.desk, case_id)
        if not entries:
            return
        state = replay_register(entries, self.privacy.contents(case_id))
        self.backend.execute("DELETE FROM persons WHERE case_id = ?", (case_id,))
        for values in state.persons.values():
            self._store(Person(case_id=case_id, **values))
        self._store_counts(case_id, state.counts)

    def write_purged(self, case_id: CaseId, persons: Iterable[Person], counts: Counts) -> None:
        """The records and counts as a purge leaves them (``sarapp.store.purge``)."""
        for person in persons:
            self._store(person)
        self._store_counts(case_id, counts)

    # --- internals ----------------------------------------------------------------------

    def _log(self, case_id: CaseId, *, op: str, text: str, touched: Sequence[Person],
             with_personal: Sequence[Person], personal: str, counts: Counts,
             author: str) -> Changes:  # fmt: skip
        """The entry recording a change (inside the caller's transaction), and the rows."""
        data = {
            REGISTER_KEY: {
                "op": op,
                "persons": [p.operational() for p in touched],
                "personal": [p.id for p in with_personal],
                "counts": counts.to_json(),
            }
        }
        if with_personal:
            values = {"persons": {p.id: p.personal_values() for p in with_personal}}
            changes = self.privacy.append_personal(
                case_id, text=text, personal_text=personal or "(no personal values)",
                values=values, author=author, kind=EntryKind.PERSONS, data=data,
            )  # fmt: skip
        else:
            changes = self.desk.log.append(case_id, text, author=author, kind=EntryKind.PERSONS,
                                           data=data)  # fmt: skip
        for person in touched:
            self._store(person)
        self._store_counts(case_id, counts)
        return changes | self.desk.announce(Changes(persons=tuple(p.id for p in touched)))

    def _store(self, person: Person) -> None:
        stored = self.desk.values
        values = {k: getattr(person, k) for k in (*OPERATIONAL_FIELDS, *PERSONAL_FIELDS)}
        values["medical"] = None if person.medical is None else stored.flag(person.medical)
        if person.recovered:
            values["recovered"] = stored.time(time_from_text(person.recovered))
        names = ["case_id", "number", "personal", *values]
        self.backend.execute(
            f"INSERT INTO persons (id, {', '.join(names)}) VALUES (?{', ?' * len(names)})"
            f" ON CONFLICT (id) DO UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in names)}",
            (person.id, person.case_id, person.number, person.personal, *values.values()),
        )

    def _store_counts(self, case_id: CaseId, counts: Counts) -> None:
        self.backend.executemany(
            "INSERT INTO person_counts (case_id, category, total, counted) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (case_id, category) DO UPDATE SET total = excluded.total,"
            " counted = excluded.counted",
            [(case_id, c, counts.total[c], counts.counted[c]) for c in CATEGORIES],
        )

    def _persons(self, case_id: CaseId) -> list[Person]:
        return self._query("case_id = ?", (case_id,))

    def _query(self, where: str, params: Sequence[Any]) -> list[Person]:
        found = self.backend.rows(
            f"SELECT * FROM persons WHERE {where} ORDER BY case_id, number, id", params
        )
        return [person_from_row(r, self.desk.values) for r in found]

    def _next_number(self, case_id: CaseId) -> int:
        row = self.backend.execute(
            "SELECT MAX(number) FROM persons WHERE case_id = ?", (case_id,)
        ).fetchone()
        return (row[0] or 0) + 1


def person_from_row(row: Mapping[str, Any], stored: Values) -> Person:
    values = {k: row[k] for k in (*OPERATIONAL_FIELDS, *PERSONAL_FIELDS)}
    values["medical"] = None if row["medical"] is None else bool(row["medical"])
    if row["recovered"]:
        values["recovered"] = time_text(stored.read_time(row["recovered"]))
    return Person(id=PersonId(stored.read_id(row["id"])),
                  case_id=CaseId(stored.read_id(row["case_id"])), number=row["number"],
                  personal=row["personal"], **values)  # fmt: skip


def _counts(items: Iterable[Sequence[Any]]) -> Counts:
    total: dict[str, int | None] = dict.fromkeys(CATEGORIES)
    counted = dict.fromkeys(CATEGORIES, 0)
    for category, value, hand in items:
        total[category], counted[category] = value, hand
    return Counts(total, counted)


def _parsed(item: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(item) - set(PERSON_FIELDS))
    if unknown:
        raise PersonError(f"unknown person field {unknown[0]!r} ({', '.join(PERSON_FIELDS)})")
    values = {**EMPTY_PERSONAL, "status": "at-risk", "unit": "", "recovered": None,
              "taken_to": ""}  # fmt: skip
    for name, value in item.items():
        values[name] = parse_person_field(name, value)
    return values


def _has_personal(person: Person) -> bool:
    return person.personal_values() != EMPTY_PERSONAL


def _shown(value: int | None) -> str:
    return "not known" if value is None else str(value)


__all__ = ["MAX_PERSONS", "REGISTER_KEY", "PersonRegister", "person_from_row"]
