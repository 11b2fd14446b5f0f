"""Comments, mentions, presenting and share links in a real browser against a real server:
a comment with an @mention (picked from the completion list by keyboard) found in the other
person's "Mentions of me", resolved by its author and not by another; the journey presented
stage by stage with the keys, signed in and from a share link; a share link listed, opened in
a fresh context (no comments, no member names), revoked and refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import expect

from .conftest import COMMENT, MEMBER_NAME, PASSWORD, Server, axe_violations, sign_in

CARD = "sees-gift-post"


def _as(page: Any, server: Server, email: str) -> None:
    """Signed in as `email` (whose first workspace may be the editing one)."""
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/w/*")


def test_mention_find_it_and_resolve(
    browser: Any, page: Any, server: Server, member: Callable[[str], str]
) -> None:
    editor_email = member("editor")
    commenter_email = member("commenter")
    jid = server.new_journey()
    # A commenter writes on a card, mentioning the editor from the completion list.
    _as(page, server, commenter_email)
    page.goto(f"{server.url}/j/{jid}")
    page.locator(f"#card-{CARD}").click()
    box = page.get_by_role("combobox", name="New comment")
    box.fill("Is this still right? ")
    box.press_sequentially("@A ed")
    options = page.get_by_role("listbox", name="People to mention").get_by_role("option")
    expect(options.first).to_have_text(re.compile("A editor"))
    box.press("ArrowDown")
    box.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", re.compile("opt-0"))
    box.press("Enter")
    expect(box).to_have_value("Is this still right? @A editor ")
    box.press_sequentially("please check")
    page.get_by_role("button", name="Comment", exact=True).click()
    thread = page.locator("#card-panel .thread")
    expect(thread).to_contain_text("please check")
    expect(thread.locator("mark.mention")).to_have_text("@A editor")
    expect(page.get_by_role("img", name="1 open comment")).to_be_visible()
    assert axe_violations(page) == []

    # The editor finds it in "Mentions of me", from the header's count, and opens the thread.
    other = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        them = other.new_page()
        _as(them, server, editor_email)
        link = them.get_by_role("link", name=re.compile(r"Mentions \d+ open, of me"))
        link.click()
        them.wait_for_url("**/mentions")
        entry = them.get_by_role("list", name="Mentions").get_by_role("listitem").first
        expect(entry).to_contain_text("please check")
        expect(entry).to_contain_text("A commenter")
        expect(entry).to_contain_text("Open")
        entry.get_by_role("link", name=re.compile("Open the thread")).click()
        them.wait_for_url(re.compile(rf"/j/{jid}\?thread=card"))
        panel = them.locator("#card-panel")
        expect(panel.locator(".thread")).to_contain_text("please check")
        # Not the author: no Resolve button, and the server refuses it too.
        expect(panel.get_by_role("button", name="Resolve")).to_have_count(0)
        expect(panel).to_contain_text("Only A commenter can resolve")
        them.get_by_role("combobox", name="Reply").fill("Checked, it is")
        them.get_by_role("button", name="Reply", exact=True).click()
        expect(panel.locator(".replies")).to_contain_text("Checked, it is")
        refused = them.evaluate(
            """async (jid) => {
                const list = await (await fetch(`/api/journeys/${jid}/comments`)).json();
                const csrf = (await (await fetch('/api/session')).json()).csrf_token;
                const first = list[0];
                const r = await fetch(`/api/journeys/${jid}/comments/${first.id}`, {
                  method: 'PATCH', headers: {'Content-Type': 'application/json',
                  'If-Match': first.etag, 'X-CSRF-Token': csrf},
                  body: JSON.stringify({resolved: true})});
                return r.status;
            }""",
            jid,
        )
        assert refused == 403
    finally:
        other.close()

    # The reply reaches the author's open thread by itself (the live socket's notice).
    panel = page.locator("#card-panel")
    expect(panel.locator(".replies")).to_contain_text("Checked, it is", timeout=20_000)
    # The author resolves it, and may reopen it.
    panel.get_by_role("button", name="Resolve").click()
    expect(panel.locator(".thread-state")).to_have_text("Resolved")
    expect(page.get_by_role("img", name="1 open comment")).to_have_count(0)
    panel.get_by_role("button", name="Reopen").click()
    expect(page.get_by_role("img", name="1 open comment")).to_be_visible()


def test_stage_thread_and_its_badge(page: Any, server: Server) -> None:
    jid = server.new_journey()
    sign_in(page, server.url)
    page.goto(f"{server.url}/j/{jid}")
    page.get_by_role("button", name="Comment on Decision").click()
    panel = page.locator("#comments-panel")
    expect(panel.get_by_role("heading", name="Comments on Decision")).to_be_focused()
    panel.get_by_role("combobox", name="New comment").fill("Rename to Purchase?")
    panel.get_by_role("button", name="Comment", exact=True).click()
    expect(page.get_by_role("button", name="1 open comment on Decision")).to_be_visible()
    assert axe_violations(page) == []
    panel.get_by_role("button", name="Close the comments").click()
    expect(panel).to_have_count(0)


def _present_by_keyboard(page: Any) -> None:
    show = page.get_by_role("region", name=re.compile("presentation"))
    expect(show).to_be_visible()
    expect(show.get_by_role("heading", name="Alex")).to_be_visible()  # the persona first
    expect(page.get_by_role("status")).to_have_text("The persona")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("status")).to_have_text("Stage 1 of 5: Awareness")
    expect(show.locator(".present-title")).to_have_text("Awareness")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(show.locator(".present-title")).to_have_text("Decision")
    # The curve so far: Awareness, Consideration and Decision's three steps; not what comes.
    expect(show.locator(".present-curve circle")).to_have_count(5)
    page.keyboard.press("ArrowLeft")
    expect(show.locator(".present-title")).to_have_text("Consideration")
    page.keyboard.press("End")
    expect(show.locator(".present-title")).to_have_text("Advocacy")
    expect(show.get_by_role("button", name="Next →")).to_be_disabled()
    # Read-only: nothing to edit, no comments.
    expect(show.get_by_role("combobox")).to_have_count(0)
    expect(show.locator(".comment-badge")).to_have_count(0)


def test_present_by_keyboard(page: Any, server: Server) -> None:
    jid = server.journeys["online-store-checkout"]
    sign_in(page, server.url)
    page.goto(f"{server.url}/j/{jid}")
    page.get_by_role("link", name="Present", exact=True).click()
    page.wait_for_url(f"**/j/{jid}/present")
    _present_by_keyboard(page)
    assert axe_violations(page) == []
    page.keyboard.press("Escape")  # ends the full screen where there was one, then leaves
    if page.url.endswith("/present"):
        page.keyboard.press("Escape")
    page.wait_for_url(f"**/j/{jid}")


def test_share_link_list_open_revoke(browser: Any, page: Any, server: Server) -> None:
    jid = server.journeys["online-store-checkout"]  # it holds COMMENT, by MEMBER_NAME
    sign_in(page, server.url)
    page.goto(f"{server.url}/j/{jid}")
    page.get_by_role("button", name="Share", exact=True).click()
    share = page.locator("#share-panel")
    share.get_by_label("Expires").select_option("30")
    share.get_by_role("button", name="Make a share link").click()
    url = share.get_by_label("The link (shown once)").input_value()
    assert "/shared/jm_" in url
    prefix = url.rsplit("/", 1)[1][:8]
    row = (
        share.get_by_role("list", name="This journey’s share links")
        .get_by_role("listitem")
        .filter(has_text=prefix)
    )
    expect(row).to_contain_text("Live · expires")

    fresh = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        outsider = fresh.new_page()
        outsider.goto(url)
        expect(outsider.locator(".card").first).to_be_visible()
        body = outsider.locator("body")
        expect(body).not_to_contain_text(COMMENT)
        expect(body).not_to_contain_text(MEMBER_NAME)
        expect(outsider.get_by_role("button", name=re.compile("Comment"))).to_have_count(0)
        expect(outsider.locator(".comment-badge, .stage-comments")).to_have_count(0)
        # Present from the share link, by keyboard.
        outsider.get_by_role("link", name="Present", exact=True).click()
        outsider.wait_for_url("**/present")
        _present_by_keyboard(outsider)
        expect(outsider.locator("body")).not_to_contain_text(MEMBER_NAME)

        # Revoked (after a confirmation), the link is refused and says so.
        row.get_by_role("button", name=re.compile("Revoke")).click()
        dialog = page.get_by_role("dialog", name="Revoke this share link?")
        dialog.get_by_role("button", name="Revoke the link").click()
        expect(row).to_contain_text("Revoked")
        outsider.goto(url)
        expect(outsider.get_by_role("heading", name="This link was revoked")).to_be_visible()
        expect(outsider.locator("body")).not_to_contain_text("Alex")
        token = url.rsplit("/", 1)[1]
        refused = httpx.get(f"{server.url}/api/shared", headers={"X-Share-Token": token})
        assert refused.status_code == 401 and refused.json()["title"] == "Share link revoked"
    finally:
        fresh.close()
