"""Voice of the customer as use cases, for the CLI now and the server next: measure a journey on
its feedback (`journeymap feedback`), find its pain points in the data (`journeymap
painpoints`), and add chosen findings to the journey as pain-point cards through the domain's
one write path (apply operations, save).

Errors are the analytics' own (SourceError, BindingError, StoreError), JourneyInvalid for a bad
definition file, and OperationError from the write path; nothing is written unless asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.apply import apply_all
from ..domain.errors import OperationError
from ..domain.model import Journey, LaneKind
from ..domain.operations import AddOp
from ..domain.suggest import did_you_mean
from ..files.journey_file import update_file
from .analysis import default_data_dir, open_events


@dataclass(frozen=True)
class FeedbackRequest:
    journey: Journey
    feedback_file: Path
    data_dir: Path | None = None
    signal: str | None = None  # the measured curve's signal (default: the journey's, or found)
    min_count: int = 10
    split_by: str | None = None  # persona, a customer attribute, a feedback column, or week
    themes: bool = True
    force: bool = False
    compare: tuple[tuple[int, int], tuple[int, int]] | None = None  # epoch ms periods


@dataclass
class FeedbackAnalysis:
    journey: Journey
    feedback: Any  # feedback_ingest.Feedback
    measures: Any  # feedback_measures.FeedbackMeasures

    def evidence(self) -> Any:  # feedback_evidence.FeedbackEvidence
        from ..analytics.feedback_evidence import build

        return build(self.measures, self.journey)


def open_feedback(
    journey: Journey, feedback_file: Path, data_dir: Path | None = None, force: bool = False
) -> Any:
    """The feedback file's answers, ingested (and cached) against the journey."""
    from ..analytics.feedback_ingest import ingest_feedback
    from ..analytics.feedback_spec import load_feedback_spec

    spec = load_feedback_spec(feedback_file)
    base = feedback_file.resolve().parent
    store = None
    if spec.place.by == "last_event":
        store = _events(base / str(spec.events), data_dir).store
    return ingest_feedback(
        spec, base, journey, data_dir or default_data_dir(feedback_file), force, store
    )


def _events(source_file: Path, data_dir: Path | None) -> Any:

    return open_events(source_file, data_dir)


def analyse_feedback(request: FeedbackRequest) -> FeedbackAnalysis:
    from ..analytics.feedback_measures import SIGNALS, measure_feedback

    feedback = open_feedback(
        request.journey, request.feedback_file, request.data_dir, request.force
    )
    signal = request.signal
    if signal is not None and signal not in SIGNALS and signal not in feedback.spec.scales:
        raise ValueError(
            f"--curve {signal}: choose one of {', '.join([*SIGNALS, *feedback.spec.scales])}"
        )
    groups = None
    by = request.split_by
    columns = feedback.spec.columns.attributes
    if by and by != "week" and by not in columns:
        groups = _customer_groups(request, feedback.spec, by)
    measured = measure_feedback(
        feedback,
        request.journey,
        signal,
        request.min_count,
        by,
        groups,
        request.themes,
        request.compare,
    )
    return FeedbackAnalysis(request.journey, feedback, measured)


def _customer_groups(request: FeedbackRequest, spec: Any, by: str) -> dict[str, str]:
    """customer id -> persona or customer-table attribute, from the feedback's event source."""
    from ..analytics.customers import open_customers
    from ..analytics.personas import split_groups

    if spec.events is None:
        raise ValueError(
            f"cannot split by '{by}': it is no feedback column (`columns.attributes`) and the "
            "feedback names no event source (`events:`) whose customers it could read"
        )
    events = _events(request.feedback_file.resolve().parent / spec.events, request.data_dir)
    table = events.table()
    people = open_customers(table, events.store) if events.store is not None else None
    groups = split_groups(table, people, request.journey, by)
    ids = table.select("customer_key", "customer").distinct()
    rows = groups.join(ids, "customer_key").select("customer", "value").to_pyarrow()
    return dict(zip(rows["customer"].to_pylist(), rows["value"].to_pylist(), strict=True))


