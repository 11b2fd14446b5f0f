"""Charts for notebooks (Plotly): the flow between touchpoints as a Sankey diagram, and the
stage funnel. Small counts stay hidden here too: a link or stage under the minimum is left out."""

from __future__ import annotations

from typing import Any

from ..domain.model import Journey
from .plan import FunnelStep, Transition


def sankey(transitions: list[Transition], journey: Journey, min_count: int = 10) -> Any:
    """Customers' moves between touchpoints; self-loops and small links are left out."""
    import plotly.graph_objects as go

    names = {c.id: c.text for c in journey.live_cards()}
    links = [t for t in transitions if t.source != t.target and t.count >= min_count]
    nodes = list(dict.fromkeys([t.source for t in links] + [t.target for t in links]))
    index = {n: i for i, n in enumerate(nodes)}
    figure = go.Figure(
        go.Sankey(
            node={"label": [names.get(n, n) for n in nodes], "pad": 14},
            link={
                "source": [index[t.source] for t in links],
                "target": [index[t.target] for t in links],
                "value": [t.count for t in links],
            },
        )
    )
    figure.update_layout(title=f"{journey.title}: moves between touchpoints")
    return figure


def funnel_chart(steps: list[FunnelStep], journey: Journey, min_count: int = 10) -> Any:
    """The stage funnel: customers reaching each stage; a stage under the minimum ends it."""
    import plotly.graph_objects as go

    stage_names = {s.id: s.name for s in journey.live_stages()}
    shown = []
    for step in steps:
        if 0 < step.customers < min_count:
            break
        shown.append(step)
    figure = go.Figure(
        go.Funnel(
            y=[stage_names.get(s.stage, s.stage) for s in shown],
            x=[s.customers for s in shown],
            textinfo="value+percent initial",
        )
    )
    figure.update_layout(title=f"{journey.title}: stage funnel")
    return figure
