"""GUI test fixtures: settings in a temporary folder, a main window on a real desk file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from sarapp.store import Desk
from sarapp.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    """QSettings (operator name, geometry) go to this test's folder, never the user's."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "cfg"))
    QSettings("sarapp", "sarapp").setValue("operator/name", "Watch officer Tester")
    yield


@pytest.fixture
def open_window(qtbot):
    """Open a main window on ``path``; the windows are closed with the test."""
    windows = []

    def opener(path):
        window = MainWindow(Desk.open(path))
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield opener
    for window in windows:
        window.store.close()
