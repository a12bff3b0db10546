"""The persons register between RCCs: a coordination handover carries it whole, information
to a flag state counts and statuses only (unless an officer includes personal data with a
reason, logged), and a redacted package verifies and imports like any other."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarapp.exchange.apply import import_package
from sarapp.exchange.canonical import canonical_bytes
from sarapp.exchange.errors import PackageError
from sarapp.exchange.package import Purpose
from sarapp.exchange.reader import read_package
from sarapp.exchange.sitrep import sitrep_text
from sarapp.exchange.sitrep_form import plain_ascii
from sarapp.exchange.workflow import send_case
from sarapp.privacy import Purpose as DataPurpose
from sarapp.privacy import decide

from .conftest import FALMOUTH, trusting
from .helpers import as_bytes, copy, export, resign

NAMES = ("Amadou Touré", "Aïcha Bello", "Kwame Boateng")


def add_register(store, case_id) -> None:
    store.persons.set_counts(case_id, {"on_board": 4, "rescued": 2, "missing": 2}, author="op1")
    for name, status in zip(NAMES, ("rescued", "rescued", "missing"), strict=True):
        store.persons.add(case_id, {"name": name, "age": "30", "sex": "M", "nationality": "ML",
                                    "status": status, "note": "told us his brother is in Paris"},
                          author="op1")  # fmt: skip
    store.privacy.append_note(case_id, "Touré's wife called from Bamako", author="op1")


def read(document, *pairs):
    return read_package(as_bytes(document), trust=trusting(*pairs))


def test_a_coordination_handover_carries_the_register_whole(desk, keys_a, desk_b, keys_b):
    store, case_id = desk
    add_register(store, case_id)
    document = export(store, case_id, keys_a, purpose=Purpose.REQUEST_COORDINATION)
    assert document["header"]["data_protection"] == {
        "purpose": "coordination", "personal_data": True, "reason": ""}  # fmt: skip
    assert [r["personal"]["name"] for r in document["body"]["persons"]["records"]] == list(NAMES)
    assert len(document["body"]["personal"]) == 4  # 3 persons added, 1 note; counts: none
    result = import_package(desk_b, read(document, keys_a), author="opB")
    here = desk_b.persons.register(result.case_id)
    there = store.persons.register(case_id)
    assert here.persons == there.persons and here.counts == there.counts
    assert desk_b.privacy.contents(case_id) == store.privacy.contents(case_id)
    assert desk_b.check().ok


def test_information_to_a_flag_state_carries_counts_and_statuses_only(desk, keys_a, desk_b, keys_b):
    store, case_id = desk
    add_register(store, case_id)
    document = export(store, case_id, keys_a)  # information: flag-state by default
    assert document["header"]["data_protection"] == {
        "purpose": "flag-state", "personal_data": False, "reason": ""}  # fmt: skip
    content = canonical_bytes(document).decode()
    assert not [s for s in (*NAMES, "Paris", "Bamako", '"ML"') if s in content]
    records = document["body"]["persons"]["records"]
    assert [(r["status"], r["personal"]) for r in records] == [
        ("rescued", None), ("rescued", None), ("missing", None)]  # fmt: skip
    assert document["body"]["personal"] == []
    # it verifies and imports like any other: the chain holds, the counts arrive
    result = import_package(desk_b, read(document, keys_a), author="opB")
    register = desk_b.persons.register(result.case_id)
    assert register.counts == store.persons.register(case_id).counts
    assert [(p.status, p.name, p.personal) for p in register.persons] == [
        ("rescued", "[withheld]", "withheld"), ("rescued", "[withheld]", "withheld"),
        ("missing", "[withheld]", "withheld")]  # fmt: skip
    assert desk_b.check().ok
    # a later coordination handover brings what was withheld, checked against the chain
    store.persons.set_field(store.persons.person("P3", case_ref=case_id).id, "status",
                            "rescued", author="op1")  # fmt: skip
    later = export(store, case_id, keys_a, purpose=Purpose.REQUEST_COORDINATION)
    import_package(desk_b, read(later, keys_a), author="opB")
    assert [p.name for p in desk_b.persons.register(case_id).persons] == list(NAMES)
    assert desk_b.persons.counts(case_id).total["rescued"] == 3
    assert desk_b.check().ok


def test_personal_data_to_a_flag_state_needs_a_reason_and_is_logged(desk, keys_a, tmp_path):
    store, case_id = desk
    add_register(store, case_id)
    with pytest.raises(Exception, match="needs a reason"):
        decide("flag-state", include_personal=True)
    disclosure = decide("flag-state", include_personal=True, reason="next of kin to inform")
    sent = send_case(store, case_id, keys=keys_a, to=FALMOUTH, author="op1",
                     disclosure=disclosure, output=tmp_path / "p.sarpkg")  # fmt: skip
    assert sent.document["header"]["data_protection"] == {
        "purpose": "flag-state",
        "personal_data": True,
        "reason": "next of kin to inform",
    }
    line = store.log.entries(case_id)[-1]
    assert line.text.endswith("with personal data, for flag-state information (reason: next "
                              "of kin to inform), with SITREP 1 (short form)")  # fmt: skip
    assert line.data["data_protection"]["reason"] == "next of kin to inform"
    (record,) = store.privacy.disclosures(case_id)
    assert (record.kind, record.purpose, record.reason, record.author) == (
        "package", "flag-state", "next of kin to inform", "op1")  # fmt: skip
    assert record.recipient.startswith("MRCC-FALMOUTH (package ")
    persons = {p.id for p in store.persons.register(case_id).persons}
    assert persons < set(record.subjects) and record.entry_id == line.id
    assert any(s.startswith("entry:") for s in record.subjects)  # the personal note


def test_statistics_never_carry_personal_data():
    with pytest.raises(Exception, match="never carries personal data"):
        decide("statistics", include_personal=True, reason="curiosity")


def test_personal_content_altered_in_a_package_is_refused(desk, keys_a, desk_b, keys_b):
    store, case_id = desk
    add_register(store, case_id)
    document = copy(export(store, case_id, keys_a, purpose=Purpose.REQUEST_COORDINATION))
    document["body"]["personal"][0]["values"]["persons"] = {
        k: {**v, "name": "Someone Else"}
        for k, v in document["body"]["personal"][0]["values"]["persons"].items()
    }
    with pytest.raises(PackageError, match="does not match the commitment"):
        read_package(resign(document, keys_a), trust=trusting(keys_a))
    assert desk_b.cases.list() == []


# Personal values as typed (accents, apostrophes, spaces), each with a mark of its own so
# that one cannot be a piece of the package's fixed words ("countr" of "country").
_TEXT = st.text(alphabet=string.ascii_letters + "éàüøß -'", min_size=3, max_size=30).map(
    lambda t: "Qz" + " ".join(t.split()) + "Zq"
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(names=st.lists(_TEXT, min_size=1, max_size=4, unique=True), note=_TEXT)
@pytest.mark.parametrize("purpose", [DataPurpose.FLAG_STATE, DataPurpose.STATISTICS])
def test_no_personal_value_in_a_package_or_sitrep_for_a_purpose_that_excludes_it(
    desk, keys_a, purpose, names, note
):
    store, case_id = desk
    (case_id,) = store.cases.create(title="Property case", author="op1").cases
    for name in names:
        store.persons.add(case_id, {"name": name, "note": note, "nationality": "NO"},
                          author="op1")  # fmt: skip
    store.privacy.append_note(case_id, note, author="op1")
    disclosure = decide(purpose)
    document = export(store, case_id, keys_a, disclosure=disclosure,
                      sitrep=None)  # fmt: skip
    content = canonical_bytes(document).decode("utf-8")
    full = sitrep_text(store.cases.get(case_id), positions=[], log=store.log.entries(case_id),
                       sender="MRCC ETEL", to=["X"], full=True,
                       register=store.persons.register(case_id),
                       names=disclosure.personal)  # fmt: skip
    for value in (*names, note):
        assert value not in content and value.upper() not in full
        assert plain_ascii(value.upper()) not in full  # nor as the telex form spells it
        assert json.dumps(value)[1:-1] not in content  # nor escaped
    assert '"NO"' not in content  # the nationality neither


def test_names_go_where_the_purpose_needs_them(desk, keys_a):
    """The counterpart of the property above: the same values do travel for coordination."""
    store, case_id = desk
    add_register(store, case_id)
    disclosure = decide(DataPurpose.COORDINATION)
    content = canonical_bytes(export(store, case_id, keys_a, disclosure=disclosure)).decode()
    full = sitrep_text(store.cases.get(case_id), positions=[], log=store.log.entries(case_id),
                       sender="MRCC ETEL", to=["X"], full=True,
                       register=store.persons.register(case_id), names=True)  # fmt: skip
    assert all(name in content for name in NAMES) and "Bamako" in content
    assert "D. NUMBER OF PERSONS AT RISK: 4 ON BOARD: 2 RESCUED, 2 MISSING" in full
    assert "PERSONS: P1 AMADOU TOURE 30 Y M ML RESCUED; P2 AICHA BELLO" in full


def test_the_schema_marks_the_personal_fields_the_declaration_declares():
    from sarapp.exchange.reader import package_schema
    from sarapp.personfields import PERSON_FIELDS

    definitions = package_schema()["$defs"]
    marked = {n for n, m in definitions["person_personal"]["properties"].items()
              if m.get("x-personal-data")}  # fmt: skip
    declared = {n for n, spec in PERSON_FIELDS.items() if spec.personal}
    assert marked == declared == set(definitions["person_personal"]["required"])
    operational = set(definitions["person"]["properties"]) - {"id", "number", "personal_state",
                                                               "personal"}  # fmt: skip
    assert operational == {n for n, spec in PERSON_FIELDS.items() if not spec.personal}
    assert definitions["personal_content"]["x-personal-data"] is True
