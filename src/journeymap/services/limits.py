"""Bounds on the work requests may cause in one server process, and where to change them.

- Parsing: at most `parses` journey files parsed at once; the rest wait up to `parse_wait`
  seconds for a turn, then are told to come back (Busy, which the server answers 503 with
  Retry-After).
- Posters: at most `renders` Chromium renders at once (one per two cores), each waiting up to
  `render_wait` for its turn and killed after `render_timeout`; a PNG or PDF may have at most
  `poster_pixels` pixels (width x height x scale^2) and `poster_scale` scale; drawn posters are
  kept (`poster_cache_bytes` in all) per journey revision, evidence, format and scale.
- Journeys: the domain's JourneyLimits (cards, characters per card, bytes of the document).
- Sign-ins: failed attempts per account, per own address and per address in a window, and the
  limiter's entries (services/sign_in_limits.py's SignInLimits).

Every limit can be set in the environment (the names are in ENV, and in docs/server.md).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field, fields, replace

from ..domain.limits import JourneyLimits
from .sign_in_limits import SignInLimiter, SignInLimits

ENV = {
    "parses": "JOURNEYMAP_PARSES",
    "parse_wait": "JOURNEYMAP_PARSE_WAIT",
    "renders": "JOURNEYMAP_RENDERS",
    "render_wait": "JOURNEYMAP_RENDER_WAIT",
    "render_timeout": "JOURNEYMAP_RENDER_TIMEOUT",
    "poster_pixels": "JOURNEYMAP_POSTER_PIXELS",
    "poster_scale": "JOURNEYMAP_POSTER_SCALE",
    "poster_cache_bytes": "JOURNEYMAP_POSTER_CACHE_BYTES",
    "cards": "JOURNEYMAP_MAX_CARDS",
    "card_chars": "JOURNEYMAP_MAX_CARD_CHARS",
    "document_bytes": "JOURNEYMAP_MAX_DOCUMENT_BYTES",
    "attempts": "JOURNEYMAP_SIGN_IN_ATTEMPTS",
    "address_attempts": "JOURNEYMAP_SIGN_IN_ADDRESS_ATTEMPTS",
    "window_s": "JOURNEYMAP_SIGN_IN_WINDOW",
    "entries": "JOURNEYMAP_SIGN_IN_ENTRIES",
}


def default_renders() -> int:
    """One Chromium per two cores: each render keeps a core busy, and a viewer needs one."""
    return max(1, (os.cpu_count() or 1) // 2)


@dataclass(frozen=True)
class ServerLimits:
    parses: int = 2
    parse_wait: float = 2.0  # seconds
    renders: int = field(default_factory=default_renders)
    render_wait: float = 10.0  # seconds
    render_timeout: float = 60.0  # seconds
    poster_pixels: int = 64_000_000  # width x height x scale^2 of a PNG or PDF
    poster_scale: float = 4.0
    poster_cache_bytes: int = 64 * 1024 * 1024
    journey: JourneyLimits = field(default_factory=JourneyLimits)
    sign_in: SignInLimits = field(default_factory=SignInLimits)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServerLimits:
        """The defaults, with each limit the environment sets (ValueError names a bad one)."""
        env = os.environ if environ is None else environ
        found: dict[str, dict[str, object]] = {group: {} for group in _GROUPS}
        for name, var in ENV.items():
            if var in env:
                group = next(g for g, kinds in _GROUPS.items() if name in kinds)
                found[group][name] = _number(var, env[var], _GROUPS[group][name])
        return replace(
            cls(**found["server"]),  # type: ignore[arg-type]
            journey=JourneyLimits(**found["journey"]),  # type: ignore[arg-type]
            sign_in=SignInLimits(**found["sign_in"]),  # type: ignore[arg-type]
        )


# Which object each limit belongs to, and its type (a whole number or seconds).
_GROUPS = {
    "server": {
        f.name: f.type for f in fields(ServerLimits) if f.name not in ("journey", "sign_in")
    },
    "journey": {f.name: f.type for f in fields(JourneyLimits)},
    "sign_in": {f.name: f.type for f in fields(SignInLimits)},
}


def _number(var: str, text: str, kind: object) -> int | float:
    whole = kind in (int, "int")
    try:
        value: int | float = int(text) if whole else float(text)
    except ValueError:
        wanted = "a whole number" if whole else "a number of seconds (or a scale)"
        raise ValueError(f"{var}={text!r}: expected {wanted}") from None
    if value <= 0:
        raise ValueError(f"{var}={text!r}: must be more than 0")
    return value


class Busy(Exception):
    """No turn came up in time: come back in `retry_after` seconds."""

    def __init__(self, what: str, retry_after: int) -> None:
        super().__init__(
            f"the server is busy with other {what}; try again in {retry_after} seconds"
        )
        self.what, self.retry_after = what, retry_after


class Slots:
    """At most `size` holders at once; a caller waits up to `wait` seconds for a turn, then
    gets Busy. Usable from threads (`hold`) and from the event loop (`hold_async`, which waits
    without tying up a worker thread)."""

    def __init__(self, size: int, wait: float, what: str) -> None:
        self.size, self.wait, self.what = size, wait, what
        self._free = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self.busy = 0  # holders now, for tests and benchmarks
        self.refused = 0

    def _busy(self) -> Busy:
        with self._lock:
            self.refused += 1
        return Busy(self.what, max(1, round(self.wait)))

    def _took(self, delta: int) -> None:
        with self._lock:
            self.busy += delta

    @contextmanager
    def hold(self) -> Iterator[None]:
        if not self._free.acquire(timeout=self.wait):
            raise self._busy()
        self._took(1)
        try:
            yield
        finally:
            self._took(-1)
            self._free.release()

    @asynccontextmanager
    async def hold_async(self) -> AsyncIterator[None]:
        deadline = time.monotonic() + self.wait
        pause = 0.002
        while not self._free.acquire(blocking=False):
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._busy()
            # Looked at again soon, then less often: many waiters cost little CPU.
            await asyncio.sleep(min(pause, left))
            pause = min(pause * 2, 0.05)
        self._took(1)
        try:
            yield
        finally:
            self._took(-1)
            self._free.release()


@dataclass
class Gates:
    """The slots of one server process (one app), made from its limits, and its sign-in
    limiter."""

    limits: ServerLimits
    parses: Slots = field(init=False)
    renders: Slots = field(init=False)
    sign_ins: SignInLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.parses = Slots(self.limits.parses, self.limits.parse_wait, "journey files to read")
        self.renders = Slots(self.limits.renders, self.limits.render_wait, "posters to draw")
        self.sign_ins = SignInLimiter(self.limits.sign_in)
