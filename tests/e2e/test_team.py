"""The team in the browser: saved views that follow a person to another browser, the channel
filter, the members page (a viewer added there gets no edit control), the account page (a token
made there works with `journeymap.Client`), a library persona added to a journey, and axe-core
on the account and members pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from journeymap.client import ClientError

from .conftest import ADMIN, PASSWORD, Server, axe_violations, open_editor, saved, sign_in

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


def sign_in_as(page: Any, url: str, email: str) -> None:
    """Signed in, whatever page the app then opens (someone of no workspace yet has none)."""
    page.goto(f"{url}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Account", exact=True)).to_be_visible()


def test_a_member_added_as_viewer_gets_no_edit_control(browser: Any, server: Server) -> None:
    journey = server.new_journey(TEMPLATE)
    email = "new.viewer@example.com"
    with server.api() as c:  # an admin makes the account first, as the page says
        made = c.post(
            "/api/users", json={"email": email, "display_name": "Val Viewer", "password": PASSWORD}
        )
        assert made.status_code == 201, made.text
    owner = new_context(browser)
    page = owner.new_page()
    sign_in(page, server.url)
    page.goto(f"{server.url}/w/{server.editing}/members")
    expect(page.get_by_role("heading", name="Members of Zz editing tests")).to_be_visible()
    expect(page.get_by_text("needs an account on this server to join")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("combobox", name="Role", exact=True).select_option("viewer")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("status")).to_contain_text(f"{email} is invited as viewer")
    expect(page.get_by_text(f"{email}, as viewer")).to_be_visible()

    # The person accepts on their account page, then reads the journey with no edit control.
    person = new_context(browser)
    theirs = person.new_page()
    sign_in_as(theirs, server.url, email)
    theirs.get_by_role("link", name="Account", exact=True).click()
    theirs.get_by_role("button", name="Accept the invitation to Zz editing tests").click()
    expect(theirs.get_by_role("status").first).to_contain_text("You joined “Zz editing tests”")
    theirs.goto(f"{server.url}/j/{journey}")
    theirs.locator(".card").first.wait_for()
    for control in (".save-status", ".actions-button", ".cell-add", ".add-structure"):
        assert theirs.locator(control).count() == 0, control
    assert theirs.get_by_role("button", name="Undo").count() == 0
    assert theirs.get_by_role("button", name="Journey details").count() == 0
    # The owner sees them as a member now, and may change their role.
    page.reload()
    row = page.locator(f'tr[data-member="{email}"]')
    expect(row).to_contain_text("Val Viewer")
    expect(row.get_by_role("combobox", name="Role of Val Viewer")).to_have_value("viewer")
    owner.close()
    person.close()


def test_a_token_made_on_the_account_page_works_with_the_client(page: Any, server: Server) -> None:
    from journeymap import Client

    sign_in(page, server.url)
    page.get_by_role("link", name="Account", exact=True).click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("textbox", name="Token name").fill("Notebook")
    page.get_by_role("button", name="Make a token").click()
    shown = page.get_by_role("textbox", name="copy it now")
    expect(shown).to_have_value(re.compile(r"^jm_"))
    token = shown.input_value()
    with Client(server.url, token) as client:
        assert client.me().email == ADMIN
        assert server.workspace in {w.id for w in client.workspaces()}
    # Listed without the token; revoked, it stops working.
    row = page.get_by_role("row").filter(has_text="Notebook")
    expect(row).to_contain_text("Live")
    assert token not in page.get_by_role("table").inner_text()
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_role("textbox", name="copy it now")).to_have_count(0)
    row.get_by_role("button", name="Revoke the token Notebook").click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke").click()
    expect(row).to_contain_text("Revoked")
    with Client(server.url, token) as client, pytest.raises(ClientError) as refused:
        client.me()
    assert refused.value.status == 401


def test_a_library_persona_is_added_to_a_journey(page: Any, server: Server) -> None:
    journey = server.new_journey("tax-filing")
    with server.api() as c:
        made = c.post(
            f"/api/workspaces/{server.editing}/personas",
            json={
                "id": "rita-retiree",
                "name": "Rita",
                "segment": "Retired, files once a year",
                "goals": ["File without a visit"],
            },
        )
        assert made.status_code in (201, 409), made.text
    sign_in(page, server.url)
    page.goto(f"{server.url}/w/{server.editing}/personas")
    expect(page.get_by_role("heading", name="Rita")).to_be_visible()
    expect(page.get_by_text("File without a visit")).to_be_visible()
    page.goto(f"{server.url}/j/{journey}")
    page.locator(".card").first.wait_for()
    page.get_by_role("button", name="Journey details").click()
    page.get_by_role("button", name="+ From the persona library").click()
    page.get_by_role("button", name="Add Rita to this journey").click()
    saved(page)
    personas = {p["id"]: p for p in server.document(journey)["personas"]}
    assert personas["rita-retiree"]["name"] == "Rita"
    assert personas["rita-retiree"]["goals"] == ["File without a visit"]
    expect(page.locator("#library-personas").get_by_text("On this map")).to_be_visible()
