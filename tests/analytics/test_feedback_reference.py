"""Per-touchpoint scores and the pain-point signals against an independent plain DuckDB SQL
computation, on generated answers with repeats, ties, time zones, nulls and bad values, and on
demo events. The SQL shares no code with the feedback modules: it parses the CSV itself,
drops what the definitions drop, and counts with GROUP BY and window functions. (Sentiment is
the one input it takes from ingest: SQL cannot score text.)"""

from __future__ import annotations

import math
import random
from pathlib import Path

import duckdb
import pytest

from journeymap.analytics.demo_data import generate
from journeymap.analytics.feedback_ingest import ingest_feedback
from journeymap.analytics.feedback_measures import measure_feedback
from journeymap.analytics.feedback_spec import load_feedback_spec
from journeymap.analytics.painpoints import find_pain_points
from journeymap.analytics.plan import MeasureOptions, measure
from journeymap.analytics.store_bound import bound_events
from journeymap.analytics.store_measures import StorePlan
from journeymap.services.analysis import open_events
from journeymap.services.templates import new_journey

from .reference_sql import reference

JOURNEY = new_journey(template="online-store-checkout")
TOUCHPOINTS = ["fee-added", "cart-page", "payment-page", "dispatch-email", "product-page"]
SPEC = """\
feedback: {path: answers.csv}
columns: {customer: who, timestamp: answered, score: score, score_type: kind, text: said}
scales: {effort10: {min: 0, max: 10}}
place: {by: touchpoint, column: where}
timezone: Europe/Paris
"""
RANGES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "effort10": (0, 10)}


