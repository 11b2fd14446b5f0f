"""Editing together in the browser: two people (two browser contexts, two accounts) on one
journey over the live socket (docs/web.md, "Editing together"). One's edit and card move show
on the other's screen without a reload, and so does the card the other is dragging; both
people's edits to different fields of one card survive; a same-field overwrite is told to
both, and Restore puts the value back as a new edit; each sees who is here. Bob reaches the
server only through a loopback TCP proxy (tests/loopback_proxy.py) which the tests slow down
(holding back what the server sends) and stop: stopping it really drops his open WebSocket,
he edits while cut off, the proxy comes back on the same port, and Ann sees his edits; a card
he added whose answer was lost is saved once; his cut-off edit to a card Ann deleted is refused
and never brings it back. A viewer sees edits live and gets no control.

The proxy forwards bytes, so Bob's browser sends `Host` and `Origin` with the proxy's address
and the server's own-origin check of a session-signed socket passes as behind any TCP proxy
(an HTTP proxy that rewrites `Host` needs `--public-url`, docs/web.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.loopback_proxy import LoopbackProxy

from .conftest import MEMBER_NAME, Server, axe_violations, saved, sign_in

BOB = "A editor"  # the editor member's display name
BACK_S = 60  # how long a reconnect after the proxy is back may take (backoff with jitter)


@pytest.fixture
def two(
    browser: Any, server: Server, member: Callable[[str], str]
) -> Iterator[tuple[str, tuple[Any, Any], LoopbackProxy]]:
    """Ann (the admin, straight to the server) and Bob (an editor of the editing workspace,
    through the proxy) on one fresh journey."""
    journey = server.new_journey("online-store-checkout")
    bob_email = member("editor")
    contexts = []
    pages = []
    proxy = LoopbackProxy(server.url).start()
    try:
        for url, email in ((server.url, None), (proxy.url, bob_email)):
            ctx = browser.new_context(viewport={"width": 1440, "height": 900})
            contexts.append(ctx)
            ctx.set_default_timeout(30_000)
            page = ctx.new_page()
            if email:
                sign_in(page, url, email)
            else:
                sign_in(page, url)
            page.goto(f"{url}/j/{journey}")
            page.locator(".card").first.wait_for()
            pages.append(page)
        yield journey, (pages[0], pages[1]), proxy
    finally:
        for ctx in contexts:
            ctx.close()
        proxy.close()


def edit_text(page: Any, card: str, text: str) -> None:
    page.locator(f"#card-{card}").dblclick()
    field = page.get_by_role("textbox", name="Card text")
    field.fill(text)
    field.press("Enter")


def card_ids(server: Server, journey: str) -> list[str]:
    return [c["id"] for c in server.document(journey)["cards"]]


def card_of(server: Server, journey: str, card: str) -> dict[str, Any]:
    return next(c for c in server.document(journey)["cards"] if c["id"] == card)


def people(page: Any) -> Any:
    return page.get_by_role("region", name="People here")


def touchpoints(server: Server, journey: str) -> tuple[list[str], str, list[str]]:
    """(the first two stages' ids, the touchpoints lane's id, the ids of the cards in its
    first stage's cell)."""
    doc = server.document(journey)
    stages = [s["id"] for s in doc["stages"][:2]]
    lane = next(ln for s in doc["sections"] for ln in s["lanes"] if ln["kind"] == "touchpoints")
    cell = [c["id"] for c in doc["cards"] if c["stage"] == stages[0] and c["lane"] == lane["id"]]
    return stages, lane["id"], cell


def in_cell(page: Any, stage: str, lane: str, card: str) -> Any:
    return page.locator(f"td.cell[data-stage='{stage}'][data-lane='{lane}'] #card-{card}")


def test_two_people_see_each_other_and_each_others_edits(
    two: Any, server: Server, tmp_path: Path
) -> None:
    journey, (ann, bob), _ = two
    first, second = card_ids(server, journey)[:2]

    # Each sees the other in the header.
    expect(people(bob)).to_contain_text(MEMBER_NAME)
    expect(people(ann)).to_contain_text(BOB)

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
    assert card_of(server, journey, first)["text"] == "Typed by Ann"


def test_each_sees_the_others_card_moves_and_the_card_they_drag(two: Any, server: Server) -> None:
    journey, (ann, bob), _ = two
    (here, there), lane, cell = touchpoints(server, journey)
    dragged, keyed = cell[0], cell[1]
    expect(people(ann)).to_contain_text(BOB)
    expect(people(bob)).to_contain_text(MEMBER_NAME)

    # Ann holds a card in mid-drag: Bob sees which card she is moving (a dashed outline).
    source = ann.locator(f"[data-card-slot='{dragged}']")
    target = ann.locator(f"td.cell[data-stage='{there}'][data-lane='{lane}']").first
    a, b = source.bounding_box(), target.bounding_box()
    ann.mouse.move(a["x"] + 30, a["y"] + 20)
    ann.mouse.down()
    ann.mouse.move(a["x"] + 40, a["y"] + 30, steps=3)
    # near the cell's top: its middle may be below the window's edge, where no mouse goes
    ann.mouse.move(b["x"] + 60, b["y"] + min(b["height"] / 2, 24), steps=10)
    moving = bob.locator(f'.presence-outline.dragging[data-presence-card="{dragged}"]')
    expect(moving).to_contain_text(f"{MEMBER_NAME} is moving this card")
    ann.mouse.up()

    # She drops it in the next stage: Bob sees it there, and the outline no longer says moving.
    saved(ann)
    expect(in_cell(bob, there, lane, dragged)).to_be_visible()
    expect(bob.locator(".presence-outline.dragging")).to_have_count(0)
    assert card_of(server, journey, dragged)["stage"] == there

    # Bob moves another by keyboard: Ann sees it move.
    bob.locator(f"#card-{keyed}").focus()
    bob.keyboard.press("Alt+ArrowRight")
    saved(bob)
    expect(in_cell(ann, there, lane, keyed)).to_be_visible()
    assert card_of(server, journey, keyed)["stage"] == there
    assert card_of(server, journey, dragged)["stage"] == there
    expect(in_cell(bob, here, lane, dragged)).to_have_count(0)


def test_edits_to_different_fields_of_one_card_both_survive(two: Any, server: Server) -> None:
    journey, (ann, bob), proxy = two
    pain = next(c for c in server.document(journey)["cards"] if c["kind"] == "pain_point")
    severity = 1 if pain["severity"] != 1 else 2
    expect(people(bob)).to_contain_text(MEMBER_NAME)

    # At about the same time: Ann types the card's text, and Bob, who has not heard of it
    # yet (what the server sends him is held back), sets its severity in the side panel.
    proxy.hold()
    edit_text(ann, pain["id"], "Ann's text")
    saved(ann)
    bob.locator(f"#card-{pain['id']}").click()
    panel = bob.locator("#card-panel")
    panel.get_by_label("Severity").select_option(str(severity))
    bob.wait_for_timeout(800)  # his edit is sent and applied; the answers are held
    expect(bob.locator(f"#card-{pain['id']}")).not_to_contain_text("Ann's text")
    proxy.release()
    saved(bob)

    # Both values are on both screens and in a fresh read, and nobody is told of a conflict.
    for page in (ann, bob):
        card = page.locator(f"#card-{pain['id']}")
        expect(card).to_contain_text("Ann's text")
        expect(page.locator(f"#card-{pain['id']}.sev-{severity}")).to_have_count(1)
        expect(page.locator(".overwrite-notice")).to_have_count(0)
    expect(panel.get_by_label("Severity")).to_have_value(str(severity))
    found = card_of(server, journey, pain["id"])
    assert (found["text"], found["severity"]) == ("Ann's text", severity)


def test_a_same_field_overwrite_is_told_to_both_and_restore_works(two: Any, server: Server) -> None:
    journey, (ann, bob), proxy = two
    card = card_ids(server, journey)[0]
    expect(people(bob)).to_contain_text(MEMBER_NAME)

    # Bob hears nothing for a moment: he types over the card before Ann's edit reaches him.
    proxy.hold()
    edit_text(ann, card, "Ann's words")
    saved(ann)
    edit_text(bob, card, "Bob's words")
    bob.wait_for_timeout(800)  # his edit is sent and applied; the answers are held
    proxy.release()
    saved(bob)

    # Both are told who overwrote what.
    ann_notice = ann.locator(".overwrite-notice")
    bob_notice = bob.locator(".overwrite-notice")
    expect(ann_notice).to_contain_text(f"{BOB} changed the text of this card you had just set")
    expect(ann_notice).to_contain_text("Ann's words")
    expect(bob_notice).to_contain_text(f"You changed the text of this card {MEMBER_NAME}")
    expect(ann.locator(f"#card-{card}")).to_contain_text("Bob's words")

    # Ann restores hers: a new edit, which Bob sees.
    ann_notice.get_by_role("button", name="Restore").click()
    saved(ann)
    expect(ann_notice).to_have_count(0)
    expect(bob.locator(f"#card-{card}")).to_contain_text("Ann's words")
    assert card_of(server, journey, card)["text"] == "Ann's words"


def test_edits_made_while_cut_off_are_saved_when_back_and_the_other_sees_them(
    two: Any, server: Server
) -> None:
    journey, (ann, bob), proxy = two
    (_, there), lane, cell = touchpoints(server, journey)
    typed, moved = cell[0], cell[1]
    expect(people(ann)).to_contain_text(BOB)
    before = proxy.accepted

    # The proxy stops: Bob's open socket drops, his requests are refused. Ann sees him go.
    proxy.stop()
    expect(people(ann)).to_have_count(0, timeout=20_000)

    # Bob edits a card's text and moves another: both on his screen, waiting to be saved.
    edit_text(bob, typed, "Written while cut off")
    bob.locator(f"#card-{moved}").focus()
    bob.keyboard.press("Alt+ArrowRight")
    status = bob.locator(".save-status")
    expect(status).to_have_text("Offline: 2 changes waiting", timeout=30_000)
    expect(in_cell(bob, there, lane, moved)).to_be_visible()
    ann.wait_for_timeout(1000)
    expect(ann.locator(f"#card-{typed}")).not_to_contain_text("Written while cut off")
    assert card_of(server, journey, typed)["text"] != "Written while cut off"

    # The proxy is back on the same port: Bob reconnects and saves; Ann sees both edits.
    proxy.start()
    expect(status).to_have_text("Saved", timeout=BACK_S * 1000)
    expect(ann.locator(f"#card-{typed}")).to_contain_text("Written while cut off")
    expect(in_cell(ann, there, lane, moved)).to_be_visible()
    expect(people(ann)).to_contain_text(BOB, timeout=BACK_S * 1000)
    assert proxy.accepted > before  # he came back through the proxy
    found = card_of(server, journey, typed)
    assert found["text"] == "Written while cut off"
    assert card_of(server, journey, moved)["stage"] == there
    ids = card_ids(server, journey)
    assert len(ids) == len(set(ids))


def test_a_card_added_whose_answer_was_lost_is_saved_once(two: Any, server: Server) -> None:
    journey, (ann, bob), proxy = two
    _, _, cell = touchpoints(server, journey)
    count = len(card_ids(server, journey))
    expect(people(ann)).to_contain_text(BOB)

    # Bob adds a card; the server saves it, but the connection drops before he hears so.
    proxy.hold()
    bob.locator(f"#card-{cell[0]}").focus()
    bob.keyboard.press("n")
    bob.keyboard.type("Added as the line dropped")
    bob.keyboard.press("Enter")
    expect(ann.locator(".card", has_text="Added as the line dropped")).to_have_count(1)
    proxy.stop()
    proxy.release()  # what was held went with the connections
    expect(bob.locator(".save-status")).not_to_have_text("Saved")

    # Back: he sends it again with the same op_id, the server answers "duplicate", and there
    # is one such card on both screens and in a fresh read.
    proxy.start()
    expect(bob.locator(".save-status")).to_have_text("Saved", timeout=BACK_S * 1000)
    for page in (ann, bob):
        expect(page.locator(".card", has_text="Added as the line dropped")).to_have_count(1)
    doc = server.document(journey)
    assert [c["text"] for c in doc["cards"]].count("Added as the line dropped") == 1
    assert len(doc["cards"]) == count + 1


def test_an_edit_made_cut_off_to_a_card_the_other_deleted_never_brings_it_back(
    two: Any, server: Server
) -> None:
    journey, (ann, bob), proxy = two
    card = card_ids(server, journey)[3]
    count = len(card_ids(server, journey))
    expect(people(ann)).to_contain_text(BOB)

    # Cut off, Bob edits a card; meanwhile Ann deletes it.
    proxy.stop()
    edit_text(bob, card, "Edited while cut off")
    expect(bob.locator(".save-status")).to_have_text("Offline: 1 change waiting", timeout=30_000)
    ann.locator(f"#card-{card}").focus()
    ann.keyboard.press("Delete")
    saved(ann)
    expect(ann.locator(f"#card-{card}")).to_have_count(0)

    # Back: his edit is refused and said so; the card is gone from both screens and stays gone.
    proxy.start()
    expect(bob.locator(f"#card-{card}")).to_have_count(0, timeout=BACK_S * 1000)
    expect(bob.locator(".edit-bar [role=alert]")).to_contain_text("is deleted")
    saved(bob)
    ann.wait_for_timeout(1000)
    expect(ann.locator(f"#card-{card}")).to_have_count(0)
    ids = card_ids(server, journey)
    assert card not in ids and len(ids) == count - 1


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
