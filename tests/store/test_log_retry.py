"""An append that is sent again under the id of an attempt whose answer was lost (the
connection dropped during the commit) is stored once, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from sarapp.model import new_id
from sarapp.privacy import PrivacyError
from sarapp.store import CaseError, Desk


@pytest.fixture(params=["sqlite", "postgresql"])
def desk(request, desk_path: Path):
    location = str(desk_path) if request.param == "sqlite" else request.getfixturevalue("pg_desk")
    with Desk.open(location) as opened:
        yield opened


def test_an_entry_sent_again_under_its_id_is_stored_once(desk: Desk) -> None:
    (case_id,) = desk.cases.create(title="Yacht LUNA dismasted", author="op1").cases
    entry_id = new_id()
    first = desk.log.append(case_id, "Rescue 169 on scene", author="op1", entry_id=entry_id)
    assert first.entries == (entry_id,)
    again = desk.log.append(case_id, " Rescue 169 on scene ", author="op1", entry_id=entry_id)
    assert again.entries == () and not again.cases
    texts = [e.text for e in desk.log.entries(case_id)]
    assert texts.count("Rescue 169 on scene") == 1
    assert desk.log.entry(entry_id).text == "Rescue 169 on scene"
    assert desk.check().ok


def test_an_id_of_another_entry_or_not_a_uuid_is_refused(desk: Desk) -> None:
    (case_id,) = desk.cases.create(title="Yacht LUNA dismasted", author="op1").cases
    entry_id = new_id()
    desk.log.append(case_id, "Rescue 169 on scene", author="op1", entry_id=entry_id)
    with pytest.raises(CaseError, match="another entry's"):
        desk.log.append(case_id, "Rescue 169 winching", author="op1", entry_id=entry_id)
    (other,) = desk.cases.create(title="FV Marie-Jo", author="op1").cases
    with pytest.raises(CaseError, match="another entry's"):
        desk.log.append(other, "Rescue 169 on scene", author="op1", entry_id=entry_id)
    with pytest.raises(CaseError, match="not a UUID"):
        desk.log.append(case_id, "Rescue 169 winching", author="op1", entry_id="1; DROP")
    assert [e.text for e in desk.log.entries(other)][1:] == []


def test_a_personal_note_sent_again_under_its_id_is_stored_once(desk: Desk) -> None:
    (case_id,) = desk.cases.create(title="Yacht LUNA dismasted", author="op1").cases
    entry_id = new_id()
    text = "Skipper's wife called: +33 6 00 00 00 00"
    (stored,) = desk.privacy.append_note(case_id, text, author="op1", entry_id=entry_id).entries
    again = desk.privacy.append_note(case_id, text, author="op1", entry_id=entry_id)
    assert stored == entry_id and again.entries == ()
    assert [c.text for c in desk.privacy.contents(case_id).values()] == [text]
    with pytest.raises(PrivacyError, match="another entry's"):
        desk.privacy.append_note(case_id, "another note", author="op1", entry_id=entry_id)
    assert desk.check().ok
