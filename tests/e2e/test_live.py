"""Editing together in the browser: two people (two browser contexts, two accounts) on one
journey over the live socket (docs/web.md, "Editing together"). One's edit shows on the
other's screen without a reload; a same-field overwrite is told to both, and Restore puts the
value back as a new edit; each sees who is here and which card the other types in; one cut
off (its socket dropped and refused, its requests offline) edits, comes back, and the other
sees the edit; a viewer sees edits live and gets no control."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import MEMBER_NAME, Server, axe_violations, saved, sign_in


class Pipe:
    """The page's live socket through Playwright's WebSocket routing: messages from the server
    can be held back (a slow network: the page edits before it hears of the other's edit),
    and the connection cut (it is closed, and refused while `down`)."""

    def __init__(self) -> None:
        self.hold = False
        self.down = False
        self.held: list[tuple[Any, Any]] = []
        self.routes: list[Any] = []

    def handler(self, ws: Any) -> None:
        if self.down:
            ws.close()
            return
        server = ws.connect_to_server()
        ws.on_message(lambda m: server.send(m))
        server.on_message(lambda m: self.held.append((ws, m)) if self.hold else ws.send(m))
        self.routes.append(ws)

    def release(self) -> None:
        self.hold = False
        held, self.held = self.held, []
        for ws, m in held:
            ws.send(m)

    def cut(self) -> None:
        self.down = True
        for ws in self.routes:
            ws.close()
        self.routes = []


@pytest.fixture
def two(browser: Any, server: Server, member: Callable[[str], str]) -> Iterator[Any]:
    """Ann (the admin) and Bob (an editor of the editing workspace) on one fresh journey."""
    journey = server.new_journey("online-store-checkout")
    bob_email = member("editor")
    contexts = []
    pages = []
    pipes = []
    for email in (None, bob_email):
        ctx = browser.new_context(viewport={"width": 1440, "height": 900})
        ctx.set_default_timeout(30_000)
        page = ctx.new_page()
        pipe = Pipe()
        page.route_web_socket("**/live", pipe.handler)
        if email:
            sign_in(page, server.url, email)
        else:
            sign_in(page, server.url)
        page.goto(f"{server.url}/j/{journey}")
        page.locator(".card").first.wait_for()
        contexts.append(ctx)
        pages.append(page)
        pipes.append(pipe)
    yield journey, pages, pipes
    for ctx in contexts:
        ctx.close()


def edit_text(page: Any, card: str, text: str) -> None:
    page.locator(f"#card-{card}").dblclick()
    field = page.get_by_role("textbox", name="Card text")
    field.fill(text)
    field.press("Enter")


def card_ids(server: Server, journey: str) -> list[str]:
    return [c["id"] for c in server.document(journey)["cards"]]


def people(page: Any) -> Any:
    return page.get_by_role("region", name="People here")


def test_two_people_see_each_other_and_each_others_edits(
    two: Any, server: Server, tmp_path: Path
) -> None:
    journey, (ann, bob), _ = two
    first, second = card_ids(server, journey)[:2]

    # Each sees the other in the header.
    expect(people(bob)).to_contain_text(MEMBER_NAME)
    expect(people(ann)).to_contain_text("A editor")

    # Ann's edit shows on Bob's screen without a reload.
    edit_text(ann, first, "Typed by Ann")
    saved(ann)
    expect(bob.locator(f"#card-{first}")).to_contain_text("Typed by Ann")
    # ... and Bob's on Ann's.
    edit_text(bob, second, "Typed by Bob")
    saved(bob)
    expect(ann.locator(f"#card-{second}")).to_contain_text("Typed by Bob")

    # While Ann types in a card, Bob sees its outline with her name, and her cursor.
    ann.locator(f"#card-{first}").dblclick()
    ann.mouse.move(500, 500)
    ann.mouse.move(520, 510, steps=5)
    outline = bob.locator(f'.presence-outline[data-presence-card="{first}"]')
    expect(outline).to_contain_text(MEMBER_NAME)
    expect(bob.locator(".presence-cursor")).to_contain_text(MEMBER_NAME)
    assert axe_violations(bob) == []
    bob.screenshot(path=str(tmp_path / "live.png"))  # docs/images/editor-live.png: pictures.py
    ann.get_by_role("textbox", name="Card text").press("Escape")
    assert server.document(journey)["cards"][0]["text"] == "Typed by Ann"


def test_a_same_field_overwrite_is_told_to_both_and_restore_works(two: Any, server: Server) -> None:
    journey, (ann, bob), (_, bob_pipe) = two
    card = card_ids(server, journey)[0]
    expect(people(bob)).to_contain_text(MEMBER_NAME)

    # Bob hears nothing for a moment: he types over the card before Ann's edit reaches him.
    bob_pipe.hold = True
    edit_text(ann, card, "Ann's words")
    saved(ann)
    edit_text(bob, card, "Bob's words")
    bob.wait_for_timeout(800)  # his edit is sent and applied; the answers are held
    bob_pipe.release()
    saved(bob)

    # Both are told who overwrote what.
    ann_notice = ann.locator(".overwrite-notice")
    bob_notice = bob.locator(".overwrite-notice")
    expect(ann_notice).to_contain_text("A editor changed the text of this card you had just set")
    expect(ann_notice).to_contain_text("Ann's words")
    expect(bob_notice).to_contain_text(f"You changed the text of this card {MEMBER_NAME}")
    expect(ann.locator(f"#card-{card}")).to_contain_text("Bob's words")

    # Ann restores hers: a new edit, which Bob sees.
    ann_notice.get_by_role("button", name="Restore").click()
    saved(ann)
    expect(ann_notice).to_have_count(0)
    expect(bob.locator(f"#card-{card}")).to_contain_text("Ann's words")
    doc = server.document(journey)
    assert next(c for c in doc["cards"] if c["id"] == card)["text"] == "Ann's words"


def test_an_edit_made_offline_is_saved_when_back_and_the_other_sees_it(
    two: Any, server: Server
) -> None:
    journey, (ann, bob), (_, bob_pipe) = two
    card = card_ids(server, journey)[1]
    expect(people(ann)).to_contain_text("A editor")

    bob_pipe.cut()
    bob.context.set_offline(True)
    edit_text(bob, card, "Written offline")
    expect(bob.locator(".save-status")).not_to_have_text("Saved")
    expect(people(ann)).to_have_count(0, timeout=20_000)  # Bob's presence is gone

    bob_pipe.down = False
    bob.context.set_offline(False)
    saved(bob)
    expect(ann.locator(f"#card-{card}")).to_contain_text("Written offline", timeout=30_000)
    expect(people(ann)).to_contain_text("A editor")
    doc = server.document(journey)
    assert next(c for c in doc["cards"] if c["id"] == card)["text"] == "Written offline"


def test_a_viewer_sees_edits_live_without_controls(
    two: Any, server: Server, browser: Any, viewer: str
) -> None:
    journey, (ann, _), _ = two
    card = card_ids(server, journey)[2]
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = ctx.new_page()
        sign_in(page, server.url, viewer)
        page.goto(f"{server.url}/j/{journey}")
        page.locator(".card").first.wait_for()
        expect(people(ann)).to_contain_text("A viewer")
        edit_text(ann, card, "Seen by the viewer")
        saved(ann)
        expect(page.locator(f"#card-{card}")).to_contain_text("Seen by the viewer")
        expect(page.get_by_role("button", name="Undo")).to_have_count(0)
        expect(page.locator(".card-actions")).to_have_count(0)
        expect(page.locator(".save-status")).to_have_count(0)
    finally:
        ctx.close()
