"""``sarapp dsc import``: a file or a live feed of DSC (and AIS) sentences into the desk.

Sentences: SignalK's NMEA 0183 parser test/DSC.js (distress, disabled and adrift) and
signalk-dsc's DSE, retyped; the cancel is written here (resources/dsc_symbols.md).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

from sarapp.cli import main
from sarapp.store import Desk

DISTRESS = "$CDDSC,12,3380400790,12,06,00,1423108312,2019,,,S,E*6A"
DSE = "$CDDSE,1,1,A,3380400790,00,45894494*1B"
CANCEL = "$CDDSC,16,3380400790,12,10,00,1423108312,2019,3380400790,06,S,*28"
DATA = Path(__file__).resolve().parent.parent / "data"


def test_file_import_json_then_the_same_file_again(capsys, desk_path, tmp_path):
    feed = tmp_path / "coast.nmea"
    sample_ais = (DATA / "ais" / "sample.nmea").read_text()
    feed.write_text(f"{DISTRESS}\n{DSE}\n{sample_ais}")
    argv = ["--db", str(desk_path), "dsc", "import", str(feed), "--json"]
    assert main([*argv, "--received", "142025Z MAR 26"]) == 0
    out = json.loads(capsys.readouterr().out)
    # sample.nmea: 12 AIS lines (one a bad payload) and one line of console text
    assert (out["dsc_calls"], out["dse"], out["ais_sentences"], out["not_nmea"]) == (1, 1, 12, 1)
    assert out["dsc"]["alerts_opened"] == 1 and out["dsc"]["positions"] == 2
    assert out["ais"]["alerts_opened"] == 2 and len(out["cases"]) == 3
    assert main(argv) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["dsc"]["duplicates"] == 2 and again["dsc"]["alerts_opened"] == 0


def test_plain_output_shows_the_cancel(capsys, desk_path, tmp_path):
    feed = tmp_path / "cancel.nmea"
    feed.write_text(f"{DISTRESS}\n{CANCEL}\n")
    assert main(["--db", str(desk_path), "dsc", "import", str(feed)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "dsc cancels: 1" in out
    at = out.index("dsc cancellations:")
    assert "338040079 cancelled its DSC distress alert (2019 UTC" in out[at + 1]


def test_refusals_leave_no_desk_behind(capsys, tmp_path):
    desk = tmp_path / "desk.sqlite"
    mail = tmp_path / "mail.txt"
    mail.write_text("Dear RCC, please find our invoice attached.\n")
    for argv, message in [
        ([str(mail)], "holds no AIS (!--VDM) or DSC ($--DSC/DSE) sentence"),
        ([str(tmp_path / "absent.nmea")], "cannot read"),
        ([], "give an NMEA file or --feed ADDRESS"),
        (["--feed", "tcp://:10110"], "a TCP feed needs the host"),
    ]:
        assert main(["--db", str(desk), "dsc", "import", *argv]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, err
    assert not desk.exists() or argv[0] == "--feed"


def test_udp_feed_on_every_interface(desk_path):
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    argv = ["--db", str(desk_path), "dsc", "import", "--feed", f"udp://:{port}"]
    runner = threading.Thread(target=main, args=([*argv, "--idle-timeout", "1.5"],))
    runner.start()
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    deadline = time.monotonic() + 10
    try:
        while runner.is_alive() and time.monotonic() < deadline:
            # repeated until the feed is listening: the same sentence again changes nothing
            sender.sendto(f"{DISTRESS}\r\n{DSE}\r\n".encode(), ("127.0.0.1", port))
            with Desk.open(desk_path) as store:
                if (
                    len(store.cases.list()) == 1
                    and len(store.cases.positions(store.cases.list()[0].id)) == 2
                ):
                    break
            time.sleep(0.1)
    finally:
        sender.close()
    runner.join(timeout=10)
    with Desk.open(desk_path) as store:
        (case,) = store.cases.list()
        assert case.mmsi == "338040079" and case.lkp.time is not None  # receive time: now
        assert len(store.cases.positions(case.id)) == 2


def test_tcp_feed_from_a_local_server(capsys, desk_path):
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.sendall(f"{DISTRESS}\r\n{CANCEL}\r\n".encode())

    thread = threading.Thread(target=serve)
    thread.start()
    argv = ["--db", str(desk_path), "dsc", "import", "--feed", f"tcp://127.0.0.1:{port}"]
    assert main([*argv, "--json", "--idle-timeout", "5"]) == 0
    thread.join()
    server.close()
    out = json.loads(capsys.readouterr().out)
    assert out["dsc"]["alerts_opened"] == 1 and out["dsc"]["cancels"] == 1
