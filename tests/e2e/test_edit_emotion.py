"""The emotion lane edited in a real browser against a real server: each point a slider moved
by the mouse (one operation for a whole drag) and by the keyboard, its note typed in place, a
point added where a column has none and deleted (undo brings it back), Ctrl+Z undoing a move,
everything still there after a reload; and a viewer gets the static picture, no slider."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from tests.e2e.conftest import Server, axe_violations, sign_in

TEMPLATE = "online-store-checkout"


def new_journey(server: Server) -> str:
    """A fresh copy of the online-store template, so that each test starts from its scores."""
    return server.new_journey(TEMPLATE)


def points(server: Server, journey: str) -> dict[str, dict[str, Any]]:
    """The journey's live emotion points by id, as the server has them."""
    emotions = server.document(journey)["emotions"]
    return {e["id"]: e for e in emotions if not e.get("deleted")}


def eventually(check: Callable[[], bool], timeout: float = 20.0) -> None:
    """Wait for the server to agree (edits are saved in batches, a moment later)."""
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "the server never showed the change"
        time.sleep(0.2)


def open_map(page: Any, server: Server, journey: str) -> None:
    page.goto(f"{server.url}/j/{journey}")
    page.get_by_role("slider").first.wait_for()


def score_of(slider: Any) -> float:
    return float(slider.get_attribute("aria-valuenow"))


def saved(page: Any) -> None:
    page.locator(".save-status", has_text="Saved").wait_for()


def socket_ops(frame: str | bytes, sent: list[dict[str, Any]]) -> None:
    message = json.loads(frame)
    if message.get("type") == "ops":
        sent.extend(item["op"] for item in message["ops"])


def test_move_a_point_by_mouse_and_by_keyboard_and_undo(page: Any, server: Server) -> None:
    journey = new_journey(server)
    sent: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda r: (
            sent.extend(op["op"] for op in json.loads(r.post_data or "{}")["ops"])
            if r.method == "POST" and r.url.endswith("/ops")
            else None
        ),
    )
    # Edits go over the live socket when it is open: its `ops` messages count as sent too.
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: socket_ops(frame, sent)))
    sign_in(page, server.url)
    open_map(page, server, journey)

    slider = page.get_by_role("slider", name="Emotion at Consideration")
    assert slider.get_attribute("aria-valuemin") == "-2"
    assert slider.get_attribute("aria-valuemax") == "2"
    assert score_of(slider) == 0.5
    assert slider.get_attribute("aria-valuetext") == "+0.5, Likes the gift, unsure about delivery"
    curve = page.locator(".emotion-curve")
    before = curve.get_attribute("d")

    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # Escape while dragging puts the point back, and sends nothing.
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y + 30)
    assert score_of(slider) < 0.5
    page.keyboard.press("Escape")
    assert score_of(slider) == 0.5
    page.mouse.up()
    assert score_of(slider) == 0.5

    # Drag it down: the curve follows while the button is held; one operation on release.
    page.mouse.move(x, y)
    page.mouse.down()
    for dy in range(5, 61, 5):
        page.mouse.move(x, y + dy)
    assert score_of(slider) < 0.5  # drawn as it moves
    assert curve.get_attribute("d") != before
    assert "dragging" in (slider.get_attribute("class") or "")
    assert points(server, journey)["feel-consideration"]["score"] == 0.5  # nothing sent yet
    page.mouse.up()
    dragged = score_of(slider)
    assert -2 <= dragged < 0.5
    saved(page)
    eventually(lambda: points(server, journey)["feel-consideration"]["score"] == dragged)
    moves = [op for op in sent if op.get("field") == "score"]
    assert moves == [
        {
            "kind": "set",
            "entity": "emotion",
            "id": "feel-consideration",
            "field": "score",
            "value": dragged,
        }
    ]

    # The keyboard: ArrowUp half a point, Home the minimum, End the maximum.
    slider.focus()
    page.keyboard.press("ArrowUp")
    assert score_of(slider) == round(dragged + 0.5, 1)
    eventually(lambda: points(server, journey)["feel-consideration"]["score"] == dragged + 0.5)
    page.keyboard.press("Home")
    assert score_of(slider) == -2
    page.keyboard.press("End")
    assert score_of(slider) == 2
    eventually(lambda: points(server, journey)["feel-consideration"]["score"] == 2)
    saved(page)  # (and Playwright's events dispatched: `sent` is up to date)
    values = [op["value"] for op in sent if op.get("field") == "score"]
    assert values[0] == dragged and values[1] == round(dragged + 0.5, 1) and values[-1] == 2

    # Ctrl+Z (the focus on the slider, not in a text field) undoes the last move.
    page.keyboard.press("Control+z")
    assert score_of(slider) == -2
    eventually(lambda: points(server, journey)["feel-consideration"]["score"] == -2)
    saved(page)

    page.reload()
    open_map(page, server, journey)
    assert score_of(page.get_by_role("slider", name="Emotion at Consideration")) == -2
    assert axe_violations(page) == []


