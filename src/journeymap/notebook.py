"""Jupyter display: a journey shows as its poster. The package hands `journey_mimebundle` to
the domain's display slot (domain/display.py), so the domain never imports the renderer."""

from __future__ import annotations

from typing import Any

from .render.svg import render_svg


def journey_svg(journey: Any) -> str:
    return render_svg(journey)


def journey_html(journey: Any) -> str:
    return _html(journey_svg(journey))


def journey_mimebundle(journey: Any) -> dict[str, str]:
    """SVG and HTML from one layout (Jupyter asks for every format it might show)."""
    svg = journey_svg(journey)
    return {"image/svg+xml": svg, "text/html": _html(svg)}


def _html(svg: str) -> str:
    return f'<div style="overflow:auto;max-width:100%">{svg}</div>'
