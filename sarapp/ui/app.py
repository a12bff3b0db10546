"""Start the desk: parse the command line, open the database, show the main window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from sarapp import __version__
from sarapp.demo import create_demo_case
from sarapp.errors import SarappError
from sarapp.paths import default_location
from sarapp.resources import resource_path
from sarapp.store import Desk
from sarapp.ui import settings
from sarapp.ui.desk_session import open_desk as session_open_desk
from sarapp.ui.main_window import MainWindow
from sarapp.ui.open_desk_dialog import DeskLocation, OpenDeskDialog, desk_location


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="sarapp-gui", description="sarapp desk")
    parser.add_argument(
        "--db",
        metavar="LOCATION",
        help="the desk: a database file (default: in the user data folder, or $SARAPP_DB), or "
        "an RCC server: postgresql://user@host/db, 'host=… dbname=…' or service=NAME "
        "(the password from ~/.pgpass, never given here)",
    )
    parser.add_argument("--version", action="version", version=f"sarapp {__version__}")
    parser.add_argument(
        "--quit-after",
        type=float,
        metavar="SECONDS",
        help="close the window after SECONDS (smoke tests of a bundle)",
    )
    return parser.parse_args(argv)


def start_location(args: argparse.Namespace) -> DeskLocation:
    """``--db``, else ``$SARAPP_DB``, else the desk file in the user's data folder; a server
    location is kept as text (a Path would fold its ``//``)."""
    return desk_location(args.db or default_location())


def open_desk(location: DeskLocation) -> Desk | None:
    """Open the desk, offering another one (a file or a server) when it cannot be used;
    None to quit. A file that is locked, unreadable or not a sarapp desk is never
    overwritten. (Before the window shows: connecting to a server blocks nothing yet.)"""
    while True:
        try:
            store = session_open_desk(location)
        except SarappError as exc:
            box = QMessageBox(QMessageBox.Icon.Critical, "Cannot open the desk", str(exc))
            choose = box.addButton("Open another desk…", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not choose:
                return None
            dialog = OpenDeskDialog(location)
            if not dialog.exec() or dialog.location() is None:
                return None
            location = dialog.location()
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
    store = open_desk(start_location(args))
    if store is None:
        return 1
    settings.remember_desk(str(store.address))
    window = MainWindow(store)
    window.show()
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), window.close)
    code = app.exec()
    window.store.close()
    return code
