"""The plan panel on a real desk: task a unit, POS in a worker, done, exports, printed plan."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import numpy as np
import pytest

from sarapp.drift.categories import leeway_category
from sarapp.drift.engine import run_drift
from sarapp.drift.forcing import constant_forcing
from sarapp.drift.params import DriftParams
from sarapp.drift.records import keep_run
from sarapp.drift.summary import summarise
from sarapp.geo import format_ddm
from sarapp.maps.plan_layer_data import plan_shapes
from sarapp.model import Position
from sarapp.store import Desk
from sarapp.ui.plan_panel import PlanPanel

LKP_TIME = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)


def _keep_drift(store, case_id):
    params = DriftParams(
        category=1,
        lat=43.0,
        lon=9.0,
        start=LKP_TIME,
        hours=4,
        particles=1000,
        radius_m=2000.0,
        stranding=False,
    )
    forcing = constant_forcing(wind_u=0.0, wind_v=-10.0, current_u=0.2, current_v=0.0)
    summary = summarise(run_drift(params, forcing, np.random.default_rng(3), land=None))
    keep_run(
        store,
        case_id,
        category=leeway_category(1),
        forcing=forcing,
        summary=summary,
        seed=3,
        author="op",
    )


@pytest.fixture
def desk(desk_path):
    store = Desk.open(desk_path)
    lkp = Position(43.0, 9.0, time=LKP_TIME)
    (case_id,) = store.cases.create(title="Liferaft adrift", author="op", lkp=lkp).cases
    store.units.add(name="Rescue 22", unit_type="helicopter")
    store.units.add(name="ALB Ajaccio", unit_type="lifeboat")
    yield store, case_id
    store.close()


@pytest.fixture
def panel(qtbot, desk):
    store, case_id = desk
    _keep_drift(store, case_id)
    widget = PlanPanel(store, case_id)
    qtbot.addWidget(widget)
    return widget


def _task_square(qtbot, panel, unit="Rescue 22"):
    panel.unit.setCurrentText(unit)
    panel.kind.setCurrentIndex(panel.kind.findData("expanding-square"))
    panel.spacing.setValue(0.5)
    panel.legs.setValue(8)
    panel.start.setText("261700Z NOV 26")
    panel.end.setText("261900Z NOV 26")
    panel.pod.setValue(0.7)
    with qtbot.waitSignal(panel.plans_changed, timeout=20000) as changed:
        panel.task_button.click()
    (changes,) = changed.args  # the operation's Changes, for the window to apply once
    assert changes.cases == {panel.case_id} and len(changes.plans) == 1 and changes.entries
    qtbot.waitUntil(lambda: panel.worker is None and panel.pos is not None, timeout=20000)


def test_csp_defaults_to_the_datum_of_the_latest_drift(panel, desk):
    store, case_id = desk
    end = store.drift.runs(case_id)[-1].summary["datum_track"][-1]
    assert panel.csp.text() == format_ddm(end["lat"], end["lon"])  # offered in DDM
    assert [panel.unit.itemText(i) for i in range(panel.unit.count())] == [
        "ALB Ajaccio",
        "Rescue 22",
    ]
    assert not panel.done_button.isEnabled() and not panel.pdf_button.isEnabled()


def test_without_drift_the_csp_is_the_lkp(qtbot, desk):
    store, case_id = desk
    widget = PlanPanel(store, case_id)
    qtbot.addWidget(widget)
    assert widget.csp.text() == "43°00.000'N 009°00.000'E"


def test_tasking_shows_pod_and_pos_computed_in_a_worker(qtbot, panel, desk):
    store, case_id = desk
    _task_square(qtbot, panel)
    (plan,) = store.plans.for_case(case_id)
    assert plan.unit_name == "Rescue 22" and plan.pod == 0.7 and plan.params["legs"] == 8
    assert store.log.entries(case_id)[-1].text.startswith(
        "Rescue 22 tasked: expanding square search"
    )
    cells = [panel.table.item(0, c).text() for c in range(panel.table.columnCount())]
    assert cells[0] == "Rescue 22" and cells[3] == "planned" and cells[4] == "70%"
    assert cells[5] == f"{panel.pos.plans[0].pos:.1%}" and panel.pos.plans[0].pos > 0
    assert "Cumulative POS of searches done: 0.0%" in panel.summary.text()
    assert panel.table.selectionModel().selectedRows()[0].row() == 0
    # What the chart draws for it.
    (shape,) = plan_shapes(store.plans.for_case(case_id))
    assert shape.label == "Rescue 22 SS POD 70%" and len(shape.track) == 9


def test_mark_done_moves_its_pos_into_the_cumulative_pos(qtbot, panel, desk):
    store, case_id = desk
    _task_square(qtbot, panel)
    first_pos = panel.pos.plans[0].pos
    panel.select_plan(store.plans.for_case(case_id)[0].id)
    panel.pos = None
    panel.done_button.click()
    qtbot.waitUntil(lambda: panel.worker is None and panel.pos is not None, timeout=20000)
    assert store.plans.for_case(case_id)[0].status == "done"
    assert panel.pos.cumulative_pos == pytest.approx(first_pos)
    assert f"Cumulative POS of searches done: {first_pos:.1%}" in panel.summary.text()
    assert not panel.done_button.isEnabled()  # a search done stays done


def test_bad_csp_is_named_and_nothing_is_tasked(panel, desk):
    store, case_id = desk
    panel.unit.setCurrentText("Rescue 22")
    panel.csp.setText("95N 9E")
    panel.task_button.click()
    assert "latitude" in panel.error.text().lower()
    assert store.plans.for_case(case_id) == []


def test_routes_export_and_parse_back(qtbot, panel, tmp_path):
    _task_square(qtbot, panel)
    gpx = panel.export_route("gpx", tmp_path / "r22.gpx")
    rtz = panel.export_route("rtz", tmp_path / "r22.rtz")
    points = ET.parse(gpx).getroot().findall(".//{*}rtept")
    assert len(points) == 9 and points[0].find("{*}name").text == "CSP"
    assert len(ET.parse(rtz).getroot().findall(".//{*}waypoint")) == 9


def test_search_action_plan_prints_to_an_a4_pdf(qtbot, panel, tmp_path):
    _task_square(qtbot, panel)
    path = panel.print_action_plan(tmp_path / "sap.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    pages = re.findall(rb"/Type\s*/Page\b", data)
    assert 1 <= len(pages) <= 3
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595(\.\d+)? 842(\.\d+)?\s*\]", data)
    assert "SEARCH ACTION PLAN".encode("utf-16-be") in data  # the document title
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed: text of the PDF not checked")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "SEARCH ACTION PLAN — Rescue 22",
        "Pattern: Expanding square (SS)",
        "Track spacing: 0.5 NM",
        "On scene: from 261700Z NOV 26 to 261900Z NOV 26",
        "in the area: 70%",
        "Wind 000° 19 kt",
        "PIW-1",
        "COMMUNICATIONS",
    ):
        assert expected in text, expected
