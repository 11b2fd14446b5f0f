"""`feedback` and `painpoints`: what customers say, and pain points found in the data. The work
is done by services/feedback.py; these parse options, call it and print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from ..analytics.errors import BindingError, SourceError, StoreError
from ..domain.errors import JourneyInvalid, OperationError
from .analytics import _periods, load_journey
from .feedback_print import print_feedback, print_pain
from .output import EXIT_INVALID, err, fail, print_json, print_problems

_ERRORS = (SourceError, BindingError, StoreError, ValueError, ModuleNotFoundError)


def _run(work: Any, what: str) -> Any:
    try:
        with err.status(what):
            return work()
    except JourneyInvalid as error:
        print_problems(error.problems)
        raise typer.Exit(EXIT_INVALID) from None
    except _ERRORS as error:
        raise fail(str(error)) from None


def register(app: typer.Typer) -> None:
    @app.command(rich_help_panel="Analytics")
    def feedback(
        journey_file: Annotated[Path, typer.Argument(metavar="JOURNEY", help="A journey file.")],
        source: Annotated[
            Path, typer.Option("--source", help="The feedback definition (FEEDBACK.yaml).")
        ],
        curve: Annotated[
            str | None,
            typer.Option(
                help="The measured curve's signal: nps, csat, ces, stars or sentiment (default: "
                "the journey's `feedback: {curve}`, else the first score type found)."
            ),
        ] = None,
        split_by: Annotated[
            str | None,
            typer.Option(
                help="Also split each touchpoint's signal by persona, a customer attribute, a "
                "feedback column (columns.attributes) or week: the heatmap."
            ),
        ] = None,
        compare: Annotated[
            str | None,
            typer.Option(
                help="Compare each touchpoint's scores and sentiment between two periods of "
                "answers, with a p-value: FROM..TO,FROM..TO (dates, UTC)."
            ),
        ] = None,
        min_count: Annotated[int, typer.Option(help="Groups below this are shown as '<N'.")] = 10,
        themes: Annotated[bool, typer.Option(help="Find themes in the free text.")] = True,
        data_dir: Annotated[Path | None, typer.Option(help="Where the cache goes.")] = None,
        force: Annotated[bool, typer.Option(help="Read the file again even if unchanged.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
        save: Annotated[
            bool,
            typer.Option(
                "--save",
                help="Keep it in the journey's evidence (JOURNEY.evidence.json); `render` then "
                "draws the measured curve, the disagreements and the heatmap.",
            ),
        ] = False,
        add_quotes: Annotated[
            int,
            typer.Option(
                "--add-quotes",
                min=0,
                help="Add up to N verbatims a touchpoint (its most negative themes' quotes) to "
                "the journey as quote cards, with source, date and the touchpoint they speak of.",
            ),
        ] = 0,
    ) -> None:
        """Measure the map on what customers say: scores, sentiment, themes, the curve.

        Per touchpoint and stage: NPS, CSAT, CES, stars or a custom scale with 95% intervals,
        sentiment of the free text (offline), themes with masked quotes; the measured emotion
        curve beside the team's, with each disagreement in words. docs/feedback.md has every
        definition.

        [b]Examples:[/b]
          journeymap feedback checkout.yaml --source survey.feedback.yaml
          journeymap feedback checkout.yaml --source survey.feedback.yaml --split-by week --save
        """
        from ..services.feedback import FeedbackRequest, analyse_feedback, save_feedback

        request = FeedbackRequest(
            journey=load_journey(journey_file),
            feedback_file=source,
            data_dir=data_dir,
            signal=curve,
            min_count=min_count,
            split_by=split_by,
            themes=themes,
            force=force,
            compare=_periods(compare) if compare else None,
        )
        analysis = _run(lambda: analyse_feedback(request), "reading what customers say")
        if save:
            target = save_feedback(analysis, journey_file)
            err.print(f"feedback saved to {escape(str(target))}")
        if add_quotes:
            from ..services.feedback import add_quotes as add

            try:
                made = add(analysis, journey_file, add_quotes)
            except JourneyInvalid as error:
                print_problems(error.problems)
                raise typer.Exit(EXIT_INVALID) from None
            except OperationError as error:
                raise fail(f"{journey_file}: {error}") from None
            err.print(f"{escape(str(journey_file))}: added {len(made)} quote cards")
        if as_json:
            from ..services.feedback_output import feedback_output

            print_json(feedback_output(analysis).model_dump(mode="json"))
            return
        print_feedback(analysis)

    @app.command(rich_help_panel="Analytics")
    def painpoints(
        journey_file: Annotated[
            Path,
            typer.Argument(
                metavar="JOURNEY", help="A journey file, or with --server the journey's id."
            ),
        ],
        source: Annotated[Path, typer.Option("--source", help="The event source definition.")],
        feedback_file: Annotated[
            Path | None, typer.Option("--feedback", help="A feedback definition, too.")
        ] = None,
        server: Annotated[
            str | None,
            typer.Option(
                "--server",
                help="A workspace server's URL: JOURNEY is a journey there (your API token in "
                "JOURNEYMAP_TOKEN); --add adds the cards there as a new revision.",
            ),
        ] = None,
        add: Annotated[
            list[str] | None,
            typer.Option(
                "--add",
                help="Add these findings (ids as listed, e.g. pp-fee-added) to the journey as "
                "pain-point cards, confidence observed, with their evidence.",
            ),
        ] = None,
        min_count: Annotated[int, typer.Option(help="Signals from fewer never count.")] = 10,
        heatmap_by: Annotated[
            str | None,
            typer.Option(
                help="Also a heatmap of touchpoints by persona, a customer attribute or week."
            ),
        ] = None,
        heatmap: Annotated[
            str, typer.Option(help="The heatmap's measure: drop-off or conversion.")
        ] = "drop-off",
        save: Annotated[
            bool,
            typer.Option("--save", help="Keep the heatmap in the journey's evidence (poster)."),
        ] = False,
        data_dir: Annotated[Path | None, typer.Option(help="Where the stores go.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    ) -> None:
        """Find pain points in the data: each touchpoint against the journey's own baseline.

        Drop-off (against its stage), loops back to earlier steps, contacts with customer
        service soon after, growing time to the next step, low scores and negative comments;
        ranked by the customers they touch beyond the baseline, each with its evidence.

        [b]Examples:[/b]
          journeymap painpoints checkout.yaml --source orders.source.yaml --feedback survey.yaml
          journeymap painpoints checkout.yaml --source orders.source.yaml --add pp-fee-added
          journeymap painpoints JOURNEY_ID --server https://maps.example.com --source s.yaml
        """
        from ..services.feedback import PainRequest, add_findings, find_pain_points

        if save and not heatmap_by:
            raise typer.BadParameter("--save keeps the heatmap: give --heatmap-by too")
        if save and server:
            raise typer.BadParameter("--save keeps the heatmap beside a journey file, not --server")
        remote = client = None
        if server:
            from .remote import read_remote, server_client

            client = server_client(server)
            remote = read_remote(client, str(journey_file))
        request = PainRequest(
            remote.journey if remote else load_journey(journey_file),
            source,
            feedback_file,
            data_dir,
            min_count,
            heatmap_by,
            heatmap,
        )
        analysis = _run(lambda: find_pain_points(request), "looking for pain points")
        if add and client and remote:
            from ..services.feedback import finding_cards
            from .remote import apply_remote

            try:
                made = apply_remote(
                    client, remote, finding_cards(remote.journey, analysis.findings, add)
                )
            except OperationError as error:
                raise fail(f"{server}: journey {remote.id}: {error}") from None
            err.print(
                f"{escape(server or '')}: journey {remote.id}: added "
                + ", ".join(f"card:{escape(i)}" for i in made)
            )
        elif add:
            try:
                made = add_findings(journey_file, analysis.findings, add)
            except JourneyInvalid as error:
                print_problems(error.problems)
                raise typer.Exit(EXIT_INVALID) from None
            except OperationError as error:
                raise fail(f"{journey_file}: {error}") from None
            err.print(
                f"{escape(str(journey_file))}: added "
                + ", ".join(f"card:{escape(i)}" for i in made)
            )
        if save:
            from ..services.feedback import save_heatmap

            err.print(f"heatmap saved to {escape(str(save_heatmap(analysis, journey_file)))}")
        if as_json:
            from ..services.feedback_output import painpoints_output

            print_json(painpoints_output(analysis).model_dump(mode="json"))
            return
        print_pain(analysis)
