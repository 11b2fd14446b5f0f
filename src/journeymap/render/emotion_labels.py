"""Where each emotion point's score label goes: beside its point, clear of the curve, of the
other points and labels, and of the lines to the notes, inside the curve's band.

Each label tries places around its point, the side away from the curve first (above a peak,
below a valley), then the others, then the same a little farther out; the first place that
touches nothing wins. tests/render/test_emotion_labels.py checks every template and random
curves: no label crosses the curve or another label.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .curve import Point, along
from .geometry import CURVE_H, CURVE_TOP, SMALL, Box
from .layout import EmotionGeo, Poster
from .text_metrics import text_width

GAP = 3.0  # between a label and whatever it must not touch
ASCENT, DESCENT = 0.78, 0.12  # of digits and signs, in ems: the label's ink above and below


@dataclass(frozen=True)
class LabelPlace:
    x: float  # where its text starts
    baseline: float
    box: Box  # its ink, to keep clear


def label_text(score: float) -> str:
    return f"{score:+.1f}"


def radius(e: EmotionGeo) -> float:
    return 6.0 if e.point.card else 8.0


def curve_points(p: Poster) -> list[Point]:
    """The points the curve goes through: a stage's or a step's, not a touchpoint's."""
    return [(e.x, e.y) for e in p.emotions if e.point.card is None]


def place_labels(p: Poster) -> list[LabelPlace]:
    """A place for each of `p.emotions`' labels, in their order."""
    row = p.emotion_row
    if row is None:
        return []
    band = Box(row.x, row.y, row.w, CURVE_TOP + CURVE_H)
    through = curve_points(p)
    line = along(through) if len(through) > 1 else []
    connectors = [((e.x, e.y + 10), (e.note_x, e.note_y - 13)) for e in p.emotions if e.note_lines]
    taken: list[Box] = []
    places = []
    for e in p.emotions:
        text = label_text(e.point.score)
        w, h = text_width(text, SMALL, bold=True), (ASCENT + DESCENT) * SMALL
        best: tuple[int, Box] | None = None
        for box in _candidates(e, w, h, through):
            clashes = _clashes(box, band, line, connectors, taken, p.emotions)
            if best is None or clashes < best[0]:
                best = (clashes, box)
            if clashes == 0:
                break
        assert best is not None
        box = best[1]
        taken.append(box)
        places.append(LabelPlace(box.x, box.y + ASCENT * SMALL, box))
    return places


def _candidates(e: EmotionGeo, w: float, h: float, through: list[Point]) -> list[Box]:
    r = radius(e) + GAP
    x, y = e.x, e.y
    around = []
    for far in (1.0, 2.2):
        d = r * far
        diagonal = d * 0.75
        spots = {
            "above": (x - w / 2, y - d - h),
            "below": (x - w / 2, y + d),
            "right": (x + d, y - h / 2),
            "left": (x - d - w, y - h / 2),
            "above right": (x + diagonal, y - diagonal - h),
            "below right": (x + diagonal, y + diagonal),
            "above left": (x - diagonal - w, y - diagonal - h),
            "below left": (x - diagonal - w, y + diagonal),
        }
        order = _preferred(e, through)
        around += [Box(*spots[name], w, h) for name in order]
    return around


def _preferred(e: EmotionGeo, through: list[Point]) -> list[str]:
    """Above a peak (the curve falls away on both sides), below a valley, else beside it on
    the side the curve leaves free."""
    before = [py for px, py in through if px < e.x]
    after = [py for px, py in through if px > e.x]
    lower_before = before[-1] > e.y if before else None  # screen y grows downwards
    lower_after = after[0] > e.y if after else None
    if lower_before is not False and lower_after is not False:  # a peak, or alone
        return ["above", "above right", "above left", "right", "left", "below", *_LOW]
    if lower_before is not True and lower_after is not True:  # a valley
        return ["below", "below right", "below left", "right", "left", "above", *_HIGH]
    if lower_after:  # the curve falls to the right: the label goes up and right
        return ["above right", "below left", "above", "below", "right", "left", *_ALL]
    return ["above left", "below right", "above", "below", "left", "right", *_ALL]


_ALL = ["above right", "above left", "below right", "below left"]
_LOW = ["below right", "below left"]
_HIGH = ["above right", "above left"]


def _clashes(
    box: Box,
    band: Box,
    line: list[Point],
    connectors: list[tuple[Point, Point]],
    taken: list[Box],
    points: list[EmotionGeo],
) -> int:
    """How many things `box` (grown by GAP) would touch, or leave (the band)."""
    grown = Box(box.x - GAP, box.y - GAP, box.w + 2 * GAP, box.h + 2 * GAP)
    count = 0
    if box.x < band.x or box.right > band.right or box.y < band.y or box.bottom > band.bottom:
        count += 1
    count += sum(_crosses(grown, a, b) for a, b in itertools.pairwise(line))
    count += sum(_crosses(grown, a, b) for a, b in connectors)
    count += sum(_overlap(grown, other) for other in taken)
    count += sum(_touches_circle(grown, e.x, e.y, radius(e)) for e in points)
    return count


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def _touches_circle(box: Box, cx: float, cy: float, r: float) -> bool:
    nx, ny = min(max(cx, box.x), box.right), min(max(cy, box.y), box.bottom)
    return (nx - cx) ** 2 + (ny - cy) ** 2 < r * r


def _crosses(box: Box, a: Point, b: Point) -> bool:
    """Whether the segment from a to b touches the box (Liang-Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in (
        (-dx, a[0] - box.x),
        (dx, box.right - a[0]),
        (-dy, a[1] - box.y),
        (dy, box.bottom - a[1]),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True
