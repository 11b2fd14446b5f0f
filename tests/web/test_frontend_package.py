"""The web app's Node packages: what ships in the browser bundle is under a licence that fits
Apache-2.0, and test-only tools (axe-core, Playwright's helpers, the build) stay out of it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
# Permissive licences that may be combined into an Apache-2.0 work (SPDX identifiers).
ALLOWED = {
    "Apache-2.0",
    "MIT",
    "ISC",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "0BSD",
    "CC0-1.0",
    "Unlicense",
    "Zlib",
    "BlueOak-1.0.0",
}


def _lock() -> dict[str, Any]:
    return dict(json.loads((FRONTEND / "package-lock.json").read_text()))


def production_packages(lock: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every package `npm ci --omit=dev` would install: not only for development."""
    return {
        path: entry
        for path, entry in lock["packages"].items()
        if path and not entry.get("dev") and not entry.get("devOptional")
    }


def licence_ok(expression: str | None) -> bool:
    """An SPDX expression every way out of which is allowed (`(MIT OR CC0-1.0)`: either)."""
    if not expression:
        return False
    words = re.findall(r"[A-Za-z0-9.+-]+", expression)
    ids = [w for w in words if w not in ("AND", "OR", "WITH")]
    if " AND " in expression:
        return all(i in ALLOWED for i in ids)
    return any(i in ALLOWED for i in ids)


def test_the_bundles_packages_have_licences_that_fit_apache_2() -> None:
    lock = _lock()
    assert lock["lockfileVersion"] >= 2, "npm 7 or newer writes licences into the lock"
    shipped = production_packages(lock)
    assert "node_modules/react" in shipped and "node_modules/zustand" in shipped
    refused = {p: e.get("license") for p, e in shipped.items() if not licence_ok(e.get("license"))}
    assert refused == {}, "these would ship in the app under a licence not on the allow-list"


def test_test_tools_stay_out_of_the_bundle() -> None:
    lock = _lock()
    shipped = production_packages(lock)
    for tool in ("axe-core", "vite", "vitest", "typescript", "eslint", "openapi-typescript"):
        assert f"node_modules/{tool}" in lock["packages"], tool
        assert f"node_modules/{tool}" not in shipped, f"{tool} must be a dev dependency"
    package = json.loads((FRONTEND / "package.json").read_text())
    assert "axe-core" in package["devDependencies"]
    # What the browser runs: a new entry here is a choice the note must explain (licence, size).
    assert set(package["dependencies"]) == {
        "@atlaskit/pragmatic-drag-and-drop",
        "@atlaskit/pragmatic-drag-and-drop-hitbox",
        "d3-shape",
        "fractional-indexing",
        "openapi-fetch",
        "react",
        "react-dom",
        "zustand",
    }


def test_the_checker_refuses_what_it_should() -> None:
    assert licence_ok("MIT") and licence_ok("(MIT OR CC0-1.0)") and licence_ok("(MIT OR GPL-3.0)")
    for bad in (None, "", "GPL-3.0", "MPL-2.0", "SEE LICENSE IN LICENSE", "(MIT AND GPL-2.0)"):
        assert not licence_ok(bad), bad
    lock = {
        "packages": {
            "": {},
            "node_modules/ok": {"license": "MIT"},
            "node_modules/tool": {"license": "MPL-2.0", "dev": True},
            "node_modules/bad": {"license": "AGPL-3.0"},
        }
    }
    assert set(production_packages(lock)) == {"node_modules/ok", "node_modules/bad"}