def quote_cards(analysis: FeedbackAnalysis, per_touchpoint: int) -> list[Any]:
    """Operations adding each touchpoint's most telling verbatims (the first quote of its most
    negative themes, up to `per_touchpoint`) as quote cards in the journey's quotes lane, at the
    touchpoint's place, with the feedback's name as source, the answer's date, and `about`
    the touchpoint. Quotes already on the map (the same text) are not added twice."""

    journey = analysis.journey
    lanes = [
        ln.id
        for s in journey.live_sections()
        for ln in journey.live_lanes(s)
        if ln.kind is LaneKind.quotes
    ]
    if not lanes:
        raise OperationError("the journey has no quotes lane: add one (kind: quotes)")
    cards = {c.id: c for c in journey.live_cards()}
    said = {c.text for c in cards.values() if c.kind == "quote"}
    ops = []
    for tp, found in analysis.measures.themes.items():
        card = cards.get(tp)
        # What hurts speaks first: the most negative themes' quotes, then the largest.
        ranked = sorted(found, key=lambda tq: tq[0].sentiment if tq[0].sentiment is not None else 0)
        picked = [quotes[0] for _, quotes in ranked if quotes][:per_touchpoint]
        for quote in picked:
            if card is None or quote.text in said:
                continue
            said.add(quote.text)
            value = {
                "kind": "quote",
                "stage": card.stage,
                "step": card.step,
                "lane": lanes[0],
                "text": quote.text[:10_000],
                "source": analysis.measures.name[:200],
                "date": quote.date,
                "about": tp,
                "confidence": "reported",
                "tags": ["verbatim"],
            }
            ops.append(AddOp(entity="card", value=value))
    return ops


def add_quotes(analysis: FeedbackAnalysis, journey_file: Path, per_touchpoint: int) -> list[str]:
    """Add verbatims to the journey file through the one write path; the new cards' ids."""

    ops = quote_cards(analysis, per_touchpoint)
    before, after, _ = update_file(journey_file, lambda journey: apply_all(journey, ops))
    old = {c.id for c in before.cards}
    return [c.id for c in after.cards if c.id not in old]


def save_feedback(analysis: FeedbackAnalysis, journey_file: Path) -> Path:
    """Keep the feedback in the journey's evidence file, beside its figures from events."""
    from ..analytics import evidence as evidence_file

    target = evidence_file.evidence_path(journey_file)
    evidence_file.save(
        evidence_file.with_feedback(target, analysis.journey, analysis.evidence()), target
    )
    return target


# ------------------------------------------------------------------------- pain points


@dataclass(frozen=True)
class PainRequest:
    journey: Journey
    source_file: Path  # the event source definition
    feedback_file: Path | None = None
    data_dir: Path | None = None
    min_count: int = 10
    heatmap_by: str | None = None  # persona, a customer attribute, or week
    heatmap: str = "drop-off"  # or conversion


@dataclass
class PainAnalysis:
    journey: Journey
    findings: list[Any]  # painpoints.Finding, ranked
    events_report: Any
    feedback_report: Any = None
    unmarked_service: list[str] = field(default_factory=list)  # suggested service contacts
    service: list[str] = field(default_factory=list)  # touchpoints marked as service contacts
    heatmap: Any = None  # feedback_evidence.HeatmapEvidence, when asked for

    def flagged(self) -> list[Any]:
        return [f for f in self.findings if f.score > 0]


def find_pain_points(request: PainRequest) -> PainAnalysis:
    from ..analytics import painpoints

    journey = request.journey
    events = _events(request.source_file, request.data_dir)
    feedback = None
    if request.feedback_file is not None:
        feedback = open_feedback(journey, request.feedback_file, request.data_dir)
    found, bound = _found_pains(journey, events, feedback, request.min_count)
    heat = None
    if request.heatmap_by:
        from ..analytics.heatmap import event_heatmap

        groups = None
        if request.heatmap_by != "week":
            groups = _key_groups(events, journey, request.heatmap_by)
        heat = event_heatmap(
            bound, journey, request.heatmap, request.heatmap_by, groups, request.min_count
        )
    return PainAnalysis(
        journey,
        found,
        events.report,
        None if feedback is None else feedback.report,
        painpoints.suggested_service(journey),
        painpoints.service_touchpoints(journey),
        heat,
    )


def _found_pains(
    journey: Journey, events: Any, feedback: Any, min_count: int
) -> tuple[list[Any], Any]:
    """(the ranked findings, the bound events) of the journey on opened events."""
    from ..analytics import painpoints
    from ..analytics.plan import MeasureOptions, measure
    from ..analytics.store_measures import StorePlan

    if events.store is None:
        raise ValueError(
            "painpoints reads the local store; a Spark source is not supported here yet "
            "(run journeymap analyze on it)"
        )
    plan = StorePlan(events.store, keep_bound=True)  # the bound events from the same pass
    measured = measure(plan, journey, MeasureOptions.for_journey(journey))
    found = painpoints.find_pain_points(journey, measured, plan.bound, feedback, min_count)
    return found, plan.bound


