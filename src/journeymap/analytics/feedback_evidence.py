"""The feedback part of a journey's evidence (`feedback` in JOURNEY.evidence.json, format 3): the
models the evidence file, `journeymap feedback --json` and the workspace server share, and how
they are built from feedback_measures.FeedbackMeasures.

Small counts stay private: a score, sentiment or curve point from fewer answers than
`min_count` keeps only `suppressed: true` (no value, no n, no distribution); themes and
quotes of fewer answers are left out. Quotes are masked (e-mails, phone and card numbers)
before they get here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScoreEvidence(_Model):
    kind: Literal["touchpoint", "stage"]
    target: str = Field(description="the touchpoint card's or the stage's id")
    scale: str = Field(description="nps, csat, ces, stars, or a custom scale's name")
    n: int | None = Field(description="answers; None when suppressed")
    value: float | None = Field(
        description="NPS -100..100; CSAT's top-two-box share 0..1; else the mean"
    )
    low: float | None = Field(description="the 95% interval of `value`")
    high: float | None
    mean: float | None = None
    mean_low: float | None = None
    mean_high: float | None = None
    share: float | None = Field(default=None, description="CES 5-7, stars 4-5")
    share_low: float | None = None
    share_high: float | None = None
    distribution: dict[str, int] = Field(
        default_factory=dict, description="score -> answers (the raw distribution)"
    )
    note: str | None = None
    suppressed: bool = False


class SentimentEvidence(_Model):
    kind: Literal["touchpoint", "stage"]
    target: str
    n: int | None = Field(description="texts; None when suppressed")
    mean: float | None = Field(description="mean compound, -1..1")
    low: float | None
    high: float | None
    negative_share: float | None = Field(description="texts with compound below -0.05")
    suppressed: bool = False


class QuoteEvidence(_Model):
    text: str = Field(description="masked: e-mails, phone and card numbers replaced")
    date: str = Field(description="the day of the answer (ISO 8601)")
    scale: str | None = None
    score: int | None = None
    sentiment: float | None = None


class ThemeEvidence(_Model):
    touchpoint: str
    label: str
    phrases: list[str]
    count: int
    share: float = Field(description="of the touchpoint's texts")
    sentiment: float | None
    quotes: list[QuoteEvidence]


class CurvePointEvidence(_Model):
    stage: str
    step: str | None
    signal: str
    n: int | None
    value: float | None = Field(description="on the map's -2..+2 scale")
    low: float | None
    high: float | None
    assumed: float | None = Field(description="the team's emotion point at the same place")
    disagreement: str | None = Field(
        description="in words, when the interval excludes the assumed value"
    )
    suppressed: bool = False


class HeatmapEvidence(_Model):
    by: str = Field(description="persona, a customer attribute, a feedback column, or week")
    metric: str = Field(description="the signal, on the -2..+2 scale")
    rows: list[str] = Field(description="touchpoint ids, map order")
    columns: list[str] = Field(description="the groups")
    values: list[list[float | None]] = Field(description="rows x columns; None: no answers")
    counts: list[list[int | None]] = Field(description="answers behind each cell")


class PeriodScoreEvidence(_Model):
    touchpoint: str
    scale: str = Field(description="a scale, or sentiment")
    before_n: int
    before: float | None = Field(description="NPS; CSAT's top-two-box share; else the mean")
    after_n: int
    after: float | None
    p_value: float | None = Field(description="two-sided, z-test on the per-answer values")


class FeedbackEvidence(_Model):
    source: str
    name: str = Field(description="how quotes name their source")
    period: tuple[str | None, str | None]
    computed_at: str
    analyser: str = Field(description="the sentiment analyser")
    signal: str = Field(description="the measured curve's signal")
    min_count: int = 10
    fingerprints: dict[str, str] = Field(
        default_factory=dict, description="each touchpoint's place (stage, step) when measured"
    )
    scores: list[ScoreEvidence] = Field(default_factory=list)
    sentiment: list[SentimentEvidence] = Field(default_factory=list)
    themes: list[ThemeEvidence] = Field(default_factory=list)
    curve: list[CurvePointEvidence] = Field(default_factory=list)
    heatmap: HeatmapEvidence | None = None
    periods: list[PeriodScoreEvidence] | None = None

    def stale_places(self, journey: Any) -> list[str]:
        """Touchpoints moved to another stage or step (or gone) since measured."""
        now = places(journey)
        return sorted(t for t, p in self.fingerprints.items() if now.get(t) != p)


def places(journey: Any) -> dict[str, str]:
    return {
        c.id: hashlib.sha256(json.dumps([c.stage, c.step]).encode()).hexdigest()[:12]
        for c in journey.live_cards()
        if c.kind == "touchpoint"
    }


def build(measured: Any, journey: Any) -> FeedbackEvidence:
    """The evidence of feedback_measures.FeedbackMeasures, small counts hidden."""
    minimum: int = measured.min_count

    def small(n: int) -> bool:
        return 0 < n < minimum

    scores = []
    for kind, target, s in measured.scores:
        if small(s.n):
            scores.append(
                ScoreEvidence(
                    kind=kind,
                    target=target,
                    scale=s.scale,
                    n=None,
                    value=None,
                    low=None,
                    high=None,
                    suppressed=True,
                )
            )
            continue
        scores.append(
            ScoreEvidence(
                kind=kind,
                target=target,
                scale=s.scale,
                n=s.n,
                value=s.value,
                low=s.low,
                high=s.high,
                mean=s.mean,
                mean_low=s.mean_low,
                mean_high=s.mean_high,
                share=s.share,
                share_low=s.share_low,
                share_high=s.share_high,
                distribution={str(k): v for k, v in s.distribution.items()},
                note=s.note,
            )
        )
    moods = [
        SentimentEvidence(
            kind=kind,
            target=target,
            n=None,
            mean=None,
            low=None,
            high=None,
            negative_share=None,
            suppressed=True,
        )
        if small(m.n)
        else SentimentEvidence(
            kind=kind,
            target=target,
            n=m.n,
            mean=m.mean,
            low=m.low,
            high=m.high,
            negative_share=m.negative_share,
        )
        for kind, target, m in measured.moods
    ]
    themes = [
        ThemeEvidence(
            touchpoint=tp,
            label=t.label,
            phrases=t.phrases,
            count=t.count,
            share=t.share,
            sentiment=t.sentiment,
            quotes=[
                QuoteEvidence(
                    text=q.text, date=q.date, scale=q.scale, score=q.score, sentiment=q.sentiment
                )
                for q in quotes
            ],
        )
        for tp, found in measured.themes.items()
        for t, quotes in found
    ]
    curve = [
        CurvePointEvidence(
            stage=p.stage,
            step=p.step,
            signal=p.signal,
            n=None if small(p.n) else p.n,
            value=p.value,
            low=p.low,
            high=p.high,
            assumed=p.assumed,
            disagreement=p.note,
            suppressed=small(p.n),
        )
        for p in measured.curve
    ]
    return FeedbackEvidence(
        source=measured.source,
        name=measured.name,
        period=measured.period,
        computed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        analyser=measured.analyser,
        signal=measured.signal,
        min_count=minimum,
        fingerprints=places(journey),
        scores=scores,
        sentiment=moods,
        themes=themes,
        curve=curve,
        heatmap=heatmap(measured, journey),
        periods=[PeriodScoreEvidence(**p.__dict__) for p in measured.periods] or None,
    )


def heatmap(measured: Any, journey: Any) -> HeatmapEvidence | None:
    """The split as a touchpoints x groups grid (cells of fewer answers than min_count empty)."""
    if not measured.split:
        return None
    rows = [c.id for c in journey.live_cards() if c.id in measured.split]
    columns = sorted({g for cells in measured.split.values() for g in cells})
    values: list[list[float | None]] = []
    counts: list[list[int | None]] = []
    for row in rows:
        cells = measured.split[row]
        values.append(
            [
                cells[g][1] if g in cells and cells[g][0] >= measured.min_count else None
                for g in columns
            ]
        )
        counts.append(
            [
                (cells[g][0] if cells[g][0] >= measured.min_count else None) if g in cells else 0
                for g in columns
            ]
        )
    return HeatmapEvidence(
        by=measured.split_by or "",
        metric=measured.signal,
        rows=rows,
        columns=columns,
        values=values,
        counts=counts,
    )
