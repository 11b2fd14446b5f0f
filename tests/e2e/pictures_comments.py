"""The pictures of comments and presenting (docs/images, 1440 x 900): a card's comment thread
with an @mention and a reply, and presentation mode on the online-store journey's Decision
stage. pictures.py draws them with the others; `python -m tests.e2e.pictures_comments` draws
only these."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS, ROOT


def add_colleague(db: Any, workspace: str) -> None:
    """Priya Shah, an editor of the demo workspace, to be mentioned."""
    from journeymap.services.security import hash_password

    with db.write() as uow:
        if uow.accounts.user_by_email("priya@example.com") is None:
            user = uow.accounts.add_user(
                "priya@example.com", "Priya Shah", hash_password("a long enough password")
            )
            uow.accounts.set_role(workspace, user.id, "editor")


def comment_thread(page: Any, url: str, journey: str, out: Path) -> None:
    """A pain point's thread: a comment mentioning Priya (picked from the list), a reply, and
    the next mention being typed with its completion list open."""
    from playwright.sync_api import expect

    page.goto(f"{url}/j/{journey}")
    page.get_by_role("table").wait_for()
    card = page.locator("#card-shipping-fee-surprise")
    card.click()
    panel = page.locator("#card-panel")
    box = panel.get_by_role("combobox", name="New comment")
    box.fill("The fee shows only at step 3. ")
    box.press_sequentially("@pri")
    box.press("Enter")
    box.press_sequentially("can we show it on the product page?")
    panel.get_by_role("button", name="Comment", exact=True).click()
    expect(panel.locator(".thread")).to_have_count(1)
    reply = panel.get_by_role("combobox", name="Reply")
    reply.fill("Yes: a delivery estimate with the fee, by Friday.")
    panel.get_by_role("button", name="Reply", exact=True).click()
    expect(panel.locator(".replies li")).to_have_count(1)
    box = panel.get_by_role("combobox", name="New comment")
    box.press_sequentially("Also ask @")
    expect(panel.get_by_role("listbox", name="People to mention")).to_be_visible()
    card.evaluate("c => c.scrollIntoView({block: 'center', inline: 'center'})")
    panel.evaluate("p => p.scrollTo(0, p.scrollHeight)")
    page.mouse.move(1400, 880)
    page.screenshot(path=str(out / "web-comment-thread.png"))
    box.fill("")


def presentation(page: Any, url: str, journey: str, out: Path) -> None:
    """Presentation mode on the third stage: its cards by lane, the curve drawn so far."""
    from playwright.sync_api import expect

    page.goto(f"{url}/j/{journey}/present")
    show = page.get_by_role("region", name="Buying a gift online: presentation")
    show.wait_for()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(show.locator(".present-title")).to_have_text("Decision")
    page.mouse.move(1400, 880)
    page.screenshot(path=str(out / "web-presentation.png"))
    page.keyboard.press("Escape")


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
        add_colleague(db, login.workspace)
        with serving(create_app(settings, db)) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{url}/")
            page.get_by_label("Email").fill(login.email)
            page.get_by_label("Password").fill(login.password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/w/*")
            journey = journey_id_of("online-store-checkout")
            comment_thread(page, url, journey, out)
            presentation(page, url, journey, out)
            browser.close()
        db.dispose()
    print(f"wrote web-comment-thread.png and web-presentation.png in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
