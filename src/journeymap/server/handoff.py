"""Calls handed from other threads to an event loop, many per wake-up.

`loop.call_soon_threadsafe` wakes the loop by writing to its self-pipe, one system call each
time; the live hub hands each committed operation to every socket of the journey, so 50 editors
made 50 of them per operation, from the thread that had just committed (bench/collab.py: about
a sixth of the server's samples). Here the calls queue, and only the first of a batch wakes the
loop, which runs them all, in the order they came."""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)
_lock = threading.Lock()
_by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Handoff] = (
    weakref.WeakKeyDictionary()
)


class Handoff:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._calls: list[tuple[Callable[..., None], tuple[Any, ...]]] = []

    def call(self, function: Callable[..., None], *args: Any) -> None:
        """Run `function(*args)` on the loop soon (thread-safe)."""
        with self._lock:
            self._calls.append((function, args))
            first = len(self._calls) == 1
        if first:
            self._loop.call_soon_threadsafe(self._run)

    def _run(self) -> None:
        with self._lock:
            calls, self._calls = self._calls, []
        for function, args in calls:
            try:
                function(*args)
            except Exception:  # one caller's failure is its own: the others still run
                log.exception("a call handed to the event loop failed")


def handoff(loop: asyncio.AbstractEventLoop) -> Handoff:
    """The one Handoff of `loop`."""
    with _lock:
        found = _by_loop.get(loop)
        if found is None:
            found = _by_loop[loop] = Handoff(loop)
        return found
