"""A fresh server in the browser: the first account made on the set-up page with the code the
server printed (a wrong code refused), then sign-in attempts past the limit, refused with the
wait the server gives."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.live_server import printed_setup_code, running


def test_set_up_then_too_many_attempts(page: Any, tmp_path: Path) -> None:
    with running(str(tmp_path / "fresh.db"), tmp_path) as live:
        page.goto(f"{live.url}/")
        page.get_by_role("link", name="Set it up").click()
        page.get_by_label("Set-up code").fill("WRNG-CODE-0000-0000")
        page.get_by_label("Email").fill("first@example.com")
        page.get_by_label("Your name").fill("First Admin")
        page.get_by_label("Password (10 characters or more)").fill("short")
        page.get_by_label("First workspace (optional)").fill("Research")
        page.get_by_role("button", name="Set up").click()
        # The browser's own check first: the field says what it needs.
        assert page.get_by_label("Password (10 characters or more)").evaluate(
            "e => !e.validity.valid"
        )
        page.get_by_label("Password (10 characters or more)").fill("a good long password")
        page.get_by_role("button", name="Set up").click()
        # A wrong code: refused, saying where the right one is; nobody was made.
        page.get_by_role("alert").get_by_text("not the set-up code").wait_for()
        assert "journeymap serve" in page.get_by_role("alert").inner_text()
        page.get_by_label("Set-up code").fill(printed_setup_code(live).lower())
        page.get_by_role("button", name="Set up").click()
        page.wait_for_url("**/w/*")
        page.get_by_role("heading", level=1, name="Research").wait_for()
        page.get_by_text("No journeys match.").wait_for()

        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/sign-in")
        page.get_by_role("link", name="Set it up").click()
        page.get_by_label("Set-up code").fill(printed_setup_code(live))
        page.get_by_label("Email").fill("second@example.com")
        page.get_by_label("Your name").fill("Second")
        page.get_by_label("Password (10 characters or more)").fill("another long password")
        page.get_by_role("button", name="Set up").click()
        page.get_by_role("alert").get_by_text("sign in instead").wait_for()

        page.goto(f"{live.url}/sign-in")
        messages = []
        for _ in range(6):
            page.get_by_label("Email").fill("first@example.com")
            page.get_by_label("Password").fill("a wrong password")
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("button", name="Sign in")).to_be_enabled()
            messages.append(page.get_by_role("alert").inner_text())
        assert messages[0] == "The email or the password is wrong."
        assert re.fullmatch(
            r"Too many failed sign-ins\. Try again in [45] min( \d+ s)?\.", messages[-1]
        )
