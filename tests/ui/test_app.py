from sarapp.model import AlertPhase
from sarapp.ui.app import open_desk


def test_first_start_creates_the_desk_with_one_marked_demo_case(tmp_path, qapp):
    path = tmp_path / "data" / "desk.sqlite"
    store = open_desk(path)
    (case,) = store.cases.list()
    assert case.is_demo and "DEMO" in case.title
    assert case.phase is AlertPhase.ALERFA and case.lkp is not None
    assert len(store.cases.positions(case.id)) == 2
    assert store.check().ok
    store.close()
    again = open_desk(path)  # the second start adds nothing
    assert len(again.cases.list()) == 1
    again.close()
