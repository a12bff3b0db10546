"""Sync files between a field laptop no network reaches and its centre (issue 14): the same
exchange as over a link, signed; only trusted desks' files change a desk, a file imported
twice or late changes nothing, a lost file is made good by the next."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sarapp.exchange import keyring
from sarapp.exchange.errors import PackageError, SyncError
from sarapp.exchange.keys import DeskKeys
from sarapp.exchange.package import sign_package
from sarapp.exchange.sync_conflicts import open_conflicts
from sarapp.exchange.sync_files import export_sync, import_sync_file, write_sync_file
from sarapp.model import Rcc
from sarapp.store import Desk

from .conftest import build_case
from .helpers import add_tasking
from .sync_helpers import ETEL, FIELD, dump, named_desk, same_cases


@pytest.fixture
def centre(desk_path: Path, keys_dir: Path):
    with named_desk(desk_path, ETEL, keys_dir) as desk:
        yield desk


@pytest.fixture
def laptop(tmp_path: Path, empty_desk_file: Path, keys_dir: Path):
    path = tmp_path / "laptop.sqlite"
    shutil.copyfile(empty_desk_file, path)
    with named_desk(path, FIELD, keys_dir) as desk:
        yield desk


def _keys(desk: Desk, keys_dir: Path) -> DeskKeys:
    return keyring.desk_keys(desk, keys_dir)


@pytest.fixture
def trusting(centre, laptop, keys_dir):
    """Each desk trusts the other's key (checked by telephone before the team left)."""
    keyring.trust_key(centre, _keys(laptop, keys_dir).as_peer(), author="smc")
    keyring.trust_key(laptop, _keys(centre, keys_dir).as_peer(), author="team")


class Courier:
    """Carries files between the desks, numbered."""

    def __init__(self, tmp_path: Path, keys_dir: Path) -> None:
        self.folder, self.keys_dir, self.count = tmp_path, keys_dir, 0

    def write(self, source: Desk, to: str, **options) -> Path:
        self.count += 1
        path = self.folder / f"{self.count}{'.sarsync'}"
        write_sync_file(path, export_sync(source, to=to, keys=_keys(source, self.keys_dir),
                                          **options))  # fmt: skip
        return path

    def carry(self, source: Desk, target: Desk, to: str, **options):
        return import_sync_file(target, self.write(source, to, **options), author="op")


@pytest.fixture
def courier(tmp_path, keys_dir) -> Courier:
    return Courier(tmp_path, keys_dir)


@pytest.fixture
def carried(centre, laptop, trusting, courier) -> list[str]:
    """Two cases given to the laptop, taken on it by the centre's first sync file."""
    first = build_case(centre)
    add_tasking(centre, first)
    second = next(iter(centre.cases.create(title="Kayaker overdue", author="op1").cases))
    centre.sync.give(FIELD.id, [first, second], author="smc")
    courier.carry(centre, laptop, FIELD.id)
    return [first, second]


def test_files_carry_the_cases_to_the_laptop_and_the_work_back(centre, laptop, carried, courier):
    same_cases(centre, laptop, carried)
    first, second = carried
    for n in range(10):
        laptop.log.append(first, f"Team: sector {n}", author="team")
    laptop.cases.set_field(second, "nature", "kayak", author="team")
    centre.log.append(first, "Centre: helicopter requested", author="smc")
    went = courier.carry(laptop, centre, ETEL.id)
    assert {c.case_id: c.entries for c in went.cases} == {first: 10, second: 1}
    back = courier.carry(centre, laptop, FIELD.id)
    # The centre's reply: only what the laptop lacks (its note; its sync receipts stay).
    assert {c.case_id: c.entries for c in back.cases if c.entries} == {first: 1}
    same_cases(centre, laptop, carried)
    assert centre.cases.get(second).nature == laptop.cases.get(second).nature == "kayak"
    assert laptop.check().ok and centre.check().ok
    before = dump(laptop), dump(centre)
    courier.carry(laptop, centre, ETEL.id)  # nothing new either way
    courier.carry(centre, laptop, FIELD.id)
    after = dump(laptop), dump(centre)
    assert [r for r in after[0] if not r.startswith(("packages", "sync_"))] == [
        r for r in before[0] if not r.startswith(("packages", "sync_"))
    ]
    assert [r for r in after[1] if not r.startswith(("packages", "sync_"))] == [
        r for r in before[1] if not r.startswith(("packages", "sync_"))
    ]


def test_a_file_carries_the_names_and_personal_notes_checked_and_accounted_for(
    centre, laptop, carried, courier
):
    first = carried[0]
    (person,) = laptop.persons.add(first, {"name": "Touré", "status": "rescued"},
                                   author="team").persons  # fmt: skip
    (note,) = laptop.privacy.append_note(first, "Touré: diabetic", author="team").entries
    path = courier.write(laptop, ETEL.id)
    document = json.loads(path.read_text())
    (case,) = [c for c in document["cases"] if c["case_id"] == first]
    assert {item["entry_id"] for item in case["body"]["personal"]} >= {note}
    import_sync_file(centre, path, author="op")
    assert centre.persons.register(first).persons[0].personal_values()["name"] == "Touré"
    assert centre.privacy.content(note).text == "Touré: diabetic"
    (sent,) = laptop.privacy.disclosures(first)
    assert sent.kind == "export" and document["header"]["bundle_id"] in sent.recipient
    assert set(sent.subjects) == {person, f"entry:{note}"}
    assert centre.check().ok


