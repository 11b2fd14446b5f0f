"""How `journeymap feedback` and `journeymap painpoints` print their results as tables."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

from ..analytics.feedback_measures import signed
from .output import out


def _num(value: float | None, digits: int = 1, sign: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


def print_feedback(analysis: Any) -> None:
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


def print_pain(analysis: Any) -> None:
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
