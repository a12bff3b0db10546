"""Agreement and speed of sarapp's Leeway engine against OpenDrift's Leeway model.

Usage: python benchmarks/bench_drift.py [--opendrift-python PATH] [--quick]

Runs the cases of issue 4 (start 43.0 N 5.0 E, wind 10 m/s from the north, current 0.3 m/s
east, radius 1 km, 24 h, 10-minute steps; PIW-1 and the 4-6 person raft AVIATION-1 with 1,000,
10,000 and 100,000 particles) with sarapp in this process and, when an interpreter with
OpenDrift is given (``make bench-opendrift`` builds one in ``.venv-opendrift``), with OpenDrift
in a subprocess on the same constant forcing. Prints displacement, bearing, spread, run time
and whole-process time of both, then the pure-current check and the 100,000 particle / 72 h
run with stranding on (time and peak memory). Without OpenDrift it compares against the
reference figures of ``shared/reference/leeway-model.md`` (OpenDrift 1.14.12 on this kind of
machine) and says so.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from pyproj import Geod

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarapp.drift.engine import run_drift  # noqa: E402
from sarapp.drift.forcing import constant_forcing  # noqa: E402
from sarapp.drift.params import DriftParams  # noqa: E402
from sarapp.drift.products import cloud_at, spread_m  # noqa: E402

GEOD = Geod(ellps="WGS84")
START = datetime(2026, 1, 1, tzinfo=UTC)
LAT, LON, WIND, CURRENT = 43.0, 5.0, (0.0, -10.0), (0.3, 0.0)
# (km, bearing °, sd east km, sd north km, run s, whole process s) from leeway-model.md
REFERENCE = {
    (1, 10_000): (27.61, 109.7, 8.88, 9.24, 2.5, 17.7),
    (1, 100_000): (27.63, 110.2, 8.92, 9.30, 18.3, 31.6),
    (32, 10_000): (39.09, 138.4, 10.06, 2.28, 2.5, 14.9),
    (32, 100_000): (39.10, 138.5, 10.01, 2.29, 20.3, 33.6),
}
NAMES = {1: "PIW-1", 32: "raft 4-6 (AVIATION-1)"}

# Run inside OpenDrift's interpreter: our own few lines against its public API.
OPENDRIFT_RUNNER = r"""
import json, sys, time
from datetime import datetime, timedelta
t0 = time.perf_counter()
import numpy as np
from pyproj import Geod, Transformer
from opendrift.models.leeway import Leeway
from opendrift.readers import reader_constant
a = json.loads(sys.argv[1])
o = Leeway(loglevel=50)
o.add_reader(reader_constant.Reader({"x_wind": a["wind"][0], "y_wind": a["wind"][1],
    "x_sea_water_velocity": a["current"][0], "y_sea_water_velocity": a["current"][1]}))
start = datetime(2026, 1, 1)
o.seed_elements(lon=a["lon"], lat=a["lat"], radius=a["radius"], number=a["n"], time=start,
                object_type=a["object_type"])
t1 = time.perf_counter()
o.run(duration=timedelta(hours=a["hours"]), time_step=600, time_step_output=3600)
t2 = time.perf_counter()
lon = np.asarray(o.result.lon.isel(time=-1)); lat = np.asarray(o.result.lat.isel(time=-1))
ok = np.isfinite(lon) & np.isfinite(lat)
lon, lat = lon[ok], lat[ok]
clat, clon = float(lat.mean()), float(lon.mean())
tr = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={clat} +lon_0={clon} +ellps=WGS84",
                          always_xy=True)
x, y = tr.transform(lon, lat)
print(json.dumps({"clat": clat, "clon": clon, "sd_e": float(np.std(x)), "sd_n": float(np.std(y)),
                  "run_s": t2 - t1, "setup_s": t1 - t0, "n": int(ok.sum())}))
