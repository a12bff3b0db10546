"""Convert Natural Earth land outlines (TopoJSON from the ``world-atlas`` package) to the
compact file the app ships: ``resources/coastlines/coastlines.npz``.

Run once, by hand, when the source changes::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m sarapp.maps.coastline_convert package/ resources/coastlines/coastlines.npz

TopoJSON stores each outline once as an "arc" of delta-encoded integers on a quantisation
grid; we keep exactly that (the deltas compress to a third of float32 pairs), plus the grid's
scale and offset, per level. The loader (``coastlines.py``) rebuilds degrees with a cumulative
sum. Outlines are lines, not filled polygons: a chart needs the coast, and lines clip cheaply.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from sarapp.maps.coastlines import LEVELS
from sarapp.maps.errors import MapsError


def read_topojson_arcs(path: Path) -> dict[str, np.ndarray]:
    """One TopoJSON file → ``deltas`` (N×2 int32), ``starts`` (arc offsets), ``scale``,
    ``translate`` (degrees per grid step and of grid origin, lon then lat)."""
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        transform = topology["transform"]
        arcs = topology["arcs"]
    except (OSError, ValueError, KeyError) as exc:
        raise MapsError(f"{path}: not a quantised TopoJSON topology ({exc})") from exc
    lengths = [len(arc) for arc in arcs if len(arc) >= 2]
    deltas = np.array([pair for arc in arcs if len(arc) >= 2 for pair in arc], dtype=np.int32)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int32)
    return {
        "deltas": deltas,
        "starts": starts,
        "scale": np.array(transform["scale"], dtype=np.float64),
        "translate": np.array(transform["translate"], dtype=np.float64),
    }


def convert(source_dir: Path, target: Path) -> None:
    """Write every level's arcs from ``source_dir/land-<level>.json`` into one ``.npz``."""
    arrays: dict[str, np.ndarray] = {}
    for level in LEVELS:
        for key, value in read_topojson_arcs(source_dir / f"land-{level}.json").items():
            arrays[f"{level}_{key}"] = value
    target.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(target, **arrays)


if __name__ == "__main__":  # pragma: no cover - a by-hand tool
    convert(Path(sys.argv[1]), Path(sys.argv[2]))
