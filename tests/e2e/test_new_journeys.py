"""New journeys in the browser: the template gallery with a preview of a template, a journey
made from a template and one from a stage framework, and a journey's cards imported from an
XLSX sheet (a bad sheet refused with its rows named)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
import openpyxl

from .conftest import Server, sign_in


def test_preview_a_template_and_make_journeys_from_the_gallery(page: Any, server: Server) -> None:
    sign_in(page, server.url)
    page.get_by_role("button", name="New journey…").click()
    templates = page.get_by_role("list", name="Templates")
    templates.get_by_role("listitem").first.wait_for()
    assert templates.get_by_role("listitem").count() == 5  # every bundled template
    page.get_by_role("button", name="Preview Buying a gift online").click()
    preview = page.get_by_role("dialog", name="Preview: Buying a gift online")
    grid = preview.get_by_role("table")
    grid.wait_for()
    drawn = grid.inner_text()
    doc = server.document(server.journeys["online-store-checkout"])
    assert grid.locator("button.card").count() == len(doc["cards"])
    for card in doc["cards"]:
        assert card["text"] in drawn, card["id"]
    for stage in doc["stages"]:
        assert stage["name"] in drawn, stage["name"]
    preview.get_by_role("button", name="Use this template").click()
    page.get_by_text("Made “Buying a gift online”.").wait_for()

    page.get_by_role("button", name="New journey…").click()
    page.get_by_role("button", name="Start from the see-think-do framework").click()
    page.get_by_text("Made “New journey”.").wait_for()
    page.get_by_role("link", name="Open it").click()
    grid = page.get_by_role("table")
    grid.wait_for()
    for stage in ("See", "Think", "Do", "Grow", "Give"):
        assert grid.get_by_role("columnheader", name=stage).count() >= 1
    with server.api() as c:
        listed = c.get(f"/api/workspaces/{server.workspace}/journeys").json()["items"]
    titles = [j["title"] for j in listed]
    assert titles.count("Buying a gift online") == 2 and "New journey" in titles


def test_import_cards_from_an_xlsx_sheet(page: Any, server: Server, tmp_path: Path) -> None:
    with server.api() as c:
        made = c.post(
            f"/api/workspaces/{server.workspace}/journeys", json={"template": "car-purchase"}
        ).json()["id"]
        sheet = c.get(f"/api/journeys/{made}/cards.xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(sheet))
    cards = book["cards"]
    header = [cell.value for cell in cards[1]]
    first = cards.cell(row=2, column=1).value
    cards.cell(row=2, column=header.index("text") + 1, value="Edited in a spreadsheet")
    good = tmp_path / "cards.xlsx"
    book.save(good)
    cards.cell(row=3, column=header.index("kind") + 1, value="metric")  # a kind cannot change
    bad = tmp_path / "bad-cards.xlsx"
    book.save(bad)

    sign_in(page, server.url)
    page.goto(f"{server.url}/j/{made}")
    page.get_by_role("table").wait_for()
    picker = page.locator("#import-sheet")
    picker.set_input_files(str(bad))
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "bad-cards.xlsx row 3, column kind" in alert.inner_text()
    assert server.document(made)["cards"][0]["text"] != "Edited in a spreadsheet"
    picker.set_input_files(str(good))
    page.get_by_text("cards.xlsx: 0 added, 1 updated.").wait_for()
    page.locator(f"#card-{first}").get_by_text("Edited in a spreadsheet").wait_for()
    texts = {c["id"]: c["text"] for c in server.document(made)["cards"]}
    assert texts[first] == "Edited in a spreadsheet"
    assert httpx.get(f"{server.url}/api/journeys/{made}/cards.xlsx").status_code == 401
