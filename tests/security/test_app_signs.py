"""What the app writes in a worker is signed with the desk's key, as what the officer types.

Before: the app's workers (a handover import, an alert or AIS/DSC file, the outbox's
deliveries, the purges) opened the desk without its key, so every entry they wrote was
"written without the desk's key" and vouched for only later, by a full checkpoint.
"""

from __future__ import annotations

from pathlib import Path

from sarapp.exchange.desk_signer import attach_checkpoint_signer
from sarapp.store import Desk
from sarapp.ui import imports
from sarapp.ui.desk_session import open_desk
from sarapp.ui.main_window import MainWindow

from .conftest import Rccs, ok, run, send_a_to_b

DATA = Path(__file__).parent.parent / "data"


def _unvouched(out: str) -> list[str]:
    return [line for line in out.splitlines() if "without the desk's key" in line
            or "could not be extended" in line]  # fmt: skip


def test_a_handover_imported_in_the_app_is_signed(qtbot, capsys, rccs: Rccs) -> None:
    from sarapp.ui.handover_dialog import HandoverDialog

    r = rccs
    ok(capsys, *r.on_b("handover", "import", str(send_a_to_b(capsys, r))))
    assert run(capsys, "--db", str(r.a), "log", "add", r.case_id, "Lifeboat on scene")[0] == 0
    later = send_a_to_b(capsys, r, "later.sarpkg")
    with Desk.open(r.b) as b:
        assert attach_checkpoint_signer(b, r.keys_b) is not None  # as the app opens its desk
        dialog = HandoverDialog(b, None, keys_dir=r.keys_b)
        qtbot.addWidget(dialog)
        importer = dialog.importer
        with qtbot.waitSignal(importer.preview_shown, timeout=20000):
            importer.load_package(later)
        with qtbot.waitSignal(importer.changes_made, timeout=20000):
            importer.import_now()
    code, out, err = run(capsys, *r.on_b("db", "check"))
    assert code == 0 and not _unvouched(out), out + err


def test_an_alert_file_imported_in_the_app_is_signed(qtbot, capsys, tmp_path: Path) -> None:
    desk = tmp_path / "desk.sqlite"
    ok(capsys, "--db", str(desk), "case", "new", "--title", "FV Marie-Jo")  # a desk with its key
    window = MainWindow(open_desk(str(desk)))
    qtbot.addWidget(window)
    imports.import_alert_file(window, DATA / "ais" / "sample.nmea")
    qtbot.waitUntil(lambda: hasattr(window, "last_ais_report"), timeout=20000)
    assert window.last_ais_report.alerts_opened == 2
    window.close()  # its live feed and timers stop before its desk closes
    qtbot.wait(200)  # and what the feed had already sent is applied
    window.store.close()
    code, out, err = run(capsys, "--db", str(desk), "db", "check")
    assert code == 0 and not _unvouched(out), out + err
