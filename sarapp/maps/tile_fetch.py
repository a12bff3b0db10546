"""'Prepare this area for offline use': download the tiles of a box at chosen zooms from a
configurable XYZ URL into the MBTiles cache, as a core generator that yields progress and
stops when closed (the UI's worker cancels it that way).

Polite by construction, as tile servers' usage policies ask: one request at a time, at most
one per ``min_interval_s``, an identifying User-Agent, tiles already cached never fetched
again, and a ceiling on how many tiles one request for an area may ask.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass

import requests

from sarapp import __version__
from sarapp.maps.errors import MapsError
from sarapp.maps.tiles import TileCache, tiles_in_box

USER_AGENT = f"sarapp/{__version__} (maritime SAR desk; offline chart cache)"
MAX_TILES = 20_000  # per request: a few zooms over a search area; more is a bulk download


@dataclass(frozen=True)
class TileSource:
    """An XYZ tile server: ``url`` with ``{z}``, ``{x}``, ``{y}``; polite pace in seconds."""

    url: str
    user_agent: str = USER_AGENT
    min_interval_s: float = 0.5
    timeout_s: float = 20.0

    def __post_init__(self) -> None:
        missing = [key for key in ("{z}", "{x}", "{y}") if key not in self.url]
        if missing or not self.url.startswith(("http://", "https://")):
            raise MapsError(
                f"tile URL {self.url!r} must be http(s) and hold {{z}}, {{x}} and {{y}}"
                + (f" (missing {', '.join(missing)})" if missing else "")
            )

    def tile_url(self, zoom: int, x: int, y: int) -> str:
        return self.url.replace("{z}", str(zoom)).replace("{x}", str(x)).replace("{y}", str(y))


@dataclass(frozen=True)
class TileProgress:
    """How far the download is: ``done`` of ``total`` tiles (fetched + cached + failed)."""

    done: int
    total: int
    fetched: int
    cached: int
    failed: int

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


def plan_tiles(
    bounds: tuple[float, float, float, float], zooms: Sequence[int]
) -> list[tuple[int, int, int]]:
    """Every tile of ``bounds`` (lat_min, lon_min, lat_max, lon_max, degrees) at ``zooms``."""
    lat_min, lon_min, lat_max, lon_max = bounds
    if not (-90 <= lat_min < lat_max <= 90 and -180 <= lon_min < lon_max <= 180):
        raise MapsError(f"area {bounds} is not (lat_min, lon_min, lat_max, lon_max) in degrees")
    tiles: list[tuple[int, int, int]] = []
    for zoom in sorted(set(zooms)):
        if not 0 <= zoom <= 19:
            raise MapsError(f"zoom {zoom} is outside 0–19")
        tiles.extend(tiles_in_box(lat_min, lon_min, lat_max, lon_max, zoom))
        if len(tiles) > MAX_TILES:
            raise MapsError(
                f"the area needs more than {MAX_TILES:,} tiles at zooms {sorted(set(zooms))}: "
                "choose a smaller area or fewer zoom levels"
            )
    return tiles


def prepare_area(
    cache: TileCache,
    source: TileSource,
    *,
    bounds: tuple[float, float, float, float],
    zooms: Sequence[int],
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Generator[TileProgress, None, TileProgress]:
    """Fetch the missing tiles of ``bounds`` at ``zooms`` into ``cache``; yield progress
    after each tile, return the final tally. A tile the server refuses counts as failed and
    the download goes on; a server unreachable for five tiles in a row stops it."""
    tiles = plan_tiles(bounds, zooms)
    http = session or requests.Session()
    http.headers["User-Agent"] = source.user_agent
    fetched = cached = failed = unreachable = 0
    last_request = -1e9
    for done, (zoom, x, y) in enumerate(tiles, start=1):
        if cache.has(zoom, x, y):
            cached += 1
        else:
            wait = source.min_interval_s - (time.monotonic() - last_request)
            if wait > 0:
                sleep(wait)
            last_request = time.monotonic()
            try:
                response = http.get(source.tile_url(zoom, x, y), timeout=source.timeout_s)
                unreachable = 0
            except requests.RequestException as exc:
                unreachable += 1
                failed += 1
                if unreachable >= 5:
                    raise MapsError(
                        f"tile server unreachable ({exc}); {fetched} tiles kept"
                    ) from exc
            else:
                if response.status_code == 200 and response.content:
                    cache.put(zoom, x, y, response.content)
                    fetched += 1
                else:
                    failed += 1
        yield TileProgress(done, len(tiles), fetched, cached, failed)
    return TileProgress(len(tiles), len(tiles), fetched, cached, failed)
