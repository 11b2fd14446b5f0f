"""The two drag-and-drop libraries the editor could use, measured on the same 300-card grid:
`python -m bench.dnd` (builds frontend/bench/dnd with `vite.bench.config.ts` first).

The page (frontend/bench/dnd) draws 300 cards of 4 to 30 words in 13 columns by 15 lanes and
makes them draggable with @atlaskit/pragmatic-drag-and-drop (native HTML drag and drop) or with
@dnd-kit/core (pointer events, the dragged card following the pointer by a transform, as its
guide writes it), each card memoised. Thirty mouse drags each, from one cell to the next and
back, 20 pointer moves a drag, in headless Debian Chromium at 1440 x 900. Printed per library:
- React commits during a drag (a Profiler counts them): work React does while the pointer moves;
- the longest frame during a drag (requestAnimationFrame deltas): jank a person would see;
- p50/p95 from the drop (the `drop` or `pointerup` event) to the DOM showing the card moved.
"""

from __future__ import annotations

import functools
import http.server
import statistics
import subprocess
import threading
from typing import Any

from tests.e2e.conftest import CHROMIUM, FRONTEND, LAUNCH_ARGS

SAMPLES = 30
DIST = FRONTEND / "bench-dist"
PROBE = """
window.__at = {};
for (const kind of ['drop', 'pointerup']) addEventListener(kind, () => {
  window.__at.event = performance.now(); }, true);
window.__frames = [];
let last = performance.now();
const tick = (now) => {
  window.__frames.push(now - last); last = now; requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
window.__watch = (selector) => {
  window.__at = {};
  const seen = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    window.__at.shown = performance.now(); seen.disconnect();
  });
  seen.observe(document.body, { subtree: true, childList: true });
};
"""
ELAPSED = """() => window.__at.shown !== undefined && window.__at.event !== undefined
  && window.__at.shown - window.__at.event"""


def build() -> None:
    subprocess.run(
        ["npx", "vite", "build", "-c", "vite.bench.config.ts", "--logLevel", "warn"],
        cwd=FRONTEND,
        check=True,
    )


def serve() -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(DIST))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def measure(page: Any, url: str, lib: str) -> dict[str, list[float]]:
    page.goto(f"{url}/index.html?lib={lib}")
    page.locator(".card").nth(299).wait_for()
    page.evaluate(PROBE)
    # The first card of the cell "0:0"'s neighbourhood: a card and the cell to its right.
    card = page.locator("td[data-cell='0:0'] .card, td[data-cell='0:1'] .card").first
    card_id = card.get_attribute("id")
    home = card.locator("xpath=..").get_attribute("data-cell")
    column, lane = home.split(":")
    away = f"{int(column) + 1}:{lane}"
    commits, worst, drops = [], [], []
    for i in range(SAMPLES):
        there = away if i % 2 == 0 else home
        source = page.locator(f"#{card_id}")
        target = page.locator(f"td[data-cell='{there}']")
        a, b = source.bounding_box(), target.bounding_box()
        page.mouse.move(a["x"] + 20, a["y"] + 10)
        page.mouse.down()
        page.mouse.move(a["x"] + 30, a["y"] + 20, steps=2)
        page.evaluate("() => { window.__c0 = window.__commits; window.__frames = []; }")
        page.mouse.move(b["x"] + 100, b["y"] + b["height"] / 2, steps=20)
        moves = page.evaluate(
            "() => [window.__commits - window.__c0, Math.max(0, ...window.__frames)]"
        )
        commits.append(float(moves[0]))
        worst.append(float(moves[1]))
        page.evaluate("s => window.__watch(s)", f"td[data-cell='{there}'] #{card_id}")
        page.mouse.up()
        drops.append(float(page.wait_for_function(ELAPSED, timeout=30_000).json_value()))
    return {"commits": commits, "worst": worst, "drops": drops}


def main() -> None:
    from playwright.sync_api import sync_playwright

    build()
    server, url = serve()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            results = {lib: measure(page, url, lib) for lib in ("pragmatic", "dndkit")}
            browser.close()
    finally:
        server.shutdown()
    print(f"300 cards, {SAMPLES} mouse drags each (20 pointer moves), Chromium headless:")
    print(
        f"  {'library':<34} {'React commits a drag':>22} {'longest frame (p50/max)':>26}"
        f" {'drop -> DOM (p50/p95)':>24}"
    )
    names = {
        "pragmatic": "@atlaskit/pragmatic-drag-and-drop",
        "dndkit": "@dnd-kit/core (peer)",
    }
    for lib, r in results.items():
        print(
            f"  {names[lib]:<34} {statistics.median(r['commits']):>22.0f}"
            f" {statistics.median(r['worst']):>15.1f} / {max(r['worst']):5.1f} ms"
            f" {statistics.median(r['drops']):>13.1f} / {p95(r['drops']):5.1f} ms"
        )


if __name__ == "__main__":
    main()
