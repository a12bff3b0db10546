"""sarapp: a desk for maritime search and rescue coordination.

The package is the Qt-free core; ``sarapp.ui`` is the only place Qt may appear.
"""

__version__ = "0.1.0"
