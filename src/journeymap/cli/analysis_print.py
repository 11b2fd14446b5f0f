"""The text `journeymap ingest` and `analyze` print: the ingest report (rows dropped and why,
with examples and what to change), reach, the funnel, drop-off, transitions, paths, visits,
splits and periods, small counts shown as "<N"."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

from ..analytics.ingest_report import IngestReport, describe
from ..services.analysis import Analysis, Events
from ..units import count, duration
from .output import err, out


def shown(count: int, minimum: int) -> str:
    """A count as it may be shared: small ones hidden, so no handful of people stands out."""
    return f"<{minimum}" if 0 < count < minimum else f"{count:,}"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _table(title: str, *columns: str) -> Table:
    return Table(*columns, box=None, header_style="bold", title=title, title_justify="left")


def window_words(analysis: Analysis) -> str:
    o = analysis.options
    since = "the first stage" if o.window_from == "first" else "the stage before"
    words = f"window {duration(o.window_ms)} from {since}"
    return words + (", re-entry" if o.reentry else "")


def print_dropped(report: IngestReport) -> None:
    for line in describe(report):
        out.print(f"  [yellow]{escape(line)}[/yellow]")
    for warning in report.warnings:
        out.print(f"  [yellow]warning: {escape(warning)}[/yellow]")


def print_ingest(events: Events, customers: Any) -> None:
    r = events.report
    verb = "already ingested" if events.reused else "ingested"
    if events.store is None:
        verb = "checked in Spark (it stays there; nothing copied)"
    out.print(f"[green]✓[/green] {verb} {escape(r.source)}")
    period = f", {r.first_event} to {r.last_event}" if r.first_event else ", no events kept"
    out.print(
        f"  {count(r.rows_read, 'row')} read, {r.rows_kept:,} kept, "
        f"{count(r.customers, 'customer')}{period}"
    )
    print_dropped(r)
    table = Table("event", "rows", box=None, header_style="bold")
    for name, rows in list(r.events.items())[:15]:
        table.add_row(escape(name), f"{rows:,}")
    out.print(table)
    if len(r.events) > 15:
        out.print(f"  … and {count(len(r.events) - 15, 'more event')}")
    if customers:
        c = customers
        out.print(
            f"  customer table {escape(c.source)}: {count(c.rows_read, 'row')}, "
            f"{c.matched:,} customers matched, {c.not_in_events:,} not in the events, "
            f"{c.without_row:,} in the events without a row"
        )
        for reason, rows in c.dropped.items():
            out.print(f"  [yellow]{count(rows, 'row')} dropped: {escape(reason)}[/yellow]")
        for warning in c.warnings:
            out.print(f"  [yellow]warning: {escape(warning)}[/yellow]")
    if events.store is not None:
        out.print(f"  store: {escape(str(events.store))}")


def print_analysis(analysis: Analysis) -> None:
    journey, n, m = analysis.journey, analysis.min_count, analysis.measures
    report = analysis.events.report
    names = {c.id: c.text for c in journey.live_cards()}
    stage_names = {s.id: s.name for s in journey.live_stages()}
    cards = {c.id: c for c in journey.live_cards()}
    out.print(
        f"[bold]{escape(journey.title)}[/bold] on {shown(report.rows_kept, n)} "
        f"{'event' if report.rows_kept == 1 else 'events'} of {shown(report.customers, n)} "
        f"{'customer' if report.customers == 1 else 'customers'}"
    )
    print_dropped(report)
    table = _table("Reach", "touchpoint", "stage", "customers", "events")
    for r in m.touchpoints:
        stage = stage_names.get(cards[r.id].stage, "")
        table.add_row(escape(names[r.id]), escape(stage), shown(r.customers, n), shown(r.events, n))
    out.print(table)
    table = _table(
        f"Stage funnel ({window_words(analysis)})",
        "stage",
        "customers",
        "conversion",
        "overall",
        "median time",
        "p90 time",
    )
    for f in m.funnel:
        table.add_row(
            escape(stage_names[f.stage]),
            shown(f.customers, n),
            _rate(f.conversion) if f.conversion is not None else "-",
            _rate(f.overall),
            duration(f.median_ms),
            duration(f.p90_ms),
        )
    out.print(table)
    table = _table("Drop-off", "last touchpoint before leaving", "leavers", "share")
    for d in m.drop_off[: analysis.top or None]:
        table.add_row(escape(names[d.touchpoint]), shown(d.leavers, n), _rate(d.share))
    out.print(table)
    table = _table("Most frequent transitions", "from", "to", "count", "share", "median gap")
    for t in analysis.top_transitions():
        table.add_row(
            escape(names[t.source]),
            escape(names[t.target]),
            shown(t.count, n),
            _rate(t.share),
            duration(t.median_gap_ms),
        )
    out.print(table)
    out.print("[bold]Top paths[/bold]")
    for p in m.paths:
        trail = " → ".join(names.get(t, t) for t in p.touchpoints)
        out.print(f"  {shown(p.customers, n):>8}  {escape(trail)}")
    if analysis.sessions is not None:
        v = analysis.sessions
        out.print(
            f"[bold]Visits[/bold]: {shown(v.sessions, n)} visits by {shown(v.customers, n)} "
            f"customers; per customer {v.median_per_customer:g} (median), each with "
            f"{count(v.median_events, 'event')} over {duration(v.median_length_ms)} (medians)"
        )
    _print_split(analysis, stage_names)
    _print_periods(analysis, stage_names)
    for note in analysis.notes:
        err.print(f"[yellow]note: {escape(note)}[/yellow]")


def _print_split(analysis: Analysis, stage_names: dict[str, str]) -> None:
    if analysis.split is None:
        return
    journey, n = analysis.journey, analysis.min_count
    personas = {p.id: p.display_name for p in journey.live_personas()}
    heads = [
        escape(personas.get(v, v) if analysis.split_by == "persona" else v) for v in analysis.split
    ]
    table = _table(
        f"Stage funnel by {analysis.split_by} (customers, share of the first stage)",
        "stage",
        *heads,
    )
    for i, stage in enumerate(journey.live_stages()):
        cells = []
        for steps in analysis.split.values():
            f: Any = steps[i]
            share = "" if f.overall is None else f" ({f.overall:.0%})"
            cells.append(f"{shown(f.customers, n)}{share}")
        table.add_row(escape(stage_names[stage.id]), *cells)
    out.print(table)


def _print_periods(analysis: Analysis, stage_names: dict[str, str]) -> None:
    if analysis.periods is None:
        return
    n = analysis.min_count
    table = _table(
        "Periods compared (conversion from the stage before; p from a two-proportion z-test)",
        "stage",
        "before",
        "rate",
        "after",
        "rate",
        "p-value",
    )
    for c in analysis.periods:
        table.add_row(
            escape(stage_names[c.stage]),
            shown(c.before_customers, n),
            _rate(c.before_rate),
            shown(c.after_customers, n),
            _rate(c.after_rate),
            "-" if c.p_value is None else f"{c.p_value:.3g}",
        )
    out.print(table)
