"""The measured map's pictures in docs/images (1440 x 900): the editor with its figures, the
paths panel, and the measured emotion curve with its band, on the demo's online-store journey
measured as tests/e2e/measured.py does (a persona split, two periods, feedback, a heatmap).
`make web-pictures` draws them with the others; `python -m tests.e2e.measured_pictures` alone."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS, ROOT
from tests.e2e.measured import measure_journey

NAMES = ("web-measured.png", "web-paths.png", "web-measured-curve.png")


def measured_pictures(page: Any, url: str, token: str, journey: str, out: Path) -> None:
    """`page` signed in to the server at `url`; `token` an API token of an editor."""
    auth = {"Authorization": f"Bearer {token}"}
    with (
        tempfile.TemporaryDirectory() as folder,
        httpx.Client(base_url=url, headers=auth, timeout=120) as api,
    ):
        measure_journey(api, journey, Path(folder))
    page.goto(f"{url}/j/{journey}")
    page.locator(".stage-funnel").first.wait_for()
    viewport = page.locator(".map-viewport")
    top = "v => v.scrollTo(0, v.querySelector('.map-grid').offsetTop - 8)"
    viewport.evaluate(top)
    page.mouse.move(1400, 880)
    page.screenshot(path=str(out / NAMES[0]))
    page.get_by_role("button", name="Paths", exact=True).click()
    page.locator(".sankey").wait_for()
    page.mouse.move(1400, 880)
    page.screenshot(path=str(out / NAMES[1]))
    page.get_by_role("button", name="Close the paths panel").click()
    page.locator(".emotion-svg .measured-band").scroll_into_view_if_needed()
    viewport.evaluate(
        "v => v.scrollTo(0, v.querySelector('.emotion-row').offsetTop"
        " + v.querySelector('.map-grid').offsetTop - 140)"
    )
    page.mouse.move(1400, 880)
    page.screenshot(path=str(out / NAMES[2]))


def main() -> None:
    from playwright.sync_api import sync_playwright

    from journeymap.server.app import create_app
    from journeymap.server.demo import journey_id_of, serving, set_up
    from journeymap.server.settings import Settings
    from journeymap.storage import open_database

    out = ROOT / "docs" / "images"
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(str(Path(folder) / "demo.db"), Path(folder), b"p" * 64, False)
        db = open_database(settings.database)
        login = set_up(db)
        with serving(create_app(settings, db)) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{url}/")
            page.get_by_label("Email").fill(login.email)
            page.get_by_label("Password").fill(login.password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/w/*")
            journey = journey_id_of("online-store-checkout")
            measured_pictures(page, url, login.token, journey, out)
            browser.close()
        db.dispose()
    print(f"wrote {', '.join(NAMES)} in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
