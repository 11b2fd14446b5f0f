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

from tests.e2e.conftest import BUILD

from bench.browser import big_journey_in_chromium

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
    raw, packed = js_gzipped()
    print(f"app JavaScript: {raw / 1000:.1f} kB, gzipped {packed / 1000:.1f} kB (target < 300 kB)")
    app, svg = [], []
    with big_journey_in_chromium() as session:
        page, url, journey = session.page, session.url, session.journey
        for _ in range(RUNS):
            page.goto("about:blank")
            page.goto(f"{url}/j/{journey}", wait_until="commit")
            handle = page.wait_for_function(DRAWN, timeout=60_000, polling="raf")
            app.append(float(handle.json_value()) / 1000)
            page.goto("about:blank")
            page.goto(f"{url}/api/journeys/{journey}/render.svg", wait_until="load")
            svg.append(
                page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
                / 1000
            )
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
