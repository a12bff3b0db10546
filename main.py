"""Open the sarapp desk: ``python main.py [--db FILE]``."""

import sys

from sarapp.ui.app import main

if __name__ == "__main__":
    sys.exit(main())
