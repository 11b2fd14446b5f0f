"""Voice-of-the-customer figures, each beside its peer from the same run.

    .venv/bin/python -m bench.feedback              # both parts
    .venv/bin/python -m bench.feedback verbatims    # or one: verbatims | painpoints

1. Sentiment and themes for 1,000,000 verbatims: journeymap's default analyser on every core
   (each distinct text once) plus themes per touchpoint, beside the loop a user would write,
   `[SentimentIntensityAnalyzer().polarity_scores(t)["compound"] for t in texts]`, on the same
   texts. The texts are built from phrases with names, numbers and products mixed in, so that
   most are distinct (the count is printed).
2. The pain-point ranking on 10M demo events (100k customers) and 1M survey answers, end to
   end: a forced ingest of the events, the measures, the bound events, a forced ingest of the
   answers (placement, masking, sentiment) and the ranking, as `journeymap painpoints` does.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / ".bench-data"
TOUCHPOINTS = [
    "product-page",
    "cart-page",
    "account-wall",
    "delivery-step",
    "fee-added",
    "payment-page",
    "confirmation-email",
    "dispatch-email",
    "parcel-delivery",
    "review-request",
]
OPENERS = ["", "Honestly, ", "Well, ", "To be fair, ", "Overall ", "Sadly ", "Wow, ", "Hmm, "]
CORES = [
    "the {p} arrived {d} days late",
    "delivery cost {n} pounds more than I expected",
    "the {p} was lovely and {name} loved it",
    "checkout was quick and easy on my phone",
    "I had to call support {n} times about my {p}",
    "the tracking link never updated for {d} days",
    "hidden fees at the last step, I nearly left",
    "great quality {p}, would recommend",
    "the sign-up wall before delivery options is annoying",
    "{name} says the {p} is perfect",
    "paid {n}.99 for shipping a {p}, not worth it",
    "the courier left the {p} in the rain",
    "fast and simple, very happy with the {p}",
    "the discount code for the {p} did not work",
    "no complaints at all, {name} will order again",
    "customer service sorted it in {d} minutes",
]
PRODUCTS = ["mug", "print", "candle", "card", "poster", "frame", "blanket", "notebook", "lamp"]
NAMES = ["Sam", "Alex", "Priya", "Jo", "Hannah", "Omar", "Mia", "Leo", "Ana", "Tom", "Zoe"]


def verbatims(n: int, seed: int = 16) -> tuple[list[str], list[str]]:
    import numpy as np

    rng = np.random.default_rng(seed)
    opener = rng.integers(0, len(OPENERS), n)
    core = rng.integers(0, len(CORES), n)
    product = rng.integers(0, len(PRODUCTS), n)
    name = rng.integers(0, len(NAMES), n)
    number, days = rng.integers(2, 60, n), rng.integers(2, 15, n)
    ending = rng.choice(np.array([".", "!", "", "...", " :("]), n)
    second = rng.integers(0, len(CORES), n)
    joiner = rng.choice(np.array(["", ", and ", " but ", ". Also ", "; "]), n)

    def said(i: int, which: int) -> str:
        return CORES[which].format(
            p=PRODUCTS[product[i]], d=days[i], n=number[i], name=NAMES[name[i]]
        )

    texts = [
        (
            OPENERS[opener[i]]
            + said(i, core[i])
            + (joiner[i] + said(i, second[i]) if joiner[i] else "")
            + ending[i]
        ).capitalize()
        for i in range(n)
    ]
    where = [TOUCHPOINTS[i] for i in rng.integers(0, len(TOUCHPOINTS), n)]
    return texts, where


def part_verbatims(n: int = 1_000_000) -> None:
    import numpy as np

    from journeymap.analytics.sentiment import score_texts
    from journeymap.analytics.themes import themes_by_group

    texts, where = verbatims(n)
    print(f"{n:,} verbatims, {len(set(texts)):,} distinct, {os.cpu_count()} cores")
    start = time.perf_counter()
    scores = score_texts(texts)
    scored = time.perf_counter()
    groups: dict[str, tuple[list[str], object]] = {}
    keys = np.array(where)
    for t in TOUCHPOINTS:
        index = np.flatnonzero(keys == t)
        groups[t] = ([texts[i] for i in index], scores[index])
    found = themes_by_group(groups)
    done = time.perf_counter()
    print(
        f"journeymap (vader-reviews, every core): sentiment {scored - start:.1f} s, themes "
        f"{done - scored:.1f} s ({sum(len(v) for v in found.values())} themes), "
        f"total {done - start:.1f} s"
    )
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    ours = done - start
    analyzer = SentimentIntensityAnalyzer()
    start = time.perf_counter()
    theirs = [analyzer.polarity_scores(t)["compound"] for t in texts]
    peer = time.perf_counter() - start
    print(
        f"plain loop over vaderSentiment (one core, sentiment only): {peer:.1f} s "
        f"({peer / ours:.1f}x journeymap's sentiment and themes)"
    )
    assert len(theirs) == n


def part_painpoints(events: int = 10_000_000, answers: int = 1_000_000) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from journeymap.analytics.demo_data import generate
    from journeymap.analytics.demo_feedback import COMPLAINTS, MIDDLING, PRAISE

    folder = ROOT / f"voice-{events}"
    source = folder / "online-store.source.yaml"
    if not source.exists():
        generate(folder, events, seed=7, customers=events // 100)
    survey = folder / "survey.parquet"
    if not survey.exists():
        rng = np.random.default_rng(7)
        ids = pq.read_table(folder / "customers.parquet", columns=["customer_id"])["customer_id"]
        who = ids.take(pa.array(rng.integers(0, len(ids), answers)))
        bank = [*PRAISE, *MIDDLING, *(t for v in COMPLAINTS.values() for t in v)]
        said = np.array(bank, dtype=object)[rng.integers(0, len(bank), answers)]
        said[rng.random(answers) < 0.6] = None
        start = 1767571200000 + rng.integers(0, 120 * 86_400_000, answers)
        pq.write_table(
            pa.table(
                {
                    "response_id": [f"R{i}" for i in range(answers)],
                    "customer_id": who,
                    "answered_at": pa.array(start, pa.timestamp("ms", tz="UTC")),
                    "touchpoint": np.array(TOUCHPOINTS)[rng.integers(0, len(TOUCHPOINTS), answers)],
                    "question": ["csat"] * answers,
                    "score": rng.integers(1, 6, answers),
                    "comment": pa.array(said.tolist(), pa.string()),
                }
            ),
            survey,
        )
        (folder / "feedback.yaml").write_text(
            "feedback: {path: survey.parquet}\n"
            "columns: {id: response_id, customer: customer_id, timestamp: answered_at,\n"
            "          score_type: question, score: score, text: comment}\n"
            "place: {by: touchpoint, column: touchpoint}\n"
        )
    from journeymap.analytics.feedback_ingest import ingest_feedback
    from journeymap.analytics.feedback_spec import load_feedback_spec
    from journeymap.analytics.painpoints import find_pain_points
    from journeymap.analytics.plan import MeasureOptions, measure
    from journeymap.analytics.store_measures import StorePlan
    from journeymap.services.analysis import open_events
    from journeymap.services.templates import new_journey

    journey = new_journey(template="online-store-checkout")
    times = {}
    start = time.perf_counter()
    store = open_events(source, folder / ".jm", force=True).store
    times["events ingest"] = time.perf_counter() - start
    mark = time.perf_counter()
    plan = StorePlan(store, keep_bound=True)  # the bound events from the measuring pass
    measured = measure(plan, journey, MeasureOptions.for_journey(journey))
    bound = plan.bound
    times["measures and bound events"] = time.perf_counter() - mark
    mark = time.perf_counter()
    spec = load_feedback_spec(folder / "feedback.yaml")
    said = ingest_feedback(spec, folder, journey, folder / ".jm", force=True)
    times["answers ingest"] = time.perf_counter() - mark
    mark = time.perf_counter()
    found = find_pain_points(journey, measured, bound, said)
    times["ranking"] = time.perf_counter() - mark
    total = time.perf_counter() - start
    print(
        f"pain points on {bound.customers:,} customers' {events:,} events and "
        f"{said.report.rows_kept:,} answers ({said.report.texts:,} with text): "
        f"{total:.1f} s end to end"
    )
    for step, seconds in times.items():
        print(f"  {step}: {seconds:.1f} s")
    print("  ranked:", ", ".join(f.touchpoint for f in found if f.score > 0))


def main() -> None:
    parts = sys.argv[1:] or ["verbatims", "painpoints"]
    if "verbatims" in parts:
        part_verbatims()
    if "painpoints" in parts:
        part_painpoints()


if __name__ == "__main__":
    main()
