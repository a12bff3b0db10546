"""Root test configuration: Qt must never look for a display in tests."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
