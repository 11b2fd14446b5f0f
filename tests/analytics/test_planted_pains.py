"""The detectors on demo data from three seeds, knowing only the manifest of what was planted:
the shipping-fee surprise ranks first, the second planted pain is in the top three, the clean
touchpoint is not flagged, each with its evidence; and the measured curve dips at checkout."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from journeymap.cli.app import app

SCHEMAS = Path(__file__).parents[2] / "schemas"


@pytest.mark.parametrize("seed", [3, 7, 11])  # each seed plants a different second pain
def test_planted_pains_are_found_from_the_data(tmp_path: Path, seed: int) -> None:
    runner = CliRunner()
    data = tmp_path / "events"
    made = runner.invoke(app, ["demo-data", str(data), "--events", "20000", "--seed", str(seed)])
    assert made.exit_code == 0, made.output
    journey = tmp_path / "store.yaml"
    assert runner.invoke(app, ["new", "-t", "online-store-checkout", str(journey)]).exit_code == 0
    manifest = json.loads((data / "manifest.json").read_text())
    result = runner.invoke(app, [
        "painpoints", str(journey), "--source", str(data / "online-store.source.yaml"),
        "--feedback", str(data / "feedback.yaml"), "--json",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    jsonschema.validate(found, json.loads((SCHEMAS / "painpoints.schema.json").read_text()))
    flagged = [f["touchpoint"] for f in found["findings"] if f["flagged"]]
    assert flagged[0] == manifest["first_pain"]["touchpoint"]
    second = manifest["second_pain"]
    assert second["touchpoint"] in flagged[:3]
    assert manifest["clean"] not in flagged
    by_id = {f["touchpoint"]: f for f in found["findings"]}
    for pain in (manifest["first_pain"], second):
        counted = {
            s["name"].split(" (")[0] for s in by_id[pain["touchpoint"]]["signals"] if s["counts"]
        }
        assert set(pain["signals"]) <= counted  # each planted signal is among its evidence
        assert by_id[pain["touchpoint"]]["explanation"]
    said = runner.invoke(app, [
        "feedback", str(journey), "--source", str(data / "feedback.yaml"), "--json",
        "--no-themes",
    ])  # fmt: skip
    assert said.exit_code == 0, said.output
    curve = json.loads(said.stdout)["feedback"]["curve"]
    decision = [p for p in curve if p["stage"] == "decision"]
    dip = manifest["curve_dips_at"]
    lowest = min(decision, key=lambda p: p["value"])
    assert (lowest["stage"], lowest["step"]) == (dip["stage"], dip["step"])
    assert all(lowest["value"] < p["value"] for p in curve if p is not lowest)
