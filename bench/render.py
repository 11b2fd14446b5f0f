"""Render times for a large journey: 10 stages x 15 lanes x 300 cards.

    .venv/bin/python -m bench.render

Prints the time to lay out and write the SVG (best of several runs), and to make the PNG and the
PDF through headless Chromium (each a fresh browser, as `journeymap render` does).
"""

from __future__ import annotations

import platform
import random
import statistics
import time

from journeymap.domain.apply import apply_all
from journeymap.domain.model import LANE_HOME, Journey, LaneKind
from journeymap.domain.operations import AddOp, Operation

KINDS = [
    LaneKind.text,
    LaneKind.touchpoints,
    LaneKind.pain_points,
    LaneKind.opportunities,
    LaneKind.metrics,
    LaneKind.quotes,
]
WORDS = [
    "customer",
    "checkout",
    "delivery",
    "fee",
    "surprise",
    "basket",
    "review",
    "price",
    "compare",
    "order",
    "parcel",
    "support",
    "call",
    "email",
    "app",
    "store",
    "friend",
    "recommend",
    "return",
    "refund",
    "wait",
    "confirm",
]


def big_journey(stages: int = 10, lanes: int = 15, cards: int = 300, seed: int = 7) -> Journey:
    """A journey of the size the poster must stay readable at, with realistic card lengths."""
    rng = random.Random(seed)
    ops: list[Operation] = [
        AddOp(entity="stage", id=f"s{i}", value={"name": f"Stage {i + 1}"}) for i in range(stages)
    ]
    ops += [
        AddOp(entity="step", id=f"s{i}-{k}", value={"stage": f"s{i}", "name": f"Step {k + 1}"})
        for i in range(0, stages, 3)
        for k in range(2)
    ]
    lane_kinds = []
    for i in range(lanes):
        if i % 5 == 0:
            ops.append(AddOp(entity="section", id=f"sec{i // 5}", value={"name": f"Team {i // 5}"}))
        kind = KINDS[i % len(KINDS)]
        lane_kinds.append(kind)
        ops.append(
            AddOp(
                entity="lane",
                id=f"l{i}",
                value={"section": f"sec{i // 5}", "name": f"Lane {i + 1}", "kind": kind},
            )
        )
    for n in range(cards):
        lane = rng.randrange(lanes)
        kind = next(k for k, home in LANE_HOME.items() if home is lane_kinds[lane])
        stage = rng.randrange(stages)
        value: dict[str, object] = {
            "kind": kind,
            "stage": f"s{stage}",
            "lane": f"l{lane}",
            "text": " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30))).capitalize(),
        }
        if stage % 3 == 0:
            value["step"] = f"s{stage}-{rng.randrange(2)}"
        if kind == "touchpoint":
            value["channel"] = rng.choice(["web", "app", "email", "store", "phone"])
        if kind == "pain_point":
            value["severity"] = rng.randint(1, 5)
        if kind == "metric":
            value["value"] = rng.randint(1, 100)
        ops.append(AddOp(entity="card", id=f"c{n}", value=value))
    ops += [
        AddOp(entity="emotion", value={"stage": f"s{i}", "score": rng.randint(-20, 20) / 10})
        for i in range(stages)
    ]
    return apply_all(Journey(id="big", title="A large journey"), ops)


def main() -> None:
    from journeymap.render.export import render
    from journeymap.render.svg import render_svg

    journey = big_journey()
    print(
        f"journey: {len(journey.live_stages())} stages, "
        f"{sum(len(journey.live_lanes(s)) for s in journey.live_sections())} lanes, "
        f"{len(journey.live_cards())} cards"
    )
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}"
    )
    svg_runs = []
    for _ in range(7):
        start = time.perf_counter()
        render_svg(journey)
        svg_runs.append(time.perf_counter() - start)
    print(
        f"SVG  best {min(svg_runs):.3f} s   median {statistics.median(svg_runs):.3f} s   "
        "(target: under 0.5 s)"
    )
    for fmt in ("png", "pdf"):
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            data = render(journey, fmt)
            runs.append(time.perf_counter() - start)
        print(
            f"{fmt.upper()}  best {min(runs):.3f} s   median {statistics.median(runs):.3f} s   "
            f"({len(data) / 1e6:.1f} MB, Chromium start-up included)"
        )


if __name__ == "__main__":
    main()
