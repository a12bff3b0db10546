"""``sarapp case …``: open, list, show and edit cases."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    sub.add_parser("case", parents=[common], help="open, list, show and edit cases")
