"""IAMSAR search planning: worksheet, sweep widths, POD/POC/POS, patterns and their waypoints.

Qt-free and store-free: every function takes plain values and returns frozen dataclasses.
"""
