import sys

from sarapp.cli import main

sys.exit(main())
