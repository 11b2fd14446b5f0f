"""History and the future state in the browser: a past revision drawn with what it changed
highlighted, restored (the map back at that state), a named version; a future state made from
the map, changed, and compared with the current map; axe on the history view."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from .conftest import Server, axe_violations, sign_in

BANNER = {
    "kind": "add",
    "entity": "card",
    "id": "free-delivery-banner",
    "value": {
        "kind": "touchpoint",
        "stage": "awareness",
        "lane": "touchpoints",
        "text": "Free delivery banner",
        "channel": "web",
    },
}


def _edit(c: httpx.Client, jid: str, *ops: dict[str, Any]) -> int:
    rev = int(c.get(f"/api/journeys/{jid}").json()["rev"])
    done = c.post(
        f"/api/journeys/{jid}/ops",
        json={
            "base_rev": rev,
            "ops": [{"op_id": f"{jid}-{rev}-{n}", "op": op} for n, op in enumerate(ops)],
        },
    )
    assert done.status_code == 200, done.text
    return int(done.json()["rev"])


def test_open_a_past_revision_restore_it_and_name_a_version(page: Any, server: Server) -> None:
    jid = server.new_journey()
    with server.api() as c:
        assert _edit(c, jid, BANNER) == 2
        assert _edit(c, jid, {"kind": "delete", "entity": "card", "id": "review-site"}) == 3
    sign_in(page, server.url)
    page.goto(f"{server.url}/j/{jid}")
    page.get_by_role("link", name="History").click()
    page.wait_for_url(f"**/j/{jid}/history")
    revisions = page.get_by_role("region", name="Revisions")
    expect(revisions.get_by_role("listitem")).to_have_count(3)
    expect(revisions.get_by_role("listitem").first).to_contain_text("Deleted card 'review-site'")
    # the current revision is open: the deleted card is a ghost, said in words
    ghost = page.locator("#card-review-site")
    expect(ghost).to_have_class(lambda_has("change-removed"))
    expect(ghost).to_contain_text("Removed")
    expect(page.get_by_role("status").filter(has_text="History.")).to_contain_text(
        "changes since revision 2 highlighted"
    )
    assert axe_violations(page) == []

    revisions.get_by_role("button", name="Revision 2").click()
    added = page.locator("#card-free-delivery-banner")
    expect(added).to_contain_text("Added")
    expect(added).to_have_class(lambda_has("change-added"))
    expect(page.locator("#card-review-site")).not_to_have_class(lambda_has("change-removed"))
    expect(page.get_by_role("region", name="Changes")).to_contain_text(
        "card 'free-delivery-banner' added"
    )

    # a named version of the open revision, found in the list
    page.get_by_label("Name revision 2").fill("Workshop March")
    page.get_by_role("button", name="Name version").click()
    versions = page.get_by_role("region", name="Named versions")
    expect(versions.get_by_role("button", name="Workshop March")).to_be_visible()
    expect(versions).to_contain_text("revision 2")

    # compare any two: revision 1 to the current one
    page.get_by_label("From", exact=True).select_option("1")
    page.get_by_label("To", exact=True).select_option("3")
    expect(page.locator("#card-free-delivery-banner")).to_contain_text("Added")
    expect(page.locator("#card-review-site")).to_contain_text("Removed")

    revisions.get_by_role("button", name="Revision 2").click()
    page.get_by_role("button", name="Restore this revision").click()
    dialog = page.get_by_role("dialog", name="Restore revision 2?")
    dialog.get_by_role("button", name="Restore").click()
    page.wait_for_url(f"**/j/{jid}")
    expect(page.locator("#card-review-site")).to_be_visible()
    expect(page.locator("#card-free-delivery-banner")).to_be_visible()
    expect(page.locator("#card-review-site .change-badge")).to_have_count(0)
    with server.api() as c:
        now = c.get(f"/api/journeys/{jid}").json()
        then = c.get(f"/api/journeys/{jid}/diff?from=2&to={now['rev']}").json()
    assert now["rev"] == 4 and then["changed"] is False


def test_a_viewer_reads_the_history_and_cannot_change_it(
    page: Any, server: Server, viewer: str
) -> None:
    jid = server.new_journey()
    with server.api() as c:
        _edit(c, jid, BANNER)
    sign_in(page, server.url, viewer)
    page.goto(f"{server.url}/j/{jid}/history")
    expect(page.locator("#card-free-delivery-banner")).to_contain_text("Added")
    page.get_by_role("region", name="Revisions").get_by_role("button", name="Revision 1").click()
    expect(page.get_by_role("status").filter(has_text="History.")).to_contain_text(
        "the journey as created"
    )
    page.reload()  # the address names the open revision: a link opens it again
    expect(page).to_have_url(f"{server.url}/j/{jid}/history?rev=1")
    expect(page.get_by_role("status").filter(has_text="History.")).to_contain_text(
        "the journey as created"
    )
    expect(page.get_by_role("button", name="Restore this revision")).to_have_count(0)
    expect(page.get_by_role("button", name="Name version")).to_have_count(0)
    page.goto(f"{server.url}/j/{jid}")
    page.locator(".card").first.wait_for()
    expect(page.get_by_role("button", name="Create future state")).to_have_count(0)


def test_create_a_future_state_change_it_and_see_the_diff(page: Any, server: Server) -> None:
    jid = server.new_journey()
    sign_in(page, server.url)
    page.goto(f"{server.url}/j/{jid}")
    page.get_by_role("button", name="Create future state").click()
    page.wait_for_url(lambda url: url.rstrip("/") != f"{server.url}/j/{jid}" and "/j/" in url)
    toggle = page.get_by_role("navigation", name="Current and future state")
    expect(toggle.get_by_text("Future state")).to_have_attribute("aria-current", "page")
    fid = page.url.rstrip("/").rsplit("/", 1)[-1]
    # one click to the current map and back
    toggle.get_by_role("link", name="Current state").click()
    page.wait_for_url(f"**/j/{jid}")
    expect(toggle.get_by_text("Current state")).to_have_attribute("aria-current", "page")
    with server.api() as c:
        assert c.get(f"/api/journeys/{fid}").json()["document"]["current_journey"] == jid
        # The future state adds a touchpoint, drops the account wall and resolves two pains
        # (made while the current map is open: the future map's editor would get the added
        # card as sent, its defaults left out, and the editor does not fill them in yet).
        _edit(
            c,
            fid,
            BANNER,
            {"kind": "delete", "entity": "card", "id": "account-wall"},
            {"kind": "delete", "entity": "card", "id": "shipping-fee-surprise"},
            {
                "kind": "set",
                "entity": "card",
                "id": "forced-account",
                "field": "tags",
                "value": ["resolved"],
            },
        )
    toggle.get_by_role("link", name="Future state").click()
    page.wait_for_url(f"**/j/{fid}")
    expect(page.locator("#card-free-delivery-banner")).to_be_visible()
    expect(page.locator("#card-account-wall")).to_have_count(0)
    page.get_by_role("link", name="Compare current and future").click()
    page.wait_for_url(f"**/j/{jid}/compare/{fid}")
    side = page.get_by_role("complementary", name="Differences")
    expect(side.get_by_role("region", name="Touchpoints added")).to_contain_text(
        "Free delivery banner"
    )
    expect(side.get_by_role("region", name="Touchpoints removed")).to_contain_text(
        "Sign-up wall before delivery options"
    )
    resolved = side.get_by_role("region", name="Pain points resolved")
    expect(resolved).to_contain_text("Shipping fees appear only at the last step")
    expect(resolved).to_contain_text("marked resolved")
    expect(page.locator("#card-shipping-fee-surprise")).to_contain_text("Removed, resolved")
    expect(page.locator("#card-forced-account")).to_contain_text("Changed, resolved")
    expect(page.locator("#card-free-delivery-banner")).to_contain_text("Added")
    assert axe_violations(page) == []


def lambda_has(name: str) -> Any:
    import re

    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")
