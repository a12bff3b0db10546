"""Start the desk: parse the command line, open the database, show the main window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from sarapp import __version__
from sarapp.demo import create_demo_case
from sarapp.errors import SarappError
from sarapp.exchange.desk_signer import attach_checkpoint_signer
from sarapp.paths import default_db_path
from sarapp.resources import resource_path
from sarapp.store import Desk
from sarapp.ui.main_window import MainWindow


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="sarapp-gui", description="sarapp desk")
    parser.add_argument("--db", type=Path, help="desk database file (default: user data folder)")
    parser.add_argument("--version", action="version", version=f"sarapp {__version__}")
    parser.add_argument(
        "--quit-after",
        type=float,
        metavar="SECONDS",
        help="close the window after SECONDS (smoke tests of a bundle)",
    )
    return parser.parse_args(argv)


def open_desk(path: Path) -> Desk | None:
    """Open the desk, offering another file when this one cannot be used; None to quit.

    A file that is locked, unreadable or not a sarapp desk is never overwritten.
    """
    while True:
        try:
            store = Desk.open(path)
            attach_checkpoint_signer(store)  # the desk's key signs; without it, it still opens
        except SarappError as exc:
            box = QMessageBox(QMessageBox.Icon.Critical, "Cannot open the desk", str(exc))
            choose = box.addButton("Choose another file…", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not choose:
                return None
            chosen, _ = QFileDialog.getSaveFileName(
                None,
                "Open or create a desk",
                str(path.parent),
                "sarapp desk (*.sqlite *.db);;All files (*)",
                options=QFileDialog.Option.DontConfirmOverwrite,
            )
            if not chosen:
                return None
            path = Path(chosen)
            continue
        if store.created:
            create_demo_case(store)
        return store


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("sarapp")
    app.setOrganizationName("sarapp")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource_path("icons/sarapp.svg"))))
    store = open_desk(args.db or default_db_path())
    if store is None:
        return 1
    window = MainWindow(store)
    window.show()
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), window.close)
    code = app.exec()
    window.store.close()
    return code
