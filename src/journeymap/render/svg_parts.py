"""The SVG writer's primitives: escaped text, text blocks, rectangles and the emotion colours,
for the writer (svg.py) and the panels it draws (voice.py)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from .geometry import FONT, LINE, Box

INK, MUTED, RULE = "#1f2933", "#52606d", "#d9e2ec"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(text: object) -> str:
    """User text made safe for XML element content and attribute values."""
    clean = _XML_INVALID.sub("\ufffd", str(text))
    return (
        clean.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def text(
    x: float,
    y: float,
    lines: Iterable[str],
    size: float = FONT,
    line: float = LINE,
    fill: str = INK,
    weight: str = "normal",
    style: str = "normal",
    anchor: str = "start",
    cls: str = "",
) -> str:
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{y + i * line:.1f}">{esc(t)}</tspan>' for i, t in enumerate(lines)
    )
    extra = f' class="{cls}"' if cls else ""
    return (
        f'<text{extra} font-size="{size}" fill="{fill}" font-weight="{weight}" '
        f'font-style="{style}" text-anchor="{anchor}">{spans}</text>'
    )


def rect(
    b: Box,
    fill: str,
    stroke: str = "none",
    rx: float = 0,
    width: float = 1,
    dash: str = "",
    cls: str = "",
    data: str = "",
) -> str:
    extra = f' class="{cls}"' if cls else ""
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<rect{extra}{data} x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" '
        f'rx="{rx}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dashes}/>'
    )


def score_colour(score: float) -> str:
    """Red at -2, amber at 0, green at +2."""
    stops = [(-2.0, (198, 40, 40)), (0.0, (240, 180, 41)), (2.0, (46, 125, 50))]
    for (s0, c0), (s1, c1) in itertools.pairwise(stops):
        if score <= s1:
            t = (score - s0) / (s1 - s0)
            rgb = [round(a + (b - a) * t) for a, b in zip(c0, c1, strict=True)]
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#2e7d32"
