"""One object per database this process has opened, kept with the engine's connection pool
(every session on that engine, reading or writing, shares the pool) and gone with it."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class PerPool(Generic[T]):
    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._kept: weakref.WeakKeyDictionary[Any, T] = weakref.WeakKeyDictionary()

    def __call__(self, pool: Any) -> T:
        with self._lock:
            found = self._kept.get(pool)
            if found is None:
                found = self._kept[pool] = self._make()
            return found
