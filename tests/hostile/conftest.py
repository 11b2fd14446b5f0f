"""Attacks replayed against the real parts: a real server app on SQLite (its limits set through
the environment, as an operator would), real Chromium, real PostgreSQL, real files.

Each test proves the mechanism that stops an attack (the check that runs first, the slot that
answers 503, the process group that is killed), never a speed: where a cost matters, the test
counts the steps the code takes (`steps`) for an input and one twice as large.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.conftest import Site


@pytest.fixture
def make_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Site]]:
    """`make_site(JOURNEYMAP_PARSES=1, ...)`: a fresh server app, with a signed-up admin,
    whose limits come from those environment variables, as `journeymap serve` reads them."""
    from tests.server.helpers import open_site

    opened: list[Iterator[Site]] = []

    def make(**env: object) -> Site:
        for name, value in env.items():
            monkeypatch.setenv(name, str(value))
        running = open_site(str(tmp_path / f"server-{len(opened)}.db"), tmp_path)
        opened.append(running)
        return next(running)

    yield make
    for running in opened:
        next(running, None)  # disposes of the database


def steps(module_file: str, call: Callable[[], Any]) -> int:
    """How many lines of `module_file` (or of every file under it, a folder) run during
    `call()`: the work it does, counted exactly (the same on a slow machine as a fast one)."""
    count = 0

    def local(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        name = frame.f_code.co_filename
        return local if name == module_file or name.startswith(module_file + "/") else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count


def linear(module_file: str, make: Callable[[int], Callable[[], Any]], n: int) -> float:
    """The ratio of steps for an input of size 2n to one of size n: about 2 when the work is
    linear, about 4 when it is quadratic."""
    small = steps(module_file, make(n))
    large = steps(module_file, make(2 * n))
    return large / max(small, 1)
