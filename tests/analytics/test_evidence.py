"""Evidence: measured figures kept beside the journey and drawn on its poster."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from journeymap.analytics.evidence import EvidenceSet, evidence_path, load
from journeymap.cli.app import app
from journeymap.files.journey_file import load_journey
from journeymap.render.svg import render_svg

from .helpers import demo_journey

NS = "{http://www.w3.org/2000/svg}"


def analysed(tmp_path: Path, min_count: int = 10) -> tuple[Path, EvidenceSet]:
    journey, source = demo_journey(tmp_path, 6000)
    result = CliRunner().invoke(
        app,
        [
            "analyze",
            str(journey),
            "--source",
            str(source),
            "--save",
            "--min-count",
            str(min_count),
        ],
    )
    assert result.exit_code == 0, result.stderr
    return journey, load(evidence_path(journey))


def test_saved_evidence_says_what_was_measured(tmp_path: Path) -> None:
    journey, evidence = analysed(tmp_path)
    assert evidence_path(journey).name == "store.evidence.json"
    assert evidence.journey == "online-store-checkout" and len(evidence.query_hash) == 16
    assert evidence.period[0] is not None and evidence.computed_at.endswith("Z")
    reach = evidence.get("reach", "cart-page")
    assert reach is not None and reach.value == reach.n and reach.n > 100
    assert evidence.get("stage_customers", "awareness") is not None
    assert evidence.get("stage_conversion", "consideration") is not None


def test_small_counts_are_not_in_the_file_at_all(tmp_path: Path) -> None:
    _, evidence = analysed(tmp_path, min_count=5000)
    raw = json.loads(evidence.model_dump_json())
    small = [e for e in raw["items"] if e["suppressed"]]
    assert small and all(e["value"] is None and e["n"] is None for e in small)
    assert evidence.count("reach", "cart-page") == "<5000"


def test_the_poster_draws_the_evidence(tmp_path: Path) -> None:
    journey_file, evidence = analysed(tmp_path)
    journey = load_journey(journey_file)
    root = ET.fromstring(render_svg(journey, evidence))
    cards = {g.get("data-id"): g for g in root.iter(f"{NS}g") if g.get("class") == "card"}
    measured = " ".join(
        t.text or ""
        for t in cards["fee-added"].iter(f"{NS}tspan")
        if (t.text and "customers" in t.text) or (t.text and "leavers" in t.text)
    )
    reach = evidence.count("reach", "fee-added")
    assert f"Reached {reach} customers" in measured and "of leavers left here" in measured
    funnel = [t for t in root.iter(f"{NS}text") if t.get("class") == "stage-funnel"]
    assert len(funnel) == len(journey.live_stages())
    plain = ET.fromstring(render_svg(journey))
    assert not [t for t in plain.iter(f"{NS}text") if t.get("class") == "stage-funnel"]


def test_render_finds_the_evidence_beside_the_journey(tmp_path: Path) -> None:
    journey, _ = analysed(tmp_path)
    result = CliRunner().invoke(app, ["render", str(journey), "-o", str(tmp_path / "p.svg")])
    assert result.exit_code == 0 and "drawing evidence from" in result.stderr
    assert "card-measured" in (tmp_path / "p.svg").read_text()
    evidence_path(journey).write_text("{not json")
    broken = CliRunner().invoke(app, ["render", str(journey), "-o", str(tmp_path / "q.svg")])
    assert broken.exit_code == 1 and "not an evidence file" in broken.stderr


def _classes(svg: str, cls: str) -> list[ET.Element]:
    return [t for t in ET.fromstring(svg).iter(f"{NS}text") if t.get("class") == cls]


def test_stale_figures_are_marked_and_the_change_named(tmp_path: Path) -> None:
    journey_file, evidence = analysed(tmp_path)
    journey = load_journey(journey_file)
    assert not evidence.changes(journey).any
    fresh = render_svg(journey, evidence)
    assert "stale" not in fresh
    runner = CliRunner()
    ident = "friend-recommendation"
    rebind = ["set", str(journey_file), f"card:{ident}", "events={names: [referral_visit, x]}"]
    assert runner.invoke(app, rebind).exit_code == 0
    journey = load_journey(journey_file)
    changes = evidence.changes(journey)
    assert changes.touchpoints == [ident] and not (changes.order or changes.funnel)
    svg = render_svg(journey, evidence)
    stale_cards = {
        g.get("data-id")
        for g in ET.fromstring(svg).iter(f"{NS}g")
        if g.get("class") == "card"
        and any(t.get("class") == "card-measured stale" for t in g.iter(f"{NS}text"))
    }
    # The rebound card is stale; so is every card whose drop-off share rests on all bindings;
    # a card showing only its own reach, bound as before, is not.
    assert ident in stale_cards
    reach_only = [
        c.id
        for c in journey.live_cards()
        if evidence.count("reach", c.id) is not None
        and evidence.share("drop_off_share", c.id) is None
        and c.id != ident
    ]
    assert reach_only and not stale_cards & set(reach_only)
    assert len(_classes(svg, "stage-funnel stale")) == len(journey.live_stages())
    (note,) = _classes(svg, "stale-note")
    name = next(c.text for c in journey.live_cards() if c.id == ident)
    assert name[:20] in "".join(t.text or "" for t in note.iter(f"{NS}tspan"))
    shown = runner.invoke(app, ["show", str(journey_file)])
    assert "stale: touchpoint" in shown.stdout and "analyze again" in shown.stdout


def test_a_changed_stage_order_or_funnel_makes_the_funnel_stale(tmp_path: Path) -> None:
    from journeymap.domain.apply import apply_all
    from journeymap.domain.operations import MoveOp, SetOp

    journey_file, evidence = analysed(tmp_path)
    journey = load_journey(journey_file)
    first, second = (s.id for s in journey.live_stages()[:2])
    moved = apply_all(journey, [MoveOp(entity="stage", id=first, after=second)])
    assert evidence.changes(moved).order and not evidence.changes(moved).touchpoints
    window = apply_all(
        journey,
        [SetOp(entity="journey", id=journey.id, field="funnel", value={"window": {"days": 7}})],
    )
    assert evidence.changes(window).funnel


def test_a_format_1_evidence_file_still_loads(tmp_path: Path) -> None:
    old = {
        "journey": "j",
        "source": "events.csv",
        "period": ["2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"],
        "computed_at": "2024-02-02T00:00:00Z",
        "query_hash": "0123456789abcdef",
        "min_count": 10,
        "items": [
            {"metric": "reach", "target": "t", "value": 12, "n": 12},
            {"metric": "stage_median_ms", "target": "s", "value": 90_000, "n": 40},
        ],
    }
    (tmp_path / "j.evidence.json").write_text(json.dumps(old))
    evidence = load(tmp_path / "j.evidence.json")
    assert evidence.format_version == 3  # read as the current format
    median = evidence.get("stage_median_s", "s")
    assert median is not None and median.value == 90.0  # milliseconds became seconds
    assert evidence.transitions == [] and evidence.fingerprints == {}


def test_the_evidence_file_and_analyze_json_follow_their_schemas(tmp_path: Path) -> None:
    import jsonschema

    from journeymap.services.schema import analysis_schema_text, evidence_schema_text

    journey_file, _ = analysed(tmp_path)
    raw = json.loads(evidence_path(journey_file).read_text())
    jsonschema.validate(raw, json.loads(evidence_schema_text()))
    assert raw["format_version"] == 3 and raw["transitions"] and raw["paths"]
    assert all("median_gap_s" in t for t in raw["transitions"])
    source = journey_file.parent / "online-store.source.yaml"
    printed = CliRunner().invoke(
        app,
        [
            "analyze",
            str(journey_file),
            "--source",
            str(source),
            "--json",
            "--top",
            "3",
            "--split-by",
            "device",
        ],
    )
    payload = json.loads(printed.stdout)
    jsonschema.validate(payload, json.loads(analysis_schema_text()))
    assert len(payload["transitions"]) == 3 and len(payload["paths"]) == 3
    assert set(payload["split"]) == {"phone", "desktop"}
