"""The web app's pictures in docs/images (1440 x 900): the sign-in page, the library, the
template gallery and a template's preview, and the online-store map, from a demo workspace on a
temporary database. `make web-pictures` runs it."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS, ROOT
from tests.e2e.measured_pictures import measured_pictures
from tests.e2e.pictures_comments import add_colleague, comment_thread, presentation


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
        add_colleague(db, login.workspace)  # someone to @mention in the comment thread
        with serving(create_app(settings, db)) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{url}/")
            page.get_by_label("Email").fill(login.email)
            page.screenshot(path=str(out / "web-sign-in.png"))
            page.get_by_label("Password").fill(login.password)
            page.get_by_role("button", name="Sign in").click()
            page.locator(".journey-row img").first.wait_for()
            page.wait_for_load_state("networkidle")
            page.wait_for_function(  # every thumbnail drawn (the server renders them on demand)
                "() => [...document.querySelectorAll('.journey-row img')]"
                ".every(i => i.complete && i.naturalWidth > 0)",
                timeout=120_000,
            )
            page.mouse.move(1400, 880)  # no hover highlight in the picture
            page.screenshot(path=str(out / "web-library.png"))
            page.get_by_role("button", name="New journey…").click()
            page.get_by_role("list", name="Stage frameworks").get_by_role(
                "listitem"
            ).first.wait_for()
            page.mouse.move(1400, 880)
            page.screenshot(path=str(out / "web-gallery.png"))
            page.get_by_role("button", name="Preview Buying a family car").click()
            page.get_by_role("dialog").get_by_role("table").wait_for()
            page.mouse.move(1400, 880)
            page.screenshot(path=str(out / "web-template-preview.png"))
            page.get_by_role("dialog").get_by_role("button", name="Close", exact=True).click()
            page.goto(f"{url}/j/{journey_id_of('online-store-checkout')}")
            page.get_by_role("table").wait_for()
            page.locator("#card-instagram-ad").click()
            page.locator(".map-viewport").evaluate("v => v.scrollTo(0, 0)")
            page.screenshot(path=str(out / "web-map.png"))
            side_panel(page, out)
            page.get_by_role("button", name="Close the card's details").click()
            page.get_by_role("button", name="Actual size").click()
            page.locator(".map-viewport").evaluate("v => v.scrollTo(0, 0)")
            mid_drag(page, out / "editor-mid-drag.png")
            offline(page, out / "editor-offline.png")
            emotion_drag(page, out / "editor-emotion.png")
            together(browser, url, db, page, out / "editor-live.png")
            views(page, f"{url}/j/{journey_id_of('online-store-checkout')}", out / "web-views.png")
            comment_thread(page, url, journey_id_of("online-store-checkout"), out)
            presentation(page, url, journey_id_of("online-store-checkout"), out)
            history_and_future(page, url, login.token, out)
            # The measured map (web-measured, web-paths, web-measured-curve): last, as it
            # replaces the demo's evidence with a richer one.
            measured_pictures(page, url, login.token, journey_id_of("online-store-checkout"), out)
            browser.close()
        db.dispose()
    print(
        "wrote web-sign-in.png, web-library.png, web-gallery.png, web-template-preview.png, "
        "web-map.png, editor-side-panel.png, editor-mid-drag.png, editor-offline.png, "
        "editor-emotion.png, editor-live.png, web-views.png, web-comment-thread.png, "
        "web-presentation.png, web-history.png, web-future-diff.png, web-measured.png, "
        f"web-paths.png and web-measured-curve.png in {out}",
        file=sys.stderr,
    )


def mid_drag(page: Any, path: Path) -> None:
    """A touchpoint card held over the next stage's cell: the drop place shows where it goes."""
    card = page.locator("[data-card-slot='instagram-ad']")
    target = page.locator("td.cell[data-lane='touchpoints']").nth(1)
    card.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    a, b = card.bounding_box(), target.bounding_box()
    page.mouse.move(a["x"] + 40, a["y"] + 20)
    page.mouse.down()
    page.mouse.move(a["x"] + 50, a["y"] + 30, steps=3)
    page.mouse.move(b["x"] + 80, min(b["y"] + b["height"] - 10, 860), steps=10)
    page.wait_for_timeout(200)
    page.screenshot(path=str(path))
    page.mouse.move(a["x"] + 40, a["y"] + 20, steps=10)  # back where it was: nothing moves
    page.mouse.up()