def _answers(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    rows = []
    for _ in range(1500):
        kind = rng.choice([*RANGES, "csat", "csat"])
        low, high = RANGES[kind]
        score = str(rng.randint(low, high + 1))  # sometimes out of range
        if rng.random() < 0.05:
            score = ""
        moment = f"2026-0{rng.randint(1, 6)}-{rng.randint(10, 28)} {rng.randint(0, 23):02d}:00:00"
        if rng.random() < 0.3:
            moment += rng.choice(["+02:00", "Z", "-05:00"])
        if rng.random() < 0.03:
            moment = ""
        said = rng.choice(["Great and quick", "Hidden fees, awful", "", "It was fine", "Slow"])
        who = "" if rng.random() < 0.05 else f"u{rng.randint(1, 300)}"
        rows.append([who, moment, rng.choice([*TOUCHPOINTS, "nowhere"]), kind, score, said])
        if rng.random() < 0.05:
            rows.append(list(rows[-1]))  # an exact repeat
        if rng.random() < 0.05:
            rows.append([*rows[-1][:4], str(rng.randint(low, high)), said])  # a tie in time
    lines = ["who,answered,where,kind,score,said"] + [",".join(f'"{c}"' for c in r) for r in rows]
    path.write_text("\n".join(lines) + "\n")


REFERENCE = """
SET TimeZone = 'Europe/Paris';
CREATE TEMP TABLE raw AS SELECT * FROM read_csv('{path}', all_varchar = true, header = true);
CREATE TEMP TABLE kept AS
SELECT DISTINCT NULLIF(trim("where"), '') AS tp, lower(NULLIF(trim(kind), '')) AS kind,
       TRY_CAST(NULLIF(trim(score), '') AS DOUBLE) AS score, NULLIF(trim(who), '') AS who,
       NULLIF(trim(answered), '') AS answered, NULLIF(trim(said), '') AS said
FROM raw;
CREATE TEMP TABLE valid AS
SELECT tp, kind, CAST(score AS INTEGER) AS score FROM kept
WHERE TRY_CAST(answered AS TIMESTAMPTZ) IS NOT NULL
  AND tp IN ({touchpoints})
  AND score IS NOT NULL AND score = floor(score)
  AND ((kind = 'nps' AND score BETWEEN 0 AND 10)
       OR (kind = 'csat' AND score BETWEEN 1 AND 5)
       OR (kind = 'ces' AND score BETWEEN 1 AND 7)
       OR (kind = 'effort10' AND score BETWEEN 0 AND 10));
SELECT tp, kind, count(*) AS n,
       100.0 * (count_if(score >= 9) - count_if(score <= 6)) / count(*) AS nps,
       count_if(score >= 4) / count(*) AS top2,
       avg(score) AS mean,
       count_if(score <= CASE kind WHEN 'nps' THEN 6 WHEN 'csat' THEN 2 WHEN 'ces' THEN 3
                                   ELSE 3 END) AS low
FROM valid GROUP BY tp, kind ORDER BY tp, kind
"""


@pytest.mark.parametrize("seed", [1, 2])
def test_scores_and_low_score_signals_equal_plain_sql(tmp_path: Path, seed: int) -> None:
    _answers(tmp_path / "answers.csv", seed)
    (tmp_path / "answers.feedback.yaml").write_text(SPEC)
    spec = load_feedback_spec(tmp_path / "answers.feedback.yaml")
    found = ingest_feedback(spec, tmp_path, JOURNEY, tmp_path / ".jm", force=True)
    ids = ", ".join(f"'{t}'" for t in TOUCHPOINTS)
    con = duckdb.connect()
    *setup, query = REFERENCE.format(path=tmp_path / "answers.csv", touchpoints=ids).split(";")
    for statement in setup:
        con.execute(statement)
    expected = {(r[0], r[1]): r[2:] for r in con.execute(query).fetchall()}
    measured = measure_feedback(found, JOURNEY, min_count=1, with_themes=False)
    got = {(t, s.scale): s for kind, t, s in measured.scores if kind == "touchpoint"}
    assert set(got) == set(expected)
    for key, (n, nps, top2, mean, _) in expected.items():
        s = got[key]
        assert s.n == n and sum(s.distribution.values()) == n
        if key[1] == "nps":
            assert s.value == pytest.approx(nps, rel=1e-12)
        elif key[1] == "csat":
            assert s.value == pytest.approx(top2, rel=1e-12)
            assert s.mean == pytest.approx(mean, rel=1e-12)
        else:
            assert s.value == pytest.approx(mean, rel=1e-12)
    # The low-score signal: each touchpoint's share of low answers against the rest, per scale.
    signals = {
        (f.touchpoint, s.name): s
        for f in find_pain_points(JOURNEY, feedback=found, min_count=1)
        for s in f.signals
    }
    for (tp, scale), (n, _, _, _, low) in expected.items():
        rest_n = sum(v[0] for (t, k), v in expected.items() if k == scale and t != tp)
        rest_low = sum(v[4] for (t, k), v in expected.items() if k == scale and t != tp)
        signal = signals[(tp, f"low scores ({scale})")]
        assert (signal.count, signal.n) == (low, n)
        if rest_n:
            assert signal.baseline == pytest.approx(rest_low / rest_n, rel=1e-12)


EVENT_SQL = """
CREATE TEMP TABLE bound AS
SELECT customer_key, ts, source_row, tp FROM ({union});
CREATE TEMP TABLE service_after AS
SELECT DISTINCT b.customer_key, b.prev_tp FROM (
    SELECT *, last_value(CASE WHEN NOT svc THEN tp END IGNORE NULLS)
                  OVER (PARTITION BY customer_key ORDER BY ts, source_row, tp
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_tp,
              last_value(CASE WHEN NOT svc THEN ts END IGNORE NULLS)
                  OVER (PARTITION BY customer_key ORDER BY ts, source_row, tp
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_ts
    FROM (SELECT *, tp IN ({service}) AS svc FROM bound)) b
WHERE b.svc AND b.prev_tp IS NOT NULL AND b.ts - b.prev_ts <= 48 * 3600000;
SELECT r.tp, r.n, coalesce(s.n, 0) FROM
    (SELECT tp, count(DISTINCT customer_key) AS n FROM bound GROUP BY tp) r
    LEFT JOIN (SELECT prev_tp AS tp, count(*) AS n FROM service_after GROUP BY 1) s USING (tp)
"""


@pytest.mark.parametrize("seed", [3, 11])
def test_event_signals_equal_plain_sql(tmp_path: Path, seed: int) -> None:
    source = generate(tmp_path, 6000, seed=seed, customers=400)  # repeat visits, ties
    events = open_events(source, tmp_path / ".jm")
    measured = measure(StorePlan(events.store), JOURNEY, MeasureOptions.for_journey(JOURNEY))
    found = find_pain_points(JOURNEY, measured, bound_events(events.store, JOURNEY), min_count=1)
    signals = {(f.touchpoint, s.name): s for f in found for s in f.signals}
    ref = reference(events.store, JOURNEY)
    stage = {c.id: c.stage for c in JOURNEY.live_cards()}
    # Drop-off: leavers over reach, against the rest of the stage.
    for tp, (customers, _) in ref.reach.items():
        mates = [t for t in ref.reach if stage[t] == stage[tp] and t != tp]
        signal = signals.get((tp, "drop-off"))
        if not mates:
            assert signal is None
            continue
        assert signal is not None and (signal.count, signal.n) == (
            ref.leavers.get(tp, 0),
            customers,
        )
        rest = sum(ref.reach[t][0] for t in mates)
        assert signal.baseline == pytest.approx(sum(ref.leavers.get(t, 0) for t in mates) / rest)
    # Loops: moves back to an earlier touchpoint (map order) over moves out; service excluded.
    order = {c.id: i for i, c in enumerate(JOURNEY.live_cards())}
    out: dict[str, int] = {}
    back: dict[str, int] = {}
    for (a, b), (count, _) in ref.transitions.items():
        if a == "where-is-it-chat":
            continue
        out[a] = out.get(a, 0) + count
        if b != a and order[b] < order[a]:
            back[a] = back.get(a, 0) + count
    for tp, n in out.items():
        assert (signals[(tp, "loops")].count, signals[(tp, "loops")].n) == (back.get(tp, 0), n)
    # Service contacts: customers whose contact came within 48 h after the touchpoint, as the
    # last touchpoint before it.
    con = duckdb.connect()
    con.execute(f"CREATE TEMP VIEW ev AS SELECT * FROM read_parquet('{events.store}')")
    words = duckdb.sql(
        f"SELECT value, code FROM read_parquet('{events.store.parent / 'dictionary.parquet'}') "
        "WHERE \"column\" = 'event'"
    ).fetchall()
    code = dict(words)
    union = " UNION ALL ".join(
        f"SELECT customer_key, ts, source_row, '{c.id}' AS tp FROM ev "
        f"WHERE event = {code[c.events.names[0]]}"
        for c in JOURNEY.live_cards()
        if getattr(c, "events", None) is not None and c.events.names[0] in code
    )
    *setup, query = EVENT_SQL.format(union=union, service="'where-is-it-chat'").split(";")
    for statement in setup:
        con.execute(statement)
    for tp, reached, contacts in con.execute(query).fetchall():
        if tp == "where-is-it-chat":
            continue
        signal = signals[(tp, "service contacts")]
        assert (signal.count, signal.n) == (contacts, reached)
    assert not math.isnan(sum(s.excess for s in signals.values()))
