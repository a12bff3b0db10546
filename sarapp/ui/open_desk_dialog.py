"""File → Open desk: a desk file on this computer, or an RCC's desk on a PostgreSQL server;
and the recent desks of the File menu.

A server is given as a URI, libpq keywords or a service name (``sarapp.store.pg.location``).
Its password is never typed here nor stored: libpq reads it from ``~/.pgpass`` (or
``$PGPASSFILE``) or the service file, and a location holding one is refused at the field.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sarapp.store import StoreError
from sarapp.store.pg.location import describe_location, is_server_location, parse_location
from sarapp.ui import settings

DeskLocation = str | Path  # a server location, or a desk file
SERVER_EXAMPLES = "postgresql://officer1@rcc-db/sar   ·   host=rcc-db dbname=sar   ·   service=rcc"
PASSWORD_HELP = (
    "The password is never typed into sarapp nor stored by it: the server's client library "
    "reads it from ~/.pgpass (or $PGPASSFILE), or the service's entry in pg_service.conf."
)


def desk_location(text: str | Path) -> DeskLocation:
    """``--db``, ``$SARAPP_DB`` or a recent desk as what ``Desk.open`` takes: a server
    location stays text (a Path would fold its ``//``), anything else is a file path."""
    if isinstance(text, Path):
        return text
    return text.strip() if is_server_location(text) else Path(text)


def desk_name(location: DeskLocation) -> str:
    """How a desk is named in the File menu and the window title: the file's name, or the
    server, database and login (never a password)."""
    if isinstance(location, Path):
        return location.name
    return describe_location(location)


def server_location(text: str) -> str:
    """``text`` checked as a server location; StoreError (one line) if it is not one or holds
    a password."""
    text = text.strip()
    if not text or not is_server_location(text):
        raise StoreError(
            "not a PostgreSQL location: give a URI (postgresql://user@host/database), "
            "libpq keywords (host=… dbname=… user=…) or service=NAME"
        )
    parse_location(text)  # PgStoreError for a password, or malformed keywords
    return text


class OpenDeskDialog(QDialog):
    """Choose a desk file or an RCC server; ``location()`` after ``accept``."""

    def __init__(self, current: DeskLocation | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open desk")
        self.setMinimumWidth(620)
        self.file_choice = QRadioButton("A desk &file on this computer")
        self.server_choice = QRadioButton("An RCC &server (PostgreSQL)")
        group = QButtonGroup(self)
        group.addButton(self.file_choice)
        group.addButton(self.server_choice)
        self.file_path = QLineEdit(placeholderText="desk.sqlite (created if it does not exist)")
        self.file_path.setObjectName("desk_file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.server = QLineEdit(placeholderText=SERVER_EXAMPLES)
        self.server.setObjectName("desk_server")
        self.server.setToolTip(PASSWORD_HELP)
        help_line = QLabel(f"{SERVER_EXAMPLES}<br><small>{PASSWORD_HELP}</small>")
        help_line.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("open_desk_error")
        self.error.setStyleSheet("color: #d93025;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        grid = QGridLayout()
        grid.addWidget(self.file_choice, 0, 0, 1, 2)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_path, 1)
        file_row.addWidget(browse)
        grid.addLayout(file_row, 1, 1)
        grid.addWidget(self.server_choice, 2, 0, 1, 2)
        grid.addWidget(self.server, 3, 1)
        grid.addWidget(help_line, 4, 1)
        grid.setColumnMinimumWidth(0, 16)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        if isinstance(current, str):
            self.server.setText(current)
            self.server_choice.setChecked(True)
        else:
            self.file_path.setText(str(current or ""))
            self.file_choice.setChecked(True)
        self.file_path.textEdited.connect(lambda _t: self.file_choice.setChecked(True))
        self.server.textEdited.connect(lambda _t: self.server_choice.setChecked(True))
        self._location: DeskLocation | None = None

    def location(self) -> DeskLocation | None:
        return self._location

    def accept(self) -> None:
        """Refuse a location that cannot be a desk at the field, with the reason."""
        try:
            if self.server_choice.isChecked():
                self._location = server_location(self.server.text())
            elif self.file_path.text().strip():
                self._location = Path(self.file_path.text().strip()).expanduser()
            else:
                raise StoreError("give the desk file's name, or choose Browse…")
        except StoreError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()

    def _browse(self) -> None:
        start = self.file_path.text().strip() or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Open or create a desk file",
            start,
            "sarapp desk (*.sqlite *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.file_path.setText(path)
            self.file_choice.setChecked(True)


def fill_recent_menu(menu: QMenu, open_location: Callable[[DeskLocation], object]) -> None:
    """The File menu's recent desks, newest first (rebuilt each time it is shown)."""
    menu.clear()
    recent = settings.recent_desks()
    if not recent:
        menu.addAction("(none yet)").setEnabled(False)
        return
    for index, text in enumerate(recent, start=1):
        location = desk_location(text)
        where = "server" if isinstance(location, str) else "file"
        action = menu.addAction(f"&{index} {desk_name(location)} ({where})")
        action.setToolTip(str(location))
        action.triggered.connect(lambda _checked=False, loc=location: open_location(loc))


__all__ = [
    "DeskLocation",
    "OpenDeskDialog",
    "desk_location",
    "desk_name",
    "fill_recent_menu",
    "server_location",
]
