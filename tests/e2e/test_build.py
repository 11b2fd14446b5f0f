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


def generated_is_committed(tmp_path: Path, script: str, committed: str) -> None:
    """`npm run SCRIPT` writes into a temporary file what is committed at `committed`."""
    command = json.loads((FRONTEND / "package.json").read_text())["scripts"][script].split()
    out = command.index("-o") + 1
    fresh = tmp_path / Path(committed).name
    command[out] = str(fresh)
    subprocess.run(
        [str(BIN / command[0]), *command[1:]], check=True, capture_output=True, cwd=FRONTEND
    )
    assert fresh.read_text() == (FRONTEND / committed).read_text(), (
        f"frontend/{committed} is stale: run `cd frontend && npm run {script}` and commit it"
    )


def test_the_generated_api_client_is_up_to_date(tmp_path: Path) -> None:
    """From the committed OpenAPI description (`make schema`)."""
    generated_is_committed(tmp_path, "api", "src/api/schema.d.ts")


def test_the_generated_live_types_are_up_to_date(tmp_path: Path) -> None:
    """From the committed live protocol (`schemas/live.schema.json`, `journeymap schema --live`)."""
    generated_is_committed(tmp_path, "live-types", "src/api/live.d.ts")


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
