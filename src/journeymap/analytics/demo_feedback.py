"""Seeded demo feedback, consistent with the demo events: micro-survey answers (CSAT 1-5) a few
minutes after the touchpoints customers really reached, an NPS question after the review
request, free-text comments that match their scores, and a manifest of what was planted.

The shipping-fee surprise scores badly and is complained about; so is the seed's second pain
(demo_data.planted); the seed's clean touchpoint is praised; everything else is middling. The
manifest names them, so a test can check the detectors knowing only what was planted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .demo_data import planted

SURVEYED = {  # event -> touchpoint
    "product_view": "product-page",
    "cart_view": "cart-page",
    "account_wall": "account-wall",
    "checkout_delivery": "delivery-step",
    "delivery_fee_shown": "fee-added",
    "payment_page": "payment-page",
    "order_confirmation_email": "confirmation-email",
    "dispatch_email": "dispatch-email",
    "parcel_delivered": "parcel-delivery",
    "referral_visit": "friend-recommendation",
}
CSAT = {  # mood -> P(score = 1..5)
    "bad": (0.34, 0.3, 0.2, 0.11, 0.05),
    "poor": (0.14, 0.18, 0.26, 0.26, 0.16),
    "middling": (0.04, 0.08, 0.2, 0.4, 0.28),
    "good": (0.005, 0.015, 0.05, 0.3, 0.63),
}
COMPLAINTS = {
    "fee-added": [
        "The shipping fee only appeared at the very end",
        "Hidden fees at checkout, I nearly left",
        "Delivery cost was a nasty surprise after typing my whole address",
        "Why is shipping half the price of the mug?",
        "Nobody said there was a delivery charge until the last step",
    ],
    "dispatch-email": [
        "The tracking link says label created for days, no updates",
        "I had to chat with support to find out where my order was",
        "Tracking is confusing, no idea where the parcel is",
        "The dispatch email link does not work",
    ],
    "account-wall": [
        "Forced to create an account before I could see delivery options",
        "Annoying sign-up wall on my phone, I gave up",
        "Why do I need an account just to buy a gift?",
    ],
    "cart-page": [
        "Had to go back and forth between the cart and the product to change the size",
        "The cart lost my personalisation, so I went back to the product page",
        "Confusing cart, I could not edit the name on the mug",
    ],
}
PRAISE = [
    "Quick and easy",
    "Lovely, works great",
    "Really smooth, no problems at all",
    "Great experience, would recommend",
    "Fast and simple, very happy",
]
MIDDLING = ["It was fine", "OK I guess", "Nothing special", "Did the job"]
GENERIC_COMPLAINTS = ["Slow and clunky", "Not great, a bit confusing", "Disappointed"]
FEEDBACK_YAML = """\
# Demo survey answers for the online-store-checkout template (made by `journeymap demo-data`).
feedback: {path: survey.csv, name: Post-touchpoint survey}
columns:
  id: response_id
  customer: customer_id
  timestamp: answered_at
  score_type: question
  score: score
  text: comment
place: {by: touchpoint, column: touchpoint}
events: online-store.source.yaml
"""


def _comment(rng: Any, touchpoint: str, score: int, scale: str, second: str) -> str:
    # At the second pain even a middling score comes with the complaint (it is what they say).
    low = score <= (6 if scale == "nps" else 3 if touchpoint == second else 2)
    high = score >= (9 if scale == "nps" else 4)
    if low:
        bank = COMPLAINTS.get(touchpoint if touchpoint in ("fee-added", second) else "")
        text = str(rng.choice(bank or GENERIC_COMPLAINTS))
    elif high:
        text = str(rng.choice(PRAISE))
    else:
        text = str(rng.choice(MIDDLING))
    if rng.random() < 0.003:  # a few leave their details, which must be masked
        text += f", call me on 07700 900{rng.integers(100, 999)}"
    return text + str(rng.choice([".", "!", ""]))


def generate_feedback(folder: Path, seed: int = 7, answer_rate: float = 0.3) -> Path:
    """Write survey.csv, feedback.yaml and manifest.json beside the demo events in `folder`
    (demo_data.generate first); returns the feedback definition file."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    second, clean = planted(seed)
    events = pq.read_table(folder / "events.parquet", columns=["customer_id", "ts", "event"])
    names = pc.cast(events["event"], pa.string())
    wanted = pc.is_in(names, pa.array([*SURVEYED, "review_request_email"]))
    events = events.filter(wanted).set_column(2, "event", pc.filter(names, wanted))
    rng = np.random.default_rng([seed, 16])
    # The exit survey where the fee appears is answered twice as often (people who are cross
    # say so), as exit surveys are.
    rate = np.where(pc.equal(events["event"], "delivery_fee_shown").to_numpy(False), 2, 1)
    picked = rng.random(events.num_rows) < answer_rate * rate
    rows = events.filter(pa.array(picked)).to_pylist()
    seen: set[tuple[str, str]] = set()
    out: dict[str, list[Any]] = {
        k: []
        for k in (
            "response_id",
            "customer_id",
            "answered_at",
            "touchpoint",
            "question",
            "score",
            "comment",
        )
    }
    for row in rows:
        key = (row["customer_id"], row["event"])
        if key in seen:  # one answer per customer and touchpoint
            continue
        seen.add(key)
        if row["event"] == "review_request_email":
            touchpoint, scale = "review-request", "nps"
            score = int(np.clip(np.round(rng.normal(7.6, 2.0)), 0, 10))
        else:
            touchpoint, scale = SURVEYED[row["event"]], "csat"
            mood = {"fee-added": "bad", second: "poor", clean: "good"}.get(touchpoint, "middling")
            score = int(rng.choice(5, p=CSAT[mood])) + 1
        answered = row["ts"].timestamp() + float(rng.integers(60, 1800))
        out["response_id"].append(f"R_{len(out['response_id']) + 1:06d}")
        out["customer_id"].append(row["customer_id"])
        out["answered_at"].append(
            np.datetime64(int(answered * 1000), "ms").astype(str).replace("T", " ")[:19]
        )
        out["touchpoint"].append(touchpoint)
        out["question"].append(scale)
        out["score"].append(score)
        out["comment"].append(
            _comment(rng, touchpoint, score, scale, second) if rng.random() < 0.6 else None
        )
    pcsv.write_csv(pa.table(out), folder / "survey.csv")
    (folder / "feedback.yaml").write_text(FEEDBACK_YAML)
    manifest = {
        "seed": seed,
        "first_pain": {
            "touchpoint": "fee-added",
            "signals": ["drop-off", "low scores", "negative comments"],
        },
        "second_pain": {
            "touchpoint": second,
            "signals": {
                "dispatch-email": ["service contacts", "low scores", "negative comments"],
                "account-wall": ["drop-off", "low scores", "negative comments"],
                "cart-page": ["loops", "low scores", "negative comments"],
            }[second],
        },
        "clean": clean,
        "curve_dips_at": {"stage": "decision", "step": "delivery"},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return folder / "feedback.yaml"
