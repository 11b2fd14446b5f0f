"""`ingest`, `analyze`, `demo-data` and `bind`: the analytics commands. The work is done by
services/analysis.py; these parse options, call it and print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from ..analytics.errors import BindingError, SourceError, StoreError
from ..domain.errors import JourneyInvalid
from ..services.analysis import AnalysisRequest, default_data_dir
from .output import EXIT_INVALID, err, fail, print_json, print_problems

_UNITS = {"d": 86_400_000, "h": 3_600_000, "m": 60_000, "s": 1000}
__all__ = ["default_data_dir", "load_journey", "open_source", "parse_window", "register"]


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


def load_journey(journey_file: Path) -> Any:
    from ..files.journey_file import load_journey

    try:
        return load_journey(journey_file)
    except JourneyInvalid as error:
        print_problems(error.problems)
        raise typer.Exit(EXIT_INVALID) from None


def open_source(source: Path, data_dir: Path | None) -> Any:
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


def _label(source: Path) -> str:
    from ..services.analysis import source_label

    try:
        return source_label(source)
    except (JourneyInvalid, SourceError):  # said properly when the source is opened
        return str(source)


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
        """Read an event source once into a fast local store, and report what was read.

        Rows read and kept, rows dropped and why (with example rows and what to change),
        the time range, customers and events. A Spark source is checked and counted in
        Spark, not copied.

        [b]Example:[/b] journeymap ingest orders.source.yaml
        """
        from ..services.analysis import customer_report, open_events
        from .analysis_print import print_ingest

        label = escape(_label(source))
        try:
            with err.status(f"reading {label}") as status:
                events = open_events(source, data_dir, force, progress=status.update)
        except JourneyInvalid as error:
            print_problems(error.problems)
            raise typer.Exit(EXIT_INVALID) from None
        except SourceError as error:
            raise fail(str(error)) from None
        customers = customer_report(events)
        if as_json:
            print_json(
                {
                    "store": None if events.store is None else str(events.store),
                    "reused": events.reused,
                    "report": events.report.__dict__,
                    "customers": customers.__dict__ if customers else None,
                }
            )
            return
        print_ingest(events, customers)

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
        """Measure the map on real events: reach, the stage funnel, drop-off and paths.

        Reach per touchpoint and stage, the ordered stage funnel (conversion, median and p90
        time from the stage before), drop-off, transitions and the top paths; with
        --sessions, visits. Every definition: docs/analytics.md.

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
            journey=load_journey(journey_file),
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

    from . import analytics_tools

    analytics_tools.register(app)
