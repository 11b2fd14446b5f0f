"""The voice of the customer on the poster, from the evidence's `feedback` part: the measured
emotion curve beside the team's assumed one (its 95% interval as a band), the disagreements in
words, and the heatmap of touchpoints by segment. Geometry (`place`) and drawing (`draw`) are
both here so the main layout and writer only call in; all text goes through `esc`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..analytics.feedback_measures import signed
from .curve import smooth_path
from .geometry import COL_W, FONT, LABEL_W, MARGIN, SMALL, SMALL_LINE, Box, column_index
from .svg_parts import esc, score_colour
from .svg_parts import rect as _rect
from .svg_parts import text as _text
from .text_metrics import clip, wrap

if TYPE_CHECKING:
    from .layout import Poster

MEASURED = "#1565c0"
BAND = "#90caf9"
NOTES_MAX = 8
CELL_H = 26
ROW_LABEL_W = 340


@dataclass
class VoiceGeo:
    panel: Box | None = None  # the notes and the heatmap, under the rows
    notes: list[str] = field(default_factory=list)  # wrapped lines
    heatmap: Any = None  # feedback_evidence.HeatmapEvidence
    grid: Box | None = None
    cell_w: float = 0.0
    names: dict[str, str] = field(default_factory=dict)


def place_voice(poster: Poster, y: float) -> float:
    """Room under the rows for the disagreements and the heatmap; returns the new bottom."""
    said = getattr(poster.evidence, "feedback", None)
    heat = getattr(poster.evidence, "heatmap", None) or (said.heatmap if said else None)
    if said is None and heat is None:
        return y
    geo = VoiceGeo(names={c.id: c.text for c in poster.journey.live_cards()})
    width = poster.width - 2 * MARGIN
    notes = [p.disagreement for p in said.curve if p.disagreement] if said else []
    notes.sort(key=lambda n: n)  # a stable order; the curve shows where
    for note in notes[:NOTES_MAX]:
        geo.notes += wrap(f"• {note}", width - 40, FONT)
    if len(notes) > NOTES_MAX:
        geo.notes.append(f"… and {len(notes) - NOTES_MAX} more (journeymap feedback lists them)")
    height = 56 + len(geo.notes) * 20 if said else 0
    if heat is not None and heat.rows and heat.columns:
        geo.heatmap = heat
        geo.cell_w = max(28.0, min(96.0, (width - ROW_LABEL_W - 40) / len(heat.columns)))
        top = y + 8 + height + 64
        geo.grid = Box(
            MARGIN + 20 + ROW_LABEL_W, top, geo.cell_w * len(heat.columns), CELL_H * len(heat.rows)
        )
        height += 64 + CELL_H * len(heat.rows) + 30
    geo.panel = Box(MARGIN, y + 8, width, height)
    poster.voice = geo
    return geo.panel.bottom + 8


def draw_voice(p: Poster) -> list[str]:
    said = getattr(p.evidence, "feedback", None)
    geo: VoiceGeo | None = getattr(p, "voice", None)
    if said is None and geo is None:
        return []
    out = ['<g class="voice">']
    if said is not None:
        out += _curve(p, said)
    if geo is None or geo.panel is None:
        return [*out, "</g>"]
    b = geo.panel
    out.append(_rect(b, "#ffffff", "#cbd2d9", rx=8))
    if said is None:
        return [*out, *_heatmap(geo), "</g>"]
    title = f"What customers say: {said.name} ({said.signal}, n and 95% intervals)"
    out.append(
        _text(
            b.x + 20,
            b.y + 30,
            [clip(title, b.w - 40, FONT, bold=True)],
            FONT,
            fill="#323f4b",
            weight="bold",
        )
    )
    lines = geo.notes or ["The measured curve agrees with the team's wherever it was measured."]
    out.append(_text(b.x + 20, b.y + 56, lines, FONT, 20, fill="#323f4b", cls="disagreements"))
    if geo.heatmap is not None and geo.grid is not None:
        out += _heatmap(geo)
    out.append("</g>")
    return out


def _curve(p: Poster, said: Any) -> list[str]:
    row = p.emotion_row
    if row is None:
        return []
    mid, scale = p.emotion_mid, p.emotion_scale
    points = []
    for point in said.curve:
        i = column_index(p, point.stage, point.step)
        if i is None or point.value is None:
            continue
        x = MARGIN + LABEL_W + i * (COL_W + 8) + COL_W / 2
        low = point.low if point.low is not None else point.value
        high = point.high if point.high is not None else point.value
        points.append(
            (
                x,
                mid - _clamp(point.value) * scale,
                mid - _clamp(high) * scale,
                mid - _clamp(low) * scale,
                point,
            )
        )
    if not points:
        return []
    out = []
    if len(points) > 1:
        upper = " ".join(f"{x:.1f},{hi:.1f}" for x, _, hi, _, _ in points)
        lower = " ".join(f"{x:.1f},{lo:.1f}" for x, _, _, lo, _ in reversed(points))
        out.append(
            f'<polygon class="measured-band" points="{upper} {lower}" fill="{BAND}" '
            'fill-opacity="0.35" stroke="none"/>'
        )
        path = smooth_path([(x, y) for x, y, _, _, _ in points])
        out.append(
            f'<path class="measured-curve" d="{path}" fill="none" stroke="{MEASURED}" '
            'stroke-width="2.5" stroke-dasharray="7 4"/>'
        )
    for x, y, hi, lo, point in points:
        out.append(
            f'<g class="measured-point" data-stage="{esc(point.stage)}" '
            f'data-step="{esc(point.step or "")}" data-value="{point.value:.2f}">'
            f'<line x1="{x:.1f}" y1="{hi:.1f}" x2="{x:.1f}" y2="{lo:.1f}" stroke="{MEASURED}" '
            f'stroke-width="1.5"/><rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" '
            f'fill="{MEASURED}" stroke="#ffffff" stroke-width="2" transform="rotate(45 {x:.1f} '
            f'{y:.1f})"/>'
            + _halo(x - 12, y + 4, point)
            + _text(
                x - 12,
                y + 4,
                [signed(point.value), f"n={point.n:,}"],
                SMALL,
                SMALL_LINE,
                fill=MEASURED,
                weight="bold",
                anchor="end",
            )
            + "</g>"
        )
    legend_y = row.y + 14
    out.append(
        _text(
            row.right - 12,
            legend_y,
            [f"◆ measured ({said.signal}), band: 95% interval · ● assumed by the team"],
            SMALL,
            fill=MEASURED,
            anchor="end",
        )
    )
    return out


def _clamp(value: float) -> float:
    return max(-2.0, min(2.0, value))


def _halo(x: float, y: float, point: Any) -> str:
    """A white outline behind the label, so it reads where it crosses a line or a point."""
    lines = [signed(point.value), f"n={point.n:,}"]
    return str(
        _text(
            x, y, lines, SMALL, SMALL_LINE, fill="#ffffff", weight="bold", anchor="end", cls="halo"
        )
    ).replace("<text ", '<text stroke="#ffffff" stroke-width="4" stroke-linejoin="round" ', 1)


def _heatmap(geo: VoiceGeo) -> list[str]:
    heat, grid = geo.heatmap, geo.grid
    assert grid is not None
    out = ['<g class="heatmap">']
    out.append(
        _text(
            grid.x - ROW_LABEL_W,
            grid.y - 44,
            [
                f"Heatmap: {heat.metric} by {heat.by} ("
                + (
                    "share of the touchpoint's customers"
                    if heat.metric in ("conversion", "drop-off")
                    else "-2 red to +2 green"
                )
                + "; blank: none; grey: too few to show)"
            ],
            FONT,
            fill="#323f4b",
            weight="bold",
        )
    )
    step = max(1, int(60 // geo.cell_w) + 1)  # label every column that has room
    for j, column in enumerate(heat.columns):
        if j % step == 0:
            out.append(
                _text(
                    grid.x + j * geo.cell_w + geo.cell_w / 2,
                    grid.y - 8,
                    [clip(column, geo.cell_w * step - 4, SMALL)],
                    SMALL,
                    anchor="middle",
                )
            )
    for i, row in enumerate(heat.rows):
        y = grid.y + i * CELL_H
        name = clip(geo.names.get(row, row), ROW_LABEL_W - 12, SMALL)
        out.append(_text(grid.x - 10, y + CELL_H / 2 + 4, [name], SMALL, anchor="end"))
        for j, value in enumerate(heat.values[i]):
            cell = Box(grid.x + j * geo.cell_w, y, geo.cell_w - 2, CELL_H - 2)
            count = heat.counts[i][j]
            if value is None:
                fill = "#e4e7eb" if count is None else "#ffffff"
                out.append(_rect(cell, fill, "#e4e7eb"))
                continue
            share = heat.metric in ("conversion", "drop-off")
            shade = (value * 4 - 2) * (-1 if heat.metric == "drop-off" else 1) if share else value
            out.append(
                _rect(
                    cell,
                    score_colour(shade),
                    cls="heat-cell",
                    data=f' data-value="{value:.2f}" data-n="{count}"',
                )
            )
            if geo.cell_w >= 40:
                out.append(
                    _text(
                        cell.x + cell.w / 2,
                        y + CELL_H / 2 + 4,
                        [f"{value:.0%}" if share else signed(value)],
                        SMALL,
                        fill="#ffffff",
                        weight="bold",
                        anchor="middle",
                    )
                )
    out.append("</g>")
    return out
