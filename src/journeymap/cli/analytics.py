"""`ingest`, `analyze`, `demo-data` and `bind`: the analytics commands. The work is done by
services/analysis.py; these parse options, call it and print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ..analytics.errors import BindingError, SourceError, StoreError
from ..domain.errors import JourneyInvalid
from ..services.analysis import AnalysisRequest, default_data_dir
from ..units import plural
from .output import EXIT_INVALID, err, fail, out, print_json, print_problems

_UNITS = {"d": 86_400_000, "h": 3_600_000, "m": 60_000, "s": 1000}
__all__ = ["default_data_dir", "parse_window", "register"]


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


def _load_journey(journey_file: Path) -> Any:
    from ..files.journey_file import load_journey

    try:
        return load_journey(journey_file)
    except JourneyInvalid as error:
        print_problems(error.problems)
        raise typer.Exit(EXIT_INVALID) from None


def _open(source: Path, data_dir: Path | None) -> Any:
    """The source's events (ingested once), or a clean exit."""
    from ..services.analysis import open_events

    try:
        with err.status("reading the events") as status:
            return open_events(source, data_dir, progress=status.update)
    except JourneyInvalid as error:
        print_problems(error.problems)
        raise typer.Exit(EXIT_INVALID) from None
    except SourceError as error:
        raise fail(str(error)) from None


def _print_dropped(dropped: dict[str, int], warnings: list[str]) -> None:
    for reason, count in dropped.items():
        out.print(f"  [yellow]{plural(count, 'row')} dropped: {escape(reason)}[/yellow]")
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
        window: Annotated[
            str | None,
            typer.Option(
                help="Conversion window, e.g. 30d, 12h (default: the journey's `funnel:`, "
                "else 30d)."
            ),
        ] = None,
        window_from: Annotated[
            str | None,
            typer.Option(
                "--window-from",
                help="Measure the window from the first stage (first, the default) or from "
                "the stage before (previous).",
            ),
        ] = None,
        reentry: Annotated[
            bool | None,
            typer.Option(
                "--reentry/--no-reentry",
                help="Let a later entry into the first stage start a customer again (each "
                "still counts once, on their furthest try).",
            ),
        ] = None,
        top: Annotated[
            int, typer.Option(min=0, help="How many paths and transitions to list (0: all).")
        ] = 10,
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
        funnel (conversion, median and p90 time from the stage before), drop-off, transitions
        and the top paths; with --sessions, visits. Every definition: docs/analytics.md.

        [b]Examples:[/b]
          journeymap analyze checkout.yaml --source orders.source.yaml
          journeymap analyze checkout.yaml --source s.yaml --window 7d --window-from previous
          journeymap analyze checkout.yaml --source orders.source.yaml --save
          journeymap render checkout.yaml -o checkout.png
        """
        from ..services.analysis import analyse, save_evidence

        if window_from not in (None, "first", "previous"):
            raise typer.BadParameter("say first or previous", param_hint="--window-from")
        request = AnalysisRequest(
            journey=_load_journey(journey_file),
            source_file=source,
            data_dir=data_dir,
            window_ms=None if window is None else parse_window(window),
            window_from=window_from,  # type: ignore[arg-type]
            reentry=reentry,
            min_count=min_count,
            top=top,
            split_by=split_by,
            compare=_periods(compare) if compare else None,
            sessions_gap_ms=None if sessions_gap is None else parse_window(sessions_gap, "m"),
        )
        try:
            with err.status("measuring the map") as status:
                analysis = analyse(request, status.update)
        except JourneyInvalid as error:
            print_problems(error.problems)
            raise typer.Exit(EXIT_INVALID) from None
        except (SourceError, BindingError, StoreError) as error:
            raise fail(str(error)) from None
        if save:
            target = save_evidence(analysis, journey_file)
            err.print(f"evidence saved to {escape(str(target))}")
        if as_json:
            from ..services.analysis_output import to_output

            print_json(to_output(analysis).model_dump(mode="json"))
            return
        from .analysis_print import print_analysis

        print_analysis(analysis)

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
        journey = _load_journey(journey_file)
        events = _open(source, data_dir).report.events
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
