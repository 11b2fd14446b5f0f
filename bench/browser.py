"""What the browser benchmarks share: a real `journeymap serve` on a temporary SQLite database
holding the 300-card benchmark journey (bench/render.py's big_journey), and Debian's Chromium
(headless, 1440 x 900) signed in to it."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from tests import live_server
from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS


@dataclass
class Session:
    page: Any  # a signed-in Playwright page
    url: str  # the server's
    journey: str  # the benchmark journey's id
    token: str  # the signed-up user's API token


@contextmanager
def big_journey_in_chromium(journey_doc: Any | None = None) -> Iterator[Session]:
    from playwright.sync_api import sync_playwright

    from bench.render import big_journey
    from journeymap.files.journey_file import render_text

    document = render_text(journey_doc or big_journey(cards=300), as_json=True)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        with live_server.running(str(base / "bench.db"), base / "data") as live:
            token, workspace = live_server.sign_up(live)
            made = httpx.post(
                f"{live.url}/api/workspaces/{workspace}/journeys",
                json={"document": document},
                headers={"Authorization": f"Bearer {token}"},
                timeout=120,
            )
            made.raise_for_status()
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(f"{live.url}/sign-in")
                page.get_by_label("Email").fill("ada@example.com")
                page.get_by_label("Password").fill(live_server.PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url("**/w/*")
                try:
                    yield Session(page, live.url, made.json()["id"], token)
                finally:
                    browser.close()