def offline(page: Any, path: Path) -> None:
    """Two edits made with the network gone: on screen, waiting, and said so. Playwright's
    offline mode leaves open WebSockets open: the live socket is cut and refused meanwhile."""
    cut: dict[str, Any] = {"down": False, "open": []}

    def socket(ws: Any) -> None:
        if cut["down"]:
            ws.close()
        else:
            ws.connect_to_server()
            cut["open"].append(ws)

    page.route_web_socket("**/live", socket)
    page.reload()
    page.get_by_role("table").wait_for()
    page.locator(".map-viewport").evaluate("v => v.scrollTo(0, 0)")
    cut["down"] = True
    for ws in cut["open"]:
        ws.close()
    page.context.set_offline(True)
    page.get_by_role("button", name="+ Stage").click()
    page.get_by_role("textbox", name="Name of the stage").fill("Made offline")
    page.get_by_role("textbox", name="Name of the stage").press("Enter")
    page.locator(".save-status").filter(has_text="Offline").wait_for(timeout=60_000)
    page.mouse.move(1400, 880)
    page.screenshot(path=str(path))
    cut["down"] = False
    page.context.set_offline(False)  # the page's `online` event sends what waits
    page.locator(".save-status").filter(has_text="Saved").wait_for(timeout=60_000)


def emotion_drag(page: Any, path: Path) -> None:
    """The Payment point being dragged down (the button held), the curve following it."""
    slider = page.get_by_role("slider", name="Emotion at Decision · Payment")
    slider.wait_for()
    # The lane at the top of the view, the Decision stage's steps in it.
    page.locator(".emotion-row").evaluate(
        "row => { const v = document.querySelector('.map-viewport');"
        " v.scrollTo(260, row.getBoundingClientRect().top"
        " - v.getBoundingClientRect().top + v.scrollTop - 250); }"
    )
    box = slider.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for dy in range(4, 61, 4):
        page.mouse.move(x, y + dy)
    page.screenshot(path=str(path))
    page.keyboard.press("Escape")  # put back: nothing is sent
    page.mouse.up()


def together(browser: Any, url: str, db: Any, page: Any, path: Path) -> None:
    """Editing together: a second person on the same map types in a card; the first sees her
    in the header, the outline on that card with her name, and her cursor."""
    from journeymap.server.demo import DEMO_WORKSPACE
    from journeymap.services.accounts import make_account

    with db.write() as uow:
        other = make_account(uow, "maya@example.com", "Maya Okafor", "a long enough password")
        uow.accounts.set_role(DEMO_WORKSPACE, other.id, "editor")
    page.reload()
    page.get_by_role("table").wait_for()
    page.locator(".map-viewport").evaluate("v => v.scrollTo(0, 0)")
    maya = browser.new_page(viewport={"width": 1440, "height": 900})
    maya.goto(f"{url}/")
    maya.get_by_label("Email").fill("maya@example.com")
    maya.get_by_label("Password").fill("a long enough password")
    maya.get_by_role("button", name="Sign in").click()
    maya.wait_for_url("**/w/*")
    maya.goto(page.url)
    maya.get_by_role("table").wait_for()
    maya.locator("#card-instagram-ad").dblclick()
    maya.get_by_role("textbox", name="Card text").fill("Instagram ad for birthday gifts")
    box = maya.locator("[data-card-slot='instagram-ad']").bounding_box()
    maya.mouse.move(box["x"] + box["width"] + 40, box["y"] + 30)
    maya.mouse.move(box["x"] + box["width"] + 90, box["y"] + 70, steps=5)
    page.locator("#card-instagram-ad").scroll_into_view_if_needed()  # her cursor is by it
    page.locator(".presence-outline").filter(has_text="Maya Okafor").wait_for()
    maya.mouse.move(box["x"] + box["width"] + 60, box["y"] + 50, steps=5)
    page.locator(".presence-cursor").wait_for()
    page.mouse.move(1400, 880)
    page.wait_for_timeout(300)  # the cursor's smoothing settled
    page.screenshot(path=str(path))
    maya.get_by_role("textbox", name="Card text").press("Escape")
    maya.close()


