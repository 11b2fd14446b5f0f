"""The demo events: seeded, and with the template's problems really in them."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from journeymap.analytics.demo_data import generate
from journeymap.cli.app import app

from .helpers import demo_journey


def test_same_seed_same_events(tmp_path: Path) -> None:
    generate(tmp_path / "a", 3000, seed=3)
    generate(tmp_path / "b", 3000, seed=3)
    generate(tmp_path / "c", 3000, seed=4)

    def read(folder: Path) -> list[tuple[object, ...]]:
        return duckdb.sql(
            f"SELECT customer_id, epoch_ms(ts), event, channel, device, persona, "
            f"basket_value FROM '{folder}/events.parquet'"
        ).fetchall()

    assert read(tmp_path / "a") == read(tmp_path / "b") != read(tmp_path / "c")
    assert len(read(tmp_path / "a")) >= 3000


def test_the_late_shipping_fee_drives_customers_away(tmp_path: Path) -> None:
    generate(tmp_path, 20_000)
    rates = dict(
        duckdb.sql(f"""
        WITH c AS (
            SELECT customer_id,
                   bool_or(event = 'delivery_fee_shown') AS surprised,
                   bool_or(event = 'payment_page') AS paid
            FROM '{tmp_path}/events.parquet' GROUP BY 1
            HAVING bool_or(event = 'checkout_delivery'))
        SELECT surprised, avg(paid::INT) FROM c GROUP BY 1""").fetchall()
    )
    assert rates[True] < 0.45 < 0.75 < rates[False]


def test_analyze_finds_the_planted_problem(tmp_path: Path) -> None:
    import json

    journey, source = demo_journey(tmp_path, 20_000)
    result = CliRunner().invoke(app, ["analyze", str(journey), "--source", str(source), "--json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    checkout_leavers = [
        d
        for d in payload["drop_off"]
        if d["touchpoint"] in ("fee-added", "delivery-step", "account-wall")
    ]
    worst = max(checkout_leavers, key=lambda d: d["leavers"])
    assert worst["touchpoint"] == "fee-added"  # the fee, not the wall or the step itself
    reach = {t["id"]: t["customers"] for t in payload["touchpoints"]}
    assert reach["fee-added"] < reach["delivery-step"] < reach["cart-page"]


def test_bind_suggest_proposes_the_right_events(tmp_path: Path) -> None:
    from journeymap.analytics.suggest_bindings import suggest, uncovered
    from journeymap.domain.apply import apply_all
    from journeymap.domain.operations import SetOp
    from journeymap.services.templates import new_journey

    template = new_journey(template="online-store-checkout")
    bound = {
        c.id: c.events.names[0]
        for c in template.live_cards()  # type: ignore[union-attr]
        if getattr(c, "events", None) is not None
    }
    blank = apply_all(
        template, [SetOp(entity="card", id=i, field="events", value=None) for i in bound]
    )
    generate(tmp_path, 4000)
    counts = dict(
        duckdb.sql(f"SELECT event, count(*) FROM '{tmp_path}/events.parquet' GROUP BY 1").fetchall()
    )
    best = {s.touchpoint: s.events[0][0] for s in suggest(blank, counts) if s.events}
    right = [i for i, event in bound.items() if best.get(i) == event]
    assert len(right) >= 0.75 * len(bound), (best, bound)
    assert {name for name, _ in uncovered(blank, counts)} >= {"product_view", "cart_view"}
    assert [name for name, _ in uncovered(template, counts)] == []


def test_bind_suggest_cli(tmp_path: Path) -> None:
    journey, source = demo_journey(tmp_path, 2000)
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "bind",
            str(journey),
            "--source",
            str(source),
            "--suggest",
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0 and "payment_page (1.00)" in result.stdout
    assert (
        runner.invoke(
            app,
            [
                "bind",
                str(journey),
                "--source",
                str(source),
            ],
        ).exit_code
        == 2
    )


def test_analyze_splits_and_compares_periods(tmp_path: Path) -> None:
    journey, source = demo_journey(tmp_path, 6000)
    runner = CliRunner()
    base = ["analyze", str(journey), "--source", str(source)]
    result = runner.invoke(
        app,
        [
            *base,
            "--split-by",
            "device",
            "--compare",
            "2026-01-05..2026-02-04,2026-02-04..2026-03-10",
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.stderr
    assert "Stage funnel by device" in result.stdout and "phone" in result.stdout
    assert "Periods compared" in result.stdout
    machine = runner.invoke(
        app,
        [
            *base,
            "--split-by",
            "device",
            "--compare",
            "2026-01-05..2026-02-04,2026-02-04..2026-03-10",
            "--json",
        ],
    )
    payload = json.loads(machine.stdout)
    assert payload["split_by"] == "device" and set(payload["split"]) == {"phone", "desktop"}
    first = [steps[0]["customers"] for steps in payload["split"].values()]
    assert sum(first) == payload["funnel"][0]["customers"]  # the groups add up to everyone
    assert [p["stage"] for p in payload["periods"]] == [f["stage"] for f in payload["funnel"]]
    assert payload["periods"][0]["p_value"] is None and payload["periods"][1]["p_value"] >= 0
    assert runner.invoke(app, [*base, "--compare", "January"]).exit_code == 2
    bad = runner.invoke(app, [*base, "--split-by", "devise"])
    assert bad.exit_code == 1 and "have 'devise' to split by (did you mean 'device'?)" in bad.stderr


def test_fewer_customers_make_long_histories_and_a_customer_table(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo-data", str(tmp_path), "--events", "5000", "--customers", "50"]
    )
    assert result.exit_code == 0, result.stderr
    per_customer = duckdb.sql(
        f"SELECT count(DISTINCT customer_id), count(*) / count(DISTINCT customer_id) "
        f"FROM '{tmp_path}/events.parquet'"
    ).fetchall()
    assert per_customer[0][0] == 50 and per_customer[0][1] > 50
    people = duckdb.sql(
        f"SELECT count(*), count(DISTINCT plan) FROM '{tmp_path}/customers.parquet'"
    )
    assert people.fetchall() == [(50, 3)]
