"""The browser's types for the live socket are generated from the committed protocol schema
(`schemas/live.schema.json`, `journeymap schema --live`): this fails when they are stale."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
JSON2TS = FRONTEND / "node_modules" / ".bin" / "json2ts"


@pytest.mark.skipif(not JSON2TS.exists(), reason="frontend/node_modules not installed")
def test_the_generated_live_types_are_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "live.d.ts"
    subprocess.run(
        [
            str(JSON2TS),
            "-i",
            str(ROOT / "schemas" / "live.schema.json"),
            "-o",
            str(fresh),
            "--unknownAny",
        ],
        check=True,
        capture_output=True,
        cwd=FRONTEND,
    )
    committed = (FRONTEND / "src" / "api" / "live.d.ts").read_text()
    assert fresh.read_text() == committed, (
        "frontend/src/api/live.d.ts is stale against schemas/live.schema.json: "
        "run `cd frontend && npm run live-types` and commit it"
    )


def test_the_live_types_script_is_the_one_the_test_runs() -> None:
    import json

    scripts = json.loads((FRONTEND / "package.json").read_text())["scripts"]
    assert scripts["live-types"] == (
        "json2ts -i ../schemas/live.schema.json -o src/api/live.d.ts --unknownAny"
    )
