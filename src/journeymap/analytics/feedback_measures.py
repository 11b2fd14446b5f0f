"""What customers say, measured per touchpoint and stage: scores with their intervals, sentiment,
themes with quotes, the measured emotion curve beside the assumed one, and splits by segment.

Everything is computed from the ingested answers (feedback_ingest.Feedback) and returned as
plain results; feedback_evidence.py turns them into the evidence file's models. Small counts
stay private as for events: a group of fewer answers than `min_count` shows only "<N".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..domain.cards import TouchpointCard
from ..domain.model import Journey
from .scores import Scale, Score, curve_value, mean_interval, score, to_curve
from .sentiment import NEGATIVE_BELOW
from .themes import Theme, themes_by_group

SIGNALS = ("nps", "csat", "ces", "stars", "sentiment")


@dataclass(frozen=True)
class Mood:
    """The sentiment of one group's texts: mean compound (-1..1), its t interval, and the share
    of negative texts."""

    n: int
    mean: float | None
    low: float | None
    high: float | None
    negative: int
    negative_share: float | None


@dataclass(frozen=True)
class CurvePoint:
    stage: str
    step: str | None
    signal: str
    n: int
    value: float | None  # on the map's -2..+2 scale
    low: float | None
    high: float | None
    assumed: float | None  # the team's point at the same place, if any
    note: str | None = None  # the disagreement, in words, when the interval excludes it


@dataclass(frozen=True)
class Quote:
    touchpoint: str
    text: str
    date: str  # ISO date of the answer
    scale: str | None
    score: int | None
    sentiment: float | None
    theme: str


def signed(value: float) -> str:
    """+0.4, -1.3, and 0.0 rather than -0.0."""
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


class Coded:
    """A text column as integer codes: `coded == "fee-added"` compares integers, not a million
    Python strings."""

    def __init__(self, column: Any) -> None:
        from .painpoints import codes

        self.index, self.labels = codes(column)
        self._at = {label: i for i, label in enumerate(self.labels)}

    def __eq__(self, value: object) -> Any:
        return self.index == (self._at.get(value, -2) if isinstance(value, str) else -2)

    __hash__ = None  # type: ignore[assignment]

    def any_of(self, values: list[str]) -> Any:
        import numpy as np

        return np.isin(self.index, [self._at[v] for v in values if v in self._at])

    def label(self, i: int) -> str | None:
        code = int(self.index[i])
        return None if code < 0 else self.labels[code]


@dataclass(frozen=True)
class PeriodScore:
    """A touchpoint's headline on one scale (or sentiment) in two periods, with the two-sided
    p-value of a large-sample z-test on the per-answer values (NPS: +100, 0 or -100 an answer;
    CSAT: 1 for a 4 or 5, else 0; other scales: the score; sentiment: the compound)."""

    touchpoint: str
    scale: str
    before_n: int
    before: float | None
    after_n: int
    after: float | None
    p_value: float | None


def per_answer(scale: str, values: Any) -> Any:
    import numpy as np

    if scale == "nps":
        return np.where(values >= 9, 100.0, np.where(values <= 6, -100.0, 0.0))
    if scale == "csat":
        return (values >= 4).astype(float)
    return values.astype(float)


def compare_periods(a: Any, b: Any) -> tuple[float | None, float | None, float | None]:
    """(mean before, mean after, two-sided p) of two arrays of per-answer values."""
    import math

    mean_a = float(a.mean()) if len(a) else None
    mean_b = float(b.mean()) if len(b) else None
    if len(a) < 2 or len(b) < 2:
        return mean_a, mean_b, None
    se = math.sqrt(float(a.var(ddof=1)) / len(a) + float(b.var(ddof=1)) / len(b))
    if se == 0:
        return mean_a, mean_b, None if mean_a == mean_b else 0.0
    z = abs(mean_b - mean_a) / se  # type: ignore[operator]
    return mean_a, mean_b, math.erfc(z / math.sqrt(2))


@dataclass
class FeedbackMeasures:
    source: str
    name: str
    analyser: str
    min_count: int
    period: tuple[str | None, str | None]
    signal: str
    scores: list[tuple[str, str, Score]] = field(default_factory=list)  # (kind, id, score)
    moods: list[tuple[str, str, Mood]] = field(default_factory=list)  # (kind, id, mood)
    themes: dict[str, list[tuple[Theme, list[Quote]]]] = field(default_factory=dict)
    curve: list[CurvePoint] = field(default_factory=list)
    split_by: str | None = None
    split: dict[str, dict[str, tuple[int, float | None]]] = field(default_factory=dict)
    periods: list[PeriodScore] = field(default_factory=list)

    def disagreements(self) -> list[str]:
        return [p.note for p in self.curve if p.note]

    def to_arrow(self, part: str) -> Any:
        """One part as an Arrow table, as `Measures` gives its parts: `scores` (kind, target,
        scale, n, value, low, high, mean, share), `sentiment` (kind, target, n, mean, low,
        high, negative_share), `curve` (stage, step, signal, n, value, low, high, assumed,
        note), `themes` (touchpoint, label, count, share, sentiment) or `split` (touchpoint,
        group, n, value)."""
        import pyarrow as pa

        if part == "scores":
            rows = [
                {
                    "kind": k,
                    "target": t,
                    "scale": s.scale,
                    "n": s.n,
                    "value": s.value,
                    "low": s.low,
                    "high": s.high,
                    "mean": s.mean,
                    "share": s.share,
                }
                for k, t, s in self.scores
            ]
        elif part == "sentiment":
            rows = [
                {
                    "kind": k,
                    "target": t,
                    "n": m.n,
                    "mean": m.mean,
                    "low": m.low,
                    "high": m.high,
                    "negative_share": m.negative_share,
                }
                for k, t, m in self.moods
            ]
        elif part == "curve":
            rows = [p.__dict__ for p in self.curve]
        elif part == "themes":
            rows = [
                {
                    "touchpoint": tp,
                    "label": t.label,
                    "count": t.count,
                    "share": t.share,
                    "sentiment": t.sentiment,
                }
                for tp, found in self.themes.items()
                for t, _ in found
            ]
        elif part == "split":
            rows = [
                {"touchpoint": tp, "group": g, "n": n, "value": v}
                for tp, cells in self.split.items()
                for g, (n, v) in cells.items()
            ]
        else:
            raise ValueError(f"no part '{part}': scores, sentiment, curve, themes or split")
        return pa.Table.from_pylist(rows)

    def to_pandas(self, part: str) -> Any:
        return self.to_arrow(part).to_pandas()

    def to_polars(self, part: str) -> Any:
        import polars as pl

        return pl.from_arrow(self.to_arrow(part))


def mood(values: Any) -> Mood:
    import numpy as np

    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return Mood(0, None, None, None, 0, None)
    negative = int((values < NEGATIVE_BELOW).sum())
    if n == 1:
        return Mood(1, float(values[0]), None, None, negative, negative / n)
    from .scores import t_quantile

    mean = float(values.mean())
    half = t_quantile(0.975, n - 1) * float(values.std(ddof=1)) / n**0.5
    return Mood(n, mean, max(-1.0, mean - half), min(1.0, mean + half), negative, negative / n)


def _distribution(scores: Any) -> dict[int, int]:
    import numpy as np

    if not len(scores):
        return {}
    values, counts = np.unique(scores, return_counts=True)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))


def measure_feedback(
    feedback: Any,  # feedback_ingest.Feedback
    journey: Journey,
    signal: str | None = None,
    min_count: int = 10,
    split_by: str | None = None,
    groups: dict[str, str] | None = None,  # customer id -> group, for persona or attributes
    with_themes: bool = True,
    compare: tuple[tuple[int, int], tuple[int, int]] | None = None,  # epoch ms, end excluded
) -> FeedbackMeasures:
    import numpy as np

    answers = feedback.answers
    spec = feedback.spec
    touchpoint, stage, scale = (Coded(answers[c]) for c in ("touchpoint", "stage", "scale"))
    raw = answers["score"].to_numpy(zero_copy_only=False)
    values = np.where(np.isnan(raw), -1, raw).astype(np.int64) if len(raw) else raw
    sentiment = answers["sentiment"].to_numpy(zero_copy_only=False)
    report = feedback.report
    signal = _signal(signal, journey, report.scores)
    out = FeedbackMeasures(
        source=report.source,
        name=spec.feedback.label(),
        analyser=spec.sentiment or "vader-reviews",
        min_count=min_count,
        period=(report.first_answer, report.last_answer)
        if report.rows_kept >= min_count
        else (None, None),
        signal=signal,
    )
    cards = [c for c in journey.live_cards() if isinstance(c, TouchpointCard)]
    targets = [("touchpoint", c.id, touchpoint == c.id) for c in cards]
    targets += [("stage", s.id, stage == s.id) for s in journey.live_stages()]
    scales = sorted(report.scores)
    for kind, ident, where in targets:
        for name in scales:
            chosen = where & (scale == name)
            if chosen.any():
                out.scores.append(
                    (kind, ident, score(spec.scale_of(name), _distribution(values[chosen])))
                )
        if where.any():
            out.moods.append((kind, ident, mood(sentiment[where])))
    if with_themes:
        texts = np.array(answers["text"].to_pylist(), dtype=object)
        dates = answers["ts"].to_numpy()
        chosen = {
            c.id: np.flatnonzero((touchpoint == c.id) & (texts != None))  # noqa: E711
            for c in cards
        }
        found = themes_by_group({k: (list(texts[i]), sentiment[i]) for k, i in chosen.items()})
        for tp, grouped in found.items():
            rows = chosen[tp]
            out.themes[tp] = [
                (
                    t,
                    [
                        _quote(tp, t, rows[i], texts, dates, scale, values, sentiment)
                        for i in t.quotes
                    ],
                )
                for t in grouped
                if t.count >= min_count
            ]
    if compare is not None:
        out.periods = _periods(
            answers, cards, compare, touchpoint, scale, values, sentiment, min_count
        )
    out.curve = _curve(journey, out, spec, touchpoint, stage, scale, values, sentiment)
    if split_by:
        out.split_by = split_by
        out.split = _split(
            answers, split_by, groups, cards, signal, spec, touchpoint, scale, values, sentiment
        )
    return out


def _signal(signal: str | None, journey: Journey, scores: dict[str, int]) -> str:
    if signal is None and journey.feedback is not None and journey.feedback.curve is not None:
        signal = journey.feedback.curve.value
    if signal is None:
        signal = next((s for s in SIGNALS if s in scores), "sentiment")
    return signal


def _quote(
    tp: str, theme: Theme, i: int, texts: Any, dates: Any, scale: Any, values: Any, sentiment: Any
) -> Quote:
    day = dt.datetime.fromtimestamp(int(dates[i]) / 1000, tz=dt.UTC).date().isoformat()
    has_score = values[i] >= 0 and scale.label(i) is not None
    return Quote(
        tp,
        str(texts[i]),
        day,
        scale.label(i) if has_score else None,
        int(values[i]) if has_score else None,
        None if sentiment[i] != sentiment[i] else float(sentiment[i]),
        theme.label,
    )


def _point(
    spec: Any, signal: str, chosen: Any, scale: Any, values: Any, sentiment: Any
) -> tuple[int, float | None, float | None, float | None]:
    if signal == "sentiment":
        found = mood(sentiment[chosen])
        return (
            found.n,
            to_curve("sentiment", found.mean),
            to_curve("sentiment", found.low),
            to_curve("sentiment", found.high),
        )
    picked = chosen & (scale == signal)
    if signal not in spec.known_scales():
        return 0, None, None, None
    the_scale: Scale = spec.scale_of(signal)
    answered = score(the_scale, _distribution(values[picked]))
    point, low, high = curve_value(the_scale, answered)
    return answered.n, point, low, high


def _curve(
    journey: Journey,
    out: FeedbackMeasures,
    spec: Any,
    touchpoint: Any,
    stage: Any,
    scale: Any,
    values: Any,
    sentiment: Any,
) -> list[CurvePoint]:
    """One point per column (a stage, or a step): the answers at its touchpoints (and, on a
    stage without steps, the answers placed on the stage itself)."""

    step_of = {
        c.id: (c.stage, c.step) for c in journey.live_cards() if isinstance(c, TouchpointCard)
    }
    assumed = {(e.stage, e.step): e.score for e in journey.live_emotions() if e.card is None}
    names: dict[Any, str] = {s.id: s.name for s in journey.live_stages()}
    names |= {(s.id, st.id): st.name for s in journey.live_stages() for st in journey.live_steps(s)}
    points = []
    for s in journey.live_stages():
        steps = [st.id for st in journey.live_steps(s)]
        for step in [None, *steps]:
            where = touchpoint.any_of([t for t, at in step_of.items() if at == (s.id, step)])
            if step is None:
                where |= (stage == s.id) & (touchpoint.index < 0)
            if not where.any():
                continue
            n, value, low, high = _point(spec, out.signal, where, scale, values, sentiment)
            if n == 0:
                continue
            hidden = 0 < n < out.min_count
            believed = assumed.get((s.id, step), assumed.get((s.id, None)) if step else None)
            place = names.get((s.id, step)) if step else names[s.id]
            note = None
            if (
                not hidden
                and believed is not None
                and low is not None
                and high is not None
                and value is not None
                and not low <= believed <= high
            ):
                note = (
                    f"the team assumes {signed(believed)} at {place}; customers: "
                    f"{signed(value)} ({signed(low)} to {signed(high)}), n={n:,} ({out.signal})"
                )
            points.append(
                CurvePoint(
                    s.id,
                    step,
                    out.signal,
                    n,
                    None if hidden else value,
                    None if hidden else low,
                    None if hidden else high,
                    believed,
                    note,
                )
            )
    return points


def _split(
    answers: Any,
    by: str,
    groups: dict[str, str] | None,
    cards: list[TouchpointCard],
    signal: str,
    spec: Any,
    touchpoint: Any,
    scale: Any,
    values: Any,
    sentiment: Any,
) -> dict[str, dict[str, tuple[int, float | None]]]:
    """touchpoint -> group -> (answers, the signal on the -2..+2 scale): the heatmap's cells."""
    import numpy as np

    if by == "week":
        ts = answers["ts"].to_numpy()
        keys = [
            dt.datetime.fromtimestamp(t / 1000, tz=dt.UTC).strftime("%G-W%V") for t in ts.tolist()
        ]
    elif f"attr:{by}" in answers.column_names:
        keys = [v or "(none)" for v in answers[f"attr:{by}"].to_pylist()]
    elif groups is not None:
        keys = [groups.get(c or "", "(none)") for c in answers["customer"].to_pylist()]
    else:
        raise ValueError(
            f"cannot split by '{by}': it is no column of the feedback, not week, "
            "and the events' customer table has no such attribute"
        )
    key = np.array(keys, dtype=object)
    out: dict[str, dict[str, tuple[int, float | None]]] = {}
    for c in cards:
        row = {}
        for group in sorted(set(keys)):
            where = (touchpoint == c.id) & (key == group)
            if where.any():
                n, value, _, _ = _point(spec, signal, where, scale, values, sentiment)
                if n:
                    row[group] = (n, value)
        if row:
            out[c.id] = row
    return out


