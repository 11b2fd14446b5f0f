"""Posters for the server: drawn once per journey revision, evidence, format and scale, a few
Chromium renders at a time, each within a time and a pixel limit (services/limits.py).

A revision never changes, so a poster drawn for it stays right until the journey or its
evidence changes; the cache keeps the most recently used posters up to a byte budget.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from ..domain.model import Journey
from ..render.export import PosterTooLarge, render
from .limits import Gates

CHROMIUM_FORMATS = ("png", "pdf")


class PosterCache:
    """The most recently used posters, up to `budget` bytes in all (one poster larger than a
    quarter of the budget is not kept: it would push out all the others)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._kept: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Hashable, data: bytes) -> None:
        if len(data) > self.budget // 4:
            return
        with self._lock:
            old = self._kept.pop(key, None)
            self._size -= len(old) if old is not None else 0
            self._kept[key] = data
            self._size += len(data)
            while self._size > self.budget:
                _, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped)

    def __len__(self) -> int:
        return len(self._kept)


def draw_poster(
    journey: Journey,
    key: tuple[str, int, str],
    fmt: str,
    scale: float,
    evidence: Any,
    gates: Gates,
    cache: PosterCache,
) -> bytes:
    """The poster of `journey` as `fmt` bytes; `key` is (journey id, revision, evidence
    stamp). PNG and PDF wait for a render slot (Busy when none comes free in time), may have
    at most the pixels and scale allowed (PosterTooLarge), and are killed past the render
    timeout (RenderTimeout)."""
    limits = gates.limits
    full_key = (*key, fmt, scale if fmt == "png" else 1.0)
    found = cache.get(full_key)
    if found is not None:
        return found
    if fmt not in CHROMIUM_FORMATS:
        data = render(journey, fmt, scale, evidence)
        cache.put(full_key, data)
        return data
    if fmt == "png" and scale > limits.poster_scale:
        raise PosterTooLarge(
            f"scale {scale:g} is more than this server draws ({limits.poster_scale:g}): "
            "ask for a smaller scale, or for the SVG"
        )
    with gates.renders.hold():
        found = cache.get(full_key)  # drawn while this request waited for its turn
        if found is not None:
            return found
        data = render(
            journey,
            fmt,
            scale,
            evidence,
            timeout=limits.render_timeout,
            max_pixels=limits.poster_pixels,
        )
    cache.put(full_key, data)
    return data
