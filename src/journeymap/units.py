"""How measured quantities read to a person, the same on the poster and in the terminal."""

from __future__ import annotations


def duration(ms: float | None) -> str:
    """`1.5 h`, `2.0 min`, `46 s`; `-` when there is nothing to show."""
    if ms is None:
        return "-"
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("min", 60_000)):
        if ms >= size:
            return f"{ms / size:.1f} {unit}"
    return f"{ms / 1000:.0f} s"


def count(n: float, word: str, plural: str | None = None) -> str:
    """`1 journey`, `2 journeys`, `1,200 rows`, `1.5 events`: a number and its noun, agreeing."""
    shown = f"{n:,}" if isinstance(n, int) else f"{n:g}"
    return f"{shown} {word if n == 1 else plural or word + 's'}"