def test_a_personal_note_altered_in_a_file_is_refused(centre, laptop, carried, courier, keys_dir):
    first = carried[0]
    laptop.privacy.append_note(first, "Touré: diabetic", author="team")
    document = export_sync(laptop, to=ETEL.id, keys=_keys(laptop, keys_dir))
    (case,) = [c for c in document["cases"] if c["case_id"] == first]
    case["body"]["personal"][0]["text"] = "Touré: not diabetic"
    document.pop("signature")
    path = courier.folder / "altered.sarsync"
    write_sync_file(path, sign_package(document, _keys(laptop, keys_dir)))  # signed again
    before = dump(centre)
    with pytest.raises(SyncError, match="does not match its commitment"):
        import_sync_file(centre, path, author="op")
    assert dump(centre) == before


def test_a_conflict_carried_by_files_is_held_on_both_desks(centre, laptop, carried, courier):
    case_id = carried[0]
    laptop.cases.set_field(case_id, "pob", "5", author="team")
    centre.cases.set_field(case_id, "pob", "6", author="smc")
    courier.carry(laptop, centre, ETEL.id)  # the centre meets both changes: keeps its 6
    courier.carry(centre, laptop, FIELD.id)  # the laptop meets the centre's record: keeps 5
    assert (laptop.cases.get(case_id).pob, centre.cases.get(case_id).pob) == (5, 6)
    assert [(c.here, c.there) for c in open_conflicts(laptop, case_id)] == [(5, 6)]
    assert [(c.here, c.there) for c in open_conflicts(centre, case_id)] == [(6, 5)]
    (mine,) = open_conflicts(laptop, case_id)
    assert mine.here_by.startswith("team, ") and mine.there_by.startswith("smc, ")
    courier.carry(laptop, centre, ETEL.id)
    assert centre.cases.get(case_id).pob == 6  # still held: an officer decides
    same_cases(centre, laptop, carried, differ=("pob",))


def test_a_lost_file_is_made_good_by_the_next_and_an_old_one_changes_nothing(
    centre, laptop, carried, courier
):
    case_id = carried[0]
    laptop.log.append(case_id, "Team: first leg", author="team")
    lost = courier.write(laptop, ETEL.id)  # never reaches the centre…
    laptop.log.append(case_id, "Team: second leg", author="team")
    courier.carry(laptop, centre, ETEL.id)  # …the next file carries both entries
    texts = [e.text for e in centre.log.entries(case_id)]
    assert "Team: first leg" in texts and "Team: second leg" in texts
    before = dump(centre)
    late = import_sync_file(centre, lost, author="op")  # the lost file turns up after all
    assert all(c.is_empty for c in late.cases)
    assert [r for r in dump(centre) if not r.startswith(("packages", "sync_peers"))] == [
        r for r in before if not r.startswith(("packages", "sync_peers"))
    ]
    again = import_sync_file(centre, lost, author="op")
    assert again.already_imported
    same_cases(centre, laptop, carried)
    assert centre.check().ok


def test_a_file_from_a_desk_this_desk_does_not_trust_changes_nothing(
    centre, laptop, carried, courier, tmp_path
):
    laptop.log.append(carried[0], "Team: genuine", author="team")
    genuine = json.loads(courier.write(laptop, ETEL.id).read_bytes())
    document = json.loads(json.dumps(genuine))
    document["cases"][0]["body"]["log"][0]["text"] = "Team: forged"
    forged = tmp_path / "forged.sarsync"
    forged.write_bytes(json.dumps(document).encode())  # altered after signing
    before = dump(centre)
    with pytest.raises(PackageError, match="invalid signature"):
        import_sync_file(centre, forged, author="op")
    forger = DeskKeys.generate(FIELD)  # signed again, by a key the centre does not trust
    forged.write_bytes(json.dumps(sign_package(document, forger)).encode())
    with pytest.raises(PackageError, match="hash does not match its content"):
        import_sync_file(centre, forged, author="op")
    forged.write_bytes(json.dumps(sign_package(genuine, forger)).encode())  # content intact
    with pytest.raises(PackageError, match="not from a desk this desk trusts"):
        import_sync_file(centre, forged, author="op")
    assert dump(centre) == before


def test_a_laptops_file_writes_only_the_cases_it_was_given(centre, laptop, carried, courier):
    centre.sync.withdraw(FIELD.id, [carried[1]], author="smc")
    laptop.log.append(carried[0], "Team: given case", author="team")
    laptop.log.append(carried[1], "Team: withdrawn case", author="team")
    result = courier.carry(laptop, centre, ETEL.id)
    assert result.refused == (carried[1],)
    assert "Team: given case" in [e.text for e in centre.log.entries(carried[0])]
    assert "Team: withdrawn case" not in [e.text for e in centre.log.entries(carried[1])]


def test_a_file_for_another_desk_is_refused(centre, laptop, carried, courier, tmp_path,
                                            empty_desk_file, keys_dir):  # fmt: skip
    path = tmp_path / "other-centre.sqlite"
    shutil.copyfile(empty_desk_file, path)
    laptop.log.append(carried[0], "Team: for Etel", author="team")
    sent = courier.write(laptop, ETEL.id)
    with named_desk(path, Rcc("MRCC-ETEL", "a copy"), keys_dir) as other:
        keyring.trust_key(other, _keys(laptop, keys_dir).as_peer(), author="x")
        before = dump(other)
        with pytest.raises(PackageError, match="for another desk"):
            import_sync_file(other, sent, author="op")
        assert dump(other) == before
