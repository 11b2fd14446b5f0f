"""What the app's build rests on: the API client generated from the committed OpenAPI
description, the npm order-key library the Python side matches, and the wheel that carries the
built app."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

from journeymap.domain.ordering import key_between, keys_between

from .conftest import BUILD, FRONTEND, ROOT

BIN = FRONTEND / "node_modules" / ".bin"
FIXTURE = ROOT / "tests" / "domain" / "data" / "order_keys.json"


def test_the_generated_api_client_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "schema.d.ts"
    subprocess.run(
        [str(BIN / "openapi-typescript"), str(ROOT / "schemas" / "openapi.json"), "-o", str(fresh)],
        check=True,
        capture_output=True,
        cwd=FRONTEND,
    )
    committed = (FRONTEND / "src" / "api" / "schema.d.ts").read_text()
    assert fresh.read_text() == committed, (
        "frontend/src/api/schema.d.ts is stale against schemas/openapi.json: "
        "run `cd frontend && npm run api` and commit it"
    )


def test_the_npm_order_keys_equal_the_fixture_and_the_python_keys() -> None:
    """The installed npm library itself (what the browser bundles) against the fixture the
    Python tests hold to: the same keys from the same calls."""
    script = """
    import { generateKeyBetween, generateNKeysBetween } from "fractional-indexing";
    import { readFileSync } from "node:fs";
    const known = JSON.parse(readFileSync(process.argv[1], "utf8"));
    const out = known.calls.map(({ a, b, n }) =>
      n === 1 ? [generateKeyBetween(a, b)] : generateNKeysBetween(a, b, n));
    process.stdout.write(JSON.stringify(out));
    """
    ran = subprocess.run(
        ["node", "--input-type=module", "-e", script, str(FIXTURE)],
        check=True,
        capture_output=True,
        text=True,
        cwd=FRONTEND,
    )
    from_npm = json.loads(ran.stdout)
    calls = json.loads(FIXTURE.read_text())["calls"]
    assert from_npm == [c["result"] for c in calls]
    from_python = [
        [key_between(c["a"], c["b"])] if c["n"] == 1 else keys_between(c["a"], c["b"], c["n"])
        for c in calls
    ]
    assert from_npm == from_python


def test_the_wheel_carries_the_built_app(tmp_path: Path) -> None:
    uv = Path(ROOT / ".venv" / "bin" / "uv")
    subprocess.run(
        [str(uv), "build", "--wheel", "--out-dir", str(tmp_path), "--quiet", str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("journeymap-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    built = {
        "journeymap/_static/" + str(p.relative_to(BUILD)) for p in BUILD.rglob("*") if p.is_file()
    }
    assert "journeymap/_static/index.html" in built
    assert any(n.endswith(".js") and "/_static/assets/" in n for n in built)
    assert built <= names, sorted(built - names)
