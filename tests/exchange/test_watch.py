"""Transport extras: a watched inbox folder, and the HTTP inbox importing into the desk."""

from __future__ import annotations

import json
import threading

import pytest

from sarapp.exchange.inbox import TransportError, make_inbox_server, send
from sarapp.exchange.watch import import_folder, watch_folder

from .helpers import as_bytes, copy, export, resign


@pytest.fixture(autouse=True)
def _rccs_trust_each_other(keys_b) -> None:
    """A and B have trusted each other's keys (``keys_b`` sets that up)."""


def test_a_folder_is_imported_and_emptied(desk, desk_b, keys_a, tmp_path) -> None:
    store, case_id = desk
    drop = tmp_path / "usb"
    drop.mkdir()
    (drop / "case.sarpkg").write_bytes(as_bytes(export(store, case_id, keys_a)))
    (drop / "junk.sarpkg").write_bytes(b"not a package")
    (drop / "notes.txt").write_text("left alone")
    handled = {h.name: h for h in import_folder(desk_b, drop, author="opB")}
    assert set(handled) == {"case.sarpkg", "junk.sarpkg"}
    assert handled["case.sarpkg"].result.created
    assert handled["case.sarpkg"].moved_to == drop / "processed" / "case.sarpkg"
    assert (
        handled["junk.sarpkg"].result is None and "not valid JSON" in handled["junk.sarpkg"].reason
    )
    assert (drop / "refused" / "junk.sarpkg.reason.txt").read_text().startswith("package is not")
    assert sorted(p.name for p in drop.iterdir()) == ["notes.txt", "processed", "refused"]
    assert desk_b.cases.get(case_id).title == store.cases.get(case_id).title
    # The same package dropped again is imported "again" without change, and kept apart.
    (drop / "case.sarpkg").write_bytes(as_bytes(export(store, case_id, keys_a)))
    (again,) = import_folder(desk_b, drop, author="opB")
    assert again.moved_to.name == "case.1.sarpkg" and again.result is not None


def test_the_watcher_waits_for_a_file_to_stop_growing(desk, desk_b, keys_a, tmp_path) -> None:
    store, case_id = desk
    drop = tmp_path / "share"
    drop.mkdir()
    content = as_bytes(export(store, case_id, keys_a))
    (drop / "case.sarpkg").write_bytes(content[:100])  # still being copied
    polls = []

    def sleep(seconds: float) -> None:
        polls.append(seconds)
        (drop / "case.sarpkg").write_bytes(content)  # the copy finishes

    watcher = watch_folder(desk_b, drop, author="opB", interval_s=2.0,
                           sleep=sleep)  # fmt: skip
    first = next(watcher)
    watcher.close()
    assert first.result is not None and first.result.created
    assert polls == [2.0, 2.0]  # first look: size noted; second: complete and unchanged


def test_the_http_inbox_imports_into_the_desk(desk, desk_b, keys_a, keys_b, tmp_path) -> None:
    store, case_id = desk
    server = make_inbox_server(desk=desk_b.path, inbox_dir=tmp_path / "inbox",
                               import_packages=True, author="inbox")  # fmt: skip
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://{}:{}/packages".format(*server.server_address[:2])
    try:
        answer = send(as_bytes(export(store, case_id, keys_a)), url)
        assert answer["import"]["created"] is True
        assert answer["import"]["added_entries"] == len(store.log.entries(case_id))
        assert desk_b.cases.get(case_id).vessel_name == "MARIE"
        bad = copy(export(store, case_id, keys_a))
        bad["body"]["case"]["mmsi"] = "12"
        bad["header"]["package_id"] = "00000000-0000-4000-8000-00000000abcd"
        before = list(desk_b.conn.iterdump())
        with pytest.raises(TransportError, match=r"case\.mmsi"):
            send(resign(bad, keys_a), url)
        assert list(desk_b.conn.iterdump()) == before
        assert not (tmp_path / "inbox" / "00000000-0000-4000-8000-00000000abcd.sarpkg").exists()
    finally:
        server.shutdown()
        server.server_close()


def test_cli_inbox_watch_once(capsys, desk, desk_b, keys_a, keys_dir, tmp_path) -> None:
    from sarapp.cli import main

    store, case_id = desk
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.sarpkg").write_bytes(as_bytes(export(store, case_id, keys_a)))
    code = main(["--db", str(desk_b.path), "inbox", "watch", str(drop), "--once", "--json",
                 "--keys-dir", str(keys_dir)])  # fmt: skip
    (handled,) = json.loads(capsys.readouterr().out)
    assert code == 0 and handled["imported"] and handled["case_id"] == case_id
