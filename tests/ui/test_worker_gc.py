"""Garbage cycles are collected on the GUI thread only.

Python's cycle collector runs in whichever thread happens to allocate past the threshold: a
drift job building polygons in a worker then destroyed the GUI's discarded widgets and chart
items there, off the GUI thread, and the test suite aborted, segfaulted or hung now and then
(seen in the stacks: "Garbage-collecting" in a worker inside ``areas._rings``)."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

from PySide6.QtCore import QObject

from sarapp.ui.worker import start_job


class _Cycle:
    """A garbage cycle that records the thread it is finalised on."""

    finalised_on: ClassVar[list[int]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.finalised_on.append(threading.get_ident())


def _allocating_job():
    junk = []
    for step in range(50):
        junk.append([{(i, step): [i]} for i in range(2000)])  # enough to trigger collections
        yield step / 50
    return len(junk)


def test_cycles_are_not_collected_in_a_worker(qtbot):
    gui = threading.get_ident()
    _Cycle.finalised_on.clear()
    for _ in range(20):
        _Cycle()  # garbage at once: only the cycle collector can free it
    done = []
    holder = QObject()  # the callbacks stop with the object that started the job
    start_job(holder, _allocating_job, on_finished=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=30000)
    assert set(_Cycle.finalised_on) <= {gui}  # none in the worker (before: all of them there)
    gc.collect()  # what the GUI thread's collector does on its timer
    assert _Cycle.finalised_on == [gui] * 20
