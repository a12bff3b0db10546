"""The exchange family's exceptions: what a coordinator reads when a package or key is refused."""

from __future__ import annotations

from sarapp.errors import SarappError


class ExchangeError(SarappError, ValueError):
    """A handover package, key file or SITREP that cannot be used; the message says why."""


class KeyStoreError(ExchangeError):
    """The desk's key folder, a key file or the trust list cannot be read or written."""


class PackageError(ExchangeError):
    """A package refused on reading: damaged, unsafe, too large, off the schema or forged."""


class SyncError(ExchangeError):
    """A sync between a laptop and its centre that cannot go on; the message says why and
    what to do (what was synced before it stays synced)."""
