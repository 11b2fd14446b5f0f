"""Measuring a journey on its events: the use case behind `journeymap analyze`, for the CLI
now and the server later.

spec -> source -> ingest -> plan -> measures -> privacy -> evidence. The local store is measured
by the NumPy plan, any other backend (Spark) by the Ibis plan; Ibis, DuckDB and Spark are
imported only when the chosen path needs them. Errors are the analytics' own (SourceError,
BindingError, StoreError) and JourneyInvalid for a bad source definition; nothing is written
unless asked (`save_evidence`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analytics import privacy
from ..analytics.ingest import IngestReport, ingest
from ..analytics.plan import DAY_MS, MeasureOptions, Measures, WindowFrom, measure
from ..analytics.source_spec import SourceSpec
from ..analytics.spec_file import load_source_spec
from ..analytics.store_measures import StorePlan
from ..domain.model import Journey

Progress = Callable[[str], None]


def default_data_dir(source_file: Path) -> Path:
    """$JOURNEYMAP_DATA, else a `.journeymap` folder beside the source definition."""
    configured = os.environ.get("JOURNEYMAP_DATA")
    return Path(configured) if configured else source_file.resolve().parent / ".journeymap"


@dataclass(frozen=True)
class AnalysisRequest:
    journey: Journey
    source_file: Path
    data_dir: Path | None = None
    window_ms: int | None = None  # None: the journey's `funnel:` settings, else 30 days
    window_from: WindowFrom | None = None
    reentry: bool | None = None
    min_count: int = 10
    top: int = 10  # paths and transitions kept (0: all)
    split_by: str | None = None
    compare: tuple[tuple[int, int], tuple[int, int]] | None = None  # epoch ms periods
    sessions_gap_ms: int | None = None
    force: bool = False  # read the source again even if it has not changed


@dataclass
class Events:
    """A source opened for measuring: the local store, or (Spark) an Ibis table."""

    spec: SourceSpec
    report: IngestReport
    store: Path | None  # None for a Spark source, which stays in Spark
    reused: bool = False
    _table: Any = None

    def table(self) -> Any:
        """The events as an Ibis table (opened on first use: Ibis costs a second to import)."""
        if self._table is None and self.store is not None:
            from ..analytics.store import open_store

            self._table = open_store(self.store)
        return self._table


@dataclass
class Analysis:
    journey: Journey
    events: Events
    options: MeasureOptions
    min_count: int
    top: int
    measures: Measures  # small counts hidden (privacy.measures)
    split_by: str | None = None
    split: dict[str, list[Any]] | None = None  # value -> FunnelStep list, hidden as well
    periods: list[Any] | None = None  # cohorts.PeriodChange list, hidden as well
    sessions: Any = None  # cohorts.Sessions
    notes: list[str] = field(default_factory=list)  # what the reader should know

    def top_transitions(self) -> list[Any]:
        """The `top` most frequent transitions (all with 0), ties as the measures order them."""
        moves = sorted(self.measures.transitions, key=lambda t: -t.count)
        return moves[: self.top] if self.top else moves

    def evidence_options(self) -> dict[str, Any]:
        return {
            "window_s": self.options.window_ms / 1000,
            "window_from": self.options.window_from,
            "reentry": self.options.reentry,
        }

    def evidence(self) -> Any:  # analytics.evidence.EvidenceSet
        # Imported when used: its pydantic models cost a tenth of `analyze`'s start-up.
        from ..analytics import evidence as evidence_file

        split = (self.split_by, self.split) if self.split is not None and self.split_by else None
        return evidence_file.build(
            self.journey,
            self.events.report,
            self.measures,
            self.evidence_options(),
            self.min_count,
            split=split,
            periods=self.periods,
        )


def source_label(source_file: Path) -> str:
    """The source as messages name it: its path, or its url with any password masked."""
    from ..analytics.credentials import redact

    spec = load_source_spec(source_file)
    return spec.source.path or redact(spec.source.url or "")


def customer_report(events: Events) -> Any:  # customers.CustomerReport | None
    """The report of the customer table read with the events, when the source names one."""
    from ..analytics.customers import load_report

    return None if events.store is None else load_report(events.store)


def open_events(
    source_file: Path,
    data_dir: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> Events:
    """The source definition's events: ingested once into the local store (reused while the
    source and the definition are unchanged), or opened in Spark for a Spark source."""
    spec = load_source_spec(source_file)
    base = source_file.resolve().parent
    if spec.source.is_spark():
        from ..analytics.spark_source import open_spark, spark_report

        if progress:
            progress("opening the events in Spark")
        opened = open_spark(spec, base=base)
        return Events(spec, spark_report(spec, opened), None, _table=opened.events)

    def rows(n: int) -> None:
        if progress:
            progress(f"reading the events: {n:,} rows")

    if progress:
        progress("reading the events")
    result = ingest(spec, base, data_dir or default_data_dir(source_file), force, rows)
    return Events(spec, result.report, result.store, result.reused)


def measure_events(journey: Journey, events: Events, options: MeasureOptions) -> Measures:
    """Every measure of the map, by the plan the events call for."""
    if events.store is not None:
        return measure(StorePlan(events.store), journey, options)
    from ..analytics.measures import IbisPlan

    return measure(IbisPlan(events.table()), journey, options)


def analyse(request: AnalysisRequest, progress: Progress | None = None) -> Analysis:
    events = open_events(request.source_file, request.data_dir, request.force, progress)
    return analyse_opened(request, events, progress)


def analyse_opened(
    request: AnalysisRequest, events: Events, progress: Progress | None = None
) -> Analysis:
    """`analyse` on events already opened (the server opens a workspace's source itself)."""
    journey = request.journey
    options = MeasureOptions.for_journey(
        journey,
        window_ms=request.window_ms,
        window_from=request.window_from,
        reentry=request.reentry,
        paths=request.top,
    )
    if progress:
        progress("measuring the map")
    measured = privacy.measures(measure_events(journey, events, options), request.min_count)
    analysis = Analysis(
        journey, events, options, request.min_count, request.top, measured, request.split_by
    )
    if request.split_by or request.compare:
        if progress:
            progress("splitting the funnel")
        _split_and_compare(analysis, request)
    if request.sessions_gap_ms is not None:
        from ..analytics.cohorts import sessions

        if progress:
            progress("counting visits")
        analysis.sessions = sessions(events.table(), request.sessions_gap_ms)
    analysis.notes = _notes(analysis)
    return analysis


def _split_and_compare(analysis: Analysis, request: AnalysisRequest) -> None:
    from ..analytics.cohorts import compare_periods, funnel_for_groups
    from ..analytics.customers import open_customers
    from ..analytics.measures import bind, stage_entries
    from ..analytics.personas import split_groups

    table, journey, options = analysis.events.table(), analysis.journey, analysis.options
    entries = stage_entries(table, bind(table, journey), journey)
    if request.split_by:
        store = analysis.events.store
        people = open_customers(table, store) if store is not None else None
        groups = split_groups(table, people, journey, request.split_by)
        found = funnel_for_groups(entries, groups, journey, options=options)
        analysis.split = privacy.split(found, request.min_count)
    if request.compare:
        before, after = request.compare
        changes = compare_periods(entries, journey, before, after, options=options)
        analysis.periods = privacy.periods(changes, request.min_count)


def _notes(analysis: Analysis) -> list[str]:
    """Said once: a small file whose figures all fall under the minimum shows nothing."""
    m, minimum = analysis.measures, analysis.min_count
    counts = [r.customers for r in m.touchpoints] + [f.customers for f in m.funnel]
    if counts and all(privacy.small(n, minimum) or n == 0 for n in counts) and any(counts):
        return [
            f"every figure here comes from fewer than {minimum} customers, so each shows as "
            f"'<{minimum}'; `--min-count` sets the smallest count shown (use it only on data "
            "you may see person by person)"
        ]
    return []


def save_evidence(analysis: Analysis, journey_file: Path) -> Path:
    """Write the figures as evidence beside the journey (JOURNEY.evidence.json)."""
    from ..analytics import evidence as evidence_file

    target = evidence_file.evidence_path(journey_file)
    found = analysis.evidence()
    if target.exists():  # keep what `journeymap feedback --save` measured
        with contextlib.suppress(ValueError):  # an unreadable file is replaced whole
            kept = evidence_file.load(target)
            found = found.model_copy(update={"feedback": kept.feedback, "heatmap": kept.heatmap})
    evidence_file.save(found, target)
    return target


__all__ = [
    "DAY_MS",
    "Analysis",
    "AnalysisRequest",
    "Events",
    "analyse",
    "analyse_opened",
    "customer_report",
    "open_events",
    "source_label",
]
