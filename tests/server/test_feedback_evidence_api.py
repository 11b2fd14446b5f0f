"""What customers say reaches the server: the evidence `journeymap feedback --save` writes is
stored with the journey's evidence, read back typed, drawn on the server's posters, and
anything else is refused naming the field."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from journeymap.cli.app import app

from .conftest import Site
from .helpers import evidence_data

runner = CliRunner()


def _saved_feedback(folder: Path) -> dict:
    journey = folder / "store.yaml"
    events = folder / "events"
    for args in (
        ["new", "-t", "online-store-checkout", str(journey)],
        ["demo-data", str(events), "--events", "6000"],
        ["feedback", str(journey), "--source", str(events / "feedback.yaml"), "--save"],
    ):
        done = runner.invoke(app, args)
        assert done.exit_code == 0, done.output
    return json.loads((folder / "store.evidence.json").read_text())


def test_feedback_evidence_is_stored_served_and_drawn(site: Site, tmp_path: Path) -> None:
    c, auth = site.client, site.auth()
    made = c.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"template": "online-store-checkout"},
        headers=auth,
    ).json()
    url = f"/api/journeys/{made['id']}/evidence"
    plain = c.get(f"/api/journeys/{made['id']}/render.svg", headers=auth).text
    assert 'class="measured-curve"' not in plain
    data = _saved_feedback(tmp_path)
    stored = c.put(url, json={"data": data}, headers=auth)
    assert stored.status_code == 200, stored.text
    served = c.get(url, headers=auth).json()["data"]
    assert served == data and served["feedback"]["curve"]  # kept whole, as the file says
    svg = c.get(f"/api/journeys/{made['id']}/render.svg", headers=auth).text
    assert 'class="measured-curve"' in svg and "What customers say" in svg
    wrong = {**data, "feedback": {**data["feedback"], "curve": "rising"}}
    refused = c.put(url, json={"data": wrong}, headers={**auth, "If-Match": "*"})
    assert refused.status_code == 422 and "data.feedback.curve" in refused.json()["detail"]
    assert c.get(url, headers=auth).json()["data"] == data  # nothing stored


def test_an_older_evidence_format_is_kept_in_the_current_one(site: Site) -> None:
    c, auth = site.client, site.auth()
    made = c.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"framework": "three-stage"},
        headers=auth,
    ).json()
    current = evidence_data(
        items=[{"metric": "stage_median_s", "target": "awareness", "value": 90.0, "n": 12}]
    )
    older = {**current, "format_version": 1}  # format 1 said milliseconds
    older["items"] = [{"metric": "stage_median_ms", "target": "awareness", "value": 90000, "n": 12}]
    stored = c.put(f"/api/journeys/{made['id']}/evidence", json={"data": older}, headers=auth)
    assert stored.status_code == 200, stored.text
    assert stored.json()["data"] == current
    unknown = {**current, "colour": "red"}
    refused = c.put(
        f"/api/journeys/{made['id']}/evidence",
        json={"data": unknown},
        headers={**auth, "If-Match": "*"},
    )
    assert refused.status_code == 422 and "data.colour" in refused.json()["detail"]
