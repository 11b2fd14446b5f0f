"""Editing the map in the browser, as a person does it: structure, cards typed in place,
dragged and moved by keyboard, undo and redo, a refused edit, the server stopped and started
again, and a viewer who gets no edit control. Every change is checked where it must end up:
in `GET /api/journeys/{id}` once the status says "Saved", and after a reload."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.live_server import Live, start, stop

from .conftest import Server, axe_violations, open_editor, saved, set_up_admin, sign_in

TEMPLATE = "online-store-checkout"


def new_journey(server: Server) -> str:
    return server.new_journey(TEMPLATE)


def cell_ids(doc: dict[str, Any], stage: str, lane: str, step: str | None = None) -> list[str]:
    return [
        c["id"]
        for c in doc["cards"]
        if c["stage"] == stage and c.get("step") == step and c["lane"] == lane
    ]


def drag(page: Any, source: Any, target: Any, *, to: str = "middle") -> None:
    """A mouse drag from `source` to `target`'s top edge, middle or bottom part."""
    target.scroll_into_view_if_needed()
    a = source.bounding_box()
    b = target.bounding_box()
    y = {"top": b["y"] + 4, "middle": b["y"] + b["height"] / 2, "bottom": b["y"] + b["height"] - 6}
    page.mouse.move(a["x"] + 30, a["y"] + 20)
    page.mouse.down()
    page.mouse.move(a["x"] + 40, a["y"] + 30, steps=3)
    page.mouse.move(b["x"] + 60, y[to], steps=10)
    page.mouse.up()


def test_structure_is_added_renamed_and_deleted(page: Any, server: Server) -> None:
    journey = new_journey(server)
    open_editor(page, server.url, journey)
    assert axe_violations(page) == []

    page.get_by_role("button", name="+ Stage").click()
    field = page.get_by_role("textbox", name="Name of the stage")
    field.fill("Loyalty")
    field.press("Enter")
    lane = server.document(journey)["sections"][0]["lanes"][0]
    page.get_by_role("button", name=f"Lane {lane['name']}: actions").click()
    page.get_by_role("menuitem", name="Rename").click()
    rename = page.get_by_role("textbox", name="Name of the lane")
    rename.fill("What Alex does")
    rename.press("Enter")
    # The keyboard stays on the name: its actions button has the focus.
    expect(page.get_by_role("button", name="Lane What Alex does: actions")).to_be_focused()
    # A lane's kind is chosen when it is made (it never changes after).
    page.get_by_role("button", name="Lane What Alex does: actions").click()
    page.get_by_role("menuitem", name="Add a lane after…").click()
    dialog = page.get_by_role("dialog", name="Add a lane")
    dialog.get_by_label("Name").fill("Worries")
    dialog.get_by_label("What it holds").select_option(label="Pain points")
    dialog.get_by_role("button", name="Add the lane").click()
    saved(page)
    doc = server.document(journey)
    assert doc["stages"][-1]["name"] == "Loyalty"
    lanes = doc["sections"][0]["lanes"]
    assert lanes[0]["name"] == "What Alex does"
    assert (lanes[1]["name"], lanes[1]["kind"]) == ("Worries", "pain_points")

    # Deleting a stage with cards says what goes with it; undo brings them all back.
    stage = doc["stages"][0]
    taken = sum(1 for c in doc["cards"] if c["stage"] == stage["id"])
    page.get_by_role("button", name=f"Stage {stage['name']}: actions").click()
    page.get_by_role("menuitem", name="Delete the stage").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"{taken} cards")
    dialog.get_by_role("button", name="Delete the stage").click()
    saved(page)
    after = server.document(journey)
    assert stage["id"] not in [s["id"] for s in after["stages"]]
    assert len(after["cards"]) == len(doc["cards"]) - taken
    page.locator("body").press("Control+z")
    saved(page)
    back = server.document(journey)
    assert [s["id"] for s in back["stages"]] == [s["id"] for s in doc["stages"]]
    assert len(back["cards"]) == len(doc["cards"])


