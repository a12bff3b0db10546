"""``sarapp log follow CASE --json``: another process's entry comes out as one JSON line, on a
desk file and on a server desk; Ctrl-C ends it quietly."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys

import pytest

from sarapp.cli import main


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, desk_path) -> str:
    return str(desk_path) if request.param == "sqlite" else request.getfixturevalue("pg_desk")


def _sarapp(*args: str) -> list[str]:
    return [sys.executable, "-m", "sarapp.cli", *args]


def _with_sigint_ignored() -> None:
    """As a shell's background job starts a command (and some CI runners do)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_log_follow_prints_another_processs_entry_as_one_json_line(location, capsys):
    assert main(["--db", location, "case", "new", "--title", "FV Marie-Jo"]) == 0
    assert main(["--db", location, "log", "add", "2026-0001", "before following"]) == 0
    follow = subprocess.Popen(
        _sarapp("--db", location, "log", "follow", "2026-0001", "--json"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_with_sigint_ignored,
    )
    try:
        ready = follow.stderr.readline()
        assert ready.startswith("following case 2026-0001 on "), ready
        typed = ["log", "add", "2026-0001", "Dragon 13 on scene", "--author", "op2"]
        added = subprocess.run(
            _sarapp("--db", location, *typed),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert added.returncode == 0, added.stderr
        line = follow.stdout.readline()
        entry = json.loads(line)
        assert (entry["text"], entry["author"], entry["seq"]) == ("Dragon 13 on scene", "op2", 3)
        assert entry["written_by"] == (None if location.endswith(".sqlite") else "postgres")
        follow.send_signal(signal.SIGINT)
        out, err = follow.communicate(timeout=30)
        assert follow.returncode == 0 and out == "" and "Traceback" not in err
    finally:
        if follow.poll() is None:
            follow.kill()
            follow.wait()


def test_log_follow_ends_quietly_on_sigterm(desk_path):
    assert main(["--db", str(desk_path), "case", "new", "--title", "FV Marie-Jo"]) == 0
    follow = subprocess.Popen(
        _sarapp("--db", str(desk_path), "log", "follow", "2026-0001"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert follow.stderr.readline().startswith("following case 2026-0001 on ")
        follow.terminate()
        out, err = follow.communicate(timeout=30)
        assert follow.returncode == 0 and out == "" and "Traceback" not in err
    finally:
        if follow.poll() is None:
            follow.kill()
            follow.wait()


class _SignalWhenFollowing(io.StringIO):
    """stderr that sends the process ``signum`` the moment the follow says it is following:
    the earliest a user (or a test, or a service manager) can know to stop it."""

    def __init__(self, signum: int) -> None:
        super().__init__()
        self.signum = signum

    def write(self, text: str) -> int:
        written = super().write(text)
        if text.startswith("following case "):
            signal.raise_signal(self.signum)
        return written


@pytest.fixture
def own_signal_handlers():
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_log_follow_stopped_right_after_it_says_following_ends_quietly(
    desk_path, monkeypatch, own_signal_handlers, signum
):
    """CI saw exit 130 and 'sarapp: interrupted' on a SIGTERM sent as soon as the line came:
    the signal landed before the follow's loop had begun to catch it."""
    assert main(["--db", str(desk_path), "case", "new", "--title", "FV Marie-Jo"]) == 0
    err = _SignalWhenFollowing(signum)
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["--db", str(desk_path), "log", "follow", "2026-0001"]) == 0
    assert "interrupted" not in err.getvalue()
