"""The `journeymap` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

import journeymap

from ..units import count
from . import analytics, edit, feedback, poster, server, tokens, users
from .output import EXIT_INVALID, err, fail, out, print_json, print_problems, problem_dict

app = typer.Typer(
    name="journeymap",
    help="Customer journey maps as code: start from a template, keep it as YAML in git, check it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"journeymap {journeymap.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Exit codes: 0 ok, 1 invalid input, 2 wrong usage."""


@app.command()
def templates() -> None:
    """List the journey templates.

    [b]Example:[/b] journeymap templates
    """
    from rich.table import Table

    from ..services.templates import list_templates

    infos = list_templates()
    table = Table(box=None, header_style="bold", expand=False)
    table.add_column("template", no_wrap=True, min_width=max(len(i.name) for i in infos))
    table.add_column("what it shows", no_wrap=True, overflow="ellipsis")
    for info in infos:
        table.add_row(f"[cyan]{info.name}[/cyan]", escape(info.description or info.title))
    out.print(table)
    out.print("start one: [cyan]journeymap new --template NAME OUT.yaml[/cyan]")


@app.command()
def new(
    out_file: Annotated[
        Path, typer.Argument(metavar="OUT", help="The file to create (.yaml or .json).")
    ],
    template: Annotated[
        str | None, typer.Option("--template", "-t", help="A template name.")
    ] = None,
    framework: Annotated[
        str | None,
        typer.Option(
            help="Start blank with a stage preset: five-stage, three-stage, see-think-do."
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="The journey's title.")] = None,
    journey_id: Annotated[str | None, typer.Option("--id", help="The journey's id.")] = None,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Overwrite OUT if it exists.")
    ] = False,
) -> None:
    """Create a journey file from a template or a stage framework.

    [b]Examples:[/b]
      journeymap new --template online-store-checkout checkout.yaml
      journeymap new --framework see-think-do --title "Buying a car" car.yaml
    """
    from ..domain.errors import JourneyInvalid
    from ..files.journey_file import is_json, write_atomic
    from ..services.templates import NewJourneyError, new_journey_text

    if out_file.exists() and not force:
        raise fail(f"{out_file} exists; pass --force to overwrite it")
    try:
        text = new_journey_text(template, framework, title, journey_id, as_json=is_json(out_file))
    except NewJourneyError as error:
        raise fail(str(error)) from None
    except JourneyInvalid as error:  # a broken template would be our bug, but say what it is
        print_problems(error.problems)
        raise typer.Exit(EXIT_INVALID) from None
    write_atomic(out_file, text)
    source = f"template {template}" if template else f"framework {framework or 'five-stage'}"
    out.print(f"created [bold]{escape(str(out_file))}[/bold] from {escape(source)}")
    out.print(f"next: edit it, then run [cyan]journeymap validate {escape(str(out_file))}[/cyan]")


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Journey files to check.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the problems as JSON.")] = False,
) -> None:
    """Check journey files and report every problem, with file, line, column and a fix.

    [b]Examples:[/b]
      journeymap validate checkout.yaml
      journeymap validate journeys/*.yaml --json
    """
    from ..domain.errors import JourneyInvalid
    from ..files.journey_file import load_journey

    report: list[dict[str, object]] = []
    bad = 0
    for path in files:
        try:
            journey = load_journey(path)
        except JourneyInvalid as error:
            bad += 1
            report.append(
                {
                    "file": str(path),
                    "ok": False,
                    "problems": [problem_dict(p) for p in error.problems],
                }
            )
            if not as_json:
                print_problems(error.problems)
                n = len(error.problems)
                err.print(f"[red]✗ {escape(str(path))}: {count(n, 'problem')}[/red]")
            continue
        report.append({"file": str(path), "ok": True, "problems": []})
        if not as_json:
            cards, stages = len(journey.live_cards()), len(journey.live_stages())
            out.print(
                f"[green]✓[/green] {escape(str(path))}: {escape(journey.title)} "
                f"({count(stages, 'stage')}, {count(cards, 'card')})"
            )
    if as_json:
        print_json(report)
    if bad:
        raise typer.Exit(EXIT_INVALID)


