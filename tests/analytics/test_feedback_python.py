"""From Python and notebooks: the feedback's parts and the findings as tables, the heatmap as a
Plotly figure and a long table."""

from __future__ import annotations

from pathlib import Path

from journeymap.analytics.demo_data import generate
from journeymap.analytics.demo_feedback import generate_feedback
from journeymap.analytics.feedback_evidence import heatmap
from journeymap.analytics.heatmap import event_heatmap, heatmap_figure, to_arrow
from journeymap.analytics.painpoints import findings_table
from journeymap.analytics.store_bound import bound_events
from journeymap.services.analysis import open_events
from journeymap.services.feedback import (
    FeedbackRequest,
    PainRequest,
    analyse_feedback,
    find_pain_points,
)
from journeymap.services.templates import new_journey


def test_parts_as_tables_and_the_heatmap_as_a_figure(tmp_path: Path) -> None:
    source = generate(tmp_path, 6000, seed=5)
    said = generate_feedback(tmp_path, seed=5)
    journey = new_journey(template="online-store-checkout")
    found = analyse_feedback(FeedbackRequest(journey, said, tmp_path / ".jm", split_by="week"))
    scores = found.measures.to_arrow("scores")
    assert scores.num_rows == len(found.measures.scores) and "value" in scores.column_names
    assert found.measures.to_pandas("curve")["signal"].eq("csat").all()
    assert found.measures.to_polars("split").height > 0
    grid = heatmap(found.measures, journey)
    assert grid is not None and grid.by == "week"
    figure = heatmap_figure(grid, {c.id: c.text for c in journey.live_cards()})
    assert figure.data[0].type == "heatmap" and len(figure.data[0].y) == len(grid.rows)
    long = to_arrow(grid)
    assert long.num_rows == len(grid.rows) * len(grid.columns)
    pains = find_pain_points(
        PainRequest(
            journey, source, said, tmp_path / ".jm", heatmap_by="plan", heatmap="conversion"
        )
    )
    table = findings_table(pains.findings)
    assert table.num_rows == sum(len(f.signals) for f in pains.findings)
    assert pains.heatmap is not None and pains.heatmap.columns == ["guest", "member", "plus"]
    store = open_events(source, tmp_path / ".jm").store
    again = event_heatmap(bound_events(store, journey), journey, "drop-off", "week")
    assert all(v is None or 0 <= v <= 1 for row in again.values for v in row)
