"""The poster's measures and its one shape: sizes in SVG units, boxes, and where a column is.
Shared by the layout, the writer and the panels that add to them (voice.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .layout import Poster

MARGIN = 32
LABEL_W = 180
COL_W = 232
GAP = 8  # between columns and between cards
CARD_PAD = 10
FONT = 13
LINE = 18
SMALL = 11
SMALL_LINE = 15
BIG = 24  # a metric's number
BIG_LINE = 30
TITLE = 30
STAGE_H = 52
STEP_H = 30
SECTION_H = 30
LANE_MIN_H = 56
CURVE_TOP = 16  # the curve's band inside the emotion row; the notes sit under it
CURVE_H = 180
LEGEND_H = 96
MIN_WIDTH = 1420  # the legend's width: a poster of few columns is never narrower
PERSONA_LEFT = 280  # the persona's name, segment and quote; its lists sit to the right
NOTE_LINES = 3


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


def column_index(poster: Poster, stage: str, step: str | None) -> int | None:
    for i, col in enumerate(poster.columns):
        if (col.stage, col.step) == (stage, step):
            return i
    return None