@app.command()
def fmt(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="Journey files to format.")
    ],
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if a file is not formatted.")
    ] = False,
) -> None:
    """Rewrite journey files in the canonical layout, keeping comments.

    Canonical: fixed key order, block style, cards in stage, step and lane order, generated ids
    written out, aliases such as `e-mail` replaced by the channel id.

    [b]Examples:[/b]
      journeymap fmt checkout.yaml
      journeymap fmt --check journeys/*.yaml
    """
    from ..domain.errors import JourneyInvalid
    from ..files.journey_file import update_file

    failed = False
    for path in files:
        try:
            _, _, changed = update_file(path, lambda journey: journey, dry_run=check)
        except JourneyInvalid as error:
            print_problems(error.problems)
            failed = True
            continue
        if not changed:
            out.print(f"{escape(str(path))}: already formatted")
        elif check:
            err.print(f"[yellow]{escape(str(path))}: would be reformatted[/yellow]")
            failed = True
        else:
            out.print(f"{escape(str(path))}: formatted")
    if failed:
        raise typer.Exit(EXIT_INVALID)


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    openapi: Annotated[
        bool,
        typer.Option(
            "--openapi", help="The REST API's OpenAPI description instead (server extra)."
        ),
    ] = False,
    analysis: Annotated[
        bool, typer.Option("--analysis", help="The JSON Schema of `analyze --json` instead.")
    ] = False,
    evidence: Annotated[
        bool, typer.Option("--evidence", help="The JSON Schema of the evidence file instead.")
    ] = False,
    feedback: Annotated[
        bool, typer.Option("--feedback", help="The JSON Schema of `feedback --json` instead.")
    ] = False,
    painpoints: Annotated[
        bool,
        typer.Option("--painpoints", help="The JSON Schema of `painpoints --json` instead."),
    ] = False,
    live: Annotated[
        bool,
        typer.Option("--live", help="The live socket's messages instead (server extra)."),
    ] = False,
) -> None:
    """Print the JSON Schema of the journey file (for editors and other tools), the REST
    API's OpenAPI description (to generate clients from), or the schema of `analyze --json`
    or of the evidence file (for scripts that read them).

    [b]Examples:[/b]
      journeymap schema > journey.schema.json
      journeymap schema -o schemas/journey.schema.json
      journeymap schema --openapi -o schemas/openapi.json
      journeymap schema --analysis -o schemas/analysis.schema.json
    """
    from ..files.journey_file import write_atomic

    if openapi + analysis + evidence + feedback + painpoints + live > 1:
        raise typer.BadParameter(
            "choose one of --openapi, --analysis, --evidence, --feedback, --painpoints and --live"
        )
    if live:
        from ..server.schemas.live import live_schema_text

        text = live_schema_text()
    elif openapi:
        from ..server.openapi import openapi_text

        text = openapi_text()
    elif analysis:
        from ..services.schema import analysis_schema_text

        text = analysis_schema_text()
    elif evidence:
        from ..services.schema import evidence_schema_text

        text = evidence_schema_text()
    elif feedback or painpoints:
        from ..services import schema as schemas

        text = schemas.feedback_schema_text() if feedback else schemas.painpoints_schema_text()
    else:
        from ..services.schema import journey_schema_text

        text = journey_schema_text()
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(output, text)
        out.print(f"wrote {escape(str(output))}")


@app.command()
def show(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A journey file.")],
) -> None:
    """Summarise a journey: persona, stages, emotion curve, top pain points, opportunities.

    With an evidence file beside it (`analyze --save`), also when its figures were measured
    and which went stale since (the journey changed under them).

    [b]Example:[/b] journeymap show checkout.yaml
    """
    from ..domain.errors import JourneyInvalid
    from ..files.journey_file import load_journey
    from .summary import print_evidence_state, print_summary

    try:
        journey = load_journey(file)
    except JourneyInvalid as error:
        print_problems(error.problems)
        raise typer.Exit(EXIT_INVALID) from None
    print_summary(journey)
    print_evidence_state(journey, file)


for _commands in (edit, poster, analytics, feedback, server, users, tokens):
    _commands.register(app)


def main() -> None:
    from ..files.journey_file import FileWriteError

    try:
        app()
    except FileWriteError as error:
        err.print(f"[red]error:[/red] {escape(str(error))}")
        raise SystemExit(EXIT_INVALID) from None
