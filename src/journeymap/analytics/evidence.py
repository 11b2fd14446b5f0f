"""Evidence: measured figures stored beside a journey (`NAME.evidence.json`) and drawn on it.

Each item says what was measured, on what, its value and the number of customers behind it,
over which period, from which source, when, and a hash of what produced it (the bindings, the
source and the options), so that a stale figure can be recognised; `fingerprints` hash each
touchpoint's binding, the stages and the funnel settings on their own, so the stale ones can be
named. Format 2 adds the transitions, top paths, splits and periods, with durations in
seconds. Format 3 adds `feedback` (feedback_evidence.py: scores, sentiment, themes and quotes,
the measured curve, the heatmap), and lets a file hold feedback alone (`source: null`, no
figures from events yet); format-1 and format-2 files still load (read as format 3).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .feedback_evidence import FeedbackEvidence, HeatmapEvidence

FORMAT_VERSION = 3
Metric = Literal["reach", "drop_off_share", "stage_customers", "stage_conversion", "stage_median_s"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Model):
    metric: Metric
    target: str  # a card or stage id
    value: float | None  # None when suppressed
    n: int | None  # customers behind the figure; None when suppressed
    suppressed: bool = False  # fewer customers than the minimum: only "<N" may be shown


class TransitionEvidence(_Model):
    source: str = Field(description="the touchpoint before")
    target: str = Field(description="the touchpoint after")
    count: int | None = Field(description="None when fewer than min_count")
    share: float | None = Field(description="of the moves out of `source`")
    median_gap_s: float | None = Field(description="median seconds between the two events")
    suppressed: bool = False


class PathEvidence(_Model):
    touchpoints: list[str] = Field(description="in order; a path cut after 20 ends in '…'")
    customers: int | None
    suppressed: bool = False


class StageShare(_Model):
    stage: str
    customers: int | None
    conversion: float | None
    overall: float | None
    suppressed: bool = False


class SplitEvidence(_Model):
    by: str = Field(description="the attribute, or 'persona'")
    groups: dict[str, list[StageShare]] = Field(description="value -> the funnel of its group")


class PeriodEvidence(_Model):
    stage: str
    before_customers: int | None
    before_rate: float | None
    after_customers: int | None
    after_rate: float | None
    p_value: float | None


class EvidenceSet(_Model):
    format_version: Literal[3] = 3
    journey: str
    source: str | None = Field(description="the event source; None: no events measured yet")
    period: tuple[str | None, str | None]
    computed_at: str
    query_hash: str | None
    min_count: int = 10
    options: dict[str, Any] = Field(
        default_factory=dict, description="window_s, window_from, reentry"
    )
    fingerprints: dict[str, str] = Field(
        default_factory=dict,
        description="a hash of what each figure rests on: touchpoint ids, 'stage:ID' (its entry "
        "events), 'stages' (their order) and 'funnel' (the journey's funnel settings)",
    )
    items: list[Evidence] = Field(default_factory=list)
    transitions: list[TransitionEvidence] = Field(default_factory=list)
    paths: list[PathEvidence] = Field(default_factory=list)
    split: SplitEvidence | None = None
    periods: list[PeriodEvidence] | None = None
    feedback: FeedbackEvidence | None = Field(
        default=None, description="what customers say (journeymap feedback --save)"
    )
    heatmap: HeatmapEvidence | None = Field(
        default=None,
        description="touchpoints x segment by conversion or drop-off "
        "(journeymap painpoints --heatmap-by ... --save)",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_format_1(cls, data: Any) -> Any:
        """Format 1 (no `format_version`): its stage medians were milliseconds. Format 2 is
        format 3 without feedback."""
        if isinstance(data, dict) and data.get("format_version") == 2:
            return {**data, "format_version": FORMAT_VERSION}
        if not isinstance(data, dict) or data.get("format_version", 1) != 1:
            return data
        items = []
        for item in data.get("items", []):
            if isinstance(item, dict) and item.get("metric") == "stage_median_ms":
                value = item.get("value")
                item = {**item, "metric": "stage_median_s"}
                item["value"] = None if value is None else value / 1000
            items.append(item)
        return {**data, "format_version": FORMAT_VERSION, "items": items}

    def changes(self, journey: Any) -> Staleness:
        """What changed in `journey` since these figures were measured."""
        return staleness(self, journey)

    def get(self, metric: str, target: str) -> Evidence | None:
        return next((e for e in self.items if e.metric == metric and e.target == target), None)

    def count(self, metric: str, target: str) -> str | None:
        """A measured count as it may be shown: `1,234`, or `<10` when suppressed."""
        found = self.get(metric, target)
        if found is None:
            return None
        return f"<{self.min_count}" if found.suppressed else f"{found.value:,.0f}"

    def share(self, metric: str, target: str) -> str | None:
        found = self.get(metric, target)
        if found is None or found.suppressed or found.value is None:
            return None
        return f"{found.value:.0%}" if found.value >= 0.1 else f"{found.value:.1%}"


def evidence_path(journey_file: Path) -> Path:
    name = journey_file.name
    for suffix in (".yaml", ".yml", ".json"):
        name = name.removesuffix(suffix)
    return journey_file.with_name(f"{name}.evidence.json")


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def fingerprints(journey: Any) -> dict[str, str]:
    """A hash of what each measured figure rests on in the journey, to tell later which ones
    went stale: each bound touchpoint (its stage and binding), each stage's entry events, the
    stages' order and the journey's own `funnel:` settings."""
    out = {
        c.id: _digest([c.stage, c.events.model_dump(mode="json")])
        for c in journey.live_cards()
        if getattr(c, "events", None) is not None
    }
    out |= {
        f"stage:{s.id}": _digest(s.entry_events.model_dump(mode="json"))
        for s in journey.live_stages()
        if s.entry_events is not None
    }
    out["stages"] = _digest([s.id for s in journey.live_stages()])
    funnel = journey.funnel
    out["funnel"] = _digest(None if funnel is None else funnel.model_dump(mode="json"))
    return out


@dataclass(frozen=True)
class Staleness:
    """Which figures of an evidence set the journey has changed under since they were
    measured. A touchpoint's reach rests on its own binding; the funnel, drop-off,
    transitions and paths rest on every binding, the stages and the funnel settings."""

    touchpoints: list[str]  # rebound, moved to another stage, added or unbound since
    stages: list[str]  # whose entry events changed
    order: bool  # stages added, removed or reordered
    funnel: bool  # the journey's `funnel:` settings changed

    @property
    def any(self) -> bool:
        return bool(self.touchpoints or self.stages or self.order or self.funnel)

    def reach_stale(self, touchpoint: str) -> bool:
        return touchpoint in self.touchpoints

    def words(self, names: dict[str, str] | None = None) -> str:
        """What changed, for a person: "touchpoints Checkout, Payment changed; stage order"."""
        names = names or {}
        parts = []
        if self.touchpoints:
            shown = ", ".join(f"“{names.get(t, t)}”" for t in self.touchpoints)
            parts.append(
                f"{'touchpoint' if len(self.touchpoints) == 1 else 'touchpoints'} {shown} changed"
            )
        if self.stages:
            shown = ", ".join(f"“{names.get(s, s)}”" for s in self.stages)
            parts.append(f"entry events of {shown} changed")
        if self.order:
            parts.append("the stages changed")
        if self.funnel:
            parts.append("the funnel settings changed")
        return "; ".join(parts)


FRESH = Staleness([], [], False, False)


def staleness(evidence: EvidenceSet, journey: Any) -> Staleness:
    """What changed in the journey since the evidence was measured (nothing can be told of a
    format-1 file, which kept no fingerprints: it is taken as it is)."""
    then = evidence.fingerprints
    if not then:
        return FRESH
    now = fingerprints(journey)
    keys = set(then) | set(now)
    touchpoints = sorted(
        k
        for k in keys
        if ":" not in k and k not in ("stages", "funnel") and then.get(k) != now.get(k)
    )
    stages = sorted(
        k.split(":", 1)[1] for k in keys if k.startswith("stage:") and then.get(k) != now.get(k)
    )
    return Staleness(
        touchpoints,
        stages,
        then.get("stages") != now.get("stages"),
        then.get("funnel") != now.get("funnel"),
    )


def _count(n: int, minimum: int) -> int | None:
    return None if 0 < n < minimum else n


def build(
    journey: Any,
    report: Any,
    measured: Any,  # plan.Measures, small counts already hidden (privacy.measures)
    options: dict[str, Any],  # window_s, window_from, reentry
    min_count: int,
    split: tuple[str, dict[str, list[Any]]] | None = None,  # (by, value -> FunnelStep list)
    periods: list[Any] | None = None,  # cohorts.PeriodChange, small counts hidden
) -> EvidenceSet:
    """An evidence set from the measures of `journeymap analyze`."""
    prints = fingerprints(journey)
    key = {"fingerprints": prints, "options": options, "source": report.source}
    key["rows"] = report.rows_kept

    def item(metric: Metric, target: str, value: float | None, n: int) -> Evidence:
        if 0 < n < min_count:  # the file may be shared too: keep only that the figure is small
            return Evidence(metric=metric, target=target, value=None, n=None, suppressed=True)
        return Evidence(metric=metric, target=target, value=value, n=n)

    items = [item("reach", r.id, r.customers, r.customers) for r in measured.touchpoints]
    items += [item("drop_off_share", d.touchpoint, d.share, d.leavers) for d in measured.drop_off]
    for f in measured.funnel:
        items.append(item("stage_customers", f.stage, f.customers, f.customers))
        if f.conversion is not None:
            items.append(item("stage_conversion", f.stage, f.conversion, f.customers))
        if f.median_ms is not None:
            items.append(item("stage_median_s", f.stage, f.median_ms / 1000, f.customers))
    moves = [
        TransitionEvidence(
            source=t.source,
            target=t.target,
            count=_count(t.count, min_count),
            share=t.share,
            median_gap_s=None if t.median_gap_ms is None else t.median_gap_ms / 1000,
            suppressed=0 < t.count < min_count,
        )
        for t in measured.transitions
    ]
    paths = [
        PathEvidence(
            touchpoints=list(p.touchpoints),
            customers=_count(p.customers, min_count),
            suppressed=0 < p.customers < min_count,
        )
        for p in measured.paths
    ]
    return EvidenceSet(
        journey=journey.id,
        source=report.source,
        # A small population's first and last event times could point at someone: leave out.
        period=(report.first_event, report.last_event)
        if report.customers >= min_count
        else (None, None),
        computed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        query_hash=_digest(key),
        min_count=min_count,
        options=options,
        fingerprints=prints,
        items=items,
        transitions=moves,
        paths=paths,
        split=None if split is None else _split(split, min_count),
        periods=None if periods is None else [_period(c, min_count) for c in periods],
    )


def _split(split: tuple[str, dict[str, list[Any]]], minimum: int) -> SplitEvidence:
    by, groups = split
    return SplitEvidence(
        by=by,
        groups={
            value: [
                StageShare(
                    stage=f.stage,
                    customers=_count(f.customers, minimum),
                    conversion=f.conversion,
                    overall=f.overall,
                    suppressed=0 < f.customers < minimum,
                )
                for f in steps
            ]
            for value, steps in groups.items()
        },
    )


def _period(c: Any, minimum: int) -> PeriodEvidence:
    return PeriodEvidence(
        stage=c.stage,
        before_customers=_count(c.before_customers, minimum),
        before_rate=c.before_rate,
        after_customers=_count(c.after_customers, minimum),
        after_rate=c.after_rate,
        p_value=c.p_value,
    )


def with_feedback(path: Path, journey: Any, feedback: FeedbackEvidence) -> EvidenceSet:
    """The evidence file at `path` with its feedback part replaced (its figures from events
    kept), or a new one holding feedback alone."""
    if path.exists():
        return load(path).model_copy(update={"feedback": feedback})
    return EvidenceSet(
        journey=journey.id,
        source=None,
        period=(None, None),
        computed_at=feedback.computed_at,
        query_hash=None,
        fingerprints={},
        feedback=feedback,
    )


def with_heatmap(path: Path, journey: Any, heatmap: HeatmapEvidence) -> EvidenceSet:
    """The evidence file at `path` with its events heatmap replaced (or a new file)."""
    if path.exists():
        return load(path).model_copy(update={"heatmap": heatmap})
    return EvidenceSet(
        journey=journey.id,
        source=None,
        period=(None, None),
        computed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        query_hash=None,
        heatmap=heatmap,
    )


def save(evidence: EvidenceSet, path: Path) -> None:
    from ..files.journey_file import write_atomic

    write_atomic(path, evidence.model_dump_json(indent=2) + "\n")


def load(path: Path) -> EvidenceSet:
    return EvidenceSet.model_validate_json(path.read_text(encoding="utf-8"))
