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
