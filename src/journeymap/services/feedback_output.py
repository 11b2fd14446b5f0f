"""What `journeymap feedback --json` and `journeymap painpoints --json` print: pydantic models,
so their JSON Schemas are committed (schemas/feedback.schema.json,
schemas/painpoints.schema.json) and a test keeps them current."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..analytics.feedback_evidence import FeedbackEvidence, HeatmapEvidence


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FeedbackReportOut(_Out):
    source: str
    rows_read: int
    rows_kept: int
    dropped: dict[str, int] = Field(description="reason -> rows")
    examples: dict[str, list[dict[str, Any]]] = Field(
        description="reason -> up to three rows: {row, column, value}"
    )
    fixes: dict[str, str] = Field(description="reason -> what to change")
    first_answer: str | None
    last_answer: str | None
    customers: int
    scores: dict[str, int] = Field(description="scale -> answers with a score")
    texts: int
    masked: int = Field(description="texts in which personal details were masked")
    warnings: list[str]


class FeedbackOutput(_Out):
    journey: str
    report: FeedbackReportOut
    feedback: FeedbackEvidence


class SignalOut(_Out):
    name: str
    count: int
    n: int
    rate: float | None
    baseline: float | None = Field(description="the same rate in the rest of the journey")
    p_value: float | None
    excess: float = Field(description="customers (moves, for loops) beyond the baseline")
    counts: bool = Field(description="significant (p < 0.001), above the baseline")
    detail: str


class FindingOut(_Out):
    id: str = Field(description="what `painpoints --add` takes")
    touchpoint: str
    name: str
    stage: str
    step: str | None
    reach: int | None
    score: float = Field(description="summed excess of the signals that count")
    flagged: bool
    explanation: str
    signals: list[SignalOut]


class PainPointsOutput(_Out):
    journey: str
    findings: list[FindingOut] = Field(description="flagged first, most customers first")
    service_contacts: list[str] = Field(description="touchpoints marked as service contacts")
    suggested_service_contacts: list[str] = Field(
        description="touchpoints that look like service contacts but are not marked"
    )
    heatmap: HeatmapEvidence | None = Field(default=None, description="with --heatmap-by")


def feedback_output(analysis: Any) -> FeedbackOutput:
    import dataclasses

    report = dataclasses.asdict(analysis.feedback.report)
    return FeedbackOutput(
        journey=analysis.journey.id,
        report=FeedbackReportOut(**report),
        feedback=analysis.evidence(),
    )


def painpoints_output(analysis: Any) -> PainPointsOutput:
    import dataclasses

    return PainPointsOutput(
        journey=analysis.journey.id,
        findings=[
            FindingOut(
                id=f.id,
                touchpoint=f.touchpoint,
                name=f.name,
                stage=f.stage,
                step=f.step,
                reach=f.reach,
                score=f.score,
                flagged=f.score > 0,
                explanation=f.explanation(),
                signals=[SignalOut(**dataclasses.asdict(s)) for s in f.signals],
            )
            for f in analysis.findings
        ],
        service_contacts=analysis.service,
        suggested_service_contacts=analysis.unmarked_service,
        heatmap=analysis.heatmap,
    )
