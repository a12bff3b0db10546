"""The SITREP's persons and place of safety: D from the register, E a place of safety still
to be assigned, M the disembarkation planned, N the disembarkation done."""

from __future__ import annotations

from sarapp.exchange.sitrep import sitrep_text


def sitrep(store, case_id, *, full=True):
    return sitrep_text(store.cases.get(case_id), positions=[], log=store.log.entries(case_id),
                       sender="MRCC ETEL", to=["IMRCC ROME"], full=full,
                       register=store.persons.register(case_id))  # fmt: skip


def lines(text: str) -> dict[str, str]:
    return {line[:1]: line for line in text.splitlines() if line[1:3] == ". "}


def test_d_counts_the_register_and_falls_back_on_the_case(store):
    (case_id,) = store.cases.create(title="Boat", author="op", values={"pob": "12"}).cases
    assert lines(sitrep(store, case_id))["D"] == "D. NUMBER OF PERSONS AT RISK: 12"
    store.persons.set_counts(case_id, {"rescued": 10, "dead": 1}, author="op")
    assert lines(sitrep(store, case_id))["D"] == (
        "D. NUMBER OF PERSONS AT RISK: 12 ON BOARD: 10 RESCUED, 1 DEAD"
    )
    store.persons.set_counts(case_id, {"on_board": 60, "missing": 49}, author="op")
    assert lines(sitrep(store, case_id, full=False))["D"] == (
        "D. NUMBER OF PERSONS AT RISK: 60 ON BOARD: 10 RESCUED, 49 MISSING, 1 DEAD"
    )


def test_the_place_of_safety_from_request_to_disembarkation(store):
    (case_id,) = store.cases.create(title="Boat", author="op").cases
    store.cases.set_field(case_id, "port_requested", "Valletta", author="op")
    store.cases.set_field(case_id, "port_requested_at", "2026-11-28T09:00:00Z", author="op")
    assert lines(sitrep(store, case_id, full=False))["E"] == (
        "E. ASSISTANCE REQUIRED: PLACE OF SAFETY REQUESTED (VALLETTA 280900Z NOV 26)"
    )
    for name, value in (("port_assigned", "Pozzallo"), ("port_authority", "IMRCC Rome"),
                        ("port_assigned_at", "2026-11-28T10:00:00Z"),
                        ("disembark_unit", "CP 301"),
                        ("disembark_eta", "2026-11-29T06:00:00Z")):  # fmt: skip
        store.cases.set_field(case_id, name, value, author="op")
    shown = lines(sitrep(store, case_id))
    assert shown["E"] == "E. ASSISTANCE REQUIRED: NOT REPORTED"
    assert shown["M"] == (
        "M. FUTURE PLANS: DISEMBARKATION AT POZZALLO (PLACE OF SAFETY ASSIGNED BY IMRCC ROME "
        "281000Z NOV 26), PERSONS CARRIED BY CP 301, EXPECTED 290600Z NOV 26"
    )
    store.cases.set_field(case_id, "disembarked_at", "2026-11-29T06:40:00Z", author="op")
    shown = lines(sitrep(store, case_id))
    assert shown["M"] == "M. FUTURE PLANS: NIL"
    assert shown["N"].startswith(
        "N. ADDITIONAL INFORMATION: PERSONS DISEMBARKED AT POZZALLO 290640Z NOV 26 FROM CP 301"
    )
    assert store.check().ok
