"""`journeymap analyze --json`: the analysis as one object a script can read, with a JSON Schema
(`schemas/analysis.schema.json`). Durations are in seconds; a count hidden for being small is the
text "<N", and what derives from it is null."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .analysis import Analysis

Hidden = Annotated[str, StringConstraints(pattern=r"^<\d+$")]
Count = int | Hidden  # a count, or "<N" when it is below the minimum shown


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class OptionsOut(_Out):
    window_s: float = Field(description="the conversion window, in seconds")
    window_from: str = Field(description="'first' (from entering the first stage) or 'previous'")
    reentry: bool
    min_count: int = Field(description="counts below this are hidden as '<N'")
    top: int = Field(description="how many paths and transitions are listed (0: all)")


class EventsOut(_Out):
    source: str
    store: str | None = Field(description="the local store, or null for a Spark source")
    rows: Count = Field(description="events kept")
    customers: Count
    first_event: str | None = Field(description="ISO 8601, UTC; null when the count is hidden")
    last_event: str | None


class ReachOut(_Out):
    id: str
    customers: Count
    events: Count


class FunnelOut(_Out):
    stage: str
    customers: Count
    conversion: float | None = Field(description="share of the stage before's customers")
    overall: float | None = Field(description="share of the first stage's customers")
    median_s: float | None = Field(description="median seconds from the stage before")
    p90_s: float | None


class DropOffOut(_Out):
    touchpoint: str
    leavers: Count
    share: float | None


class TransitionOut(_Out):
    from_: str = Field(alias="from")
    to: str
    count: Count
    share: float | None
    median_gap_s: float | None


class PathOut(_Out):
    touchpoints: list[str]
    customers: Count


class SplitStageOut(_Out):
    stage: str
    customers: Count
    conversion: float | None
    overall: float | None


class PeriodOut(_Out):
    stage: str
    before_customers: Count
    before_rate: float | None
    after_customers: Count
    after_rate: float | None
    p_value: float | None


class SessionsOut(_Out):
    sessions: Count
    customers: Count
    median_per_customer: float
    median_events: float
    median_length_s: float


class AnalysisOutput(_Out):
    """What `journeymap analyze --json` prints."""

    journey: str
    options: OptionsOut
    events: EventsOut
    touchpoints: list[ReachOut]
    stages: list[ReachOut]
    funnel: list[FunnelOut]
    drop_off: list[DropOffOut]
    transitions: list[TransitionOut] = Field(description="the most frequent, `--top` of them")
    paths: list[PathOut] = Field(description="the most common, `--top` of them")
    split_by: str | None
    split: dict[str, list[SplitStageOut]] | None
    periods: list[PeriodOut] | None
    sessions: SessionsOut | None
    notes: list[str]


def shown(count: int, minimum: int) -> int | str:
    return f"<{minimum}" if 0 < count < minimum else count


def _s(ms: float | None) -> float | None:
    return None if ms is None else ms / 1000


def to_output(analysis: Analysis) -> AnalysisOutput:
    m, n = analysis.measures, analysis.min_count
    report = analysis.events.report
    hidden_period = report.customers < n
    return AnalysisOutput(
        journey=analysis.journey.id,
        options=OptionsOut(
            window_s=analysis.options.window_ms / 1000,
            window_from=analysis.options.window_from,
            reentry=analysis.options.reentry,
            min_count=n,
            top=analysis.top,
        ),
        events=EventsOut(
            source=report.source,
            store=None if analysis.events.store is None else str(analysis.events.store),
            rows=shown(report.rows_kept, n),
            customers=shown(report.customers, n),
            first_event=None if hidden_period else report.first_event,
            last_event=None if hidden_period else report.last_event,
        ),
        touchpoints=[
            ReachOut(id=r.id, customers=shown(r.customers, n), events=shown(r.events, n))
            for r in m.touchpoints
        ],
        stages=[
            ReachOut(id=r.id, customers=shown(r.customers, n), events=shown(r.events, n))
            for r in m.stages
        ],
        funnel=[
            FunnelOut(
                stage=f.stage,
                customers=shown(f.customers, n),
                conversion=f.conversion,
                overall=f.overall,
                median_s=_s(f.median_ms),
                p90_s=_s(f.p90_ms),
            )
            for f in m.funnel
        ],
        drop_off=[
            DropOffOut(touchpoint=d.touchpoint, leavers=shown(d.leavers, n), share=d.share)
            for d in m.drop_off
        ],
        transitions=[
            TransitionOut(
                from_=t.source,
                to=t.target,
                count=shown(t.count, n),
                share=t.share,
                median_gap_s=_s(t.median_gap_ms),
            )
            for t in analysis.top_transitions()
        ],
        paths=[
            PathOut(touchpoints=list(p.touchpoints), customers=shown(p.customers, n))
            for p in m.paths
        ],
        split_by=analysis.split_by,
        split=None
        if analysis.split is None
        else {
            value: [
                SplitStageOut(
                    stage=f.stage,
                    customers=shown(f.customers, n),
                    conversion=f.conversion,
                    overall=f.overall,
                )
                for f in steps
            ]
            for value, steps in analysis.split.items()
        },
        periods=None
        if analysis.periods is None
        else [
            PeriodOut(
                stage=c.stage,
                before_customers=shown(c.before_customers, n),
                before_rate=c.before_rate,
                after_customers=shown(c.after_customers, n),
                after_rate=c.after_rate,
                p_value=c.p_value,
            )
            for c in analysis.periods
        ],
        sessions=None
        if analysis.sessions is None
        else SessionsOut(
            sessions=shown(analysis.sessions.sessions, n),
            customers=shown(analysis.sessions.customers, n),
            median_per_customer=analysis.sessions.median_per_customer,
            median_events=analysis.sessions.median_events,
            median_length_s=analysis.sessions.median_length_ms / 1000,
        ),
        notes=analysis.notes,
    )
