"""Sentiment on real reviews: the default analyser beside plain VADER and the majority class.

    make bench-data && .venv/bin/python -m bench.sentiment_reviews

The labelled text is UCI's "Sentiment Labelled Sentences" (Kotzias, Denil, de Freitas and
Smyth, KDD 2015; CC BY 4.0): 1,000 sentences each from Amazon product reviews, IMDb film
reviews and Yelp restaurant reviews, half positive and half negative, as the MIT npm package
`sentiment@5.0.2` ships them in `test/fixtures/` (installed into bench/data-npm by `npm ci`;
never fetched at run time).

In the same run, for each domain:
- majority: always the most common label (of the other two domains; here 50%);
- plain VADER: `vaderSentiment`'s `polarity_scores(text)["compound"] >= 0.05`, the threshold
  its README gives, one call per sentence;
- VADER, threshold tuned: the same scores with the threshold that does best on the other two
  domains (so VADER gets the same tuning as ours);
- ours (`vader-reviews`): its threshold chosen the same way, on the other two domains only, and
  measured on the held-out third. Nothing else is fitted: its word lists are written by hand.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

FIXTURES = (
    Path(__file__).resolve().parent
    / "data-npm"
    / "node_modules"
    / "sentiment"
    / "test"
    / "fixtures"
)
DOMAINS = ("amazon", "imdb", "yelp")
THRESHOLDS = [round(-0.3 + 0.05 * i, 2) for i in range(13)]


@dataclass
class DomainResult:
    domain: str
    n: int
    majority: float
    vader: float
    vader_tuned: float
    vader_threshold: float
    ours: float
    ours_threshold: float


def load(domain: str) -> list[tuple[str, int]]:
    rows = json.loads((FIXTURES / f"{domain}.json").read_text(encoding="utf-8"))
    return [(r["text"], int(r["class"])) for r in rows if r.get("class") is not None]


def _accuracy(scores: list[float], labels: list[int], threshold: float) -> float:
    return sum((s >= threshold) == (y == 1) for s, y in zip(scores, labels, strict=True)) / len(
        labels
    )


def evaluate() -> list[DomainResult]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from journeymap.analytics.sentiment import analyser

    plain, ours = SentimentIntensityAnalyzer(), analyser("vader-reviews")
    data = {d: load(d) for d in DOMAINS}
    labels = {d: [y for _, y in rows] for d, rows in data.items()}
    theirs = {
        d: [plain.polarity_scores(t)["compound"] for t, _ in rows] for d, rows in data.items()
    }
    mine = {d: [ours.compound(t) for t, _ in rows] for d, rows in data.items()}

    def tuned(scores: dict[str, list[float]], held_out: str) -> float:
        others = [d for d in DOMAINS if d != held_out]
        return max(
            THRESHOLDS,
            key=lambda t: (sum(_accuracy(scores[d], labels[d], t) for d in others), -abs(t)),
        )

    out = []
    for d in DOMAINS:
        train = [y for o in DOMAINS if o != d for y in labels[o]]
        common = 1 if 2 * sum(train) >= len(train) else 0
        vader_t, ours_t = tuned(theirs, d), tuned(mine, d)
        out.append(
            DomainResult(
                domain=d,
                n=len(labels[d]),
                majority=sum(y == common for y in labels[d]) / len(labels[d]),
                vader=_accuracy(theirs[d], labels[d], 0.05),
                vader_tuned=_accuracy(theirs[d], labels[d], vader_t),
                vader_threshold=vader_t,
                ours=_accuracy(mine[d], labels[d], ours_t),
                ours_threshold=ours_t,
            )
        )
    return out


def main() -> None:
    if not FIXTURES.exists():
        sys.exit("the labelled sentences are not installed: run `make bench-data` (npm ci)")
    print("domain   n      majority  plain VADER  VADER tuned (t)   ours (t, tuned on the others)")
    for r in evaluate():
        print(
            f"{r.domain:8} {r.n:5}  {r.majority:8.1%}  {r.vader:11.1%}  "
            f"{r.vader_tuned:6.1%} ({r.vader_threshold:+.2f})  "
            f"{r.ours:6.1%} ({r.ours_threshold:+.2f})"
        )


if __name__ == "__main__":
    main()
