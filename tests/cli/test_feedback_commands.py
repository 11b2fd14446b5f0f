"""`journeymap feedback` and `painpoints` as a user runs them: text, --json against the
committed schemas, --save into the evidence (kept by analyze --save, drawn by render), and
--add through the one write path."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from journeymap.analytics.evidence import load
from journeymap.cli.app import app
from journeymap.files.journey_file import load_journey

SCHEMAS = Path(__file__).parents[2] / "schemas"
runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("voice")
    assert (
        runner.invoke(app, ["demo-data", str(folder / "events"), "--events", "8000"]).exit_code == 0
    )
    return folder


def _journey(demo: Path, tmp_path: Path) -> Path:
    journey = tmp_path / "store.yaml"
    assert runner.invoke(app, ["new", "-t", "online-store-checkout", str(journey)]).exit_code == 0
    return journey


def test_feedback_prints_scores_curve_and_themes_and_its_json_fits_the_schema(
    demo: Path, tmp_path: Path
) -> None:
    journey = _journey(demo, tmp_path)
    source = demo / "events" / "feedback.yaml"
    shown = runner.invoke(app, ["feedback", str(journey), "--source", str(source)])
    assert shown.exit_code == 0, shown.output
    for words in ("Scores", "Measured curve (csat", "the team assumes -1.5 at Delivery and fees",
                  "Themes at Shipping fee added"):  # fmt: skip
        assert words in shown.stdout
    result = runner.invoke(app, ["feedback", str(journey), "--source", str(source), "--json",
                                 "--split-by", "week", "--curve", "sentiment"])  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    jsonschema.validate(payload, json.loads((SCHEMAS / "feedback.schema.json").read_text()))
    said = payload["feedback"]
    assert said["signal"] == "sentiment" and said["heatmap"]["by"] == "week"
    assert all(p["signal"] == "sentiment" for p in said["curve"])
    fee = next(s for s in said["scores"] if s["target"] == "fee-added")
    assert fee["scale"] == "csat" and sum(fee["distribution"].values()) == fee["n"]
    quotes = [q["text"] for t in said["themes"] for q in t["quotes"]]
    assert quotes and not any("07700 900" in q for q in quotes)  # masked
    periods = runner.invoke(app, ["feedback", str(journey), "--source", str(source), "--json",
                                  "--no-themes", "--compare",
                                  "2026-01-01..2026-02-05,2026-02-05..2026-04-01"])  # fmt: skip
    assert periods.exit_code == 0, periods.output
    rows = json.loads(periods.stdout)["feedback"]["periods"]
    fee = next(p for p in rows if p["touchpoint"] == "fee-added" and p["scale"] == "csat")
    assert fee["before_n"] + fee["after_n"] > 0 and 0 <= fee["p_value"] <= 1
    bad = runner.invoke(app, ["feedback", str(journey), "--source", str(source), "--curve", "joy"])
    assert bad.exit_code != 0 and "choose one of nps, csat" in bad.output


def test_saved_feedback_is_kept_by_analyze_and_drawn_on_the_poster(
    demo: Path, tmp_path: Path
) -> None:
    journey = _journey(demo, tmp_path)
    events = demo / "events"
    saved = runner.invoke(app, ["feedback", str(journey), "--source", str(events / "feedback.yaml"),
                                "--save", "--split-by", "plan"])  # fmt: skip
    assert saved.exit_code == 0, saved.output
    evidence = tmp_path / "store.evidence.json"
    assert load(evidence).source is None and load(evidence).feedback is not None
    measured = runner.invoke(app, ["analyze", str(journey), "--source",
                                   str(events / "online-store.source.yaml"), "--save"])  # fmt: skip
    assert measured.exit_code == 0, measured.output
    both = load(evidence)
    assert both.source is not None and both.feedback is not None  # analyze kept the feedback
    jsonschema.validate(json.loads(evidence.read_text()),
                        json.loads((SCHEMAS / "evidence.schema.json").read_text()))  # fmt: skip
    svg = tmp_path / "poster.svg"
    drawn = runner.invoke(app, ["render", str(journey), "-o", str(svg)])
    assert drawn.exit_code == 0, drawn.output
    text = svg.read_text()
    assert 'class="measured-curve"' in text and 'class="measured-band"' in text
    assert text.count('class="measured-point"') >= 5
    assert "the team assumes -1.5 at Delivery and fees" in text
    assert 'class="heatmap"' in text and text.count('class="heat-cell"') >= 10
    shown = runner.invoke(app, ["show", str(journey)])
    assert "Feedback: measured" in shown.stdout


def test_verbatims_become_quote_cards_with_source_date_and_touchpoint(
    demo: Path, tmp_path: Path
) -> None:
    journey = _journey(demo, tmp_path)
    source = demo / "events" / "feedback.yaml"
    added = runner.invoke(app, ["feedback", str(journey), "--source", str(source),
                                "--add-quotes", "1"])  # fmt: skip
    assert added.exit_code == 0, added.output
    quotes = [c for c in load_journey(journey).live_cards() if "verbatim" in c.tags]
    fee = [q for q in quotes if q.about == "fee-added"]
    assert len(fee) == 1 and fee[0].source == "Post-touchpoint survey"
    assert (fee[0].stage, fee[0].step) == ("decision", "delivery") and fee[0].date is not None
    assert "fee" in fee[0].text.lower() or "deliver" in fee[0].text.lower()
    again = runner.invoke(app, ["feedback", str(journey), "--source", str(source),
                                "--add-quotes", "1"])  # fmt: skip
    assert again.exit_code == 0
    assert len([c for c in load_journey(journey).live_cards() if "verbatim" in c.tags]) == len(
        quotes
    )  # the same quotes are not added twice


def test_an_old_format_2_evidence_file_still_loads(tmp_path: Path) -> None:
    old = {"format_version": 2, "journey": "j", "source": "e.csv", "period": [None, None],
           "computed_at": "2026-01-01T00:00:00Z", "query_hash": "abc", "items": []}  # fmt: skip
    (tmp_path / "j.evidence.json").write_text(json.dumps(old))
    found = load(tmp_path / "j.evidence.json")
    assert found.format_version == 3 and found.feedback is None and found.source == "e.csv"


def test_painpoints_ranks_and_adds_findings_through_the_write_path(
    demo: Path, tmp_path: Path
) -> None:
    journey = _journey(demo, tmp_path)
    events = demo / "events"
    args = ["painpoints", str(journey), "--source", str(events / "online-store.source.yaml"),
            "--feedback", str(events / "feedback.yaml")]  # fmt: skip
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert "1. Shipping fee added to the order total (pp-fee-added)" in shown.stdout
    before = journey.read_text()
    wrong = runner.invoke(app, [*args, "--add", "pp-fee-added", "--add", "pp-fee-adde"])
    assert wrong.exit_code != 0 and "did you mean 'pp-fee-added'" in wrong.output
    assert journey.read_text() == before  # nothing written
    added = runner.invoke(app, [*args, "--add", "pp-fee-added"])
    assert added.exit_code == 0, added.output
    after = load_journey(journey)
    [card] = [c for c in after.live_cards() if "found-in-data" in c.tags]
    assert card.kind == "pain_point" and card.confidence == "observed"
    assert (card.stage, card.step, card.lane) == ("decision", "delivery", "pains")
    assert any(e.startswith("left here:") for e in card.evidence)
    assert "# Template: online-store-checkout" in journey.read_text()  # comments kept
    heat = runner.invoke(app, [*args, "--heatmap-by", "week", "--heatmap", "conversion", "--json"])
    assert heat.exit_code == 0, heat.output
    grid = json.loads(heat.stdout)["heatmap"]
    assert grid["metric"] == "conversion" and len(grid["values"]) == len(grid["rows"])
    no_heat = runner.invoke(app, [*args, "--save"])
    assert no_heat.exit_code != 0 and "--heatmap-by" in no_heat.output


def test_painpoints_adds_findings_to_a_journey_in_the_workspace_server(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeymap.client import Client
    from tests import live_server

    live = live_server.start(f"sqlite:///{tmp_path / 'team.db'}", tmp_path / "data")
    try:
        token, workspace = live_server.sign_up(live)
        with Client(live.url, token) as client:
            made = client.create(workspace, template="online-store-checkout")
            events = demo / "events"
            args = ["painpoints", made.id, "--server", live.url, "--source",
                    str(events / "online-store.source.yaml"), "--add", "pp-fee-added"]  # fmt: skip
            monkeypatch.delenv("JOURNEYMAP_TOKEN", raising=False)
            refused = runner.invoke(app, args)
            assert refused.exit_code != 0 and "JOURNEYMAP_TOKEN" in refused.output
            monkeypatch.setenv("JOURNEYMAP_TOKEN", "jm_not-a-token")
            wrong = runner.invoke(app, args)
            assert wrong.exit_code != 0 and "401" in wrong.output
            monkeypatch.setenv("JOURNEYMAP_TOKEN", token)
            assert client.current_rev(made.id) == made.rev  # nothing written so far
            added = runner.invoke(app, args)
            assert added.exit_code == 0, added.output
            now = client.read(made.id)
            assert now.rev == made.rev + 1  # one new revision, by the token's owner
            [card] = [c for c in now.journey.live_cards() if "found-in-data" in c.tags]
            assert card.kind == "pain_point" and card.confidence == "observed"
            assert f"added card:{card.id}" in added.output.replace("\n", "")
            entry = client.history(made.id).items[0]
            assert entry.rev == now.rev and entry.actor_name == "Ada"
            keep = runner.invoke(app, [*args[:-2], "--heatmap-by", "week", "--save"])
            assert keep.exit_code != 0 and "not --server" in keep.output
    finally:
        live_server.stop(live)
