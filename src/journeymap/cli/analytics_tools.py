"""`demo-data` and `bind --suggest`: the analytics commands that prepare a measurement (events
to try it on, bindings to measure with)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .analytics import load_journey, open_source
from .output import err, out


def register(app: typer.Typer) -> None:
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
        feedback: Annotated[
            bool | None,
            typer.Option(
                "--feedback/--no-feedback",
                help="Also write survey answers and comments that match the events, and a "
                "manifest of what was planted (default: up to 2 million events).",
            ),
        ] = None,
    ) -> None:
        """Write seeded demo events for the online-store-checkout template.

        The late shipping fee is planted in them, and a second pain the seed chooses (an
        account wall, a confusing tracking step, or a cart that loops back), with a customer
        table (country, plan) for persona rules. Any size: written to Parquet in chunks. With
        them: survey answers and comments (survey.csv, feedback.yaml) and manifest.json, which
        names what was planted.

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
        if feedback or (feedback is None and events <= 2_000_000):
            from ..analytics.demo_feedback import generate_feedback

            with err.status("writing demo survey answers"):
                made = generate_feedback(folder, seed)
            out.print(
                f"wrote {escape(str(folder / 'survey.csv'))}, {escape(str(made))} and "
                f"{escape(str(folder / 'manifest.json'))}"
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
        journey = load_journey(journey_file)
        events = open_source(source, data_dir).report.events
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