def test_edit_a_note_add_and_delete_points(page: Any, server: Server) -> None:
    journey = new_journey(server)
    sign_in(page, server.url)
    open_map(page, server, journey)

    # The note, typed in place.
    page.get_by_role("button", name="Edit the note at Awareness").click()
    field = page.get_by_role("textbox", name="Note at Awareness")
    field.fill("Excited by the ad")
    field.press("Enter")
    page.get_by_role("button", name="Edit the note at Awareness: Excited by the ad").wait_for()
    slider = page.get_by_role("slider", name="Emotion at Awareness")
    assert slider.get_attribute("aria-valuetext") == "+1.0, Excited by the ad"
    eventually(lambda: points(server, journey)["feel-awareness"].get("note") == "Excited by the ad")

    # Delete by the key on the slider; the column offers a "+"; undo brings the point back.
    retention = page.get_by_role("slider", name="Emotion at Retention")
    retention.focus()
    page.keyboard.press("Delete")
    retention.wait_for(state="detached")
    add = page.get_by_role("button", name="Add an emotion point at Retention")
    add.wait_for()
    eventually(lambda: "feel-retention" not in points(server, journey))
    page.keyboard.press("Control+z")
    retention.wait_for()
    assert score_of(retention) == 1
    eventually(lambda: "feel-retention" in points(server, journey))

    # Delete by the button beside its note, then add a new point there and raise it.
    page.get_by_role("button", name="Delete the emotion point at Retention").click()
    retention.wait_for(state="detached")
    add.click()
    new = page.get_by_role("slider", name="Emotion at Retention")
    new.wait_for()
    assert score_of(new) == 0
    assert page.evaluate("document.activeElement.getAttribute('role')") == "slider"
    page.keyboard.press("ArrowUp")
    assert score_of(new) == 0.5
    assert add.count() == 0

    def added() -> bool:
        here = [p for p in points(server, journey).values() if p["stage"] == "retention"]
        return len(here) == 1 and here[0]["id"] != "feel-retention" and here[0]["score"] == 0.5

    eventually(added)
    saved(page)
    assert axe_violations(page) == []

    page.reload()
    open_map(page, server, journey)
    assert score_of(page.get_by_role("slider", name="Emotion at Retention")) == 0.5
    page.get_by_role("button", name="Edit the note at Awareness: Excited by the ad").wait_for()


def test_a_viewer_gets_the_static_curve(page: Any, server: Server, viewer: str) -> None:
    journey = new_journey(server)
    email = viewer

    sign_in(page, server.url, email)
    page.goto(f"{server.url}/j/{journey}")
    page.locator(".emotion-curve").wait_for()
    assert page.get_by_role("slider").count() == 0
    assert page.get_by_role("button", name="Add an emotion point", exact=False).count() == 0
    assert page.get_by_role("button", name="Edit the note", exact=False).count() == 0
    assert page.locator(".emotion-dot").count() == len(points(server, journey))
    assert "Feels tricked by the late shipping fee" in page.locator(".emotion-notes").inner_text()
