"""Importing a package writes the merge plan in one transaction; a refused one writes nothing."""

from __future__ import annotations

import dataclasses
import json

import pytest

from sarapp.chain import GENESIS_HASH, content_hash, data_text, time_text
from sarapp.exchange.apply import import_package, preview_import
from sarapp.exchange.errors import PackageError
from sarapp.exchange.keys import DeskKeys
from sarapp.exchange.reader import read_package
from sarapp.model import Position
from sarapp.store import Desk, HandoverError
from sarapp.store.chain_writer import original_entry

from .conftest import trusting
from .helpers import as_bytes, copy, export, resign


@pytest.fixture(autouse=True)
def _rccs_trust_each_other(keys_b: DeskKeys) -> None:
    """A and B have trusted each other's keys (``keys_b`` sets that up)."""


def _read(content: bytes, signer: DeskKeys):
    return read_package(content, trust=trusting(signer))


def dump(store: Desk) -> list[str]:
    """Every row of the desk, as SQL: equal dumps mean nothing was written."""
    return list(store.conn.iterdump())


def rehash(document: dict, case_id: str) -> dict:
    """Recompute the log's hash chain after a test altered an entry (as a forger would)."""
    previous = GENESIS_HASH
    for e in document["body"]["log"]:
        e["prev_hash"] = previous
        e["hash"] = content_hash({**e, "case_id": case_id, "data": data_text(e["data"])})
        previous = e["hash"]
    return document


def test_a_new_case_arrives_whole(desk, desk_b: Desk, keys_a: DeskKeys) -> None:
    store, case_id = desk
    b = desk_b
    b.cases.create(title="Unrelated case on B", author="opB")
    read = _read(as_bytes(export(store, case_id, keys_a)), keys_a)
    result = import_package(b, read, author="opB")
    assert result.created and result.case_id == case_id and not result.conflicts
    mine, theirs = store.cases.get(case_id), b.cases.get(case_id)
    assert theirs.number == "2026-0002" or theirs.number.endswith("-0002")  # a local number
    for field in dataclasses.fields(mine):
        if field.name not in ("number", "updated", "origin_rcc", "origin_number"):
            assert getattr(theirs, field.name) == getattr(mine, field.name), field.name
    assert (theirs.origin_rcc, theirs.origin_number) == ("MRCC-ETEL", mine.number)
    sent, received = store.log.entries(case_id), b.log.entries(case_id)
    assert received[: len(sent)] == sent  # ids, seq, times, authors, kinds, texts, data, hashes
    assert "imported from MRCC-ETEL" in received[len(sent)].text
    assert received[len(sent)].data["handover"]["signature"] == "valid-and-trusted"
    assert b.cases.positions(case_id) == store.cases.positions(case_id)
    assert len(result.added_entries) == len(sent) and result.rechained == 0
    assert b.check().ok


def test_importing_the_same_package_again_changes_nothing(desk, desk_b, keys_a: DeskKeys) -> None:
    store, case_id = desk
    content = as_bytes(export(store, case_id, keys_a))
    import_package(desk_b, _read(content, keys_a), author="opB")
    before = dump(desk_b)
    again = import_package(desk_b, _read(content, keys_a), author="opB")
    assert again.already_imported and not again.added_entries and not again.created
    assert dump(desk_b) == before
    # Its own package coming back to the sender changes nothing either.
    assert preview_import(store, _read(content, keys_a)).plan.is_empty


def test_entries_the_desk_lacks_are_added_with_their_hashes(desk, desk_b, keys_a, keys_b) -> None:
    store, case_id = desk
    import_package(desk_b, _read(as_bytes(export(store, case_id, keys_a)), keys_a), author="b")
    desk_b.log.append(
        case_id, "Helicopter RESCUE 169 on scene", author="opB", data={"unit": "R169"}
    )
    desk_b.cases.add_position(case_id, Position(47.6, -3.4, source="sru"), author="opB")
    back = _read(as_bytes(export(desk_b, case_id, keys_b)), keys_b)
    lkp_before = store.cases.get(case_id).lkp
    result = import_package(store, back, author="opA")
    assert not result.created and result.rechained == 0
    assert store.log.entries(case_id)[: len(desk_b.log.entries(case_id))] == desk_b.log.entries(
        case_id
    )
    assert store.cases.positions(case_id) == desk_b.cases.positions(case_id)
    # B's newer LKP was reported on B only (its log says so): A takes it, no conflict.
    assert result.conflicts == () and result.updated_fields == ("lkp_id",)
    assert store.cases.get(case_id).lkp == desk_b.cases.get(case_id).lkp != lkp_before
    assert store.check().ok


