"""The Persons tab (counts at the top, the table, a quick status change, many at once, a CSV
of a mass rescue), the counts in the case list, the personal tick at the entry line, the
outcome chosen when a case is closed, the place of safety in the details, and the desk's
retention period; on a desk file and on a server desk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from sarapp.model import CaseId
from sarapp.store import Desk
from sarapp.ui.persons_model import STATUS_COLUMN


@pytest.fixture(params=["sqlite", "postgresql"])
def desk(request, desk_path: Path) -> str:
    """Where the desk is: a file, or a server desk (the app opens either)."""
    return str(desk_path) if request.param == "sqlite" else request.getfixturevalue("pg_desk")


def mass_rescue(desk: str) -> CaseId:
    with Desk.open(desk) as store:
        (case_id,) = store.cases.create(title="Rubber boat, 60 POB", author="op",
                                       phase="DETRESFA").cases  # fmt: skip
        store.persons.set_counts(case_id, {"on_board": 60, "rescued": 52, "missing": 8},
                                 author="op")  # fmt: skip
        for name, status in (("Amadou Touré", "rescued"), ("Aïcha Bello", "rescued"),
                             ("man, red jacket", "missing")):  # fmt: skip
            store.persons.add(case_id, {"name": name, "status": status}, author="op")
    return case_id


def test_the_tab_shows_counts_and_records_and_changes_a_status_in_place(qtbot, desk, open_window):
    case_id = mass_rescue(desk)
    window = open_window(desk)
    window.case_list.select(case_id)
    panel = window.persons_panel
    text = panel.counts_label.text()
    assert "On board <b>60</b>" in text and "Rescued <b>52</b>" in text
    assert "3 recorded one by one, 57 counted by hand" in text
    assert [panel.model.text(p, "name") for p in panel.model.persons] == [
        "Amadou Touré", "Aïcha Bello", "man, red jacket"]  # fmt: skip
    # the quick change: the status cell takes a status from its list
    index = panel.proxy.index(2, STATUS_COLUMN)
    assert panel.proxy.flags(index) & Qt.ItemFlag.ItemIsEditable
    panel.proxy.setData(index, "rescued", Qt.ItemDataRole.EditRole)
    assert panel.model.persons[2].status == "rescued"
    assert "Rescued <b>53</b>" in panel.counts_label.text()
    assert window.case_log.model.entries[-1].text.startswith("Status of 1 person set to rescued")
    # the case list counts follow
    row = [c.id for c in window.case_list.model.cases].index(case_id)
    assert window.case_list.model.index(row, 2).data() == "60: 53R 7M"
    # showing the names was recorded, once
    assert [d.kind for d in window.store.privacy.disclosures(case_id)] == ["display"]


def test_the_status_of_many_at_once(qtbot, desk, open_window):
    case_id = mass_rescue(desk)
    window = open_window(desk)
    window.case_list.select(case_id)
    panel = window.persons_panel
    panel.table.selectAll()
    panel.bulk_status.setCurrentIndex(panel.bulk_status.findData("dead"))
    panel.bulk_button.click()
    assert {p.status for p in panel.model.persons} == {"dead"}
    assert window.store.persons.counts(case_id).total["dead"] == 3


def test_a_mass_rescue_csv_imports_and_a_bad_one_is_named(qtbot, desk, open_window, tmp_path):
    case_id = mass_rescue(desk)
    window = open_window(desk)
    window.case_list.select(case_id)
    good = tmp_path / "boat2.csv"
    good.write_text("name;status\nKofi;rescued\nAma;rescued\n", encoding="utf-8")
    window.persons_panel.import_csv(good)
    assert len(window.persons_panel.model.persons) == 5
    bad = tmp_path / "boat3.csv"
    bad.write_text("name,age\nYaw,old\n", encoding="utf-8")
    window.persons_panel.import_csv(bad)
    assert window.last_error.startswith("boat3.csv: line 2: Age: 'old'")
    assert len(window.persons_panel.model.persons) == 5


def test_a_personal_entry_and_the_outcome_of_closing(qtbot, desk, open_window):
    case_id = mass_rescue(desk)
    window = open_window(desk)
    window.case_list.select(case_id)
    window.case_log.personal_check.setChecked(True)
    window.case_log.quick_entry.setText("Touré's wife called from Bamako")  # (keyClicks: ASCII)
    qtbot.keyClick(window.case_log.quick_entry, Qt.Key.Key_Return)
    last = window.case_log.model.entries[-1]
    assert last.text == "Personal note"
    assert window.case_log.model.shown(last) == "Personal note: Touré's wife called from Bamako"
    assert not window.case_log.personal_check.isChecked()  # one entry at a time
    window.close_case("all accounted for", "rescued")
    case = window.store.cases.get(case_id)
    assert (case.status.value, case.outcome) == ("closed", "rescued")
    assert "closed (persons rescued)" in window.case_form.status_line.text()


def test_the_place_of_safety_is_in_the_case_details(qtbot, desk, open_window):
    case_id = mass_rescue(desk)
    window = open_window(desk)
    window.case_list.select(case_id)
    editor = window.case_form.editors["port_assigned"]
    assert editor.parent().objectName() == "disembarkation"
    editor.edit.setText("Pozzallo")
    editor.edit.editingFinished.emit()
    assert window.store.cases.get(case_id).port_assigned == "Pozzallo"
    eta = window.case_form.editors["disembark_eta"]
    eta.edit.setText("not a time")
    eta.edit.editingFinished.emit()
    assert (
        eta.error.isVisibleTo(window.case_form)
        and window.store.cases.get(case_id).disembark_eta is None
    )


def test_the_retention_period_and_the_purge_from_the_app(qtbot, desk, open_window):
    case_id = mass_rescue(desk)
    window = open_window(desk)
    window.case_list.select(case_id)
    window.close_case("done", "rescued")
    dialog = window.open_data_protection()
    qtbot.addWidget(dialog)
    dialog.enabled.setChecked(True)
    dialog.days.setValue(0)
    dialog.save()
    assert window.store.privacy.retention_days() == 0
    assert "2026" in dialog.due.text() or "closed cases due" in dialog.due.text()
    worker = dialog.start_purge()
    assert worker is not None
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=10000)
    assert "purged" in dialog.status.text()
    assert {p.name for p in window.store.persons.register(case_id).persons} == {"[purged]"}
    assert window.store.check().ok


def test_the_app_keeps_the_retention_period_by_itself(qtbot, desk, open_window):
    """A desk whose period has run for a closed case: the app purges it at start, in a
    worker, logged under the operator's name; an open case is left alone."""
    case_id = mass_rescue(desk)
    with Desk.open(desk) as store:
        (still_open,) = store.cases.create(title="Still searching", author="op").cases
        store.persons.add(still_open, {"name": "Kofi Annan"}, author="op")
        store.cases.set_status(case_id, "closed", author="op", outcome="rescued")
        store.privacy.set_retention_days(0)
    window = open_window(desk)
    qtbot.waitUntil(
        lambda: window.store.persons.person("P1", case_ref=case_id).name == "[purged]",
        timeout=10000,
    )
    qtbot.waitUntil(lambda: window.retention_keeper.worker is None, timeout=10000)
    assert window.store.log.entries(case_id)[-1].author == "Watch officer Tester"
    assert window.store.persons.person("P1", case_ref=still_open).name == "Kofi Annan"
    assert window.retention_keeper.purge_due() is not None  # a later round: nothing is due
    qtbot.waitUntil(lambda: window.retention_keeper.worker is None, timeout=10000)
    assert window.store.check().ok
