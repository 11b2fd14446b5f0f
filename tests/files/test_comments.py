"""Comments and blank lines a person wrote survive load, edit and save."""

from __future__ import annotations

from pathlib import Path

import journeymap
from journeymap.domain.apply import apply_all
from journeymap.domain.operations import AddOp, DeleteOp, MoveOp, SetOp


def test_python_api_load_edit_save_keeps_comments(small_file: Path) -> None:
    text = small_file.read_text()
    text = "# Journey owned by the CX team.\n\n" + text
    text = text.replace("stages:\n", "stages:\n  # Columns follow the five-stage model.\n")
    text = text.replace("    text: Social ad\n", "    text: Social ad  # the spring campaign\n")
    text = text.replace("emotions:\n", "\n# Scores from the March interviews.\nemotions:\n")
    small_file.write_text(text)
    journey = journeymap.load(small_file)
    journey = apply_all(
        journey,
        [
            SetOp(entity="card", id="ad", field="team", value="Marketing"),
            AddOp(
                entity="card",
                value={
                    "kind": "note",
                    "stage": "decision",
                    "lane": "actions",
                    "text": "Compares totals",
                },
            ),
            MoveOp(entity="stage", id="decision", before="awareness"),
            DeleteOp(entity="card", id="sees-ad"),
        ],
    )
    journeymap.save(journey, small_file)
    saved = small_file.read_text()
    assert saved.startswith("# Journey owned by the CX team.\n\nformat_version: 1\n")
    # A comment line belongs to the item below it, and moves with it.
    assert "  # Columns follow the five-stage model.\n  - id: awareness\n" in saved
    assert "    text: Social ad  # the spring campaign\n" in saved
    assert "\n# Scores from the March interviews.\nemotions:\n" in saved
    assert "    team: Marketing\n" in saved
    again = journeymap.load(small_file)
    assert [s.id for s in again.live_stages()] == ["decision", "awareness"]
    journeymap.save(again, small_file)
    assert small_file.read_text() == saved  # saving again changes nothing


def test_save_is_atomic_and_json_has_no_comments(tmp_path: Path, small_file: Path) -> None:
    journey = journeymap.load(small_file)
    target = tmp_path / "out.json"
    journeymap.save(journey, target)
    assert journeymap.load(target) == journey
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "small.yaml"]


def test_new_api(tmp_path: Path) -> None:
    journey = journeymap.new(template="car-purchase", title="Family car, 2027")
    assert journey.id == "family-car-2027"
    blank = journeymap.new(framework="three-stage")
    assert [s.id for s in blank.live_stages()] == ["awareness", "consideration", "decision"]
    journeymap.save(blank, tmp_path / "blank.yaml")
    assert journeymap.load(tmp_path / "blank.yaml") == blank
