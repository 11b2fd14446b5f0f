"""The emotion curve's score labels sit beside their points and never on the curve, on another
label or on another point, on every template and on random curves. Checked on the SVG as
drawn: the curve from its path data, each label from its text's place and width."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.domain.apply import apply_all
from journeymap.domain.model import Journey
from journeymap.domain.operations import AddOp, SetOp
from journeymap.render.svg import render_svg
from journeymap.render.text_metrics import text_width
from journeymap.services.templates import new_journey, template_names

NS = "{http://www.w3.org/2000/svg}"
SIZE = 11  # the labels' font size
Box = tuple[float, float, float, float]  # left, top, right, bottom


def drawn(journey: Journey) -> tuple[list[tuple[float, float]], list[Box], list[Box]]:
    """(points along the drawn curve, each score label's ink box, each point's box)."""
    root = ET.fromstring(render_svg(journey))
    path = next((p for p in root.iter(f"{NS}path") if p.get("class") == "emotion-curve"), None)
    curve = _sampled(path.get("d", "")) if path is not None else []
    labels, points = [], []
    for group in root.iter(f"{NS}g"):
        if group.get("class") != "emotion-point":
            continue
        circle = group.find(f"{NS}circle")
        assert circle is not None
        cx, cy, r = (float(circle.get(k, 0)) for k in ("cx", "cy", "r"))
        points.append((cx - r, cy - r, cx + r, cy + r))
        score = next(t for t in group.iter(f"{NS}text") if t.get("class") == "emotion-score")
        span = score.find(f"{NS}tspan")
        assert span is not None and span.text is not None
        assert re.fullmatch(r"[+-]\d\.\d", span.text)
        x, baseline = float(span.get("x", 0)), float(span.get("y", 0))
        width = text_width(span.text, SIZE, bold=True)
        labels.append((x, baseline - 0.75 * SIZE, x + width, baseline + 0.05 * SIZE))
    return curve, labels, points


def _sampled(d: str, steps: int = 256) -> list[tuple[float, float]]:
    """The path's cubic pieces, evaluated densely (under a pixel apart on a poster)."""
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    start, rest = (numbers[0], numbers[1]), numbers[2:]
    out = [start]
    for i in range(0, len(rest), 6):
        x1, y1, x2, y2, x3, y3 = rest[i : i + 6]
        x0, y0 = out[-1]
        for k in range(1, steps + 1):
            t = k / steps
            u = 1 - t
            out.append(
                (
                    u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                    u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
                )
            )
    return out


def _inside(box: Box, x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assert_labels_clear(journey: Journey) -> None:
    curve, labels, points = drawn(journey)
    assert len(labels) == len(journey.live_emotions())
    for n, label in enumerate(labels):
        on_curve = [(x, y) for x, y in curve if _inside(label, x, y)]
        assert on_curve == [], f"label {n} {label} lies on the curve at {on_curve[:3]}"
        others = [m for m, box in enumerate(points) if _overlap(label, box)]
        assert others == [], f"label {n} {label} covers point(s) {others}"
    for (a, one), (b, other) in itertools.combinations(enumerate(labels), 2):
        assert not _overlap(one, other), f"labels {a} and {b} overlap: {one} {other}"


@pytest.mark.parametrize("name", template_names())
def test_no_label_touches_the_curve_or_another_on_any_template(name: str) -> None:
    assert_labels_clear(new_journey(template=name))


def test_a_label_sits_beside_its_own_point() -> None:
    """Clear of the curve, yet close enough to read as its point's."""
    journey = new_journey(template="online-store-checkout")
    _, labels, points = drawn(journey)
    for label, point in zip(labels, points, strict=True):
        cx, cy = (point[0] + point[2]) / 2, (point[1] + point[3]) / 2
        nearest_x = min(max(cx, label[0]), label[2])
        nearest_y = min(max(cy, label[1]), label[3])
        assert ((nearest_x - cx) ** 2 + (nearest_y - cy) ** 2) ** 0.5 < 30


def _with_touchpoint_points(journey: Journey) -> Journey:
    touchpoints = [c for c in journey.live_cards() if c.kind == "touchpoint"][:6]
    ops = [
        AddOp(
            entity="emotion",
            value={"stage": c.stage, "step": c.step, "card": c.id, "score": 0.0},
        )
        for c in touchpoints
    ]
    return apply_all(journey, ops)


BASE = _with_touchpoint_points(new_journey(template="online-store-checkout"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-20, 20), min_size=len(BASE.live_emotions()), max_size=30))
def test_no_label_touches_the_curve_or_another_on_random_curves(scores: list[int]) -> None:
    """Every emotion point of the online-store map (its stages', steps' and six touchpoints')
    given random scores: steep climbs, falls, peaks, valleys and flat runs."""
    ops = [
        SetOp(entity="emotion", id=e.id, field="score", value=s / 10)
        for e, s in zip(BASE.live_emotions(), scores, strict=False)
    ]
    assert_labels_clear(apply_all(BASE, ops))