def pain_points_in(journey: Journey, events: Any, feedback: Any, min_count: int) -> list[Any]:
    """The journey's pain points (painpoints.Finding, ranked) on events already opened, with
    the feedback already read (or None): what the server's refresh finds."""
    return _found_pains(journey, events, feedback, min_count)[0]


def feedback_on(
    journey: Journey, spec: Any, base: Path, data_dir: Path, events: Any, min_count: int
) -> tuple[Any, Any]:
    """(the answers, their evidence) of a feedback definition already read (the server's
    workspace source), placed on the journey (by last_event: on the opened `events`)."""
    from ..analytics.feedback_ingest import ingest_feedback
    from ..analytics.feedback_measures import measure_feedback

    store = events.store if spec.place.by == "last_event" else None
    feedback = ingest_feedback(spec, base, journey, data_dir, False, store)
    measured = measure_feedback(feedback, journey, None, min_count, None, None, True, None)
    return feedback, FeedbackAnalysis(journey, feedback, measured).evidence()


def _key_groups(events: Any, journey: Journey, by: str) -> dict[int, str]:
    """customer key -> persona or customer attribute (or event property on the first event)."""
    from ..analytics.customers import open_customers
    from ..analytics.personas import split_groups

    table = events.table()
    people = open_customers(table, events.store)
    rows = split_groups(table, people, journey, by).to_pyarrow()
    return dict(zip(rows["customer_key"].to_pylist(), rows["value"].to_pylist(), strict=True))


def save_heatmap(analysis: PainAnalysis, journey_file: Path) -> Path:
    from ..analytics import evidence as evidence_file

    target = evidence_file.evidence_path(journey_file)
    evidence_file.save(
        evidence_file.with_heatmap(target, analysis.journey, analysis.heatmap), target
    )
    return target


def finding_cards(journey: Journey, findings: list[Any], ids: list[str]) -> list[Any]:
    """The operations that add each chosen finding as a pain-point card (confidence observed,
    its evidence attached) in the journey's pain-point lane, at its touchpoint's place."""

    by_id = {f.id: f for f in findings}
    unknown = [i for i in ids if i not in by_id and f"pp-{i}" not in by_id]
    if unknown:
        hint = did_you_mean(unknown[0], list(by_id), "list them with journeymap painpoints")
        raise OperationError(f"no finding '{unknown[0]}' ({hint})")
    lanes = [
        ln.id
        for s in journey.live_sections()
        for ln in journey.live_lanes(s)
        if ln.kind is LaneKind.pain_points
    ]
    if not lanes:
        raise OperationError("the journey has no pain-point lane: add one (kind: pain_points)")
    ops = []
    for ident in ids:
        f = by_id.get(ident) or by_id[f"pp-{ident}"]
        counted = [s for s in f.signals if s.counts]
        if not counted:
            raise OperationError(f"finding '{f.id}' has no signal above the baseline to add")
        strongest = max(counted, key=lambda s: s.excess)
        share = strongest.rate or 0.0
        value = {
            "kind": "pain_point",
            "stage": f.stage,
            "step": f.step,
            "lane": lanes[0],
            "text": f"{f.name}: {', '.join(s.name for s in counted)} above the journey's baseline",
            "details": f.explanation()[:10_000],
            "severity": max(1, min(5, 1 + round(4 * min(1.0, f.score / max(f.reach or 1, 1))))),
            "frequency": "constant"
            if share >= 0.5
            else "frequent"
            if share >= 0.2
            else "occasional"
            if share >= 0.05
            else "rare",
            "confidence": "observed",
            "evidence": [s.detail[:500] for s in counted],
            "tags": ["found-in-data"],
        }
        ops.append(AddOp(entity="card", value=value))
    return ops


def add_findings(journey_file: Path, findings: list[Any], ids: list[str]) -> list[str]:
    """Add the chosen findings to the journey file through the one write path (apply the
    operations, check, save keeping comments); returns the new cards' ids. Nothing is written
    if any of them fails."""

    made: list[Any] = []

    def change(journey: Journey) -> Journey:
        made.append(finding_cards(journey, findings, ids))
        return apply_all(journey, made[-1])

    before, after, _ = update_file(journey_file, change)
    old = {c.id for c in before.cards}
    return [c.id for c in after.cards if c.id not in old]
