"""The emotion lane's picture in docs/images (1440 x 900): the online-store map in the editor,
the Payment point being dragged down (the button held), the curve following it.
`python -m tests.e2e.picture_emotion` (after `make app`) writes docs/images/editor-emotion.png."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS, ROOT


def main() -> None:
    from playwright.sync_api import sync_playwright

    from journeymap.server.app import create_app
    from journeymap.server.demo import journey_id_of, serving, set_up
    from journeymap.server.settings import Settings
    from journeymap.storage import open_database

    out = ROOT / "docs" / "images" / "editor-emotion.png"
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
            page.goto(f"{url}/j/{journey_id_of('online-store-checkout')}")
            slider = page.get_by_role("slider", name="Emotion at Decision · Payment")
            slider.wait_for()
            # The lane at the top of the view, the Decision stage's steps in it.
            page.locator(".emotion-row").evaluate(
                "row => { const v = document.querySelector('.map-viewport');"
                " v.scrollTo(260, row.getBoundingClientRect().top"
                " - v.getBoundingClientRect().top + v.scrollTop - 250); }"
            )
            box = slider.bounding_box()
            assert box is not None
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            for dy in range(4, 61, 4):
                page.mouse.move(x, y + dy)
            page.screenshot(path=str(out))
            page.mouse.up()
            browser.close()
        db.dispose()
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
