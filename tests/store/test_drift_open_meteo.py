"""A drift on Open-Meteo forcing, kept with its case, repeats offline from the desk's cache."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from sarapp.cli import main

T0 = 1795700400  # 2026-11-26T13:00Z


class OpenMeteoLike(BaseHTTPRequestHandler):
    """One answer per requested point, 10 m/s wind from the north, 0.3 m/s current east."""

    def do_GET(self):
        query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        speed_var, dir_var = query["hourly"].split(",")
        marine = "current" in speed_var
        hours = [T0 + 3600 * h for h in range(40)]
        points = [
            {
                "latitude": float(la),
                "longitude": float(lo),
                "hourly_units": {"time": "unixtime", speed_var: "m/s", dir_var: "°"},
                "hourly": {
                    "time": hours,
                    speed_var: [0.3 if marine else 10.0] * len(hours),
                    dir_var: [90.0 if marine else 0.0] * len(hours),
                },
            }
            for la, lo in zip(
                query["latitude"].split(","), query["longitude"].split(","), strict=True
            )
        ]
        self.server.requests += 1
        body = json.dumps(points if len(points) > 1 else points[0]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_open_meteo_run_is_kept_and_repeats_offline(capsys, store, desk_path):
    (case_id,) = store.cases.create(title="Liferaft adrift", author="op").cases
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), OpenMeteoLike)
    httpd.requests = 0
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    argv = [
        "--db", str(desk_path), "drift", "run", "--object", "32", "--lat", "43", "--lon", "5",
        "--start", "2026-11-26T14:30Z", "--hours", "12", "--particles", "500", "--seed", "3",
        "--open-meteo", "--forecast-url", url + "/v1/forecast", "--marine-url", url + "/v1/marine",
        "--case", case_id, "--json",
    ]  # fmt: skip
    try:
        assert main(argv) == 0
        first = json.loads(capsys.readouterr().out)
        assert httpd.requests == 2  # one forecast, one marine request
    finally:
        httpd.shutdown()
        httpd.server_close()
    # Wind from the north pushes the raft south; the current carries it east.
    start, end = first["datum_track"][0], first["datum_track"][-1]
    assert end["lat"] < start["lat"] and end["lon"] > start["lon"]
    assert main(argv) == 0  # the server is gone: the desk's cache answers
    second = json.loads(capsys.readouterr().out)
    assert second["final"] == first["final"]
    records = store.drift.runs(case_id)
    assert len(records) == 2 and records[0].forcing["wind"]["type"] != "uniform"


def test_open_meteo_needs_a_desk(capsys):
    argv = ["drift", "run", "--object", "1", "--lat", "43", "--lon", "5",
            "--start", "2026-11-26T14:30Z", "--hours", "1", "--open-meteo"]  # fmt: skip
    assert main(argv) == 1
    assert "--db" in capsys.readouterr().err
