"""Evidence measured by the real analysis, put on a journey of a running server: the way the
demo measures (seeded demo events), through the CLI as an analyst would (`analyze --save` with
a persona split and two periods, `feedback --save`, `painpoints --heatmap-by week --save`),
then sent to the server (PUT /api/journeys/{id}/evidence). Used by the measured-map tests and
pictures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

JM = [str(Path(sys.executable).with_name("journeymap"))]  # the venv's command
PERIODS = "2026-01-05..2026-02-04,2026-02-04..2026-03-10"  # the demo events' two halves
EVENTS = 5000


def _run(*args: str, cwd: Path) -> None:
    done = subprocess.run([*JM, *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"journeymap {' '.join(args)}: {done.stderr[-2000:]}"


def measure_journey(
    api: httpx.Client, journey: str, folder: Path, split_by: str = "persona"
) -> dict[str, Any]:
    """Measure `journey` (an online-store-checkout journey) on the demo events and store the
    evidence on the server; returns the API's answer (GET .../evidence)."""
    folder.mkdir(parents=True, exist_ok=True)
    exported = api.get(f"/api/journeys/{journey}/export")
    assert exported.status_code == 200, exported.text
    (folder / "j.yaml").write_text(exported.text, encoding="utf-8")
    if not (folder / "events" / "online-store.source.yaml").is_file():
        _run("demo-data", "events", "--events", str(EVENTS), cwd=folder)
    (folder / "j.evidence.json").unlink(missing_ok=True)
    source = "events/online-store.source.yaml"
    _run("analyze", "j.yaml", "--source", source, "--save", "--split-by", split_by,
         "--compare", PERIODS, cwd=folder)  # fmt: skip
    _run("feedback", "j.yaml", "--save", "--source", "events/feedback.yaml", cwd=folder)
    _run("painpoints", "j.yaml", "--heatmap-by", "week", "--save", "--source", source, cwd=folder)
    data = json.loads((folder / "j.evidence.json").read_text(encoding="utf-8"))
    stored = api.put(
        f"/api/journeys/{journey}/evidence", json={"data": data}, headers={"If-Match": "*"}
    )
    assert stored.status_code in (200, 201), stored.text
    answer = api.get(f"/api/journeys/{journey}/evidence")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())