def side_panel(page: Any, out: Path) -> None:
    """A pain point's side panel on the editor, its tags just typed and saved."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Zoom out").click()
    card = page.locator("#card-shipping-fee-surprise")
    card.click()
    tags = page.locator("#card-panel").get_by_label("Tags")
    tags.fill("checkout, fees")
    tags.press("Enter")
    expect(page.locator(".save-status")).to_have_text("Saved", timeout=30_000)
    card.evaluate("c => c.scrollIntoView({block: 'center', inline: 'nearest'})")
    page.locator(".map-viewport").evaluate("v => v.scrollBy(0, -120)")
    page.locator("#card-panel").evaluate("p => p.scrollTo(0, 0)")
    page.mouse.move(1400, 880)
    page.screenshot(path=str(out / "editor-side-panel.png"))


def history_and_future(page: Any, url: str, token: str, out: Path) -> None:
    """The history view on a revision that added, changed and removed cards; then a future
    state of the map, changed, compared with the current map."""
    import httpx

    from journeymap.server.demo import journey_id_of

    jid = journey_id_of("online-store-checkout")
    page.goto("about:blank")  # the map's editor closed while the API changes it
    card = {"confidence": "assumed", "evidence": [], "tags": [], "kind": "touchpoint"}
    shown_early = {
        **card,
        "stage": "consideration",
        "lane": "touchpoints",
        "text": "Delivery cost and date on the product page",
        "channel": "web",
    }
    free_delivery = {
        **shown_early,
        "stage": "awareness",
        "text": "Ad says: free delivery over 20",
        "channel": "social",
    }
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as c:

        def edit(journey: str, *ops: dict[str, Any]) -> None:
            rev = c.get(f"/api/journeys/{journey}").json()["rev"]
            items = [{"op_id": f"pic-{journey}-{rev}-{n}", "op": op} for n, op in enumerate(ops)]
            done = c.post(f"/api/journeys/{journey}/ops", json={"base_rev": rev, "ops": items})
            assert done.status_code == 200, done.text

        edit(
            jid,
            {"kind": "add", "entity": "card", "id": "delivery-cost-shown", "value": shown_early},
            {
                "kind": "set",
                "entity": "card",
                "id": "forced-account",
                "field": "severity",
                "value": 5,
            },
            {"kind": "delete", "entity": "card", "id": "review-site"},
        )
        future = c.post(f"/api/journeys/{jid}/future-state").json()["id"]
        edit(
            future,
            {"kind": "add", "entity": "card", "id": "free-delivery-ad", "value": free_delivery},
            {"kind": "delete", "entity": "card", "id": "shipping-fee-surprise"},
            {"kind": "delete", "entity": "card", "id": "account-wall"},
            {
                "kind": "set",
                "entity": "card",
                "id": "forced-account",
                "field": "tags",
                "value": ["resolved"],
            },
        )
    page.goto(f"{url}/j/{jid}/history")
    page.locator(".card.change-removed").wait_for()
    page.wait_for_timeout(300)
    page.mouse.move(1400, 880)
    page.screenshot(path=str(out / "web-history.png"))
    page.goto(f"{url}/j/{jid}/compare/{future}")
    page.locator(".card.change-resolved").first.wait_for()
    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("button", name="Zoom out").click()
    page.locator(".map-viewport").evaluate("v => v.scrollTo(0, 0)")
    page.locator("#card-account-wall").evaluate(
        "c => c.scrollIntoView({block: 'start', inline: 'nearest'})"
    )
    page.locator(".map-viewport").evaluate("v => v.scrollBy(0, -60)")
    page.wait_for_timeout(300)
    page.mouse.move(1400, 880)
    page.screenshot(path=str(out / "web-future-diff.png"))


def views(page: Any, journey_url: str, path: Path) -> None:
    """The view bar: the touchpoints on the web only, two lanes hidden, the lanes menu open."""
    page.goto(journey_url)
    page.get_by_role("table").wait_for()
    page.get_by_role("button", name="Channel filter").click()
    page.get_by_role("checkbox", name="web", exact=True).check()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Lanes shown").click()
    for lane in ("Thoughts", "Metrics"):
        page.get_by_role("checkbox", name=lane, exact=True).uncheck()
    page.mouse.move(1400, 880)
    page.screenshot(path=str(path))


if __name__ == "__main__":
    main()
