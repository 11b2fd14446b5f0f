"""Reach and the stage funnel on a hand-written log, with the numbers worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.analytics.ingest import ingest
from journeymap.analytics.measures import (
    BindingError,
    Reach,
    bind,
    funnel,
    open_store,
    stage_entries,
    stage_reach,
    touchpoint_reach,
)
from journeymap.analytics.source_spec import SourceSpec
from journeymap.domain.apply import apply_all
from journeymap.domain.model import Journey
from journeymap.domain.operations import SetOp

from .helpers import touchpoint

H = 3_600_000
# t in hours after 2024-01-01 00:00 UTC
LOG = [
    ("u1", 0, "ad_click"),
    ("u1", 1, "checkout_view"),
    ("u1", 2, "checkout_pay"),
    ("u2", 0, "ad_click"),
    ("u2", 0.25, "ad_click"),
    ("u3", 0, "checkout_view"),
    ("u4", 0, "ad_click"),
    ("u4", 40 * 24, "checkout_view"),
    ("u5", 1, "checkout_view"),
    ("u5", 5, "ad_click"),
    ("u5", 7, "checkout_view"),
    ("u5", 7.5, "newsletter_open"),
]


def store(tmp_path: Path) -> object:
    import datetime as dt

    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    lines = ["who,at,what"] + [
        f"{who},{(start + dt.timedelta(hours=h)).isoformat()},{what}" for who, h, what in LOG
    ]
    (tmp_path / "log.csv").write_text("\n".join(lines) + "\n")
    spec = SourceSpec(
        source={"path": "log.csv"}, columns={"customer": "who", "timestamp": "at", "event": "what"}
    )
    return ingest(spec, tmp_path, tmp_path / "data").store


def bound_journey(small: Journey, ad_first_only: bool = False) -> Journey:
    return apply_all(
        small,
        [
            SetOp(
                entity="card",
                id="ad",
                field="events",
                value={"names": ["ad_click"], "first_only": ad_first_only},
            ),
            touchpoint(
                "checkout", "decision", {"patterns": ["checkout_*"]}, text="Checkout", step="cart"
            ),
        ],
    )


def test_reach_per_touchpoint_and_stage(small: Journey, tmp_path: Path) -> None:
    events = open_store(store(tmp_path))
    journey = bound_journey(small)
    bound = bind(events, journey)
    assert touchpoint_reach(bound, journey) == [
        Reach("ad", customers=4, events=5),
        Reach("checkout", customers=4, events=6),
    ]
    assert stage_reach(stage_entries(events, bound, journey), journey) == [
        Reach("awareness", 4, 5),
        Reach("decision", 4, 6),
    ]


def test_first_occurrence_only(small: Journey, tmp_path: Path) -> None:
    journey = bound_journey(small, ad_first_only=True)
    bound = bind(open_store(store(tmp_path)), journey)
    assert touchpoint_reach(bound, journey)[0] == Reach("ad", customers=4, events=4)


def test_ordered_funnel_with_a_conversion_window(small: Journey, tmp_path: Path) -> None:
    events = open_store(store(tmp_path))
    journey = bound_journey(small)
    steps = funnel(stage_entries(events, bind(events, journey), journey), journey)
    first, second = steps
    assert (first.stage, first.customers, first.conversion, first.overall) == (
        "awareness",
        4,
        None,
        1.0,
    )
    # u1 (1 h after the ad) and u5 (2 h after its ad; the visit before the ad does not count);
    # u4 came back after 40 days, outside the 30-day window; u3 never saw the ad.
    assert (second.stage, second.customers, second.conversion, second.overall) == (
        "decision",
        2,
        0.5,
        0.5,
    )
    assert second.median_ms == pytest.approx(1.5 * H)
    assert second.p90_ms == pytest.approx(1.9 * H)  # exact: interpolated between 1 h and 2 h
    wider = funnel(
        stage_entries(events, bind(events, journey), journey), journey, window_ms=60 * 24 * H
    )
    assert wider[1].customers == 3


def test_stage_entry_events(small: Journey, tmp_path: Path) -> None:
    events = open_store(store(tmp_path))
    journey = apply_all(
        bound_journey(small),
        [
            SetOp(
                entity="stage",
                id="awareness",
                field="entry_events",
                value={"names": ["newsletter_open"]},
            ),
        ],
    )
    reach = stage_reach(stage_entries(events, bind(events, journey), journey), journey)
    assert reach[0] == Reach("awareness", 4, 6)  # u5's newsletter adds an event, not a customer


def test_binding_mistakes_are_explained(small: Journey, tmp_path: Path) -> None:
    events = open_store(store(tmp_path))
    with pytest.raises(BindingError, match="no touchpoint has `events:`"):
        bind(events, small)
    journey = apply_all(
        small,
        [
            SetOp(
                entity="card",
                id="ad",
                field="events",
                value={"names": ["ad_click"], "where": {"campain": "x"}},
            )
        ],
    )
    with pytest.raises(BindingError, match="touchpoint 'ad' filters on 'campain'"):
        bind(events, journey)


def test_reach_on_the_real_helpdesk_log_equals_a_pandas_count(tmp_path: Path) -> None:
    import pandas as pd

    from journeymap.services.templates import new_journey

    data = Path(__file__).parents[1] / "data" / "helpdesk-slice.csv.gz"
    spec = SourceSpec(
        source={"path": str(data)},
        columns={
            "customer": "case:concept:name",
            "timestamp": "time:timestamp",
            "event": "concept:name",
            "properties": ["seriousness"],
        },
    )
    events = open_store(ingest(spec, tmp_path, tmp_path / "d").store)
    journey = apply_all(
        new_journey(framework="three-stage"),
        [
            touchpoint(
                "opened", "awareness", {"names": ["Assign seriousness"]}, text="Ticket opened"
            ),
            touchpoint("wait", "consideration", {"patterns": ["Wait*"]}, text="Waiting"),
            touchpoint(
                "serious-resolved",
                "decision",
                {"names": ["Resolve ticket"], "where": {"seriousness": "Value 2"}},
                text="Resolved",
            ),
        ],
    )
    reach = {r.id: r for r in touchpoint_reach(bind(events, journey), journey)}
    frame = pd.read_csv(data, dtype=str).drop_duplicates()

    def expected(rows: pd.DataFrame) -> tuple[int, int]:
        return rows["case:concept:name"].nunique(), len(rows)

    activity = frame["concept:name"]
    assert (reach["opened"].customers, reach["opened"].events) == expected(
        frame[activity == "Assign seriousness"]
    )
    assert (reach["wait"].customers, reach["wait"].events) == expected(
        frame[activity.str.startswith("Wait")]
    )
    assert (reach["serious-resolved"].customers, reach["serious-resolved"].events) == expected(
        frame[(activity == "Resolve ticket") & (frame["seriousness"] == "Value 2")]
    )


def test_cli_analyze_prints_reach_and_funnel_and_hides_small_counts(
    small_file: Path, tmp_path: Path
) -> None:
    import json

    from typer.testing import CliRunner

    from journeymap.cli.app import app

    store(tmp_path)  # writes log.csv
    source = tmp_path / "s.yaml"
    source.write_text(
        "source: {path: log.csv}\ncolumns: {customer: who, timestamp: at, event: what}\n"
    )
    runner = CliRunner()
    for args in (
        ["set", small_file, "card:ad", "events={names: [ad_click]}"],
        [
            "add",
            small_file,
            "card",
            "id=checkout",
            "kind=touchpoint",
            "stage=decision",
            "lane=touchpoints",
            "channel=web",
            "text=Checkout",
            "events={patterns: [checkout_*]}",
        ],
    ):
        assert runner.invoke(app, [str(a) for a in args]).exit_code == 0
    result = runner.invoke(
        app, ["analyze", str(small_file), "--source", str(source), "--min-count", "3", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["touchpoints"] == [
        {"id": "ad", "customers": 4, "events": 5},
        {"id": "checkout", "customers": 4, "events": 6},
    ]
    assert [f["customers"] for f in payload["funnel"]] == [4, "<3"]
    assert payload["sessions"] is None
    visits = runner.invoke(
        app,
        ["analyze", str(small_file), "--source", str(source), "--sessions", "30", "--json"],
    )
    assert visits.exit_code == 0, visits.stderr
    # As in test_sessions_by_hand: 10 visits by 5 customers (a bare number is minutes).
    assert json.loads(visits.stdout)["sessions"] == {
        "sessions": 10,
        "customers": "<10",
        "median_per_customer": 2.0,
        "median_events": 1.0,
        "median_length_s": 0.0,
    }
    text = runner.invoke(
        app,
        [
            "analyze",
            str(small_file),
            "--source",
            str(source),
            "--window",
            "60d",
            "--min-count",
            "1",
            "--sessions",
            "30m",
        ],
    )
    assert text.exit_code == 0
    assert "Stage funnel (window 60.0 d from the first stage)" in text.stdout
    assert "75.0%" in text.stdout and "each with 1 event over" in text.stdout
    assert "10 visits by 5 customers" in text.stdout
    bad = runner.invoke(
        app, ["analyze", str(small_file), "--source", str(source), "--window", "soon"]
    )
    assert bad.exit_code == 2


def test_transitions_paths_and_drop_off_by_hand(small: Journey, tmp_path: Path) -> None:
    from journeymap.analytics.measures import DropOff, Transition, drop_off, top_paths, transitions
    from journeymap.analytics.measures import Path as JPath

    events = open_store(store(tmp_path))
    journey = bound_journey(small)
    bound = bind(events, journey)
    assert transitions(bound) == [
        Transition("ad", "checkout", 3, 0.75, 2 * H),  # u1 1 h, u5 2 h, u4 960 h
        Transition("ad", "ad", 1, 0.25, 0.25 * H),
        Transition("checkout", "ad", 1, 0.5, 4 * H),
        Transition("checkout", "checkout", 1, 0.5, 1 * H),
    ]
    assert top_paths(bound) == [
        JPath(("ad", "checkout"), 2),
        JPath(("ad",), 1),
        JPath(("checkout",), 1),
        JPath(("checkout", "ad", "checkout"), 1),
    ]
    # u1 and u5 made it through; u2 left after the ad; u4 reached the checkout page after 40
    # days, past the 30-day window, so left at the ad too; u3 never saw the ad, so never
    # entered the funnel. (Before the definitions were set down, drop-off looked at whole
    # histories and counted checkout 2 (u3, u4), ad 1 (u2).)
    assert drop_off(bound, stage_entries(events, bound, journey), journey) == [
        DropOff("ad", 2, 1.0),
    ]


def test_transitions_on_the_real_helpdesk_log_equal_a_pandas_count(tmp_path: Path) -> None:
    import pandas as pd

    from journeymap.analytics.measures import transitions
    from journeymap.domain.ids import slugify
    from journeymap.services.templates import new_journey

    data = Path(__file__).parents[1] / "data" / "helpdesk-slice.csv.gz"
    frame = pd.read_csv(data, dtype=str).drop_duplicates()
    activities = sorted(frame["concept:name"].unique())
    ids = {a: slugify(a, max_words=8) for a in activities}
    journey = apply_all(
        new_journey(framework="three-stage"),
        [touchpoint(ids[a], "consideration", {"names": [a]}, text=a) for a in activities],
    )
    spec = SourceSpec(
        source={"path": str(data)},
        columns={
            "customer": "case:concept:name",
            "timestamp": "time:timestamp",
            "event": "concept:name",
        },
    )
    events = open_store(ingest(spec, tmp_path, tmp_path / "d").store)
    ours = {(t.source, t.target): t.count for t in transitions(bind(events, journey))}

    frame["ts"] = pd.to_datetime(frame["time:timestamp"], utc=True)
    frame = frame.sort_values(["case:concept:name", "ts"], kind="mergesort")
    frame["before"] = frame.groupby("case:concept:name")["concept:name"].shift()
    moves = frame.dropna(subset=["before"])
    theirs = {
        (ids[b], ids[a]): int(n)
        for (b, a), n in moves.groupby(["before", "concept:name"]).size().items()
    }
    assert ours == theirs
    assert sum(ours.values()) == len(frame) - frame["case:concept:name"].nunique()


def test_sessions_by_hand(tmp_path: Path) -> None:
    from journeymap.analytics.cohorts import Sessions, sessions

    # u1: 3 visits (1 h apart); u2: 1 visit of 2 events, 15 min; u3: 1; u4: 2 (40 days apart);
    # u5: 3 visits, the last of 2 events exactly 30 min apart (not more: one visit).
    assert sessions(open_store(store(tmp_path))) == Sessions(
        sessions=10, customers=5, median_per_customer=2.0, median_events=1.0, median_length_ms=0.0
    )


def test_two_proportion_test_matches_the_textbook() -> None:
    from journeymap.analytics.cohorts import _two_proportion_p

    assert _two_proportion_p(50, 100, 30, 100) == pytest.approx(0.003892, abs=1e-6)
    assert _two_proportion_p(10, 20, 10, 20) == pytest.approx(1.0)
    assert _two_proportion_p(0, 0, 1, 2) is None


def test_splits_and_periods_on_demo_data(tmp_path: Path) -> None:
    from journeymap.analytics.cohorts import compare_periods, funnel_by
    from journeymap.analytics.demo_data import generate
    from journeymap.analytics.spec_file import load_source_spec
    from journeymap.services.templates import new_journey

    source = generate(tmp_path, 20_000)
    events = open_store(ingest(load_source_spec(source), tmp_path, tmp_path / "d").store)
    journey = new_journey(template="online-store-checkout")
    entries = stage_entries(events, bind(events, journey), journey)
    whole = funnel(entries, journey)
    by_device = funnel_by(entries, events, journey, "device")
    assert set(by_device) == {"phone", "desktop"}
    assert sum(f[0].customers for f in by_device.values()) == whole[0].customers
    # The account wall on phones loses buyers before checkout: fewer reach retention.
    retention = [s.id for s in journey.live_stages()].index("retention")
    assert by_device["phone"][retention].overall < by_device["desktop"][retention].overall
    with pytest.raises(BindingError, match="no column 'devise'"):
        funnel_by(entries, events, journey, "devise")
    start = 1767571200000  # 2026-01-05, when the demo begins
    day = 86_400_000
    changes = compare_periods(
        entries, journey, (start, start + 30 * day), (start + 30 * day, start + 61 * day)
    )
    assert [c.stage for c in changes] == [s.id for s in journey.live_stages()]
    assert changes[0].p_value is None and changes[0].before_customers > 0
    assert all(c.p_value is None or 0 <= c.p_value <= 1 for c in changes)
    # Nothing changed between the periods in the demo data: no stage shifts significantly.
    assert all(c.p_value is None or c.p_value > 0.001 for c in changes)


def test_an_event_that_means_two_touchpoints_counts_for_both(
    small: Journey, tmp_path: Path
) -> None:
    journey = apply_all(
        bound_journey(small),
        [
            touchpoint(
                "ad-again",
                "decision",
                {"names": ["ad_click", "newsletter_open"]},
                text="Retargeting",
            ),
        ],
    )
    reach = {r.id: r for r in touchpoint_reach(bind(open_store(store(tmp_path)), journey), journey)}
    assert reach["ad"] == Reach("ad", 4, 5)
    assert reach["ad-again"] == Reach("ad-again", 4, 6)  # the 5 clicks and u5's newsletter


def test_plotly_charts_for_notebooks(small: Journey, tmp_path: Path) -> None:
    from journeymap.analytics.charts import funnel_chart, sankey
    from journeymap.analytics.measures import transitions

    events = open_store(store(tmp_path))
    journey = bound_journey(small)
    bound = bind(events, journey)
    figure = sankey(transitions(bound), journey, min_count=1)
    data = figure.data[0]
    labels = list(data.node.label)
    links = sorted(
        zip(
            (labels[i] for i in data.link.source),
            (labels[i] for i in data.link.target),
            data.link.value,
            strict=True,
        )
    )
    assert links == [("Checkout", "Social ad", 1), ("Social ad", "Checkout", 3)]
    assert sankey(transitions(bound), journey, min_count=2).data[0].link.value == (3,)
    steps = funnel(stage_entries(events, bound, journey), journey)
    chart = funnel_chart(steps, journey, min_count=1).data[0]
    assert list(chart.x) == [4, 2] and list(chart.y) == ["Awareness", "Decision"]
    assert list(funnel_chart(steps, journey, min_count=3).data[0].x) == [4]
