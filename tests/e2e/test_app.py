"""A person's way through the app: sign in, the library, search, import, the map with every
card, stage and lane, a card's panel, zoom, export, a share link seen by a stranger, reload,
sign out; axe-core on the sign-in page, the library and the map."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from playwright.sync_api import expect

from journeymap.services.templates import template_text

from .conftest import COMMENT, MEMBER_NAME, Server, axe_violations, sign_in


def test_sign_in_says_a_wrong_password_plainly(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/")
    page.wait_for_url("**/sign-in")
    assert axe_violations(page) == []
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == "The email or the password is wrong."
    assert page.get_by_label("Password").input_value() == ""


def test_the_library_lists_searches_and_filters(page: Any, server: Server) -> None:
    sign_in(page, server.url)
    rows = page.locator(".journey-row")
    titles = {"Buying a gift online", "Buying a family car", "Filing a tax return yourself"}
    assert titles <= set(page.locator(".journey-title").all_inner_texts())
    assert axe_violations(page) == []
    page.get_by_role("searchbox", name="Search journeys").fill("shipping fee")
    expect(rows).to_have_count(1)
    assert rows.first.locator(".journey-title").inner_text() == "Buying a gift online"
    assert page.get_by_role("status").first.inner_text().startswith("1–1 of 1 journey")
    page.get_by_role("searchbox", name="Search journeys").fill("")
    page.get_by_label("Sort").select_option("title")
    expect(page.locator(".results-line")).to_have_text(re.compile(r"1–\d of \d journeys"))
    assert rows.count() >= 3
    shown = page.locator(".journey-title").all_inner_texts()
    assert shown == sorted(shown, key=str.lower)
    page.get_by_role("button", name="More filters").click()
    page.get_by_label("Stage").fill("Think")  # the car journey's See-Think-Do stage
    page.get_by_label("Stage").press("Enter")
    expect(rows).to_have_count(1)
    assert rows.first.locator(".journey-title").inner_text() == "Buying a family car"


def test_import_a_journey_file_and_see_its_problems(
    page: Any, server: Server, tmp_path: Path
) -> None:
    data = yaml.safe_load(template_text("service-signup"))
    data["id"], data["title"] = "imported-signup", "Imported in the browser"
    good = tmp_path / "signup.yaml"
    good.write_text(yaml.safe_dump(data, sort_keys=False))
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: broken\ntitle: Broken\nstages:\n  - name: [unclosed\n")
    sign_in(page, server.url)
    picker = page.locator("#import-file")
    picker.set_input_files(str(bad))
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "broken.yaml" in alert.inner_text() and "line" in alert.inner_text()
    picker.set_input_files(str(good))
    page.get_by_text("Imported “Imported in the browser”.").wait_for()
    page.locator(".journey-title", has_text="Imported in the browser").wait_for()
    page.get_by_role("link", name="Open it").click()
    page.get_by_role("heading", level=1, name="Imported in the browser").wait_for()


def test_the_map_shows_every_card_stage_and_lane(page: Any, server: Server) -> None:
    journey = server.journeys["online-store-checkout"]
    doc = server.document(journey)
    sign_in(page, server.url)
    page.get_by_role("link", name="Buying a gift online").click()
    grid = page.get_by_role("table", name="Buying a gift online: stages by lanes")
    grid.wait_for()
    text = grid.inner_text()
    for stage in doc["stages"]:
        assert stage["name"] in text, stage["name"]
        for step in stage.get("steps", []):
            assert step["name"] in text, step["name"]
    for section in doc["sections"]:
        assert section["name"].upper() in text.upper(), section["name"]
        for lane in section["lanes"]:
            header = page.get_by_role("rowheader", name=lane["name"], exact=False)
            assert header.count() >= 1, lane["name"]
    buttons = grid.locator("button.card")
    assert buttons.count() == len(doc["cards"])
    for card in doc["cards"]:
        button = page.locator(f"#card-{card['id']}")
        assert card["text"] in button.inner_text(), card["id"]
    # In each cell, cards keep the server's order; and each is a button named by its text.
    order = [c["id"] for c in doc["cards"]]
    shown = buttons.evaluate_all("els => els.map(e => e.dataset.card)")
    for cell in grid.locator("td.cell").all():
        ids = cell.locator("button.card").evaluate_all("els => els.map(e => e.dataset.card)")
        assert ids == sorted(ids, key=order.index)
    assert sorted(shown) == sorted(order)
    first = doc["cards"][0]
    named = page.get_by_role("button", name=first["text"], exact=False)
    assert named.count() >= 1
    for point in doc["emotions"]:
        if point.get("note"):
            assert point["note"] in text, point["note"]
    assert page.get_by_role("region", name="Legend").is_visible()
    assert axe_violations(page) == []

    # Keyboard: a card is in the tab order; Enter opens its panel with every field.
    pain = next(c for c in doc["cards"] if c["kind"] == "pain_point")
    page.locator(f"#card-{pain['id']}").focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("complementary", name="Pain point")
    panel.wait_for()
    # The admin may edit, so the panel is a form (test_edit_panel.py edits it): its values.
    assert panel.get_by_label("Text").input_value() == pain["text"]
    assert panel.get_by_label("Severity").input_value() == str(pain["severity"])
    assert panel.get_by_label("Frequency").input_value() == pain.get("frequency", "")
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    panel.wait_for(state="detached")
    assert page.evaluate("document.activeElement.id") == f"card-{pain['id']}"

    page.get_by_role("button", name="Zoom to fit").click()
    level = page.get_by_label("Zoom level").inner_text()
    assert level.endswith("%") and int(level[:-1]) < 100
    fits = page.evaluate(
        "(() => { const v = document.querySelector('.map-viewport');"
        " const c = document.querySelector('.map-canvas').getBoundingClientRect();"
        " return c.width <= v.clientWidth && c.height <= v.clientHeight; })()"
    )
    assert fits


def test_exports_are_real_files(page: Any, server: Server) -> None:
    journey = server.journeys["car-purchase"]
    sign_in(page, server.url)
    page.goto(f"{server.url}/j/{journey}")
    page.get_by_role("table").wait_for()
    got: dict[str, bytes] = {}
    for label in ("PNG", "PDF", "SVG", "HTML", "YAML", "XLSX"):
        page.get_by_role("button", name="Export", exact=True).click()
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("link", name=label).click()
        path = download.value.path()
        got[label] = Path(path).read_bytes()
    assert got["PNG"].startswith(b"\x89PNG\r\n\x1a\n") and len(got["PNG"]) > 10_000
    assert got["PDF"].startswith(b"%PDF-")
    assert b"<svg" in got["SVG"][:400] and b"Buying a family car" in got["SVG"]
    assert b"<html" in got["HTML"][:400].lower()
    assert yaml.safe_load(got["YAML"])["id"] == server.document(journey)["id"]
    book = openpyxl.load_workbook(io.BytesIO(got["XLSX"]), read_only=True)
    rows = list(book["cards"].iter_rows(values_only=True))
    texts = {row[6] for row in rows[1:]}
    cards = server.document(journey)["cards"]
    assert rows[0][:3] == ("id", "kind", "stage") and len(rows) == len(cards) + 1
    assert texts == {c["text"] for c in cards}


def test_a_share_link_shows_the_map_and_nothing_of_the_team(
    browser: Any, page: Any, server: Server
) -> None:
    journey = server.journeys["online-store-checkout"]
    doc = server.document(journey)
    sign_in(page, server.url)
    page.goto(f"{server.url}/j/{journey}")
    page.get_by_role("button", name="Share", exact=True).click()
    page.get_by_role("button", name="Make a share link").click()
    address = page.get_by_label("The link (shown once)").input_value()
    assert address.startswith(f"{server.url}/shared/jm_")

    stranger = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        visitor = stranger.new_page()
        asked: list[str] = []
        visitor.on("request", lambda r: asked.append(r.url))
        visitor.goto(address)
        visitor.get_by_role("table").wait_for()
        body = visitor.locator("body").inner_text()
        for card in doc["cards"]:
            assert card["text"] in body, card["id"]
        assert visitor.get_by_role("region", name="Legend").is_visible()
        assert COMMENT not in body and "Priya" not in body
        for word in [*MEMBER_NAME.split(), "ada@example.com"]:
            assert word not in visitor.content(), word
        assert not [u for u in asked if "/comments" in u or "/api/me" in u or "workspaces" in u]
        assert visitor.get_by_role("button", name="Sign out").count() == 0
        # A link reads: no edit control anywhere, the card's panel without a form.
        for control in (".save-status", ".actions-button", ".cell-add", "[role='slider']"):
            assert visitor.locator(control).count() == 0, control
        visitor.locator("button.card").first.click()
        visitor.locator("#card-panel").wait_for()
        assert visitor.locator("#card-panel").locator("input, select, textarea").count() == 0
    finally:
        stranger.close()


def test_reload_stays_signed_in_and_sign_out_ends_it(page: Any, server: Server) -> None:
    sign_in(page, server.url)
    journey = server.journeys["tax-filing"]
    page.goto(f"{server.url}/j/{journey}")
    page.get_by_role("table").wait_for()
    page.reload()
    page.get_by_role("table").wait_for()
    assert page.get_by_text(MEMBER_NAME).is_visible()
    # Changes still carry the session's CSRF token after the reload: make a share link.
    page.get_by_role("button", name="Share", exact=True).click()
    page.get_by_role("button", name="Make a share link").click()
    assert page.get_by_label("The link (shown once)").input_value()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    page.goto(f"{server.url}/j/{journey}")
    page.wait_for_url(f"**/sign-in?next=%2Fj%2F{journey}")
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for()


def test_duplicate_and_delete_with_confirmation(page: Any, server: Server) -> None:
    sign_in(page, server.url)
    page.get_by_role("button", name="Duplicate Filing a tax return yourself").click()
    copy = "Filing a tax return yourself (copy)"
    page.locator(".journey-title", has_text=copy).wait_for()
    page.get_by_role("button", name=f"Delete {copy}").click()
    dialog = page.get_by_role("dialog", name=f"Delete “{copy}”?")
    dialog.get_by_role("button", name="Cancel").click()
    assert page.locator(".journey-title", has_text=copy).count() == 1
    page.get_by_role("button", name=f"Delete {copy}").click()
    dialog.get_by_role("button", name="Delete").click()
    page.locator(".journey-title", has_text=copy).wait_for(state="detached")
    with server.api() as c:
        titles = [
            j["title"]
            for j in c.get(f"/api/workspaces/{server.workspace}/journeys").json()["items"]
        ]
    assert copy not in titles and "Filing a tax return yourself" in titles
