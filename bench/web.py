"""The web app's weight and drawing speed: `python -m bench.web` (after `make app`).

- the gzipped size of the app's JavaScript (every .js file the build wrote, gzip level 9, as a
  server compressing it would send it); target under 300 kB;
- the time from navigation to the 300-card benchmark journey (bench/render.py's big_journey)
  fully drawn in the grid: Chromium's own clock (performance.now(), whose zero is the start of
  the navigation) read when the 300th card is in the page; target under 1.5 s. Beside it, the
  peer from the same run: the same journey's poster SVG opened in the same browser (its load
  event), which is what a person saw of a map before the app.

A real `journeymap serve` process on a temporary SQLite database; Debian's Chromium, headless.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
from pathlib import Path

import httpx
from tests import live_server
from tests.e2e.conftest import BUILD, CHROMIUM, LAUNCH_ARGS

RUNS = 7
DRAWN = "() => document.querySelectorAll('button.card').length >= 300 && performance.now()"


def js_gzipped() -> tuple[int, int]:
    """(raw bytes, gzipped bytes) of the build's JavaScript."""
    files = sorted((BUILD / "assets").glob("*.js"))
    if not files:
        sys.exit("the app is not built: run `make app` first")
    raw = sum(f.stat().st_size for f in files)
    packed = sum(len(gzip.compress(f.read_bytes(), compresslevel=9)) for f in files)
    return raw, packed


def main() -> None:
    from playwright.sync_api import sync_playwright

    from bench.render import big_journey
    from journeymap.files.journey_file import render_text

    raw, packed = js_gzipped()
    print(f"app JavaScript: {raw / 1000:.1f} kB, gzipped {packed / 1000:.1f} kB (target < 300 kB)")
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        with live_server.running(str(base / "web.db"), base / "data") as live:
            token, workspace = live_server.sign_up(live)
            made = httpx.post(
                f"{live.url}/api/workspaces/{workspace}/journeys",
                json={"document": render_text(big_journey(cards=300), as_json=True)},
                headers={"Authorization": f"Bearer {token}"},
                timeout=120,
            )
            made.raise_for_status()
            journey = made.json()["id"]
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(f"{live.url}/sign-in")
                page.get_by_label("Email").fill("ada@example.com")
                page.get_by_label("Password").fill(live_server.PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url("**/w/*")
                app, svg = [], []
                for _ in range(RUNS):
                    page.goto("about:blank")
                    page.goto(f"{live.url}/j/{journey}", wait_until="commit")
                    handle = page.wait_for_function(DRAWN, timeout=60_000, polling="raf")
                    app.append(float(handle.json_value()) / 1000)
                    page.goto("about:blank")
                    page.goto(f"{live.url}/api/journeys/{journey}/render.svg", wait_until="load")
                    svg.append(
                        page.evaluate(
                            "() => performance.getEntriesByType('navigation')[0].loadEventEnd"
                        )
                        / 1000
                    )
                browser.close()
    print(f"300-card journey, navigation to fully drawn, {RUNS} runs, Chromium headless:")
    print(
        f"  the app's grid:          best {min(app):.3f} s, median {statistics.median(app):.3f} s"
        " (target < 1.5 s)"
    )
    print(
        f"  peer, the poster's SVG:  best {min(svg):.3f} s, median {statistics.median(svg):.3f} s"
    )


if __name__ == "__main__":
    main()
