"""The Qt binding itself: defects of a PySide6 release that would take the app down."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    moved = Signal(float, float, str)


def test_emitting_signals_does_not_eat_references_to_true():
    """PySide6 6.12.0 drops a reference to ``True`` on every ``emit``: the app (two emits per
    mouse move over the chart, ~5,500 references at start) aborts with "bool_dealloc" after a
    minute of chart use, and the test suite died the same way once enough jobs had run."""
    emitter = _Emitter()
    emitter.moved.connect(lambda *_: None)
    before = sys.getrefcount(True)
    for i in range(500):
        emitter.moved.emit(1.0, float(i), "x")
    assert sys.getrefcount(True) >= before - 10  # a few may go elsewhere, never one per emit
