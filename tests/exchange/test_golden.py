"""Golden files of every released package format version still read, verify and upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest

from sarapp.exchange import keyring, keys
from sarapp.exchange.package import signed_content
from sarapp.exchange.reader import SignatureStatus, read_package_file
from sarapp.exchange.versions import CURRENT_VERSION

GOLDEN = Path(__file__).parent.parent / "data" / "exchange"


def trusted(store, version: str) -> keys.Trust:
    """``store`` trusts the key of the MRCC-ETEL that made the golden files of ``version``."""
    peer = keys.read_key_file((GOLDEN / version / "mrcc-etel.sarkey").read_bytes())
    keyring.trust_key(store, peer, author="op")
    return keyring.desk_trust(store)


@pytest.fixture
def trusting(store) -> keys.Trust:
    return trusted(store, "v1")


def test_v1_request_reads_as_trusted_and_current(trusting: keys.Trust) -> None:
    read = read_package_file(GOLDEN / "v1" / "request-coordination.sarpkg", trust=trusting)
    assert read.signature.status is SignatureStatus.VALID_TRUSTED
    assert read.signature.signer == keys.Rcc("MRCC-ETEL", "MRCC Etel", "FR")
    assert read.document["format_version"] == CURRENT_VERSION
    assert read.upgraded_from == 1
    assert read.body["drift_runs"] == []  # the 1 → 2 step: version 1 carried no drift runs
    assert (read.body["units"], read.body["plans"]) == ([], [])  # then 2 → 3
    assert read.header["package_id"] == "00000000-0000-4000-8000-000000000001"
    assert read.body["case"]["vessel_name"] == "MARIE"
    assert [e["kind"] for e in read.body["log"]] == [
        "created",
        "position",
        "position",
        "position",
        "note",
        "correction",
        "phase",
        "note",
    ]
    assert read.body["sitrep"].startswith("DISTRESS\n281300Z NOV 26")


def test_v1_with_attachment(trusting: keys.Trust) -> None:
    read = read_package_file(GOLDEN / "v1" / "with-attachment.sarpkg", trust=trusting)
    assert read.signature.status is SignatureStatus.VALID_TRUSTED
    assert read.attachments == {"fax.txt": b"FV MARIE, fire in engine room, 4 POB\n"}


def test_canonical_form_of_the_golden_file_is_stable(trusting: keys.Trust) -> None:
    """The signature pins the canonical bytes: a change to canonical.py would break it."""
    read = read_package_file(GOLDEN / "v1" / "request-coordination.sarpkg", trust=trusting)
    content = signed_content(read.document)
    assert content.startswith(b'{"body":{"attachments":[],"case":{"call_sign":"FABC"')


def test_v1_imports_into_a_desk(trusting: keys.Trust, store) -> None:
    from sarapp.exchange.apply import import_package

    read = read_package_file(GOLDEN / "v1" / "request-coordination.sarpkg", trust=trusting)
    result = import_package(store, read, author="op")
    assert result.created and len(result.added_entries) == 8 and store.check().ok


def test_v2_carries_drift_runs_and_imports_them(tmp_path: Path, store) -> None:
    from sarapp.exchange.apply import import_package

    read = read_package_file(GOLDEN / "v2" / "with-drift-run.sarpkg", trust=trusted(store, "v2"))
    assert read.signature.status is SignatureStatus.VALID_TRUSTED
    assert read.upgraded_from == 2 and read.document["format_version"] == CURRENT_VERSION
    assert (read.body["units"], read.body["plans"]) == ([], [])  # the 2 → 3 step
    (run,) = read.body["drift_runs"]
    assert run["seed"] == "20261128" and run["summary"]["radius_m"] == [800.0, 2150.5]
    result = import_package(store, read, author="op")
    (kept,) = store.drift.runs(result.case_id)
    assert (kept.id, kept.seed, kept.label, kept.params) == (
        run["id"], 20261128, "first", run["params"])  # fmt: skip
    assert store.log.entry(run["entry_id"]).data["drift_run"] == run["id"]


def test_v3_carries_units_and_plans_and_imports_them(tmp_path: Path, store) -> None:
    from sarapp.exchange.apply import import_package

    path = GOLDEN / "v3" / "with-units-and-plans.sarpkg"
    read = read_package_file(path, trust=trusted(store, "v3"))
    assert read.signature.status is SignatureStatus.VALID_TRUSTED
    assert read.upgraded_from == 3 and read.document["format_version"] == CURRENT_VERSION
    assert read.body["case"]["origin"] is None  # the 3 → 4 step: version 3 did not say
    assert read.body["drift_runs"][0]["seed"] == "7"  # …and seeds become decimal strings
    assert read.body["checkpoint"] is None  # then 4 → 5: version 4 carried none
    lifeboat, helicopter = read.body["units"]
    assert (lifeboat["name"], lifeboat["mmsi"], lifeboat["home_base"]) == (
        "SNS 061", "227006120", "Etel")  # fmt: skip
    assert [p["time"] for p in lifeboat["positions"]] == [
        "2026-11-28T12:20:00.000000Z", "2026-11-28T12:40:00.000000Z"]  # fmt: skip
    plans = read.body["plans"]
    assert [(p["unit_name"], p["status"]) for p in plans] == [
        ("SNS 061", "planned"), ("Dragon 56", "done"), ("FV KERAVEL", "planned")]  # fmt: skip
    assert plans[0]["drift_run_id"] == read.body["drift_runs"][0]["id"]
    result = import_package(store, read, author="op")
    assert result.added_units == (lifeboat["id"], helicopter["id"])
    assert result.added_unit_positions == 3 and len(result.added_plans) == 3
    kept = store.plans.for_case(result.case_id)
    assert [(p.id, p.unit_id, p.status, p.pod) for p in kept] == [
        (p["id"], p["unit_id"], p["status"], p["pod"]) for p in plans]  # fmt: skip
    assert store.units.get("SNS 061").speed_kt == 25.0 and store.check().ok


def test_v4_carries_a_seed_beyond_2_53_exactly(tmp_path: Path, store) -> None:
    """An older desk drew seeds up to 2^63: such a run travels, and lands, exactly."""
    from sarapp.exchange.apply import import_package

    read = read_package_file(GOLDEN / "v4" / "with-large-seed.sarpkg", trust=trusted(store, "v4"))
    assert read.signature.status is SignatureStatus.VALID_TRUSTED
    assert read.upgraded_from == 4 and read.document["format_version"] == CURRENT_VERSION
    assert read.body["checkpoint"] is None  # the 4 → 5 step: version 4 carried none
    assert read.body["case"]["origin"] == {"rcc": "MRCC-ETEL", "number": "2026-0001"}
    large = read.body["drift_runs"][-1]
    assert large["seed"] == "9223372036854775807"
    entry = next(e for e in read.body["log"] if e["id"] == large["entry_id"])
    assert entry["data"]["seed"] == 2**63 - 1  # data_json read back exactly
    result = import_package(store, read, author="op")
    assert [r.seed for r in store.drift.runs(result.case_id)] == [7, 2**63 - 1]
    assert store.log.entry(large["entry_id"]).hash == entry["hash"] and store.check().ok
    case = store.cases.get(result.case_id)
    assert (case.origin_rcc, case.origin_number) == ("MRCC-ETEL", "2026-0001")


def test_v5_carries_the_sender_s_checkpoint_and_imports_it(store) -> None:
    from sarapp.exchange.apply import import_package

    read = read_package_file(GOLDEN / "v5" / "with-checkpoint.sarpkg", trust=trusted(store, "v5"))
    assert read.signature.status is SignatureStatus.VALID_TRUSTED
    assert read.upgraded_from == 5 and read.document["format_version"] == CURRENT_VERSION
    assert read.body["case"]["origin"] == {"rcc": "MRCC-ETEL", "number": "2026-0001"}
    # the 5 → 6 step: no register, no personal data, counts and statuses' purpose
    assert (read.body["persons"], read.body["personal"]) == (None, [])
    assert read.header["data_protection"] == {
        "purpose": "flag-state", "personal_data": False, "reason": ""}  # fmt: skip
    assert (read.body["case"]["outcome"], read.body["case"]["disembarked_at"]) == ("", None)
    checkpoint = read.body["checkpoint"]
    assert (checkpoint["seq"], checkpoint["hash"]) == (8, read.body["log"][-1]["hash"])
    assert checkpoint["desk_checkpoint"]["case_seq"] == 8
    result = import_package(store, read, author="op")
    assert result.created and not result.warnings
    (note,) = [e for e in store.log.entries(result.case_id) if "handover" in e.data]
    assert note.data["handover"]["sender_checkpoint"] == checkpoint
    assert store.check().ok


def test_v6_carries_the_register_and_its_personal_content(store) -> None:
    from sarapp.exchange.apply import import_package

    read = read_package_file(GOLDEN / "v6" / "with-register.sarpkg", trust=trusted(store, "v6"))
    assert read.signature.status is SignatureStatus.VALID_TRUSTED
    assert read.upgraded_from is None and read.document["format_version"] == 6
    assert read.header["data_protection"] == {
        "purpose": "coordination", "personal_data": True, "reason": ""}  # fmt: skip
    records = read.body["persons"]["records"]
    assert [r["personal"]["name"] for r in records] == [
        "Amadou Touré", "Aïcha Bello", "Kwame Boateng"]  # fmt: skip
    assert read.body["persons"]["counts"]["on_board"] == {"total": 4, "counted": 1}
    assert len(read.body["personal"]) == 4
    assert read.body["case"]["port_assigned"] == "Lorient"
    result = import_package(store, read, author="op")
    assert [p.name for p in store.persons.register(result.case_id).persons] == [
        r["personal"]["name"] for r in records]  # fmt: skip
    assert store.cases.get(result.case_id).port_authority == "CROSS Etel"
    assert store.check().ok


def test_v6_redacted_verifies_and_imports_like_any_other(store) -> None:
    from sarapp.exchange.apply import import_package

    read = read_package_file(GOLDEN / "v6" / "redacted.sarpkg", trust=trusted(store, "v6"))
    assert read.signature.status is SignatureStatus.VALID_TRUSTED
    assert read.header["data_protection"]["personal_data"] is False
    assert read.body["personal"] == []
    assert {r["personal"] for r in read.body["persons"]["records"]} == {None}
    result = import_package(store, read, author="op")
    register = store.persons.register(result.case_id)
    assert {p.personal for p in register.persons} == {"withheld"}
    assert register.counts.total["missing"] == 2
    assert store.check().ok