def test_cards_are_added_typed_dragged_moved_and_undone(page: Any, server: Server) -> None:
    journey = new_journey(server)
    doc = server.document(journey)
    first, second = doc["stages"][0], doc["stages"][1]
    lane = next(ln for s in doc["sections"] for ln in s["lanes"] if ln["kind"] == "touchpoints")
    open_editor(page, server.url, journey)

    # `n` on a card adds a card in its cell, typed in place.
    here = cell_ids(doc, first["id"], lane["id"])
    page.locator(f"#card-{here[0]}").focus()
    page.keyboard.press("n")
    page.keyboard.type("Sees the fee on the product page")
    page.keyboard.press("Enter")
    saved(page)
    doc = server.document(journey)
    added = next(c for c in doc["cards"] if c["text"] == "Sees the fee on the product page")
    assert (added["stage"], added["lane"], added["kind"]) == (first["id"], lane["id"], "touchpoint")
    assert cell_ids(doc, first["id"], lane["id"])[-1] == added["id"]
    assert page.evaluate("document.activeElement.id") == f"card-{added['id']}"

    # Drag it with the mouse to the next stage.
    target = page.locator(f"td.cell[data-lane='{lane['id']}'][data-stage='{second['id']}']").first
    drag(page, page.locator(f"[data-card-slot='{added['id']}']"), target)
    saved(page)
    moved = next(c for c in server.document(journey)["cards"] if c["id"] == added["id"])
    assert moved["stage"] == second["id"]

    # The same kind of move by keyboard: Alt+Left takes it back, and it keeps the focus.
    page.locator(f"#card-{added['id']}").focus()
    page.keyboard.press("Alt+ArrowLeft")
    expect(page.locator(f"td.cell[data-stage='{first['id']}'] #card-{added['id']}")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == f"card-{added['id']}"
    expect(page.get_by_role("status").filter(has_text="moved to")).to_have_count(1)
    saved(page)
    assert (
        next(c for c in server.document(journey)["cards"] if c["id"] == added["id"])["stage"]
        == first["id"]
    )

    # Reorder inside the cell: drop the last card on the first one's top edge.
    ids = cell_ids(server.document(journey), first["id"], lane["id"])
    drag(
        page,
        page.locator(f"[data-card-slot='{ids[-1]}']"),
        page.locator(f"#card-{ids[0]}"),
        to="top",
    )
    saved(page)
    assert cell_ids(server.document(journey), first["id"], lane["id"]) == [ids[-1], *ids[:-1]]

    # Undo twice (the reorder, the keyboard move), then redo both.
    page.locator("body").press("Control+z")
    page.locator("body").press("Control+z")
    saved(page)
    undone = server.document(journey)
    assert cell_ids(undone, first["id"], lane["id"]) == [i for i in ids if i != added["id"]]
    assert next(c for c in undone["cards"] if c["id"] == added["id"])["stage"] == second["id"]
    page.locator("body").press("Control+Shift+z")
    page.get_by_role("button", name="Redo").click()
    saved(page)
    assert cell_ids(server.document(journey), first["id"], lane["id"]) == [ids[-1], *ids[:-1]]

    # Everything is there after a reload.
    page.reload()
    page.locator(".card").first.wait_for()
    shown = page.locator(
        f"td.cell[data-stage='{first['id']}'][data-lane='{lane['id']}'] button.card"
    )
    assert shown.evaluate_all("els => els.map(e => e.dataset.card)") == [ids[-1], *ids[:-1]]

    # Past a cell's edge Alt+Down takes a note to the next lane that can hold it (in a stage
    # the rest of this test does not look at).
    ids_stages = {first["id"], second["id"]}
    cards = server.document(journey)["cards"]
    note = next(
        c
        for c in cards
        if c["kind"] == "note" and c["lane"] != lane["id"] and c["stage"] not in ids_stages
    )
    page.locator(f"#card-{note['id']}").focus()
    for _ in cell_ids(server.document(journey), note["stage"], note["lane"], note.get("step")):
        page.keyboard.press("Alt+ArrowDown")
    saved(page)
    moved_note = next(c for c in server.document(journey)["cards"] if c["id"] == note["id"])
    assert moved_note["lane"] != note["lane"]
    assert page.evaluate("document.activeElement.id") == f"card-{note['id']}"

    # Delete takes the focused card away and leaves the focus on the next one in its cell.
    page.locator(f"#card-{ids[-1]}").focus()
    page.keyboard.press("Delete")
    expect(page.locator(f"#card-{ids[-1]}")).to_have_count(0)
    expect(page.locator(f"#card-{ids[0]}")).to_be_focused()
    saved(page)
    assert ids[-1] not in [c["id"] for c in server.document(journey)["cards"]]
    page.keyboard.press("Control+z")
    saved(page)
    assert cell_ids(server.document(journey), first["id"], lane["id"]) == [ids[-1], *ids[:-1]]


def test_a_refused_edit_is_rolled_back_with_the_servers_words(page: Any, server: Server) -> None:
    journey = new_journey(server)
    lane = server.document(journey)["sections"][0]["lanes"][0]
    open_editor(page, server.url, journey)
    page.get_by_role("button", name=f"Lane {lane['name']}: actions").click()
    page.get_by_role("menuitem", name="Rename").click()
    page.get_by_role("textbox", name="Name of the lane").fill("x" * 201)
    page.get_by_role("textbox", name="Name of the lane").press("Enter")
    head = page.locator(f"tr[data-lane='{lane['id']}'] th.lane-head")
    alert = head.get_by_role("alert")
    expect(alert).to_contain_text("200")
    expect(head.locator(".lane-name")).to_have_text(lane["name"])
    saved(page)
    assert server.document(journey)["sections"][0]["lanes"][0]["name"] == lane["name"]


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[tuple[Live, str, str, Path]]:
    """A server of its own, to stop and start again: (live, token, workspace, folder)."""
    live = start(str(tmp_path / "own.db"), tmp_path)
    token, workspace = set_up_admin(live)
    holder = [live]
    try:
        yield live, token, workspace, tmp_path
    finally:
        stop(holder[0])


def test_edits_made_while_the_server_is_down_are_saved_when_it_is_back(
    page: Any, own_server: tuple[Live, str, str, Path]
) -> None:
    live, token, workspace, folder = own_server
    auth = {"Authorization": f"Bearer {token}"}
    made = httpx.post(
        f"{live.url}/api/workspaces/{workspace}/journeys", json={"template": TEMPLATE}, headers=auth
    )
    journey = made.json()["id"]
    open_editor(page, live.url, journey)
    stop(live)

    page.get_by_role("button", name="+ Stage").click()
    page.get_by_role("textbox", name="Name of the stage").fill("Made offline")
    page.get_by_role("textbox", name="Name of the stage").press("Enter")
    expect(page.locator(".save-status")).to_have_text("Offline: 2 changes waiting", timeout=30_000)
    page.screenshot(path=str(folder / "offline.png"))

    port = int(live.url.rsplit(":", 1)[1])
    back = start(str(folder / "own.db"), folder, port=port)
    try:
        page.get_by_role("button", name="Retry now").click()
        saved(page)
        names = [
            s["name"]
            for s in httpx.get(f"{back.url}/api/journeys/{journey}", headers=auth).json()[
                "document"
            ]["stages"]
        ]
        assert names[-1] == "Made offline"
        page.reload()
        expect(page.get_by_role("columnheader", name="Made offline")).to_be_visible()
    finally:
        stop(back)


@pytest.mark.parametrize("role", ["viewer", "commenter"])
def test_a_viewer_gets_no_edit_control(
    page: Any, server: Server, member: Callable[[str], str], role: str
) -> None:
    journey = new_journey(server)
    email = member(role)
    sign_in(page, server.url, email=email)
    page.goto(f"{server.url}/j/{journey}")
    page.locator(".card").first.wait_for()
    for control in (
        ".save-status",
        ".actions-button",
        ".cell-add",
        ".add-structure",
        "[draggable='true']",
    ):
        assert page.locator(control).count() == 0, control
    assert page.get_by_role("button", name="Undo").count() == 0
    writes: list[str] = []
    page.on("request", lambda r: writes.append(r.url) if r.method != "GET" else None)
    first = page.locator("button.card").first
    card, cell = first.get_attribute("data-card"), first.locator("xpath=ancestor::td[1]")
    first.focus()
    for key in ("n", "Alt+ArrowRight", "Alt+ArrowDown", "Delete", "Control+z"):
        page.keyboard.press(key)
    assert page.locator("textarea, input[type='text']").count() == 0
    expect(cell.locator(f"#card-{card}")).to_be_visible()
    page.wait_for_timeout(500)  # what a write would have taken to leave
    assert writes == []
    assert card in [c["id"] for c in server.document(journey)["cards"]]
