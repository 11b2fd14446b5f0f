"""The side panel as an editor, in a real browser against a real server: a card's fields (a
pain point's severity, a touchpoint's channel, an opportunity's pain points), a refused edit
shown under its field, a card deleted from the panel and brought back by undo, the journey's
own details, its persona and its channels; each change found in `GET /api/journeys/{id}` once
the status says "Saved", and again after a reload. A viewer's panel has no form control."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from journeymap.domain.channels import BUILTIN_CHANNELS

from .conftest import FRONTEND, Server, axe_violations, open_editor, saved, sign_in

TEMPLATE = "online-store-checkout"


def new_journey(server: Server, template: str = TEMPLATE) -> str:
    return server.new_journey(template)


def card_of(doc: dict[str, Any], card_id: str) -> dict[str, Any]:
    return next(c for c in doc["cards"] if c["id"] == card_id)


def first_of(doc: dict[str, Any], kind: str, **having: Any) -> dict[str, Any]:
    return next(
        c
        for c in doc["cards"]
        if c["kind"] == kind and all(c.get(k) == v for k, v in having.items())
    )


def open_card(page: Any, card_id: str) -> Any:
    page.locator(f"#card-{card_id}").click()
    panel = page.locator("#card-panel")
    expect(panel).to_be_visible()
    return panel


def test_a_cards_fields_are_edited_in_the_panel(page: Any, server: Server) -> None:
    journey = new_journey(server)
    doc = server.document(journey)
    pain = first_of(doc, "pain_point")
    other_pain = next(
        c for c in doc["cards"] if c["kind"] == "pain_point" and c["id"] != pain["id"]
    )
    touch = first_of(doc, "touchpoint", channel="web")
    opportunity = next(
        c
        for c in doc["cards"]
        if c["kind"] == "opportunity" and other_pain["id"] not in c.get("pain_points", [])
    )
    open_editor(page, server.url, journey)

    # A pain point's severity (a select: sent on change), frequency and tags (on Enter).
    panel = open_card(page, pain["id"])
    expect(panel.get_by_role("heading", name="Pain point")).to_be_visible()
    severity = panel.get_by_label("Severity")
    new_severity = 5 if pain["severity"] != 5 else 4
    severity.select_option(str(new_severity))
    panel.get_by_label("Frequency").select_option("rare")
    tags = panel.get_by_label("Tags")
    tags.fill("fees, checkout")
    tags.press("Enter")
    saved(page)
    found = card_of(server.document(journey), pain["id"])
    assert (found["severity"], found["frequency"], found["tags"]) == (
        new_severity,
        "rare",
        ["fees", "checkout"],
    )
    assert axe_violations(page) == []

    # A touchpoint's channel, chosen from the journey's channels.
    panel = open_card(page, touch["id"])
    panel.get_by_label("Channel").select_option("email")
    saved(page)
    assert card_of(server.document(journey), touch["id"])["channel"] == "email"
    expect(page.locator(f"#card-{touch['id']}")).to_contain_text("EMAIL")

    # A refused edit: an owning team longer than the server takes. It is rolled back on screen
    # and the server's words are shown right under the field.
    team = panel.get_by_label("Owning team")
    team.fill("x" * 201)
    team.press("Enter")
    message = panel.locator(f"#pf-card-{touch['id']}-team-message")
    expect(message).to_contain_text("200")
    expect(message).to_have_attribute("role", "alert")
    assert (team.get_attribute("aria-describedby") or "").endswith(f"{touch['id']}-team-message")
    expect(team).to_have_value(touch.get("team") or "")
    saved(page)
    assert card_of(server.document(journey), touch["id"]).get("team") == touch.get("team")

    # Escape in a text field puts back the saved value; the next Escape closes the panel.
    team.fill("Growth")
    team.press("Escape")
    expect(team).to_have_value(touch.get("team") or "")
    team.press("Escape")
    expect(page.locator("#card-panel")).to_have_count(0)
    expect(page.locator(f"#card-{touch['id']}")).to_be_focused()
    assert card_of(server.document(journey), touch["id"]).get("team") == touch.get("team")

    # An opportunity eases one more pain point: a checkbox per pain point of the journey.
    panel = open_card(page, opportunity["id"])
    box = panel.get_by_role("checkbox", name=other_pain["text"])
    expect(box).not_to_be_checked()
    box.check()
    saved(page)
    linked = card_of(server.document(journey), opportunity["id"])["pain_points"]
    assert linked == [*opportunity.get("pain_points", []), other_pain["id"]]

    # Delete a card from its panel; Ctrl+Z (outside text fields) brings it back.
    panel = open_card(page, other_pain["id"])
    panel.get_by_role("button", name="Delete card").click()
    expect(page.locator("#card-panel")).to_have_count(0)
    expect(page.locator(f"#card-{other_pain['id']}")).to_have_count(0)
    saved(page)
    assert other_pain["id"] not in [c["id"] for c in server.document(journey)["cards"]]
    page.locator("body").press("Control+z")
    expect(page.locator(f"#card-{other_pain['id']}")).to_be_visible()
    saved(page)
    assert card_of(server.document(journey), other_pain["id"])["text"] == other_pain["text"]

    # Everything is still there after a reload.
    page.reload()
    page.locator(".card").first.wait_for()
    panel = open_card(page, pain["id"])
    expect(panel.get_by_label("Severity")).to_have_value(str(new_severity))
    expect(panel.get_by_label("Tags")).to_have_value("fees, checkout")
    panel = open_card(page, touch["id"])
    expect(panel.get_by_label("Channel")).to_have_value("email")
    panel = open_card(page, opportunity["id"])
    expect(panel.get_by_role("checkbox", name=other_pain["text"])).to_be_checked()


def test_a_quotes_date_and_a_metrics_numbers(page: Any, server: Server) -> None:
    journey = new_journey(server, "car-purchase")
    doc = server.document(journey)
    quote = first_of(doc, "quote")
    metric = first_of(doc, "metric")
    open_editor(page, server.url, journey)

    panel = open_card(page, quote["id"])
    said_on = panel.get_by_label("Said on")
    said_on.fill("2026-03-14")
    said_on.press("Enter")
    source = panel.get_by_label("Said by")
    source.fill("Interview 5, a parent of two")
    source.press("Tab")
    saved(page)
    found = card_of(server.document(journey), quote["id"])
    assert (found["date"], found["source"]) == ("2026-03-14", "Interview 5, a parent of two")

    # Words where a number goes are said under the field and not sent; a number is.
    panel = open_card(page, metric["id"])
    value = panel.get_by_label("Value", exact=True)
    value.fill("lots")
    value.press("Enter")
    expect(panel.locator(f"#pf-card-{metric['id']}-value-message")).to_contain_text("not a number")
    expect(value).to_have_attribute("aria-invalid", "true")
    value.fill("42.5")
    value.press("Enter")
    expect(panel.locator(f"#pf-card-{metric['id']}-value-message")).to_have_count(0)
    unit = panel.get_by_label("Unit")
    unit.fill("%")
    unit.press("Enter")
    saved(page)
    found = card_of(server.document(journey), metric["id"])
    assert (found["value"], found["unit"]) == (42.5, "%")
    assert axe_violations(page) == []


def test_the_journeys_details_are_edited_in_the_panel(page: Any, server: Server) -> None:
    journey = new_journey(server)
    doc = server.document(journey)
    persona = doc["personas"][0]
    open_editor(page, server.url, journey)

    page.get_by_role("button", name="Journey details").click()
    panel = page.locator("#journey-panel")
    expect(panel.get_by_role("heading", name="Journey details")).to_be_focused()
    title = panel.get_by_label("Title")
    title.fill("Buying a gift, edited")
    title.press("Enter")
    panel.get_by_label("Status").select_option("live")
    alex = panel.locator(f"fieldset[data-persona='{persona['id']}']")
    name = alex.get_by_label("Name")
    name.fill("Alexandra")
    name.press("Tab")  # leaving the field keeps it
    goals = alex.get_by_label("Goals")
    goals.fill("Find a gift\nPay no surprise fees")
    goals.press("Tab")
    panel.get_by_label("New channel").fill("Pop-up kiosk")
    panel.get_by_label("Its mode").select_option("physical")
    panel.get_by_role("button", name="Add channel").click()
    expect(panel.locator("fieldset[data-channel] legend")).to_have_text(["Pop-up kiosk"])
    saved(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Buying a gift, edited")
    assert axe_violations(page) == []

    after = server.document(journey)
    assert (after["title"], after["status"]) == ("Buying a gift, edited", "live")
    assert after["personas"][0]["name"] == "Alexandra"
    assert after["personas"][0]["goals"] == ["Find a gift", "Pay no surprise fees"]
    assert [(c["name"], c["mode"]) for c in after["channels"]] == [("Pop-up kiosk", "physical")]

    # The journey's own channel is offered to touchpoints.
    channel = after["channels"][0]["id"]
    panel.get_by_role("button", name="Close the journey's details").click()
    touch = first_of(after, "touchpoint")
    card_panel = open_card(page, touch["id"])
    card_panel.get_by_label("Channel").select_option(channel)
    saved(page)
    assert card_of(server.document(journey), touch["id"])["channel"] == channel

    # A channel a touchpoint uses cannot go (the panel says why, nothing is sent); a second
    # persona is added and named.
    page.get_by_role("button", name="Journey details").click()
    panel = page.locator("#journey-panel")
    kiosk = panel.locator(f"fieldset[data-channel='{channel}']")
    kiosk.get_by_role("button", name="Delete channel Pop-up kiosk").click()
    expect(kiosk.get_by_role("alert")).to_contain_text("1 touchpoint uses this channel")
    panel.get_by_role("button", name="+ Add a persona").click()
    added = panel.locator("fieldset[data-persona]").nth(1).get_by_label("Name")
    expect(added).to_be_focused()
    expect(added).to_have_value("New persona")
    added.fill("Sam")
    added.press("Enter")
    saved(page)
    after = server.document(journey)
    assert [p["name"] for p in after["personas"]] == ["Alexandra", "Sam"]
    assert [c["id"] for c in after["channels"]] == [channel]
    panel.get_by_role("button", name="Delete persona Sam").click()
    rename = kiosk.get_by_label("Name")
    rename.fill("Pop-up shop")
    rename.press("Enter")
    expect(kiosk.locator("legend")).to_have_text("Pop-up shop")
    saved(page)
    after = server.document(journey)
    assert [p["name"] for p in after["personas"]] == ["Alexandra"]
    assert [c["name"] for c in after["channels"]] == ["Pop-up shop"]

    # A future-state map names the current map it improves: both are sent together.
    current = new_journey(server, "car-purchase")
    panel.get_by_label("State").select_option("future")
    improves = panel.get_by_label("Improves the current map")
    expect(improves.locator(f"option[value='{current}']")).to_have_count(1)
    improves.select_option(current)
    saved(page)
    expect(page.locator(".state-badge")).to_have_text("Future state")
    after = server.document(journey)
    assert (after["state"], after["current_journey"]) == ("future", current)
    panel.get_by_label("State").select_option("current")
    saved(page)
    after = server.document(journey)
    assert (after["state"], after.get("current_journey")) == ("current", None)
    panel.get_by_role("button", name="Close the journey's details").click()

    # A title the server refuses: its words under the field, the title as it was.
    page.get_by_role("button", name="Journey details").click()
    panel = page.locator("#journey-panel")
    title = panel.get_by_label("Title")
    title.fill("t" * 201)
    title.press("Enter")
    expect(panel.locator("#pf-journey-journey-title-message")).to_contain_text("200")
    expect(title).to_have_value("Buying a gift, edited")
    saved(page)

    page.reload()
    page.locator(".card").first.wait_for()
    page.get_by_role("button", name="Journey details").click()
    panel = page.locator("#journey-panel")
    expect(panel.get_by_label("Title")).to_have_value("Buying a gift, edited")
    expect(panel.get_by_label("Status")).to_have_value("live")
    expect(
        panel.locator(f"fieldset[data-persona='{persona['id']}']").get_by_label("Name")
    ).to_have_value("Alexandra")


def test_a_viewers_panel_has_no_form_control(page: Any, server: Server, viewer: str) -> None:
    journey = new_journey(server)
    pain = first_of(server.document(journey), "pain_point")
    email = viewer
    sign_in(page, server.url, email=email)
    page.goto(f"{server.url}/j/{journey}")
    panel = open_card(page, pain["id"])
    expect(panel).to_contain_text("Severity")
    assert panel.locator("input, select, textarea").count() == 0
    assert panel.get_by_role("button", name="Delete card").count() == 0
    assert page.get_by_role("button", name="Journey details").count() == 0


def test_the_panels_built_in_channels_are_the_servers() -> None:
    source = (FRONTEND / "src" / "editor" / "panel" / "choices.ts").read_text()
    listed = re.findall(r'\{ id: "([^"]+)", name: "([^"]+)", mode: "(digital|physical)" \}', source)
    assert listed == [(c.id, c.name, c.mode.value) for c in BUILTIN_CHANNELS]
