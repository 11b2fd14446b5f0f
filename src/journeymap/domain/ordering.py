"""Fractional order keys: place an item between two others without renumbering the rest.

Keys come from `fractional-indexing` 0.1.3, a port of the npm `fractional-indexing` 3.2.0 that
the web editor uses; `tests/domain/test_ordering.py` checks both give the same keys. Keys
compare bytewise (plain `str` comparison in Python, `COLLATE "C"` in PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Sequence

import fractional_indexing as _fi


def key_between(before: str | None, after: str | None) -> str:
    """A key that sorts after `before` and before `after` (None means open-ended)."""
    key: str = _fi.generate_key_between(before or None, after or None)
    return key


def keys_between(before: str | None, after: str | None, n: int) -> list[str]:
    """`n` evenly spread keys between two keys, for placing a run of items at once."""
    keys: list[str] = _fi.generate_n_keys_between(before or None, after or None, n)
    return keys


def initial_keys(n: int) -> list[str]:
    """Keys for `n` items listed in a file, in their listed order."""
    return keys_between(None, None, n)


def key_at(sorted_keys: Sequence[str], index: int) -> str:
    """The key for an item inserted at `index` among siblings with `sorted_keys`."""
    before = sorted_keys[index - 1] if index > 0 else None
    after = sorted_keys[index] if index < len(sorted_keys) else None
    return key_between(before, after)
