"""How a journey shows itself in a notebook, without the domain knowing how it is drawn.

The domain keeps a slot for a drawer (a function from a journey to its formats, e.g.
`{"image/svg+xml": ..., "text/html": ...}`); the package fills it when it is imported
(journeymap/__init__.py), with the notebook layer's drawing (journeymap/notebook.py). The
domain imports nothing to draw; with no drawer, a journey shows as its text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Drawer = Callable[[Any], dict[str, str]]
_drawer: list[Drawer] = []


def draw_with(drawer: Drawer) -> None:
    """Show journeys with `drawer` from now on."""
    _drawer[:] = [drawer]


def formats(journey: Any) -> dict[str, str]:
    """The journey in every format the drawer makes (none without a drawer)."""
    return _drawer[0](journey) if _drawer else {}
