"""Pain points found in the data: each touchpoint's signals against the journey's own baseline,
ranked by the customers they touch beyond it.

Signals, each a share at the touchpoint against the same share in the rest of the journey:
- **drop-off**: customers who left at the touchpoint (the funnel's drop-off) over those who
  reached it, against the rest of its *stage* (a stage where everyone leaves at its only
  touchpoint is the funnel's business, not a pain of one touchpoint);
- **loops**: moves from the touchpoint back to an earlier one (map order) over its moves out;
- **service contacts**: customers whose contact with customer service (a touchpoint marked
  `service_contact`, or in a lane so marked) came within 48 hours after this touchpoint, as the
  last touchpoint before the contact, over the customers who reached it;
- **growing time** to the next step: the share of the later half's gaps (the data's period cut in
  two) longer than the earlier half's median; 50% means no change;
- **low scores**: answers at the bottom of their scale (NPS 0-6, CSAT and stars 1-2, CES 1-3, a
  custom scale's lowest third) over the touchpoint's answers on that scale;
- **negative comments**: texts whose sentiment is negative over its texts.

A signal counts when its one-sided two-proportion z-test (growing time: against 50%) gives
p < 0.001 with at least `min_count` behind it. Its *excess* is how many customers (moves, for
loops) it touches beyond the baseline: (rate - baseline) x the touchpoint's customers (its
answers' rates applied to the customers who reached it). Touchpoints with a signal that counts
are ranked by their summed excess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..domain.cards import TouchpointCard
from ..domain.model import Journey

P_VALUE = 0.001
SERVICE_WINDOW_MS = 48 * 3_600_000
GROWTH = 1.25  # growing time: the later half's median at least this times the earlier's
SERVICE_CHANNELS = ("chat", "phone", "call", "call-centre", "support", "helpdesk")
SERVICE_TEAMS = ("service", "support", "care", "help")


@dataclass(frozen=True)
class Signal:
    name: str  # drop-off, loops, service contacts, growing time, low scores, negative comments
    count: int
    n: int
    rate: float | None
    baseline: float | None
    p_value: float | None
    excess: float  # customers (moves, for loops) beyond the baseline
    counts: bool  # significant, above the baseline, enough behind it
    detail: str  # the signal in words


@dataclass
class Finding:
    id: str  # "pp-" + the touchpoint id: what `painpoints --add` takes
    touchpoint: str
    name: str
    stage: str
    step: str | None
    reach: int | None
    signals: list[Signal] = field(default_factory=list)
    score: float = 0.0

    def explanation(self) -> str:
        said = "; ".join(s.detail for s in self.signals if s.counts)
        return f"{self.name}: {said}." if said else f"{self.name}: nothing above the baseline."


def findings_table(findings: list[Finding]) -> Any:
    """The findings as an Arrow table, a row per signal (touchpoint, name, rank score, signal,
    count, n, rate, baseline, p_value, excess, counts)."""
    import pyarrow as pa

    return pa.Table.from_pylist(
        [
            {
                "touchpoint": f.touchpoint,
                "name": f.name,
                "score": f.score,
                "signal": s.name,
                "count": s.count,
                "n": s.n,
                "rate": s.rate,
                "baseline": s.baseline,
                "p_value": s.p_value,
                "excess": s.excess,
                "counts": s.counts,
            }
            for f in findings
            for s in f.signals
        ]
    )


def one_sided_p(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2))


def compare(count: int, n: int, rest_count: int, rest_n: int) -> tuple[float | None, float | None]:
    """(baseline rate, one-sided p that the touchpoint's rate is above the rest's)."""
    if n == 0 or rest_n == 0:
        return None, None
    p1, p2 = count / n, rest_count / rest_n
    pooled = (count + rest_count) / (n + rest_n)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / rest_n))
    if se == 0:
        return p2, None if p1 == p2 else (0.0 if p1 > p2 else 1.0)
    return p2, one_sided_p((p1 - p2) / se)


def service_touchpoints(journey: Journey) -> list[str]:
    lanes = {
        ln.id for s in journey.live_sections() for ln in journey.live_lanes(s) if ln.service_contact
    }
    return [
        c.id
        for c in journey.live_cards()
        if isinstance(c, TouchpointCard) and (c.service_contact or c.lane in lanes)
    ]


def suggested_service(journey: Journey) -> list[str]:
    """Touchpoints that look like service contacts by channel or team but are not marked."""
    marked = set(service_touchpoints(journey))
    return [
        c.id
        for c in journey.live_cards()
        if isinstance(c, TouchpointCard)
        and c.id not in marked
        and (
            (c.channel or "").lower() in SERVICE_CHANNELS
            or any(w in (c.team or "").lower() for w in SERVICE_TEAMS)
        )
    ]


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}" if rate >= 0.1 else f"{rate:.1%}"


def _signal(
    name: str,
    count: int,
    n: int,
    rest: tuple[int, int],
    reach: int | None,
    min_count: int,
    words: str,
) -> Signal:
    baseline, p = compare(count, n, *rest)
    rate = count / n if n else None
    scale = reach if reach is not None else n
    excess = 0.0 if rate is None or baseline is None else (rate - baseline) * scale
    counts = p is not None and p < P_VALUE and n >= min_count and excess > 0
    detail = f"{words} {_pct(rate)} of {n:,}, against {_pct(baseline)} elsewhere"
    return Signal(name, count, n, rate, baseline, p, excess, counts, detail)


def find_pain_points(
    journey: Journey,
    measures: Any = None,  # plan.Measures (small counts not hidden)
    bound: Any = None,  # store_bound.BoundEvents
    feedback: Any = None,  # feedback_ingest.Feedback
    min_count: int = 10,
) -> list[Finding]:
    """Every bound or answered touchpoint with its signals, the ranked findings first (those
    with a signal that counts, most customers beyond the baseline first), then the rest."""
    cards = [c for c in journey.live_cards() if isinstance(c, TouchpointCard)]
    reach = {r.id: r.customers for r in measures.touchpoints} if measures is not None else {}
    findings = {
        c.id: Finding(f"pp-{c.id}", c.id, c.text, c.stage, c.step, reach.get(c.id)) for c in cards
    }
    if measures is not None:
        _drop_off(findings, measures, min_count)
        _loops(findings, journey, measures, set(service_touchpoints(journey)), min_count)
    if bound is not None:
        _service(findings, journey, bound, reach or None, min_count)
        _growing(findings, bound, min_count)
    if feedback is not None:
        _feedback(findings, feedback, min_count)
    for f in findings.values():
        f.score = sum(s.excess for s in f.signals if s.counts)
    ranked = sorted(
        (f for f in findings.values() if f.signals),
        key=lambda f: (-(f.score > 0), -f.score, f.touchpoint),
    )
    return ranked


def _drop_off(findings: dict[str, Finding], measures: Any, min_count: int) -> None:
    leavers = {d.touchpoint: d.leavers for d in measures.drop_off}
    reach = {r.id: r.customers for r in measures.touchpoints}
    by_stage: dict[str, list[str]] = {}
    for t in reach:
        by_stage.setdefault(findings[t].stage, []).append(t)
    for t, n in reach.items():
        mates = [u for u in by_stage[findings[t].stage] if u != t]
        if not mates:
            continue
        rest = (sum(leavers.get(u, 0) for u in mates), sum(reach[u] for u in mates))
        findings[t].signals.append(
            _signal("drop-off", leavers.get(t, 0), n, rest, n, min_count, "left here:")
        )


def _loops(
    findings: dict[str, Finding], journey: Journey, measures: Any, service: set[str], min_count: int
) -> None:
    """Moves out of a service contact are left out: what follows a contact is no loop."""
    order = {c.id: i for i, c in enumerate(journey.live_cards())}
    out: dict[str, int] = {}
    back: dict[str, int] = {}
    for move in measures.transitions:
        if move.source in service:
            continue
        out[move.source] = out.get(move.source, 0) + move.count
        if move.target != move.source and order.get(move.target, 0) < order.get(move.source, 0):
            back[move.source] = back.get(move.source, 0) + move.count
    total_out, total_back = sum(out.values()), sum(back.values())
    for t, n in out.items():
        if t in findings:
            rest = (total_back - back.get(t, 0), total_out - n)
            findings[t].signals.append(
                _signal(
                    "loops",
                    back.get(t, 0),
                    n,
                    rest,
                    None,
                    min_count,
                    "went back to an earlier step:",
                )
            )


def _service(
    findings: dict[str, Finding],
    journey: Journey,
    bound: Any,
    reach: dict[str, int] | None,  # customers per touchpoint, when the measures have them
    min_count: int,
) -> None:
    import numpy as np

    service = set(service_touchpoints(journey))
    if not service or not len(bound.code):
        return
    codes = {t: i for i, t in enumerate(bound.touchpoints)}
    is_service = np.zeros(len(bound.touchpoints), dtype=bool)
    is_service[[codes[t] for t in service if t in codes]] = True
    serving = is_service[bound.code]
    index = np.where(serving, -1, np.arange(len(bound.code)))
    last = np.maximum.accumulate(index)  # the latest non-service row at or before each row
    rows = np.flatnonzero(serving & (last >= 0))
    before = last[rows]
    ok = (bound.customer[before] == bound.customer[rows]) & (
        bound.ts[rows] - bound.ts[before] <= SERVICE_WINDOW_MS
    )
    pairs = np.unique(bound.customer[before[ok]] * len(bound.touchpoints) + bound.code[before[ok]])
    credited = np.bincount(pairs % len(bound.touchpoints), minlength=len(bound.touchpoints))
    if reach is not None:  # the same binding: the measures' reach is these customers
        reached = np.array([reach.get(t, 0) for t in bound.touchpoints], dtype=np.int64)
    else:
        seen = np.unique(bound.customer * len(bound.touchpoints) + bound.code)
        reached = np.bincount(seen % len(bound.touchpoints), minlength=len(bound.touchpoints))
    eligible = [i for i, t in enumerate(bound.touchpoints) if t not in service]
    total = (int(credited[eligible].sum()), int(reached[eligible].sum()))
    for i in eligible:
        t = bound.touchpoints[i]
        count, n = int(credited[i]), int(reached[i])
        findings[t].signals.append(
            _signal(
                "service contacts",
                count,
                n,
                (total[0] - count, total[1] - n),
                n,
                min_count,
                "contacted customer service within 48 h:",
            )
        )


def _growing(findings: dict[str, Finding], bound: Any, min_count: int) -> None:
    import numpy as np

    if len(bound.ts) < 2:
        return
    ts, n_tp = bound.ts, len(bound.touchpoints)
    middle = int(ts.min()) + (int(ts.max()) - int(ts.min())) // 2
    # A key a gap: its touchpoint and half (2 x code, + 1 in the later half), a byte for any
    # map of up to 128 touchpoints, so NumPy's stable sort of it is a radix sort (linear, no
    # comparisons); the gaps are gathered in its order once, each (touchpoint, half) a slice.
    small = np.uint8 if 2 * n_tp <= 256 else np.uint16 if 2 * n_tp <= 65_536 else np.int64
    key = bound.code[:-1].astype(small)
    key <<= 1
    key |= ts[:-1] >= middle
    same = bound.customer[1:] == bound.customer[:-1]
    key = key[same]
    gap = np.subtract(ts[1:], ts[:-1])[same][np.argsort(key, kind="stable")]
    edges = np.r_[0, np.cumsum(np.bincount(key, minlength=2 * n_tp))]
    for i, t in enumerate(bound.touchpoints):
        early = gap[edges[2 * i] : edges[2 * i + 1]]
        late = gap[edges[2 * i + 1] : edges[2 * i + 2]]
        if len(early) < min_count or len(late) < min_count:
            continue
        median = float(np.median(early))
        slower = int((late > median).sum())
        n = len(late)
        z = (slower / n - 0.5) / math.sqrt(0.25 / n)
        p = one_sided_p(z)
        grown = float(np.median(late)) >= GROWTH * median and median > 0
        excess = slower - n / 2
        counts = p < P_VALUE and grown and excess > 0
        detail = (
            f"time to the next step grew: median {_duration(median)} then "
            f"{_duration(float(np.median(late)))} ({slower / n:.0%} of {n:,} slower)"
        )
        findings[t].signals.append(
            Signal("growing time", slower, n, slower / n, 0.5, p, excess, counts, detail)
        )


def _duration(ms: float) -> str:
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("min", 60_000)):
        if ms >= size:
            return f"{ms / size:.1f} {unit}"
    return f"{ms / 1000:.0f} s"


def low_cut(scale: Any) -> int:
    """The top of a scale's low answers: NPS 6, CSAT and stars 2, CES 3, else a third."""
    cuts: dict[str, int] = {"nps": 6, "csat": 2, "stars": 2, "ces": 3}
    return cuts.get(scale.kind, int(scale.low + (scale.high - scale.low) // 3))


def codes(column: Any) -> tuple[Any, list[str]]:
    """A text column as integer codes (-1 for null) and the labels they index: comparing codes
    is a hundred times cheaper than comparing a million Python strings."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(column).combine_chunks() if len(column) else None
    if encoded is None:
        return np.zeros(0, dtype=np.int64), []
    labels = encoded.dictionary.to_pylist()
    index = pc.fill_null(encoded.indices.cast(pa.int64()), -1).to_numpy(zero_copy_only=False)
    return index, labels


def _feedback(findings: dict[str, Finding], feedback: Any, min_count: int) -> None:
    import numpy as np

    from .sentiment import NEGATIVE_BELOW

    answers = feedback.answers
    where, places = codes(answers["touchpoint"])
    kinds, scales = codes(answers["scale"])
    raw = answers["score"].to_numpy(zero_copy_only=False)
    score = np.where(np.isnan(raw), -1, raw) if len(raw) else raw
    sentiment = answers["sentiment"].to_numpy(zero_copy_only=False)
    slots = len(places) + 1  # the last counts answers with no touchpoint

    def per_place(mask: Any) -> Any:
        return np.bincount(np.where(where < 0, slots - 1, where)[mask], minlength=slots)

    def add(name: str, counts: Any, totals: Any, words: str) -> None:
        total = (int(counts.sum()), int(totals.sum()))
        for i, t in enumerate(places):
            n = int(totals[i])
            if n and t in findings:
                count = int(counts[i])
                findings[t].signals.append(
                    _signal(
                        name,
                        count,
                        n,
                        (total[0] - count, total[1] - n),
                        findings[t].reach,
                        min_count,
                        words,
                    )
                )

    for k, name in sorted(enumerate(scales), key=lambda kv: kv[1]):
        low = low_cut(feedback.spec.scale_of(name))
        on = kinds == k
        add(
            f"low scores ({name})",
            per_place(on & (score <= low)),
            per_place(on),
            f"{name} at most {low}:",
        )
    said = ~np.isnan(sentiment)
    add(
        "negative comments",
        per_place(said & (sentiment < NEGATIVE_BELOW)),
        per_place(said),
        "negative comments:",
    )
