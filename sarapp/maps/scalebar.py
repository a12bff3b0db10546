"""Scale bar in nautical miles: the longest round length that fits the space given."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sarapp.geo import NM

_MANTISSAS = (1.0, 2.0, 5.0)


@dataclass(frozen=True)
class ScaleBar:
    """A bar ``length_nm`` long that is ``length_px`` pixels on screen."""

    length_nm: float
    length_px: float

    @property
    def label(self) -> str:
        value = f"{self.length_nm:g}"
        return f"{value} NM"


def scale_bar(ground_m_per_px: float, *, max_px: float = 160.0) -> ScaleBar:
    """The bar for a chart where one pixel covers ``ground_m_per_px`` metres on the ground.

    Lengths are 1, 2 or 5 × 10ⁿ NM (0.01 NM upward); the bar is at most ``max_px`` pixels.
    """
    if ground_m_per_px <= 0 or not math.isfinite(ground_m_per_px):
        raise ValueError(f"ground metres per pixel must be positive, got {ground_m_per_px}")
    max_nm = max_px * ground_m_per_px / NM
    exponent = math.floor(math.log10(max_nm))
    best = 0.01
    for power in range(exponent - 1, exponent + 1):
        for mantissa in _MANTISSAS:
            candidate = mantissa * 10.0**power
            if candidate <= max_nm * (1 + 1e-12):
                best = max(best, candidate)
    best = float(f"{best:.6g}")
    return ScaleBar(best, best * NM / ground_m_per_px)
