"""The SVG poster's structure: everything is there, in its row and column, and escaped."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeymap.domain.apply import apply_all
from journeymap.domain.model import Journey
from journeymap.domain.operations import AddOp, SetOp
from journeymap.files.journey_file import journey_from_text
from journeymap.render.layout import layout
from journeymap.render.svg import render_svg, score_colour, write_svg

NS = "{http://www.w3.org/2000/svg}"


def parse(journey: Journey) -> ET.Element:
    return ET.fromstring(render_svg(journey))


def texts(element: ET.Element) -> str:
    """All drawn text, a space between lines (wrapped text is one tspan a line)."""
    return " ".join(t.text or "" for t in element.iter(f"{NS}tspan"))


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{NS}g") if g.get("class") == cls]


def rect(group: ET.Element) -> tuple[float, float, float, float]:
    r = group.find(f"{NS}rect")
    assert r is not None
    return (
        float(r.get("x", 0)),
        float(r.get("y", 0)),
        float(r.get("width", 0)),
        float(r.get("height", 0)),
    )


def test_every_stage_step_lane_and_card_text_is_drawn(template: tuple[str, str]) -> None:
    name, text = template
    journey = journey_from_text(text, f"{name}.yaml")
    root = parse(journey)
    drawn = texts(root)
    for stage in journey.live_stages():
        assert stage.id in {g.get("data-id") for g in groups(root, "stage")}
        for step in journey.live_steps(stage):
            assert step.name in drawn
    for section in journey.live_sections():
        for lane in journey.live_lanes(section):
            assert lane.name in drawn
    cards = {g.get("data-id"): g for g in groups(root, "card")}
    assert set(cards) == {c.id for c in journey.live_cards()}
    for card in journey.live_cards():
        # The card's words are all drawn inside its own group (wrapped over lines).
        drawn_card = texts(cards[card.id])
        assert all(word in drawn_card for word in card.text.split())


def test_cards_sit_in_their_lanes_row_and_stages_column(template: tuple[str, str]) -> None:
    name, text = template
    journey = journey_from_text(text, f"{name}.yaml")
    root = parse(journey)
    lanes = {
        g.get("data-id"): (float(g.get("data-y", 0)), float(g.get("data-h", 0)))
        for g in groups(root, "lane")
    }
    columns = {
        (g.get("data-stage"), g.get("data-step") or None): (
            float(g.get("data-x", 0)),
            float(g.get("data-w", 0)),
        )
        for g in groups(root, "column")
    }
    for g in groups(root, "card"):
        x, y, w, h = rect(g)
        top, height = lanes[g.get("data-lane")]
        assert top <= y and y + h <= top + height, g.get("data-id")
        left, width = columns[(g.get("data-stage"), g.get("data-step") or None)]
        assert left <= x and x + w <= left + width + 0.5, g.get("data-id")


def test_cards_in_one_cell_do_not_overlap(small: Journey) -> None:
    long = "a rather long sentence that needs to wrap over several lines " * 6
    journey = apply_all(
        small,
        [
            AddOp(
                entity="card",
                id=f"n{i}",
                value={"kind": "note", "stage": "awareness", "lane": "actions", "text": long},
            )
            for i in range(4)
        ],
    )
    boxes = sorted(
        rect(g) for g in groups(parse(journey), "card") if g.get("data-lane") == "actions"
    )
    assert len(boxes) == 5
    for upper, lower in itertools.pairwise(boxes):
        assert upper[1] + upper[3] <= lower[1]


def test_emotion_points_follow_the_stages_and_their_scores(small: Journey) -> None:
    journey = apply_all(
        small,
        [
            AddOp(entity="emotion", value={"stage": "decision", "step": "cart", "score": 0.5}),
        ],
    )
    poster = layout(journey)
    root = ET.fromstring(write_svg(poster))
    points = groups(root, "emotion-point")
    order = [(p.get("data-stage"), p.get("data-step") or None) for p in points]
    assert order == [("awareness", None), ("decision", "cart"), ("decision", "delivery")]
    circles = [p.find(f"{NS}circle") for p in points]
    xs = [float(c.get("cx", 0)) for c in circles if c is not None]
    ys = [float(c.get("cy", 0)) for c in circles if c is not None]
    scores = [float(p.get("data-score", 0)) for p in points]
    assert xs == sorted(xs)
    # y is linear in the score, higher scores higher up, inside the emotion row
    slope = (ys[0] - ys[2]) / (scores[0] - scores[2])
    assert slope < 0
    for y, s in zip(ys, scores, strict=True):
        assert y == pytest.approx(ys[0] + slope * (s - scores[0]), abs=0.15)  # drawn to 0.1 px
    row = poster.emotion_row
    assert row is not None
    assert all(row.y < y < row.bottom for y in ys)
    assert [c.get("fill") for c in circles if c is not None] == [score_colour(s) for s in scores]
    assert root.find(f".//{NS}path[@class='emotion-curve']") is not None


@pytest.mark.parametrize(
    "hostile",
    ["<script>alert(1)</script>", "</text></svg><svg onload=alert(1)>", "a & b \" ' <", "]]>"],
)
def test_hostile_text_is_drawn_as_text(small: Journey, hostile: str) -> None:
    journey = apply_all(
        small,
        [
            SetOp(entity="card", id="sees-ad", field="text", value=hostile),
            SetOp(entity="journey", field="title", value=hostile),
            SetOp(entity="lane", id="pains", field="name", value=hostile),
        ],
    )
    svg = render_svg(journey)
    root = ET.fromstring(svg)  # still well-formed
    assert not [e for e in root.iter() if e.tag in (f"{NS}script", "script")]
    assert not [e for e in root.iter() if any(a.startswith("on") for a in e.attrib)]
    card = next(g for g in groups(root, "card") if g.get("data-id") == "sees-ad")
    drawn = "".join("".join(t.itertext()) for t in card.iter(f"{NS}text"))
    assert hostile.replace(" ", "") in drawn.replace(" ", "")  # wrapping may split at a space
    assert root.find(f"{NS}title").text == hostile.strip()  # type: ignore[union-attr]


def test_long_content_makes_rows_taller_not_overlapping(small: Journey) -> None:
    short = layout(small)
    long_text = " ".join(["word"] * 400)
    tall = layout(apply_all(small, [SetOp(entity="card", id="fee", field="text", value=long_text)]))
    assert tall.height > short.height + 300
    lanes = sorted((ln.box.y, ln.box.bottom) for ln in tall.lanes)
    for (_, bottom), (top, _) in itertools.pairwise(lanes):
        assert bottom <= top


def test_accents_cjk_and_emoji_reach_the_svg(small: Journey) -> None:
    text = "Crème brûlée · 顧客の声 · 고객 · 🎁🚚"
    svg = render_svg(apply_all(small, [SetOp(entity="card", id="ad", field="text", value=text)]))
    assert "Crème brûlée" in svg and "顧客の声" in svg and "🎁🚚" in svg


def test_future_state_badge(small: Journey) -> None:
    current = texts(parse(small))
    future = texts(
        parse(
            apply_all(
                small,
                [
                    SetOp(entity="journey", field="current_journey", value="small-now"),
                    SetOp(entity="journey", field="state", value="future"),
                ],
            )
        )
    )
    assert "CURRENT STATE" in current and "FUTURE STATE" in future
    assert "improves small-now" in future


def test_a_large_journey_stays_readable() -> None:
    from bench.render import big_journey

    journey = big_journey()
    assert len(journey.live_stages()) == 10 and len(journey.live_cards()) == 300
    poster = layout(journey)
    assert len({(c.box.x, c.box.y) for c in poster.cards}) == 300  # no two cards stacked
    assert all(c.box.w >= 200 for c in poster.cards)


@given(st.lists(st.integers(-20, 20), min_size=2, max_size=12))
def test_the_emotion_curve_never_overshoots_the_scores(scores: list[int]) -> None:
    from journeymap.render.svg import smooth_path

    points = [(100.0 + 240 * i, 300.0 - 4 * s) for i, s in enumerate(scores)]
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", smooth_path(points))]
    segments = [numbers[2 + 6 * i : 8 + 6 * i] for i in range(len(points) - 1)]
    for (_, y0), seg in zip(points[:-1], segments, strict=True):
        c1y, c2y, y1 = seg[1], seg[3], seg[5]
        for t in (i / 20 for i in range(21)):
            y = (
                (1 - t) ** 3 * y0
                + 3 * (1 - t) ** 2 * t * c1y
                + 3 * (1 - t) * t**2 * c2y
                + t**3 * y1
            )
            assert min(y0, y1) - 0.2 <= y <= max(y0, y1) + 0.2


def _stress_journey() -> Journey:
    from journeymap.domain.operations import AddOp
    from journeymap.services.templates import new_journey

    long = "a very long name that keeps going and going well past any column width"
    return apply_all(
        new_journey(framework="three-stage", title="T " * 60),
        [
            AddOp(
                entity="persona",
                value={
                    "name": "Maximiliana Bartholomew-Featherstonehaugh III",
                    "segment": long,
                    "quote": long * 3,
                    "goals": [long],
                },
            ),
            AddOp(entity="step", id="st", value={"stage": "decision", "name": long}),
            AddOp(
                entity="card",
                id="tp",
                value={
                    "kind": "touchpoint",
                    "stage": "decision",
                    "step": "st",
                    "lane": "touchpoints",
                    "channel": "web",
                    "text": "🇬🇧🇯🇵🇫🇷🇩🇪 " * 8,
                },
            ),
            AddOp(
                entity="card",
                id="m",
                value={
                    "kind": "metric",
                    "stage": "awareness",
                    "lane": "metrics",
                    "text": "Reach",
                    "value": 123456789012.25,
                    "unit": "people",
                },
            ),
            AddOp(entity="emotion", value={"stage": "awareness", "score": -1.5, "note": long * 2}),
            AddOp(entity="lane", id="ln", value={"section": "business", "name": long}),
        ],
    )


@pytest.mark.parametrize("which", ["stress", "online-store-checkout", "tax-filing"])
def test_text_stays_inside_its_boxes(which: str) -> None:
    from journeymap.render.geometry import (
        BIG,
        CARD_PAD,
        COL_W,
        LABEL_W,
        SMALL,
        TITLE,
    )
    from journeymap.render.text_metrics import text_width
    from journeymap.services.templates import new_journey

    journey = _stress_journey() if which == "stress" else new_journey(template=which)
    poster = layout(journey)
    inner = COL_W - 2 * CARD_PAD
    for card in poster.cards:
        assert all(text_width(ln, 13) <= inner + 1 for ln in card.lines), card.card.id
        assert all(text_width(ln, SMALL) <= inner + 1 for ln in card.foot), card.card.id
        assert text_width(card.head, SMALL - 1, bold=True) <= inner, card.card.id
        assert all(text_width(ln, card.big_size, bold=True) <= inner + 1 for ln in card.big)
        assert card.big_size <= BIG
    for lane in poster.lanes:
        assert all(text_width(ln, 13, bold=True) <= LABEL_W - 28 for ln in lane.label_lines)
        assert len(lane.label_lines) * 18 + 24 <= lane.box.h
    for column in poster.columns:
        assert text_width(column.label, 12, bold=True) <= COL_W - 20 or not column.has_header
    for stage in poster.stages:
        assert len(stage.name_lines) <= 2
        assert all(text_width(ln, 16, bold=True) <= stage.box.w - 28 for ln in stage.name_lines)
    for persona in poster.personas:
        used = (
            len(persona.name_lines) * 22
            + len(persona.segment_lines) * 16
            + len(persona.quote_lines) * 18
            + 26
        )
        assert used <= persona.box.h
    assert all(text_width(ln, TITLE, bold=True) <= poster.width for ln in poster.title_lines)
    assert poster.legend is not None and poster.legend.right <= poster.width
    assert poster.width >= 1400  # wide enough for the legend however few the columns


def test_wrapping_never_splits_an_emoji_or_a_flag() -> None:
    from journeymap.render.text_metrics import wrap

    lines = wrap("🇬🇧🇯🇵🇫🇷 👨‍👩‍👧👨‍👩‍👧 👍🏽👍🏽 é", 30, 13)
    assert "".join(lines).replace(" ", "") == "🇬🇧🇯🇵🇫🇷👨‍👩‍👧👨‍👩‍👧👍🏽👍🏽é"
    for line in lines:
        assert not line.startswith(("\u200d", "\U0001f3fd", "\u0301"))
        flags = [c for c in line if 0x1F1E6 <= ord(c) <= 0x1F1FF]
        assert len(flags) % 2 == 0


def test_one_emotion_lane_per_journey(small: Journey) -> None:
    from journeymap.domain.apply import apply
    from journeymap.domain.errors import OperationError
    from journeymap.domain.operations import AddOp

    j = apply(
        small,
        AddOp(
            entity="lane", id="feel", value={"section": "persona", "name": "F", "kind": "emotion"}
        ),
    )
    with pytest.raises(OperationError, match="a second emotion lane"):
        apply(
            j,
            AddOp(
                entity="lane",
                id="feel2",
                value={"section": "business", "name": "G", "kind": "emotion"},
            ),
        )
    assert len(groups(parse(j), "emotion-point")) == len(j.live_emotions())
