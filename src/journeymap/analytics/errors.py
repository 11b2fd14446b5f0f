"""The analytics' errors, in one module that imports nothing, so every part can raise them
without importing the part that reads sources (which once tied five modules in a circle)."""

from __future__ import annotations


class SourceError(ValueError):
    """The source cannot be read as the definition says; the message names the fix."""


class BindingError(ValueError):
    """A binding names something the events do not have."""


class StoreError(ValueError):
    """The local store is not as ingest writes it (sorted, this version); ingest it again."""