"""


def sarapp_case(
    category: int,
    n: int,
    *,
    hours: float = 24,
    wind=WIND,
    current=CURRENT,
    radius: float = 1000.0,
    seed: int = 1,
    lat: float = LAT,
    lon: float = LON,
) -> dict:
    params = DriftParams(  # as the reference runs it: no random current
        category=category,
        lat=lat,
        lon=lon,
        start=START,
        hours=hours,
        particles=n,
        radius_m=radius,
        current_std_ms=0.0,
    )
    forcing = constant_forcing(
        wind_u=wind[0], wind_v=wind[1], current_u=current[0], current_v=current[1]
    )
    run = run_drift(params, forcing, np.random.default_rng(seed))
    clat, clon, sd_e, sd_n = spread_m(cloud_at(run))
    return {
        "clat": clat,
        "clon": clon,
        "sd_e": sd_e,
        "sd_n": sd_n,
        "run_s": run.elapsed_s,
        "stranding": run.stranding_used,
        "stranded": float(run.stranded[-1].mean()),
    }


_MEASURED_CLI = (
    "import resource, sys\n"
    "from sarapp.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def sarapp_process(
    category: int, n: int, hours: float = 24, lat: float = LAT, lon: float = LON, wind=WIND
) -> tuple[float, int]:
    """Whole-process wall time (s) and peak memory (MB) of the CLI doing the same run."""
    cmd = [
        sys.executable,
        "-c",
        _MEASURED_CLI,
        "drift",
        "run",
        "--object",
        str(category),
        "--lat",
        str(lat),
        "--lon",
        str(lon),
        "--start",
        "2026-01-01T00:00Z",
        "--hours",
        str(hours),
        f"--wind={wind[0]},{wind[1]}",
        "--current",
        ",".join(map(str, CURRENT)),
        "--particles",
        str(n),
        "--seed",
        "1",
        "--radius-m",
        "1000",
        "--json",
    ]
    t = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t
    return wall, int(out.stderr.strip().splitlines()[-1]) // 1024


def opendrift_case(
    python: str,
    category: int,
    n: int,
    *,
    hours: float = 24,
    wind=WIND,
    current=CURRENT,
    radius: float = 1000.0,
) -> dict:
    args = {
        "lat": LAT,
        "lon": LON,
        "n": n,
        "radius": radius,
        "hours": hours,
        "wind": wind,
        "current": current,
        "object_type": category,
    }
    t = time.perf_counter()
    out = subprocess.run(
        [python, "-c", OPENDRIFT_RUNNER, json.dumps(args)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - t
    return result


def displacement(r: dict) -> tuple[float, float]:
    az, _, dist = GEOD.inv(LON, LAT, r["clon"], r["clat"])
    return dist / 1000.0, az % 360.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--opendrift-python", help="interpreter with opendrift installed")
    ap.add_argument("--quick", action="store_true", help="skip the 100,000 particle cases")
    args = ap.parse_args()
    sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    # warm up: imports, and the land-mask band cached on disk (first use ever costs ~0.5 s more)
    sarapp_case(32, 1000, hours=72)
    sarapp_case(32, 1000, hours=72, lat=43.25, lon=5.2, wind=(0.0, 10.0))
    od = args.opendrift_python
    print(f"OpenDrift: {'run live with ' + od if od else 'not available; reference figures'}")
    print(
        "| case | N | sarapp km, ° | other km, ° | diff % | sarapp sd E/N km | other sd E/N km"
        " | sd diff % E/N | sarapp run s | other run s | ratio | sarapp proc s | other proc s"
        " | ratio |"
    )
    print("|" + " --- |" * 14)
    for category in (1, 32):
        for n in sizes:
            ours = sarapp_case(category, n)
            proc_s, _ = sarapp_process(category, n)
            if od:
                other = opendrift_case(od, category, n)
                o_km, o_az = displacement(other)
                o_sd = (other["sd_e"] / 1000, other["sd_n"] / 1000)
                o_run, o_proc = other["run_s"], other["process_s"]
            elif (category, n) in REFERENCE:
                o_km, o_az, sd_e, sd_n, o_run, o_proc = REFERENCE[(category, n)]
                o_sd = (sd_e, sd_n)
            else:
                o_km = o_az = o_run = o_proc = float("nan")
                o_sd = (float("nan"), float("nan"))
            km, az = displacement(ours)
            sd = (ours["sd_e"] / 1000, ours["sd_n"] / 1000)
            print(
                f"| {NAMES[category]} | {n:,} | {km:.2f}, {az:.1f} | {o_km:.2f}, {o_az:.1f} | "
                f"{100 * (km - o_km) / o_km:+.2f} | {sd[0]:.2f} / {sd[1]:.2f} | "
                f"{o_sd[0]:.2f} / {o_sd[1]:.2f} | {100 * (sd[0] - o_sd[0]) / o_sd[0]:+.1f} / "
                f"{100 * (sd[1] - o_sd[1]) / o_sd[1]:+.1f} | {ours['run_s']:.3f} | "
                f"{o_run:.2f} | {o_run / ours['run_s']:.0f}x | {proc_s:.2f} | {o_proc:.1f} | "
                f"{o_proc / proc_s:.1f}x |",
                flush=True,
            )
    pure = sarapp_case(1, 100_000, hours=6, wind=(0.0, 0.0), current=(0.5, 0.0), radius=0.0)
    east = GEOD.inv(LON, pure["clat"], pure["clon"], pure["clat"])[2] / 1000
    north = GEOD.inv(LON, LAT, LON, pure["clat"])[2] / 1000
    ref, ref_east = "reference 10.797 / 0.154 km", 10.797
    if od:
        o = opendrift_case(od, 1, 100_000, hours=6, wind=(0.0, 0.0), current=(0.5, 0.0), radius=0.0)
        ref_east = GEOD.inv(LON, o["clat"], o["clon"], o["clat"])[2] / 1000
        ref = f"OpenDrift {ref_east:.3f} / {GEOD.inv(LON, LAT, LON, o['clat'])[2] / 1000:.3f} km"
    print(
        f"pure current 0.5 m/s east, 6 h, PIW-1, 100,000: sarapp east {east:.3f} km, north "
        f"{north:.3f} km; {ref}; diff east {100 * (east - ref_east) / ref_east:+.3f} %; "
        f"vs exact 0.5 m/s x 6 h {100 * (east - 10.8) / 10.8:+.3f} %"
    )
    if not args.quick:
        t = sarapp_case(32, 100_000, hours=72)
        wall, rss = sarapp_process(32, 100_000, hours=72)
        print(
            f"100,000 particles, 72 h, raft, stranding {'on' if t['stranding'] else 'OFF'}: "
            f"simulation {t['run_s']:.3f} s; whole CLI process {wall:.2f} s, peak {rss} MB"
        )
        # worst case for stranding: 10 m/s onshore wind 8 km off Marseille, land in every step
        coast = {"lat": 43.25, "lon": 5.2, "wind": (0.0, 10.0)}
        t = sarapp_case(32, 100_000, hours=72, **coast)
        wall, rss = sarapp_process(32, 100_000, hours=72, **coast)
        print(
            f"same, onshore wind off Marseille ({100 * t['stranded']:.0f} % stranded): "
            f"simulation {t['run_s']:.3f} s; whole CLI process {wall:.2f} s, peak {rss} MB"
        )


if __name__ == "__main__":
    main()
