"""Leeway drift: object categories, wind/current forcing, the Monte Carlo engine, products."""