def _periods(
    answers: Any,
    cards: list[TouchpointCard],
    compare: Any,
    touchpoint: Any,
    scale: Any,
    values: Any,
    sentiment: Any,
    minimum: int,
) -> list[PeriodScore]:
    import numpy as np

    ts = answers["ts"].to_numpy()
    (a0, a1), (b0, b1) = compare
    before, after = (ts >= a0) & (ts < a1), (ts >= b0) & (ts < b1)
    out = []
    signals = [*sorted(scale.labels), "sentiment"]
    for c in cards:
        mine = touchpoint == c.id
        for signal in signals:
            if signal == "sentiment":
                on, data = mine & ~np.isnan(sentiment), sentiment
            else:
                on, data = mine & (scale == signal), per_answer(signal, values)
            x, y = data[on & before], data[on & after]
            if not len(x) and not len(y):
                continue
            small = 0 < len(x) < minimum or 0 < len(y) < minimum
            m1, m2, p = compare_periods(x, y)
            out.append(
                PeriodScore(
                    c.id,
                    signal,
                    len(x),
                    None if small else m1,
                    len(y),
                    None if small else m2,
                    None if small else p,
                )
            )
    return out


__all__ = ["CurvePoint", "FeedbackMeasures", "Mood", "Quote", "mean_interval", "measure_feedback"]
