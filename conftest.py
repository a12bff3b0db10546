"""Root test configuration: Qt must never look for a display in tests, and no test hangs."""

import faulthandler
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# pytest-timeout's own alarm is a Python thread: it needs the GIL, and a deadlock where the
# GUI thread holds the GIL while it waits for a Qt lock (seen once) never lets it run. This
# watchdog is faulthandler's C thread, which needs no GIL: a minute after pytest-timeout should
# have fired it prints every thread's stack and ends the run, so CI fails instead of hanging.
_WATCHDOG_GRACE_S = 60
_STDERR: list = []  # the terminal's stderr, not pytest's capture of fd 2 (lost on exit)


def pytest_configure(config: pytest.Config) -> None:
    capture = config.pluginmanager.getplugin("capturemanager")
    err = getattr(getattr(capture, "_global_capturing", None), "err", None)
    _STDERR.append(os.fdopen(os.dup(getattr(err, "targetfd_save", 2)), "w"))


@pytest.fixture(autouse=True)
def _hang_watchdog(request: pytest.FixtureRequest):
    marker = request.node.get_closest_marker("timeout")
    limit = marker.args[0] if marker and marker.args else request.config.getini("timeout")
    seconds = float(limit or 120) + _WATCHDOG_GRACE_S
    faulthandler.dump_traceback_later(seconds, exit=True, file=_STDERR[0])
    yield
    faulthandler.cancel_dump_traceback_later()