def test_a_diverged_log_is_chained_afresh_keeping_the_sender_hash(
    desk, desk_b, keys_a, keys_b
) -> None:
    store, case_id = desk
    import_package(desk_b, _read(as_bytes(export(store, case_id, keys_a)), keys_a), author="b")
    store.log.append(case_id, "A: called the owner", author="opA")
    desk_b.log.append(case_id, "B: lifeboat launched", author="opB", data={"eta_s": 1200})
    result = import_package(store, _read(as_bytes(export(desk_b, case_id, keys_b)), keys_b),
                            author="opA")  # fmt: skip
    assert result.rechained == 2  # B's import line and its note
    assert store.check().ok
    by_id = {e.id: e for e in store.log.entries(case_id)}
    for sent in desk_b.log.entries(case_id)[-2:]:
        here = by_id[sent.id]
        assert (here.time, here.author, here.kind, here.text) == (
            sent.time, sent.author, sent.kind, sent.text)  # fmt: skip
        origin = original_entry(here)
        assert origin["hash"] == sent.hash and origin["data"] == sent.data
        row = {"id": sent.id, "case_id": case_id, "time": time_text(here.time),
               "author": here.author, "text": here.text, "corrects": None, **origin}  # fmt: skip
        row["data"] = data_text(origin["data"])
        assert content_hash({k: v for k, v in row.items() if k != "hash"}) == sent.hash


def test_conflicting_fields_are_logged_not_overwritten(desk, desk_b, keys_a, keys_b) -> None:
    store, case_id = desk
    import_package(desk_b, _read(as_bytes(export(store, case_id, keys_a)), keys_a), author="b")
    store.cases.set_field(case_id, "pob", "5", author="opA")  # both desks change it: a conflict
    desk_b.cases.set_field(case_id, "pob", "6", author="opB")
    result = import_package(store, _read(as_bytes(export(desk_b, case_id, keys_b)), keys_b),
                            author="opA")  # fmt: skip
    assert [(c.field, c.local, c.incoming) for c in result.conflicts] == [("pob", 5, 6)]
    assert store.cases.get(case_id).pob == 5
    logged = [e for e in store.log.entries(case_id) if "import_conflict" in e.data]
    item = logged[-1].data["import_conflict"]
    assert item == {
        "field": "pob", "local": 5, "incoming": 6, "decision": "kept local value",
        "package_id": item["package_id"],
        # who changed it on each desk, and when (issue 14): the officer knows whom to ask
        "local_by": item["local_by"], "incoming_by": item["incoming_by"],
    }  # fmt: skip
    assert item["local_by"].startswith("opA, ") and item["incoming_by"].startswith("opB, ")
    assert (
        "here 5 (changed by opA, " in logged[-1].text and "has 6 (changed by opB" in logged[-1].text
    )


def _refused(store: Desk, content: bytes, signer: DeskKeys) -> str:
    before = dump(store)
    with pytest.raises((PackageError, HandoverError)) as caught:
        import_package(store, _read(content, signer), author="opB")
    assert dump(store) == before
    return str(caught.value)


def test_refused_packages_write_nothing(desk, desk_b, keys_a: DeskKeys) -> None:
    store, case_id = desk
    document = export(store, case_id, keys_a)
    forged = copy(document)
    forged["body"]["case"]["pob"] = 40  # altered after signing
    assert "invalid signature" in _refused(desk_b, as_bytes(forged), keys_a)
    unknown = copy(document)
    unknown["body"]["case"]["owner"] = "X"
    assert "unknown member" in _refused(desk_b, resign(unknown, keys_a), keys_a)
    bad_field = copy(document)
    bad_field["body"]["case"]["mmsi"] = "12345"
    assert "case.mmsi" in _refused(desk_b, resign(bad_field, keys_a), keys_a)
    assert desk_b.cases.list() == []


def test_a_damaged_zip_writes_nothing(desk, desk_b, keys_a: DeskKeys) -> None:
    before = dump(desk_b)
    with pytest.raises(PackageError):
        _read(b"PK\x03\x04" + b"\x00" * 60, keys_a)
    assert dump(desk_b) == before


def test_an_id_used_by_another_case_here_refuses_the_package(desk, desk_b, keys_a) -> None:
    store, case_id = desk
    document = copy(export(store, case_id, keys_a))
    other = next(iter(desk_b.cases.create(title="Other", author="opB").cases))
    document["body"]["log"][1]["id"] = desk_b.log.entries(other)[0].id
    rehash(document, case_id)
    assert "another case" in _refused(desk_b, resign(document, keys_a), keys_a)


def test_an_entry_kind_this_desk_does_not_know_is_kept_as_a_note(desk, desk_b, keys_a) -> None:
    store, case_id = desk
    document = copy(export(store, case_id, keys_a))
    document["body"]["log"][-1]["kind"] = "radio_call"
    rehash(document, case_id)
    import_package(desk_b, _read(resign(document, keys_a), keys_a), author="opB")
    entry = desk_b.log.entry(document["body"]["log"][-1]["id"])
    assert entry.kind.value == "note" and original_entry(entry)["kind"] == "radio_call"
    assert desk_b.check().ok


def test_cli_import_prints_what_it_wrote(capsys, desk, desk_b, keys_a, keys_dir, tmp_path):
    from sarapp.cli import main

    store, case_id = desk
    package = tmp_path / "case.sarpkg"
    package.write_bytes(as_bytes(export(store, case_id, keys_a)))
    argv = ["--db", str(desk_b.path), "handover", "import", str(package), "--json",
            "--keys-dir", str(keys_dir)]  # fmt: skip
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["case_id"] == case_id and out["created"] is True
    assert out["added_entries"] == len(store.log.entries(case_id)) and out["conflicts"] == []
    assert out["signature"] == "valid-and-trusted"
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["already_imported"] is True
    assert len(desk_b.log.entries(case_id)) == len(store.log.entries(case_id)) + 1
