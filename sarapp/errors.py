"""The root of sarapp's exceptions, so the faces (CLI, UI) can catch one type.

Each module family defines its own subclass whose message a coordinator can act on
(which line, field or character is wrong, and why).
"""


class SarappError(Exception):
    """A problem the user can act on; its message is shown as is."""
