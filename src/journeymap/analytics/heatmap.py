"""The journey heatmap from events: touchpoints x segment (persona, a customer attribute, or the
week), coloured by conversion or drop-off. (Scores and sentiment by segment come from
`journeymap feedback --split-by`.) Each cell is a share of the customers of the group who
reached the touchpoint:

- **conversion**: the share who went on to reach the journey's last stage (a bound event of
  one of its touchpoints, or its entry events, at or after the touchpoint; no window);
- **drop-off**: the share whose last bound touchpoint it was and who never reached the last
  stage. (The funnel's drop-off counts leavers within the conversion window, per try; this
  simpler count needs no window, so the heatmap can be cut by any group.)

A customer's week is the ISO week of their first event at the touchpoint. Cells of fewer
customers than `min_count` are left empty.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..domain.model import Journey
from .feedback_evidence import HeatmapEvidence

METRICS = ("conversion", "drop-off")


def event_heatmap(
    bound: Any,  # store_bound.BoundEvents
    journey: Journey,
    metric: str,
    by: str,
    groups: dict[int, str] | None = None,  # customer key -> group (persona or attribute)
    min_count: int = 10,
) -> HeatmapEvidence:
    import numpy as np

    if metric not in METRICS:
        raise ValueError(
            f"--heatmap {metric}: choose one of {', '.join(METRICS)} (scores and "
            "sentiment: journeymap feedback --split-by)"
        )
    last = journey.live_stages()[-1].id if journey.live_stages() else None
    stage_of = {c.id: c.stage for c in journey.live_cards()}
    final = np.array([stage_of.get(t) == last for t in bound.touchpoints] + [False])
    n_tp = len(bound.touchpoints)
    customer, ts, code = bound.customer, bound.ts, bound.code
    # The latest time each customer reached the last stage (0: never).
    done = np.zeros(bound.customers + 1, dtype=np.int64)
    hits = final[code]
    np.maximum.at(done, customer[hits], ts[hits])
    # Each customer's first event at each touchpoint.
    pair = customer * n_tp + code
    first_rows = np.unique(pair, return_index=True)[1]
    c, t, when = customer[first_rows], code[first_rows], ts[first_rows]
    ends = np.r_[customer[1:] != customer[:-1], True] if len(customer) else np.zeros(0, bool)
    last_code = np.full(bound.customers + 1, -1, dtype=np.int64)
    last_code[customer[ends]] = code[ends]
    if metric == "conversion":
        good = done[c] >= when
        good &= done[c] > 0
    else:
        good = (last_code[c] == t) & (done[c] == 0)
    if by == "week":
        keys = np.array(
            [
                dt.datetime.fromtimestamp(x / 1000, tz=dt.UTC).strftime("%G-W%V")
                for x in when.tolist()
            ],
            dtype=object,
        )
    elif groups is not None:
        keys = np.array([groups.get(int(x), "(none)") for x in c.tolist()], dtype=object)
    else:
        raise ValueError(f"cannot split by '{by}' without its groups")
    columns = sorted(set(keys.tolist()))
    rows = [x.id for x in journey.live_cards() if x.id in set(bound.touchpoints)]
    values: list[list[float | None]] = []
    counts: list[list[int | None]] = []
    for row in rows:
        mine = t == bound.touchpoints.index(row)
        vrow: list[float | None] = []
        crow: list[int | None] = []
        for column in columns:
            cell = mine & (keys == column)
            n = int(cell.sum())
            if n == 0:
                vrow.append(None)
                crow.append(0)
            elif n < min_count:
                vrow.append(None)
                crow.append(None)
            else:
                vrow.append(float(good[cell].mean()))
                crow.append(n)
        values.append(vrow)
        counts.append(crow)
    return HeatmapEvidence(
        by=by, metric=metric, rows=rows, columns=columns, values=values, counts=counts
    )


def heatmap_figure(heat: HeatmapEvidence, names: dict[str, str] | None = None) -> Any:
    """A Plotly heatmap of the grid, for notebooks."""
    import plotly.graph_objects as go

    names = names or {}
    shares = heat.metric in METRICS
    return go.Figure(
        go.Heatmap(
            z=heat.values,
            x=heat.columns,
            y=[names.get(r, r) for r in heat.rows],
            colorscale="RdYlGn_r" if heat.metric == "drop-off" else "RdYlGn",
            zmin=0 if shares else -2,
            zmax=1 if shares else 2,
            customdata=heat.counts,
            hovertemplate="%{y} · %{x}: %{z:.2f} (n=%{customdata})<extra></extra>",
        ),
        layout={"title": f"{heat.metric} by {heat.by}", "yaxis": {"autorange": "reversed"}},
    )


def to_arrow(heat: HeatmapEvidence) -> Any:
    """The grid as a long Arrow table (touchpoint, group, value, n), as `Measures` parts are."""
    import pyarrow as pa

    rows = [
        (r, c, heat.values[i][j], heat.counts[i][j])
        for i, r in enumerate(heat.rows)
        for j, c in enumerate(heat.columns)
    ]
    return pa.table(
        {
            "touchpoint": pa.array([r[0] for r in rows], pa.string()),
            "group": pa.array([r[1] for r in rows], pa.string()),
            "value": pa.array([r[2] for r in rows], pa.float64()),
            "n": pa.array([r[3] for r in rows], pa.int64()),
        }
    )
