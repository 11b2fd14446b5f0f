"""The team in the browser: saved views that follow a person to another browser, the channel
filter, the members page (a viewer added there gets no edit control), the account page (a token
made there works with `journeymap.Client`), a library persona added to a journey, and axe-core
on the account and members pages."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .conftest import Server, open_editor

TEMPLATE = "online-store-checkout"
HIDDEN = ("thoughts", "metrics")  # lanes of the online-store template


def new_context(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    ctx.set_default_timeout(30_000)
    return ctx


def lane_cells(page: Any, lane: str) -> Any:
    return page.locator(f'td[data-lane="{lane}"]')


def test_a_saved_view_follows_the_person_to_another_browser(browser: Any, server: Server) -> None:
    journey = server.new_journey(TEMPLATE)
    names = {
        lane["id"]: lane["name"]
        for section in server.document(journey)["sections"]
        for lane in section["lanes"]
    }
    first = new_context(browser)
    page = first.new_page()
    open_editor(page, server.url, journey)
    page.get_by_role("button", name="Lanes shown").click()
    for lane in HIDDEN:
        expect(lane_cells(page, lane).first).to_be_visible()
        page.get_by_role("checkbox", name=names[lane], exact=True).uncheck()
        expect(lane_cells(page, lane)).to_have_count(0)
    page.keyboard.press("Escape")
    expect(page.get_by_text("2 lanes hidden")).to_be_visible()
    page.get_by_role("button", name="Save view…").click()
    page.get_by_role("textbox", name="Name").fill("Without thoughts and metrics")
    page.get_by_role("button", name="Save", exact=True).click()
    picker = page.get_by_role("combobox", name="View")
    expect(picker.locator("option:checked")).to_have_text("Without thoughts and metrics")
    first.close()

    # Another browser, the same person: the view is on the server.
    second = new_context(browser)
    page = second.new_page()
    open_editor(page, server.url, journey)
    expect(lane_cells(page, "thoughts").first).to_be_visible()
    page.get_by_role("combobox", name="View").select_option(label="Without thoughts and metrics")
    for lane in HIDDEN:
        expect(lane_cells(page, lane)).to_have_count(0)
    expect(lane_cells(page, "actions").first).to_be_visible()
    # Its address names the view: a reload opens it again.
    assert "?view=" in page.url
    page.reload()
    page.locator(".card").first.wait_for()
    expect(page.get_by_text("2 lanes hidden")).to_be_visible()
    for lane in HIDDEN:
        expect(lane_cells(page, lane)).to_have_count(0)
    # Everything again, then the view is deleted.
    page.get_by_role("button", name="Show everything").click()
    expect(lane_cells(page, "thoughts").first).to_be_visible()
    second.close()


def test_filter_by_channel(page: Any, server: Server) -> None:
    journey = server.new_journey(TEMPLATE)
    doc = server.document(journey)
    touchpoints = [c for c in doc["cards"] if c["kind"] == "touchpoint"]
    on_email = [c["id"] for c in touchpoints if c.get("channel") == "email"]
    others = [c["id"] for c in touchpoints if c.get("channel") != "email"]
    pains = [c["id"] for c in doc["cards"] if c["kind"] == "pain_point"]
    assert on_email and others and pains
    open_editor(page, server.url, journey)
    page.get_by_role("button", name="Channel filter").click()
    page.get_by_role("checkbox", name="email", exact=True).check()
    page.keyboard.press("Escape")
    for card in on_email + pains:
        expect(page.locator(f"#card-{card}")).to_be_visible()
    for card in others:
        expect(page.locator(f"#card-{card}")).to_have_count(0)
    shown = len(doc["cards"]) - len(others)
    expect(page.get_by_role("status").filter(has_text="Showing")).to_contain_text(
        f"Showing {shown} of {len(doc['cards'])} cards"
    )
    page.get_by_role("button", name="Show everything").click()
    expect(page.locator(f"#card-{others[0]}")).to_be_visible()
