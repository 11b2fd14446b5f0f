"""`feedback` and `painpoints`: what customers say, and pain points found in the data. The work
is done by services/feedback.py; these parse options, call it and print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ..analytics.errors import BindingError, SourceError, StoreError
from ..analytics.feedback_measures import signed
from ..domain.errors import JourneyInvalid, OperationError
from .analytics import _periods, load_journey
from .output import EXIT_INVALID, err, fail, out, print_json, print_problems

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


def _num(value: float | None, digits: int = 1, sign: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


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
        _print_feedback(analysis)

    @app.command(rich_help_panel="Analytics")
    def painpoints(
        journey_file: Annotated[Path, typer.Argument(metavar="JOURNEY", help="A journey file.")],
        source: Annotated[Path, typer.Option("--source", help="The event source definition.")],
        feedback_file: Annotated[
            Path | None, typer.Option("--feedback", help="A feedback definition, too.")
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
        """
        from ..services.feedback import PainRequest, add_findings, find_pain_points

        if save and not heatmap_by:
            raise typer.BadParameter("--save keeps the heatmap: give --heatmap-by too")
        request = PainRequest(
            load_journey(journey_file),
            source,
            feedback_file,
            data_dir,
            min_count,
            heatmap_by,
            heatmap,
        )
        analysis = _run(lambda: find_pain_points(request), "looking for pain points")
        if add:
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
        _print_pain(analysis)


def _print_feedback(analysis: Any) -> None:
    m, report, journey = analysis.measures, analysis.feedback.report, analysis.journey
    names = {c.id: c.text for c in journey.live_cards()} | {
        s.id: s.name for s in journey.live_stages()
    }
    steps = {st.id: st.name for s in journey.live_stages() for st in journey.live_steps(s)}
    from ..analytics.ingest_report import describe

    out.print(
        f"[green]✓[/green] {escape(m.name)}: {report.rows_kept:,} answers kept of "
        f"{report.rows_read:,}, {report.texts:,} with text ({report.masked:,} masked)"
    )
    for line in describe(report):
        out.print(f"  {escape(line)}")
    hidden = f"<{m.min_count}"
    table = Table(
        "touchpoint or stage",
        "scale",
        "n",
        "score (95% interval)",
        "mean",
        "sentiment",
        box=None,
        title="Scores",
    )
    moods = {(k, t): s for k, t, s in m.moods}
    for kind, target, s in m.scores:
        small = 0 < s.n < m.min_count
        mood = moods.get((kind, target))
        value = _score_text(s)
        table.add_row(
            escape(names.get(target, target)) + ("" if kind == "touchpoint" else " (stage)"),
            s.scale,
            hidden if small else f"{s.n:,}",
            hidden if small else value,
            hidden if small else _num(s.mean, 2),
            hidden if small or mood is None or not mood.n else _num(mood.mean, 2, True),
        )
    out.print(table)
    curve = Table(
        "place", "customers", "team", "n", box=None, title=f"Measured curve ({m.signal}, on -2..+2)"
    )
    for p in m.curve:
        place = names[p.stage] + (f" · {steps[p.step]}" if p.step else "")
        shown = (
            hidden
            if p.value is None
            else f"{signed(p.value)} ({signed(p.low)} to {signed(p.high)})"
            if p.low is not None
            else signed(p.value)
        )
        curve.add_row(escape(place), shown, _num(p.assumed, 1, True), f"{p.n:,}")
    out.print(curve)
    for note in m.disagreements():
        out.print(f"  [yellow]•[/yellow] {escape(note)}")
    for tp, found in m.themes.items():
        if found:
            out.print(f"[bold]Themes at {escape(names.get(tp, tp))}[/bold]")
            for t, quotes in found[:4]:
                out.print(
                    f"  {escape(t.label)} ({t.count:,}, {t.share:.0%})"
                    + (f", sentiment {t.sentiment:+.2f}" if t.sentiment is not None else "")
                )
                for q in quotes[:2]:
                    out.print(f"    “{escape(q.text)}” ({q.date})")
    if m.periods:
        table = Table(
            "touchpoint",
            "scale",
            "before",
            "after",
            "p",
            box=None,
            title="Periods (NPS; CSAT 4-5 share; else the mean)",
        )
        for p in m.periods:
            table.add_row(
                escape(names.get(p.touchpoint, p.touchpoint)),
                p.scale,
                f"{_num(p.before, 2)} (n={p.before_n:,})",
                f"{_num(p.after, 2)} (n={p.after_n:,})",
                "-" if p.p_value is None else f"{p.p_value:.2g}",
            )
        out.print(table)
    if m.split:
        grid = Table(
            "touchpoint",
            *sorted({g for r in m.split.values() for g in r}),
            box=None,
            title=f"Heatmap: {m.signal} by {m.split_by} (-2..+2)",
        )
        groups = sorted({g for r in m.split.values() for g in r})
        for tp, cells in m.split.items():
            grid.add_row(
                escape(names.get(tp, tp)),
                *(
                    hidden
                    if g in cells and cells[g][0] < m.min_count
                    else _num(cells[g][1], 1, True)
                    if g in cells
                    else ""
                    for g in groups
                ),
            )
        out.print(grid)


def _score_text(s: Any) -> str:
    if s.value is None:
        return "-"
    if s.scale == "nps":
        text = f"NPS {s.value:+.0f}"
        return text + (f" ({s.low:+.0f} to {s.high:+.0f})" if s.low is not None else "")
    if s.scale == "csat":
        return f"{s.value:.0%} 4-5 ({s.low:.0%} to {s.high:.0%})"
    interval = f" ({s.low:.2f} to {s.high:.2f})" if s.low is not None else f" ({s.note})"
    return f"{s.value:.2f}{interval}"


def _print_pain(analysis: Any) -> None:
    flagged = analysis.flagged()
    out.print(
        f"[bold]Pain points found in the data[/bold] ({len(flagged)} of "
        f"{len(analysis.findings)} touchpoints above the journey's baseline)"
    )
    for rank, f in enumerate(flagged, start=1):
        out.print(
            f"{rank}. [bold]{escape(f.name)}[/bold] [dim]({escape(f.id)})[/dim]: about "
            f"{f.score:,.0f} customers beyond the baseline"
        )
        for s in f.signals:
            if s.counts:
                p = "p < 1e-300" if not s.p_value else f"p = {s.p_value:.1g}"
                out.print(f"     {escape(s.detail)} ({p})")
    if not analysis.service:
        hint = ", ".join(analysis.unmarked_service) or "none found by channel or team"
        out.print(
            "[yellow]No touchpoint is marked as a service contact[/yellow] (`service_contact: "
            f"true`), so contacts after each touchpoint are not counted; candidates: {escape(hint)}"
        )
    if analysis.heatmap is not None:
        _print_heatmap(analysis)
    if flagged:
        out.print(
            f"Add one to the map: journeymap painpoints JOURNEY --source ... --add {flagged[0].id}"
        )


def _print_heatmap(analysis: Any) -> None:
    heat = analysis.heatmap
    names = {c.id: c.text for c in analysis.journey.live_cards()}
    title = f"Heatmap: {heat.metric} by {heat.by} (share of each group's customers)"
    grid = Table("touchpoint", *heat.columns, box=None, title=title)
    for i, row in enumerate(heat.rows):
        cells = [
            "" if v is None and heat.counts[i][j] == 0 else "<n" if v is None else f"{v:.0%}"
            for j, v in enumerate(heat.values[i])
        ]
        grid.add_row(escape(names.get(row, row)), *cells)
    out.print(grid)
