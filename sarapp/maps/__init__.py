"""Offline base map (no Qt): Web Mercator helpers, shipped coastlines, graticule and scale bar,
an MBTiles cache of raster tiles, and exports of what the chart shows (GeoJSON, KML, GPX)."""
