"""`ingest`: read an event source into the local store and report on every row."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .output import EXIT_INVALID, err, fail, out, print_json, print_problems


def default_data_dir(source_file: Path) -> Path:
    """$JOURNEYMAP_DATA, else a `.journeymap` folder beside the source definition."""
    configured = os.environ.get("JOURNEYMAP_DATA")
    return Path(configured) if configured else source_file.resolve().parent / ".journeymap"


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
        from ..analytics.ingest import SourceError
        from ..analytics.ingest import ingest as run_ingest
        from ..analytics.spec_file import load_source_spec
        from ..domain.errors import JourneyInvalid

        try:
            spec = load_source_spec(source)
        except JourneyInvalid as error:
            print_problems(error.problems)
            raise typer.Exit(EXIT_INVALID) from None
        folder = data_dir or default_data_dir(source)
        try:
            with err.status(f"reading {escape(spec.source.path)}"):
                result = run_ingest(spec, source.resolve().parent, folder, force=force)
        except SourceError as error:
            raise fail(str(error)) from None
        if as_json:
            print_json(
                {
                    "store": str(result.store),
                    "reused": result.reused,
                    "report": result.report.__dict__,
                }
            )
            return
        r = result.report
        verb = "already ingested" if result.reused else "ingested"
        out.print(f"[green]✓[/green] {verb} {escape(r.source)}")
        out.print(
            f"  {r.rows_read:,} rows read, {r.rows_kept:,} kept, "
            f"{r.customers:,} customers, {r.first_event} to {r.last_event}"
        )
        for reason, count in r.dropped.items():
            out.print(f"  [yellow]{count:,} rows dropped: {escape(reason)}[/yellow]")
        table = Table("event", "rows", box=None, header_style="bold")
        for name, count in list(r.events.items())[:15]:
            table.add_row(escape(name), f"{count:,}")
        out.print(table)
        if len(r.events) > 15:
            out.print(f"  … and {len(r.events) - 15} more events")
        out.print(f"  store: {escape(str(result.store))}")
