"""``sarapp log …``: the case log."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    sub.add_parser("log", parents=[common], help="append to, list and search the case log")
