"""Build, sign, write and read back a handover package; every refusal says why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarapp.exchange import keyring, keys
from sarapp.exchange.body import entries_from_json, positions_from_json
from sarapp.exchange.errors import ExchangeError, PackageError
from sarapp.exchange.keyring import desk_trust
from sarapp.exchange.keys import DeskKeys
from sarapp.exchange.package import Attachment, Purpose, write_package
from sarapp.exchange.reader import SignatureStatus, read_package, read_package_file
from sarapp.exchange.versions import CURRENT_VERSION, upgrade
from sarapp.store import Desk

from .conftest import ETEL, FALMOUTH, build_case, trusting
from .helpers import as_bytes, copy, export, resign


def test_round_trip_keeps_every_field(desk, keys_a: DeskKeys, tmp_path: Path) -> None:
    store, case_id = desk
    document = export(store, case_id, keys_a, purpose=Purpose.REQUEST_COORDINATION, sitrep="X")
    path = tmp_path / "out" / "case.sarpkg"
    path.parent.mkdir()
    size = write_package(path, document)
    assert size == path.stat().st_size
    assert [p.name for p in path.parent.iterdir()] == ["case.sarpkg"]  # no temp file left
    assert path.read_bytes().startswith(b"{")
    read = read_package_file(path, trust=trusting(keys_a))
    assert read.signature.status is SignatureStatus.VALID_TRUSTED
    assert read.signature.signer == ETEL
    assert read.header["purpose"] == "request-coordination"
    assert read.header["from"] == {"id": "MRCC-ETEL", "name": "MRCC Etel", "country": "FR"}
    assert read.header["to"]["id"] == FALMOUTH.id
    assert entries_from_json(case_id, read.body["log"]) == store.log.entries(case_id)
    assert positions_from_json(read.body["positions"]) == store.cases.positions(case_id)
    assert read.body["case"]["lkp_id"] == store.cases.get(case_id).lkp.id
    assert read.body["sitrep"] == "X"


def test_signature_status_follows_the_trust_list(desk, keys_a: DeskKeys, desk_b) -> None:
    store, case_id = desk
    content = as_bytes(export(store, case_id, keys_a))
    unknown = read_package(content, trust=desk_trust(desk_b)).signature
    assert unknown.status is SignatureStatus.VALID_UNKNOWN
    assert unknown.fingerprint == keys_a.fingerprint
    assert read_package(content, trust=None).signature.status is SignatureStatus.VALID_UNKNOWN
    keyring.trust_key(desk_b, keys.read_key_file(keys.public_key_file(keys_a)), author="opB")
    trusted = read_package(content, trust=desk_trust(desk_b)).signature
    assert trusted.status is SignatureStatus.VALID_TRUSTED and trusted.signer == ETEL


def test_altered_content_reads_as_invalid_and_is_refused(desk, keys_a: DeskKeys) -> None:
    store, case_id = desk
    document = export(store, case_id, keys_a)
    document["header"]["purpose"] = "acceptance"
    read = read_package(as_bytes(document), trust=trusting(keys_a))
    assert read.signature.status is SignatureStatus.INVALID
    with pytest.raises(PackageError, match="invalid signature"):
        read.require_valid()


def test_an_altered_log_entry_breaks_the_hash_chain_even_if_resigned(
    desk, keys_a: DeskKeys, keys_b: DeskKeys
) -> None:
    store, case_id = desk
    document = export(store, case_id, keys_a)
    document["body"]["log"][2]["text"] = "nothing happened"
    with pytest.raises(PackageError, match=r"seq 3 .*hash does not match"):
        read_package(resign(document, keys_b), trust=None)


def test_trusted_key_signing_for_another_rcc_is_not_trusted(desk, keys_a: DeskKeys) -> None:
    store, case_id = desk
    document = export(store, case_id, keys_a)
    document["header"]["from"] = {"id": "MRCC-FALMOUTH", "name": "", "country": "GB"}
    signature = read_package(resign(document, keys_a), trust=trusting(keys_a)).signature
    assert signature.status is SignatureStatus.VALID_UNKNOWN
    assert "belongs to MRCC-ETEL" in signature.reason


def test_unknown_members_refused_in_strict_mode_dropped_in_lenient(desk, keys_a: DeskKeys) -> None:
    store, case_id = desk
    document = export(store, case_id, keys_a)
    document["body"]["case"]["colour"] = "red"
    content = resign(document, keys_a)
    with pytest.raises(PackageError, match=r"\$\.body\.case\.colour: unknown member"):
        read_package(content, trust=trusting(keys_a))
    lenient = read_package(content, trust=trusting(keys_a), strict=False)
    assert lenient.dropped == ("$.body.case.colour",)
    assert "colour" not in lenient.body["case"]
    assert lenient.signature.status is SignatureStatus.VALID_TRUSTED


def test_lenient_mode_drops_unknown_members_inside_log_entries(desk, keys_a: DeskKeys) -> None:
    store, case_id = desk
    document = export(store, case_id, keys_a)
    document["body"]["log"][3]["colour"] = "red"
    document["header"]["priority"] = "high"
    read = read_package(resign(document, keys_a), trust=trusting(keys_a), strict=False)
    assert read.dropped == ("$.header.priority", "$.body.log[3].colour")
    assert "colour" not in read.body["log"][3] and "priority" not in read.header


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        (("body", "case", "phase"), "PANIC", r"\$\.body\.case\.phase: 'PANIC' is not one of"),
        (("body", "positions", 0, "lat"), 91.5, r"positions\[0\]\.lat: 91.5 is above"),
        (("header", "package_id"), "42", r"header\.package_id: '42' is not in the expected"),
        (("header", "case_id"), "6f1c0e36-5a8e-4a53-9b8c-0d5b8b2f9a11", "header.case_id"),
        (("body", "case", "lkp_id"), "6f1c0e36-5a8e-4a53-9b8c-0d5b8b2f9a11", "lkp_id"),
    ],
)
def test_schema_and_reference_violations_are_refused(
    desk, keys_a: DeskKeys, path: tuple, value: object, reason: str
) -> None:
    store, case_id = desk
    document = export(store, case_id, keys_a)
    node = document
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    with pytest.raises(PackageError, match=reason):
        read_package(resign(document, keys_a), trust=trusting(keys_a))


def test_a_missing_log_entry_is_refused(desk, keys_a: DeskKeys) -> None:
    store, case_id = desk
    document = export(store, case_id, keys_a)
    del document["body"]["log"][1]
    with pytest.raises(PackageError, match="expected seq 2"):
        read_package(resign(document, keys_a), trust=trusting(keys_a))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "not valid JSON"),
        (b"\xff{}", "not UTF-8"),
        (b'{"format": "x"}', "not a sarapp handover package"),
        (b'{"format": "sarapp-handover", "format": "sarapp-handover"}', "twice"),
        (b'{"format": "sarapp-handover", "n": NaN}', "NaN"),
        (b"[" * 100000 + b"]" * 100000, "nested too deeply|not valid JSON"),
    ],
)
def test_garbage_is_refused_with_the_reason(content: bytes, reason: str) -> None:
    with pytest.raises(PackageError, match=reason):
        read_package(content, trust=None)


def test_newer_format_versions_are_refused(desk, keys_a: DeskKeys) -> None:
    store, case_id = desk
    document = export(store, case_id, keys_a)
    document["format_version"] = CURRENT_VERSION + 1
    with pytest.raises(PackageError, match="newer than this desk reads"):
        read_package(resign(document, keys_a), trust=trusting(keys_a))


def test_upgrade_steps_run_in_order_without_touching_the_input() -> None:
    steps = {
        1: lambda d: {**d, "trail": [*d["trail"], "1→2"]},
        2: lambda d: {**d, "trail": [*d["trail"], "2→3"]},
    }
    old = {"format_version": 1, "trail": []}
    new, was = upgrade(old, steps=steps, current=3)
    assert (new["format_version"], new["trail"], was) == (3, ["1→2", "2→3"], 1)
    assert old == {"format_version": 1, "trail": []}
    assert upgrade(new, steps=steps, current=3) == (new, None)
    with pytest.raises(PackageError, match="does not exist"):
        upgrade({"format_version": 0}, steps=steps, current=3)


def test_attachments_travel_in_a_zip_with_their_signed_hash(
    desk, keys_a: DeskKeys, tmp_path: Path
) -> None:
    store, case_id = desk
    photo = Attachment("photo 1.jpg", "image/jpeg", bytes(range(256)) * 40)
    document = export(store, case_id, keys_a, attachments=[photo])
    write_package(tmp_path / "p.sarpkg", document, [photo])
    assert (tmp_path / "p.sarpkg").read_bytes()[:2] == b"PK"
    read = read_package_file(tmp_path / "p.sarpkg", trust=trusting(keys_a))
    assert read.attachments == {"photo 1.jpg": photo.content}
    assert read.body["attachments"][0]["size"] == 10240


def test_bad_export_requests_are_refused(desk, keys_a: DeskKeys, tmp_path: Path) -> None:
    store, case_id = desk
    with pytest.raises(ExchangeError, match="unknown purpose"):
        export(store, case_id, keys_a, purpose="gossip")
    with pytest.raises(ExchangeError, match="attachment name"):
        export(store, case_id, keys_a, attachments=[Attachment("../x", "text/plain", b"")])
    with pytest.raises(keys.KeyStoreError, match="no RCC identity"):
        export(store, case_id, DeskKeys.generate())


def test_json_is_readable_text(desk, keys_a: DeskKeys) -> None:
    store, case_id = desk
    content = as_bytes(export(store, case_id, keys_a))
    assert json.loads(content)["body"]["case"]["vessel_name"] == "MARIE"


def test_two_desks_build_independent_cases(tmp_path: Path, keys_a: DeskKeys) -> None:
    with Desk.open(tmp_path / "other.sqlite") as other:
        case_id = build_case(other)
        document = copy(export(other, case_id, keys_a))
    assert read_package(as_bytes(document), trust=trusting(keys_a)).body["case"]["id"] == case_id
