"""`ingest`: read an event source into the local store and report on every row."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ..units import duration
from .output import EXIT_INVALID, err, fail, out, print_json, print_problems


def default_data_dir(source_file: Path) -> Path:
    """$JOURNEYMAP_DATA, else a `.journeymap` folder beside the source definition."""
    configured = os.environ.get("JOURNEYMAP_DATA")
    return Path(configured) if configured else source_file.resolve().parent / ".journeymap"


_UNITS = {"d": 86_400_000, "h": 3_600_000, "m": 60_000, "s": 1000}


def parse_window(text: str, bare: str = "d") -> int:
    """`30d`, `12h`, `90m` or `45s` as milliseconds; a bare number is in `bare` units."""
    text = text.strip().lower()
    unit = _UNITS.get(text[-1:])
    number = text[:-1] if unit else text
    try:
        value = float(number)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a duration such as 30d, 12h or 90m") from None
    if value <= 0:
        raise typer.BadParameter("a duration must be longer than zero")
    return round(value * (unit or _UNITS[bare]))


def shown(count: int, minimum: int) -> str:
    """A count as it may be shared: small ones hidden, so no handful of people stands out."""
    return f"<{minimum}" if 0 < count < minimum else f"{count:,}"


def shown_json(count: int, minimum: int) -> int | str:
    return f"<{minimum}" if 0 < count < minimum else count


@dataclass
class Events:
    report: Any  # IngestReport
    store: Path | None  # the local store; None for a Spark source, which stays in Spark
    table: Any  # the events as an Ibis table


def journey_and_events(journey_file: Path, source: Path, data_dir: Path | None) -> Any:
    """The journey and its events (ingested once if needed; opened in Spark for a Spark
    source), or a clean exit."""
    from ..analytics.errors import SourceError
    from ..analytics.ingest import ingest as run_ingest
    from ..analytics.measures import open_store
    from ..analytics.spec_file import load_source_spec
    from ..domain.errors import JourneyInvalid
    from ..files.journey_file import load_journey

    try:
        journey = load_journey(journey_file)
        spec = load_source_spec(source)
    except JourneyInvalid as error:
        print_problems(error.problems)
        raise typer.Exit(EXIT_INVALID) from None
    try:
        if spec.source.is_spark():
            from ..analytics.spark_source import open_spark, spark_report

            with err.status("opening the events in Spark"):
                opened = open_spark(spec, base=source.resolve().parent)
                return journey, Events(spark_report(spec, opened), None, opened.events)
        with err.status("reading the events") as status:
            result = run_ingest(
                spec,
                source.resolve().parent,
                data_dir or default_data_dir(source),
                progress=lambda rows: status.update(f"reading the events: {rows:,} rows"),
            )
    except SourceError as error:
        raise fail(str(error)) from None
    return journey, Events(result.report, result.store, open_store(result.store))


def _print_dropped(dropped: dict[str, int], warnings: list[str]) -> None:
    for reason, count in dropped.items():
        out.print(f"  [yellow]{count:,} rows dropped: {escape(reason)}[/yellow]")
    for warning in warnings:
        out.print(f"  [yellow]warning: {escape(warning)}[/yellow]")


def _periods(text: str) -> tuple[tuple[int, int], tuple[int, int]]:
    import datetime as dt

    def day(value: str) -> int:
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise typer.BadParameter(f"'{value}' is not a date such as 2026-01-31") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return int(moment.timestamp() * 1000)

    try:
        first, second = (part.split("..") for part in text.split(","))
        return (day(first[0]), day(first[1])), (day(second[0]), day(second[1]))
    except ValueError:
        raise typer.BadParameter("write the periods as FROM..TO,FROM..TO") from None


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _splits_and_periods(
    journey: Any,
    events: Any,
    store: Path | None,
    split_by: str | None,
    compare: str | None,
    window_ms: int,
    min_count: int,
) -> tuple[dict[str, Any] | None, list[Any] | None]:
    """The funnel per group (`--split-by`) and the two periods' funnels (`--compare`), with
    small counts already hidden."""
    from ..analytics import privacy
    from ..analytics.customers import open_customers
    from ..analytics.measures import (
        BindingError,
        bind,
        compare_periods,
        funnel_for_groups,
        stage_entries,
    )
    from ..analytics.personas import split_groups

    periods = _periods(compare) if compare else None
    entries = stage_entries(events, bind(events, journey), journey)
    split = changes = None
    try:
        if split_by:
            people = open_customers(events, store) if store is not None else None
            groups = split_groups(events, people, journey, split_by)
            split = privacy.split(funnel_for_groups(entries, groups, journey, window_ms), min_count)
        if periods:
            found = compare_periods(entries, journey, periods[0], periods[1], window_ms)
            changes = privacy.periods(found, min_count)
    except BindingError as error:
        raise fail(str(error)) from None
    return split, changes


def _splits_json(split: dict[str, Any] | None, min_count: int) -> dict[str, Any] | None:
    if split is None:
        return None
    return {
        value: [
            {
                "stage": f.stage,
                "customers": shown_json(f.customers, min_count),
                "conversion": f.conversion,
                "overall": f.overall,
            }
            for f in steps
        ]
        for value, steps in split.items()
    }


def _periods_json(changes: list[Any] | None, min_count: int) -> list[dict[str, Any]] | None:
    if changes is None:
        return None
    return [
        {
            "stage": c.stage,
            "before_customers": shown_json(c.before_customers, min_count),
            "before_rate": c.before_rate,
            "after_customers": shown_json(c.after_customers, min_count),
            "after_rate": c.after_rate,
            "p_value": c.p_value,
        }
        for c in changes
    ]


def _print_splits_and_periods(
    journey: Any,
    split_by: str | None,
    split: dict[str, Any] | None,
    changes: list[Any] | None,
    min_count: int,
    stage_names: dict[str, str],
) -> None:
    if split is not None:
        names = {p.id: p.display_name for p in journey.live_personas()}
        table = Table(
            "stage",
            *(escape(names.get(v, v) if split_by == "persona" else v) for v in split),
            box=None,
            header_style="bold",
            title=f"Stage funnel by {split_by} (customers, share of the first stage)",
            title_justify="left",
        )
        for i, stage in enumerate(journey.live_stages()):
            cells = []
            for steps in split.values():
                f = steps[i]
                share = "" if f.overall is None else f" ({f.overall:.0%})"
                cells.append(f"{shown(f.customers, min_count)}{share}")
            table.add_row(escape(stage_names[stage.id]), *cells)
        out.print(table)
    if changes is not None:
        table = Table(
            "stage",
            "before",
            "rate",
            "after",
            "rate",
            "p-value",
            box=None,
            header_style="bold",
            title="Periods compared (conversion from the stage "
            "before; p from a two-proportion z-test)",
            title_justify="left",
        )
        for c in changes:
            table.add_row(
                escape(stage_names[c.stage]),
                shown(c.before_customers, min_count),
                _rate(c.before_rate),
                shown(c.after_customers, min_count),
                _rate(c.after_rate),
                "-" if c.p_value is None else f"{c.p_value:.3g}",
            )
        out.print(table)


def register(app: typer.Typer) -> None:
    @app.command(rich_help_panel="Analytics")
    def ingest(
        source: Annotated[
            Path, typer.Argument(metavar="SOURCE.yaml", help="The source definition.")
        ],
        data_dir: Annotated[
            Path | None,
            typer.Option(
                help="Where the store goes (default: $JOURNEYMAP_DATA or .journeymap/ beside "
                "SOURCE.yaml)."
            ),
        ] = None,
        force: Annotated[
            bool, typer.Option(help="Read the source again even if unchanged.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Read an event source once into a fast local store, and report what was read:
        rows, rows dropped and why, time range, customers, events.

        [b]Example:[/b] journeymap ingest orders.source.yaml
        """
        from ..analytics.credentials import redact
        from ..analytics.customers import load_report
        from ..analytics.errors import SourceError
        from ..analytics.ingest import ingest as run_ingest
        from ..analytics.spec_file import load_source_spec
        from ..domain.errors import JourneyInvalid

        try:
            spec = load_source_spec(source)
        except JourneyInvalid as error:
            print_problems(error.problems)
            raise typer.Exit(EXIT_INVALID) from None
        folder = data_dir or default_data_dir(source)
        label = escape(spec.source.path or redact(spec.source.url or ""))
        try:
            store: Path | None = None
            if spec.source.is_spark():  # stays in Spark: checked and counted there, not copied
                from ..analytics.spark_source import open_spark, spark_report

                with err.status(f"checking {label} in Spark"):
                    opened = open_spark(spec, base=source.resolve().parent)
                    report, reused = spark_report(spec, opened), False
            else:
                with err.status(f"reading {label}") as status:

                    def progress(rows: int) -> None:
                        status.update(f"reading {label}: {rows:,} rows")

                    result = run_ingest(spec, source.resolve().parent, folder, force, progress)
                report, reused, store = result.report, result.reused, result.store
        except SourceError as error:
            raise fail(str(error)) from None
        customers = load_report(store) if store is not None else None
        if as_json:
            print_json(
                {
                    "store": None if store is None else str(store),
                    "reused": reused,
                    "report": report.__dict__,
                    "customers": customers.__dict__ if customers else None,
                }
            )
            return
        r = report
        verb = "already ingested" if reused else "ingested"
        if store is None:
            verb = "checked in Spark (it stays there; nothing copied)"
        out.print(f"[green]✓[/green] {verb} {escape(r.source)}")
        out.print(
            f"  {r.rows_read:,} rows read, {r.rows_kept:,} kept, "
            f"{r.customers:,} customers, {r.first_event} to {r.last_event}"
        )
        _print_dropped(r.dropped, r.warnings)
        table = Table("event", "rows", box=None, header_style="bold")
        for name, count in list(r.events.items())[:15]:
            table.add_row(escape(name), f"{count:,}")
        out.print(table)
        if len(r.events) > 15:
            out.print(f"  … and {len(r.events) - 15} more events")
        if customers:
            c = customers
            out.print(
                f"  customer table {escape(c.source)}: {c.rows_read:,} rows, {c.matched:,} "
                f"customers matched, {c.not_in_events:,} not in the events, "
                f"{c.without_row:,} in the events without a row"
            )
            _print_dropped(c.dropped, c.warnings)
        if store is not None:
            out.print(f"  store: {escape(str(store))}")

    @app.command(rich_help_panel="Analytics")
    def analyze(
        journey_file: Annotated[Path, typer.Argument(metavar="JOURNEY", help="A journey file.")],
        source: Annotated[Path, typer.Option("--source", help="The source definition.")],
        window: Annotated[str, typer.Option(help="Conversion window between stages.")] = "30d",
        min_count: Annotated[int, typer.Option(help="Counts below this are shown as '<N'.")] = 10,
        data_dir: Annotated[Path | None, typer.Option(help="Where the store goes.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
        save: Annotated[
            bool,
            typer.Option(
                "--save",
                help="Keep the figures as evidence beside the journey "
                "(JOURNEY.evidence.json); `render` then draws them.",
            ),
        ] = False,
        split_by: Annotated[
            str | None,
            typer.Option(
                help="Also show the funnel for each persona (by the journey's persona "
                "rules), or each value of a customer table attribute or an event property "
                "(each customer's value on their first event), e.g. persona, plan or device."
            ),
        ] = None,
        compare: Annotated[
            str | None,
            typer.Option(
                help="Compare the funnels of two start periods, with a p-value per "
                "stage: FROM..TO,FROM..TO (dates, UTC), e.g. "
                "2026-01-01..2026-02-01,2026-02-01..2026-03-01."
            ),
        ] = None,
        sessions_gap: Annotated[
            str | None,
            typer.Option(
                "--sessions",
                help="Also count visits: a customer's events with no gap longer than this "
                "between them, e.g. 30m.",
            ),
        ] = None,
    ) -> None:
        """Measure the map on real events: reach per touchpoint and stage, the ordered stage
        funnel (conversion, median and p90 time to the next stage), drop-off, transitions and
        the top paths; with --sessions, visits.

        [b]Examples:[/b]
          journeymap analyze checkout.yaml --source orders.source.yaml
          journeymap analyze checkout.yaml --source orders.source.yaml --save
          journeymap render checkout.yaml -o checkout.png
        """
        from ..analytics import privacy
        from ..analytics.errors import SourceError
        from ..analytics.measures import BindingError, measure_all
        from ..analytics.store_measures import measure_store

        window_ms = parse_window(window)
        journey, result = journey_and_events(journey_file, source, data_dir)
        try:
            with err.status("measuring the map"):
                if result.store is not None:  # the local store: its NumPy plan
                    measured = measure_store(result.store, journey, window_ms, paths=5)
                else:  # a Spark source: the Ibis plan, in Spark
                    measured = measure_all(result.table, journey, window_ms, paths=5)
            measured = privacy.measures(measured, min_count)
            touchpoints, stages, steps = measured.touchpoints, measured.stages, measured.funnel
            moves, paths, leaving = measured.transitions, measured.paths, measured.drop_off
        except (SourceError, BindingError) as error:
            raise fail(str(error)) from None
        visits = None
        if sessions_gap is not None:
            from ..analytics.measures import sessions

            with err.status("counting visits"):
                visits = sessions(result.table, parse_window(sessions_gap, "m"))
        if save:
            from ..analytics import evidence

            found = evidence.build(
                journey,
                result.report,
                touchpoints,
                leaving,
                steps,
                {"window_ms": window_ms},
                min_count,
            )
            target = evidence.evidence_path(journey_file)
            evidence.save(found, target)
            err.print(f"evidence saved to {escape(str(target))}")
        names = {c.id: c.text for c in journey.live_cards()}
        stage_names = {s.id: s.name for s in journey.live_stages()}
        split = changes = None
        if split_by or compare:
            split, changes = _splits_and_periods(
                journey, result.table, result.store, split_by, compare, window_ms, min_count
            )
        if as_json:
            print_json(
                {
                    "journey": journey.id,
                    "store": None if result.store is None else str(result.store),
                    "window_ms": window_ms,
                    "min_count": min_count,
                    "touchpoints": [
                        {
                            "id": r.id,
                            "customers": shown_json(r.customers, min_count),
                            "events": shown_json(r.events, min_count),
                        }
                        for r in touchpoints
                    ],
                    "stages": [
                        {"id": r.id, "customers": shown_json(r.customers, min_count)}
                        for r in stages
                    ],
                    "transitions": [
                        {
                            "from": t.source,
                            "to": t.target,
                            "count": shown_json(t.count, min_count),
                            "share": t.share,
                            "median_gap_ms": t.median_gap_ms,
                        }
                        for t in moves
                    ],
                    "paths": [
                        {
                            "touchpoints": list(p.touchpoints),
                            "customers": shown_json(p.customers, min_count),
                        }
                        for p in paths
                    ],
                    "drop_off": [
                        {
                            "touchpoint": d.touchpoint,
                            "leavers": shown_json(d.leavers, min_count),
                            "share": d.share,
                        }
                        for d in leaving
                    ],
                    "funnel": [
                        {
                            "stage": f.stage,
                            "customers": shown_json(f.customers, min_count),
                            "conversion": f.conversion,
                            "overall": f.overall,
                            "median_ms": f.median_ms,
                            "p90_ms": f.p90_ms,
                        }
                        for f in steps
                    ],
                    "split_by": split_by,
                    "split": _splits_json(split, min_count),
                    "periods": _periods_json(changes, min_count),
                    "sessions": None
                    if visits is None
                    else {
                        "sessions": shown_json(visits.sessions, min_count),
                        "customers": shown_json(visits.customers, min_count),
                        "median_per_customer": visits.median_per_customer,
                        "median_events": visits.median_events,
                        "median_length_ms": visits.median_length_ms,
                    },
                }
            )
            return
        out.print(
            f"[bold]{escape(journey.title)}[/bold] on "
            f"{shown(result.report.rows_kept, min_count)} events of "
            f"{shown(result.report.customers, min_count)} customers"
        )
        table = Table(
            "touchpoint",
            "stage",
            "customers",
            "events",
            box=None,
            header_style="bold",
            title="Reach",
            title_justify="left",
        )
        cards = {c.id: c for c in journey.live_cards()}
        for r in touchpoints:
            table.add_row(
                escape(names[r.id]),
                escape(stage_names.get(cards[r.id].stage, "")),
                shown(r.customers, min_count),
                shown(r.events, min_count),
            )
        out.print(table)
        table = Table(
            "stage",
            "customers",
            "conversion",
            "overall",
            "median time",
            "p90 time",
            box=None,
            header_style="bold",
            title=f"Stage funnel (window {window})",
            title_justify="left",
        )
        for f in steps:
            table.add_row(
                escape(stage_names[f.stage]),
                shown(f.customers, min_count),
                "-" if f.conversion is None else f"{f.conversion:.1%}",
                "-" if f.overall is None else f"{f.overall:.1%}",
                duration(f.median_ms),
                duration(f.p90_ms),
            )
        out.print(table)
        table = Table(
            "last touchpoint before leaving",
            "leavers",
            "share",
            box=None,
            header_style="bold",
            title="Drop-off",
            title_justify="left",
        )
        for d in leaving[:8]:
            table.add_row(escape(names[d.touchpoint]), shown(d.leavers, min_count), _rate(d.share))
        out.print(table)
        table = Table(
            "from",
            "to",
            "count",
            "share",
            "median gap",
            box=None,
            header_style="bold",
            title="Most frequent transitions",
            title_justify="left",
        )
        for t in sorted(moves, key=lambda m: -m.count)[:10]:
            table.add_row(
                escape(names[t.source]),
                escape(names[t.target]),
                shown(t.count, min_count),
                _rate(t.share),
                duration(t.median_gap_ms),
            )
        out.print(table)
        out.print("[bold]Top paths[/bold]")
        for p in paths:
            trail = " → ".join(names[t] for t in p.touchpoints)
            out.print(f"  {shown(p.customers, min_count):>8}  {escape(trail)}")
        if visits is not None:
            out.print(
                f"[bold]Visits[/bold] (a gap over {sessions_gap} starts a new one): "
                f"{shown(visits.sessions, min_count)} visits by "
                f"{shown(visits.customers, min_count)} customers; per customer "
                f"{visits.median_per_customer:g} (median), each with {visits.median_events:g} "
                f"events over {duration(visits.median_length_ms)} (medians)"
            )
        _print_splits_and_periods(journey, split_by, split, changes, min_count, stage_names)

    @app.command(name="demo-data", rich_help_panel="Analytics")
    def demo_data(
        folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Where to write them.")],
        events: Annotated[int, typer.Option(min=100, help="About how many events.")] = 20_000,
        seed: Annotated[int, typer.Option(help="The same seed gives the same events.")] = 7,
        customers: Annotated[
            int | None,
            typer.Option(
                min=1,
                help="How many customers (default: one visit, about 7 events, each); fewer "
                "customers make longer histories of repeat visits.",
            ),
        ] = None,
    ) -> None:
        """Write seeded demo events for the online-store-checkout template, with its late
        shipping fee (and a smaller account-wall problem) planted in them, and a customer
        table (country, plan) for persona rules. Any size: written to Parquet in chunks.

        [b]Example:[/b]
          journeymap demo-data demo/ && journeymap new -t online-store-checkout demo/store.yaml
          journeymap analyze demo/store.yaml --source demo/online-store.source.yaml
          journeymap demo-data big/ --events 100000000 --customers 1000000
        """
        from rich.progress import MofNCompleteColumn, Progress, TimeElapsedColumn

        from ..analytics.demo_data import generate

        columns = (*Progress.get_default_columns()[:2], MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task("writing demo events", total=events)
            source = generate(
                folder, events, seed, customers, lambda n: bar.update(task, completed=n)
            )
        out.print(
            f"wrote {escape(str(folder / 'events.parquet'))}, "
            f"{escape(str(folder / 'customers.parquet'))} and {escape(str(source))}"
        )

    @app.command(rich_help_panel="Analytics")
    def bind(
        journey_file: Annotated[Path, typer.Argument(metavar="JOURNEY", help="A journey file.")],
        source: Annotated[Path, typer.Option("--source", help="The source definition.")],
        suggest: Annotated[
            bool,
            typer.Option("--suggest", help="Propose bindings and list the events nothing covers."),
        ] = False,
        data_dir: Annotated[Path | None, typer.Option(help="Where the store goes.")] = None,
    ) -> None:
        """Help bind touchpoints to events: with --suggest, propose events for each touchpoint
        (by the words they share) and list the frequent events no binding covers.

        [b]Example:[/b] journeymap bind checkout.yaml --source orders.source.yaml --suggest
        """
        from ..analytics.suggest_bindings import suggest as propose
        from ..analytics.suggest_bindings import uncovered

        if not suggest:
            raise typer.BadParameter("say --suggest (bindings are written with `journeymap set`)")
        journey, result = journey_and_events(journey_file, source, data_dir)
        events = result.report.events
        table = Table(
            "touchpoint",
            "bound to",
            "suggested events (score)",
            box=None,
            header_style="bold",
            title="Suggested bindings",
            title_justify="left",
        )
        cards = {c.id: c for c in journey.live_cards()}
        for s in propose(journey, events):
            card = cards[s.touchpoint]
            rule = getattr(card, "events", None)
            current = ", ".join(rule.names + rule.patterns) if rule is not None else "-"
            ideas = ", ".join(f"{n} ({score:.2f})" for n, score in s.events) or "-"
            table.add_row(escape(s.touchpoint), escape(current), escape(ideas))
        out.print(table)
        left = uncovered(journey, events)
        if left:
            out.print("[bold]Frequent events no binding covers[/bold]")
            for name, count in left:
                out.print(f"  {count:>9,}  {escape(name)}")
        out.print('bind one: [cyan]journeymap set JOURNEY card:ID "events={names: [EVENT]}"[/cyan]')
