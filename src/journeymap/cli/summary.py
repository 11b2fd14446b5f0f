"""`journeymap show`: a journey at a glance in the terminal."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.markup import escape
from rich.table import Table

from ..domain.cards import Card, OpportunityCard, PainPointCard
from ..domain.model import Journey
from .output import out

_BAR_WIDTH = 8


def emotion_bar(score: float) -> str:
    """A bar from the centre: left and red when negative, right and green when positive."""
    cells = round(abs(score) / 2 * _BAR_WIDTH)
    if score < 0:
        return f"{' ' * (_BAR_WIDTH - cells)}[red]{'█' * cells}[/red]│{' ' * _BAR_WIDTH}"
    return f"{' ' * _BAR_WIDTH}│[green]{'█' * cells}[/green]{' ' * (_BAR_WIDTH - cells)}"


def print_summary(journey: Journey) -> None:
    cards = journey.live_cards()
    state = journey.state.value + (
        f", improves {journey.current_journey}" if journey.current_journey else ""
    )
    out.print(
        f"[bold]{escape(journey.title)}[/bold]  [dim]{escape(journey.id)} · "
        f"{journey.status.value} · {escape(state)}"
        + (f" · owner {escape(journey.owner)}" if journey.owner else "")
        + "[/dim]"
    )
    if journey.description:
        out.print(escape(journey.description))
    for persona in journey.live_personas():
        line = f"[bold]Persona:[/bold] {escape(persona.display_name)}"
        if persona.segment:
            line += f", {escape(persona.segment)}"
        out.print(line)
        if persona.quote:
            out.print(f'  [italic]"{escape(persona.quote)}"[/italic]')
    out.print()
    _stages_table(journey, cards)
    _pains_and_opportunities(cards)
    channels = Counter(c.channel or "no channel" for c in cards if c.kind == "touchpoint")
    if channels:
        out.print(
            "[bold]Touchpoints by channel:[/bold] "
            + ", ".join(f"{escape(k)} {n}" for k, n in channels.most_common())
        )


def _stages_table(journey: Journey, cards: list[Card]) -> None:
    table = Table(title="Stages", title_justify="left", box=None, header_style="bold")
    table.add_column("stage")
    table.add_column("steps")
    for column in ("touchpoints", "pains", "cards"):
        table.add_column(column, justify="right")
    by_stage = Counter((c.stage, c.kind) for c in cards)
    totals = Counter(c.stage for c in cards)
    for stage in journey.live_stages():
        table.add_row(
            escape(stage.name),
            escape(", ".join(s.name for s in journey.live_steps(stage))) or "-",
            str(by_stage[(stage.id, "touchpoint")]),
            str(by_stage[(stage.id, "pain_point")]),
            str(totals[stage.id]),
        )
    out.print(table)
    out.print()
    _emotion_curve(journey)


def _emotion_curve(journey: Journey) -> None:
    points = journey.live_emotions()
    if not points:
        return
    names = {s.id: s.name for s in journey.stages}
    names |= {st.id: st.name for s in journey.stages for st in s.steps}
    out.print("[bold]Emotion curve[/bold] [dim](-2 awful … +2 delighted)[/dim]")
    for e in points:
        where = names.get(e.stage, e.stage) + (f" › {names.get(e.step, e.step)}" if e.step else "")
        out.print(
            f"  {escape(where)[:28]:<28} {emotion_bar(e.score)} {e.score:+.1f}  "
            f"[dim]{escape(e.note or '')}[/dim]"
        )
    out.print()


def _pains_and_opportunities(cards: list[Card]) -> None:
    pains = sorted((c for c in cards if isinstance(c, PainPointCard)), key=lambda c: -c.severity)
    if pains:
        out.print("[bold]Top pain points[/bold]")
        for c in pains[:5]:
            out.print(
                f"  [red]{'●' * c.severity}{'○' * (5 - c.severity)}[/red] "
                f"{escape(c.text)} [dim]({escape(c.stage)}, {c.confidence.value})[/dim]"
            )
        out.print()
    opportunities = [c for c in cards if isinstance(c, OpportunityCard)]
    if opportunities:
        out.print("[bold]Opportunities[/bold]")
        for o in opportunities:
            score = f"value {o.value}, effort {o.effort}" if o.value and o.effort else ""
            out.print(
                f"  [cyan]{o.status.value:<11}[/cyan] {escape(o.text)} [dim]·[/dim] "
                f"[dim]{escape(o.owner or 'no owner')}{'; ' + score if score else ''}[/dim]"
            )
        out.print()


def print_evidence_state(journey: Journey, journey_file: Path) -> None:
    """When its figures were measured, and which went stale since (the journey changed)."""
    from ..analytics.evidence import evidence_path, load

    path = evidence_path(journey_file)
    if not path.exists():
        return
    try:
        evidence = load(path)
    except ValueError:
        out.print(f"[yellow]Evidence: {escape(path.name)} cannot be read[/yellow]")
        return
    changes = evidence.changes(journey)
    if evidence.source is not None:
        out.print(
            f"[bold]Evidence:[/bold] measured {escape(evidence.computed_at)} from "
            f"{escape(evidence.source)} ({escape(path.name)})"
        )
    if evidence.feedback is not None:
        said = evidence.feedback
        out.print(
            f"[bold]Feedback:[/bold] measured {escape(said.computed_at)} from "
            f"{escape(said.name)} ({escape(path.name)})"
        )
        moved = said.stale_places(journey)
        if moved:
            out.print(
                f"  [yellow]stale: touchpoints {escape(', '.join(moved))} moved since; run "
                "journeymap feedback again[/yellow]"
            )
    if changes.any:
        names = {c.id: c.text for c in journey.live_cards()}
        names |= {s.id: s.name for s in journey.live_stages()}
        out.print(
            f"  [yellow]stale: {escape(changes.words(names))} since; run "
            "journeymap analyze again[/yellow]"
        )
