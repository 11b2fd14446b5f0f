"""`render`, `export` and `import`: the poster files and the spreadsheet bridge."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from ..units import count as plural
from .output import EXIT_INVALID, err, fail, out, print_problems

if TYPE_CHECKING:
    from ..domain.model import Journey


def _load(path: Path) -> Journey:
    from ..domain.errors import JourneyInvalid
    from ..files.journey_file import load_journey

    try:
        return load_journey(path)
    except JourneyInvalid as error:
        print_problems(error.problems)
        raise typer.Exit(EXIT_INVALID) from None


def _evidence(journey_file: Path, given: Path | None) -> object:
    from ..analytics.evidence import evidence_path, load

    path = given or evidence_path(journey_file)
    if given is None and not path.exists():
        return None
    try:
        found = load(path)
    except (OSError, ValueError) as error:
        reason = type(error).__name__
        raise fail(f"{path}: not an evidence file journeymap can read ({reason})") from None
    err.print(f"drawing evidence from {escape(str(path))} (measured {found.computed_at})")
    return found


def register(app: typer.Typer) -> None:
    @app.command(rich_help_panel="Posters and spreadsheets")
    def render(
        file: Annotated[Path, typer.Argument(metavar="FILE", help="A journey file.")],
        outputs: Annotated[
            list[Path],
            typer.Option(
                "--output", "-o", help="OUT.svg, OUT.png, OUT.pdf or OUT.html; repeat for several."
            ),
        ],
        scale: Annotated[float, typer.Option(help="PNG pixels per poster pixel (0.1 to 8).")] = 1.0,
        evidence: Annotated[
            Path | None,
            typer.Option(
                help="Measured figures to draw (default: JOURNEY.evidence.json beside "
                "the journey, when `analyze --save` has made one)."
            ),
        ] = None,
    ) -> None:
        """Draw the journey as a poster: SVG, PNG, PDF (one page, vector text) or one HTML file.

        [b]Examples:[/b]
          journeymap render checkout.yaml -o checkout.png --scale 2
          journeymap render checkout.yaml -o checkout.pdf -o checkout.html
        """
        from ..render.export import FORMATS, RenderError, render_file

        journey = _load(file)
        found = _evidence(file, evidence)
        for target in outputs:
            fmt = target.suffix.lower().lstrip(".")
            if fmt not in FORMATS:
                raise fail(f"{target}: unknown poster type '.{fmt}'; use .svg, .png, .pdf or .html")
        for target in outputs:
            try:
                with err.status(f"drawing {escape(str(target))}"):
                    render_file(journey, target, scale, found)
            except RenderError as error:
                raise fail(str(error)) from None
            out.print(f"wrote [bold]{escape(str(target))}[/bold]")

    @app.command(rich_help_panel="Posters and spreadsheets")
    def export(
        file: Annotated[Path, typer.Argument(metavar="FILE", help="A journey file.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="cards.csv or cards.xlsx.")],
    ) -> None:
        """Write one spreadsheet row per card (XLSX: frozen header, drop-downs for kinds,
        channels, stages and lanes).

        [b]Examples:[/b]
          journeymap export checkout.yaml -o cards.xlsx
          journeymap export checkout.yaml -o cards.csv
        """
        from ..files.sheets import SheetError
        from ..services.sheets import export_cards

        journey = _load(file)
        try:
            count = export_cards(journey, output)
        except SheetError as error:
            raise fail(str(error)) from None
        out.print(f"wrote {plural(count, 'card')} to [bold]{escape(str(output))}[/bold]")

    @app.command(name="import", rich_help_panel="Posters and spreadsheets")
    def import_(
        sheet: Annotated[Path, typer.Argument(metavar="SHEET", help="cards.csv or cards.xlsx.")],
        into: Annotated[Path, typer.Option("--into", help="The journey file to update.")],
        prune: Annotated[
            bool, typer.Option("--prune", help="Delete the cards the sheet does not list.")
        ] = False,
        partial: Annotated[
            bool, typer.Option("--partial", help="Apply the good rows even if some are bad.")
        ] = False,
    ) -> None:
        """Create or update cards from a spreadsheet, matched by id.

        A column left out of the sheet leaves that field alone; an empty cell clears it. Every
        row that cannot be used is reported with its number and the reason, and then nothing is
        written (unless --partial).

        [b]Examples:[/b]
          journeymap import cards.xlsx --into checkout.yaml
          journeymap import cards.csv --into checkout.yaml --prune
        """
        from ..domain.errors import JourneyInvalid
        from ..files.journey_file import update_file
        from ..files.sheets import SheetError
        from ..services.sheets import ImportResult, import_sheet

        results: list[ImportResult] = []

        def apply_sheet(journey: Journey) -> Journey:
            result = import_sheet(journey, sheet, prune=prune)
            results.append(result)
            if result.problems and not partial:
                raise _Rejected
            return result.journey

        try:
            update_file(into, apply_sheet)
        except JourneyInvalid as error:
            print_problems(error.problems)
            raise typer.Exit(EXIT_INVALID) from None
        except SheetError as error:
            raise fail(str(error)) from None
        except _Rejected:
            pass
        result = results[0]
        for problem in result.problems:
            err.print(f"[red]{escape(problem.format(str(sheet)))}[/red]")
        if result.problems and not partial:
            err.print(
                f"[red]✗ {plural(len(result.problems), 'row')} cannot be used; "
                f"{escape(str(into))} is unchanged[/red]"
            )
            raise typer.Exit(EXIT_INVALID)
        out.print(
            f"{escape(str(into))}: {len(result.added)} added, {len(result.updated)} updated, "
            f"{len(result.deleted)} deleted"
        )
        if result.prune_skipped:
            err.print(
                "[yellow]--prune was not applied: with bad rows in the sheet, their cards "
                "would look absent and be deleted[/yellow]"
            )
        if result.problems:
            raise typer.Exit(EXIT_INVALID)


class _Rejected(Exception):
    """The sheet has bad rows and --partial was not given: write nothing."""
