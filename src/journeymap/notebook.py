"""Jupyter display: a journey shows as its poster. Called by `Journey._repr_svg_` through an
import by name, so the domain never imports the renderer."""

from __future__ import annotations

from typing import Any


def journey_svg(journey: Any) -> str:
    from .render.svg import render_svg

    return render_svg(journey)


def journey_html(journey: Any) -> str:
    return f'<div style="overflow:auto;max-width:100%">{journey_svg(journey)}</div>'
