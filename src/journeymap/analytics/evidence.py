"""Evidence: measured figures stored beside a journey (`NAME.evidence.json`) and drawn on it.

Each item says what was measured, on what, its value and the number of customers behind it,
over which period, from which source, when, and a hash of what produced it (the bindings, the
source and the options), so that a stale figure can be recognised.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Metric = Literal[
    "reach", "drop_off_share", "stage_customers", "stage_conversion", "stage_median_ms"
]


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    metric: Metric
    target: str  # a card or stage id
    value: float | None  # None when suppressed
    n: int | None  # customers behind the figure; None when suppressed
    suppressed: bool = False  # fewer customers than the minimum: only "<N" may be shown


class EvidenceSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    journey: str
    source: str
    period: tuple[str | None, str | None]
    computed_at: str
    query_hash: str
    min_count: int = 10
    items: list[Evidence] = Field(default_factory=list)

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


def build(
    journey: Any,
    report: Any,
    touchpoints: list[Any],
    leaving: list[Any],
    steps: list[Any],
    options: dict[str, Any],
    min_count: int,
) -> EvidenceSet:
    """An evidence set from the measures of `journeymap analyze`."""
    bindings = {
        c.id: c.events.model_dump(mode="json")
        for c in journey.live_cards()
        if getattr(c, "events", None) is not None
    }
    bindings |= {
        f"stage:{s.id}": s.entry_events.model_dump(mode="json")
        for s in journey.live_stages()
        if s.entry_events is not None
    }
    key = json.dumps(
        {
            "bindings": bindings,
            "source": report.source,
            "options": options,
            "rows": report.rows_kept,
        },
        sort_keys=True,
    )

    def item(metric: Metric, target: str, value: float, n: int) -> Evidence:
        if 0 < n < min_count:  # the file may be shared too: keep only that the figure is small
            return Evidence(metric=metric, target=target, value=None, n=None, suppressed=True)
        return Evidence(metric=metric, target=target, value=value, n=n)

    items = [item("reach", r.id, r.customers, r.customers) for r in touchpoints]
    items += [item("drop_off_share", d.touchpoint, d.share, d.leavers) for d in leaving]
    for f in steps:
        items.append(item("stage_customers", f.stage, f.customers, f.customers))
        if f.conversion is not None:
            items.append(item("stage_conversion", f.stage, f.conversion, f.customers))
        if f.median_ms is not None:
            items.append(item("stage_median_ms", f.stage, f.median_ms, f.customers))
    return EvidenceSet(
        journey=journey.id,
        source=report.source,
        # A small population's first and last event times could point at someone: leave out.
        period=(report.first_event, report.last_event)
        if report.customers >= min_count
        else (None, None),
        computed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        query_hash=hashlib.sha256(key.encode()).hexdigest()[:16],
        min_count=min_count,
        items=items,
    )


def save(evidence: EvidenceSet, path: Path) -> None:
    from ..files.journey_file import write_atomic

    write_atomic(path, evidence.model_dump_json(indent=2) + "\n")


def load(path: Path) -> EvidenceSet:
    return EvidenceSet.model_validate_json(path.read_text(encoding="utf-8"))
