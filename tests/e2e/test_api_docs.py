"""/api/docs makes changes: a person signs in on the page (POST /api/session), gives "Authorize"
the session's CSRF token, and PATCHes a journey there with If-Match: 200. Without the token the
same change is refused, as the description says it would be."""

from __future__ import annotations

import json
from typing import Any

from .conftest import ADMIN, PASSWORD, Server

SIGN_IN = "#operations-accounts-sign_in_api_session_post"
PATCH = "#operations-journeys-update_api_journeys__journey_id__patch"


def _execute(operation: Any, body: dict[str, Any], **fields: str) -> tuple[str, Any]:
    """Fill an operation's form on the docs page, execute it: (its status, its answer)."""
    form = operation.locator(".parameters-container, .opblock-body")
    for placeholder, value in fields.items():
        form.locator(f"input[placeholder='{placeholder}']").fill(value)
    operation.locator("textarea.body-param__text").fill(json.dumps(body))
    operation.get_by_role("button", name="Execute").click()
    answer = operation.locator(".live-responses-table .response").first
    answer.wait_for()
    status = answer.locator(".response-col_status").inner_text().split()[0]  # "403 Undocumented"
    text = answer.locator(".response-col_description pre").first.inner_text()
    operation.get_by_role("button", name="Clear").click()
    return status, json.loads(text)


def _open(page: Any, selector: str) -> Any:
    operation = page.locator(selector)
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    return operation


def test_sign_in_authorize_and_change_a_journey_on_the_docs_page(page: Any, server: Server) -> None:
    with server.api() as api:
        made = api.post(
            f"/api/workspaces/{server.workspace}/journeys",
            json={"framework": "three-stage", "title": "Docs page"},
        )
        assert made.status_code == 201, made.text
        journey, tag = made.json()["id"], made.headers["etag"]
    # The page lays out the whole description (every typed schema) in the browser: generous
    # waits, for a loaded machine.
    page.set_default_timeout(120_000)
    page.goto(f"{server.url}/api/docs")

    sign_in = _open(page, SIGN_IN)
    status, session = _execute(sign_in, {"email": ADMIN, "password": PASSWORD})
    assert status == "200" and session["csrf_token"]
    assert "jm_session" in {c["name"] for c in page.context.cookies()}  # kept by the browser

    change = _open(page, PATCH)
    title = {"title": "Changed on the docs page"}
    status, refused = _execute(change, title, journey_id=journey, **{"If-Match": tag})
    assert status == "403" and refused["title"] == "CSRF token missing"

    page.locator(".auth-wrapper button.authorize").click()
    dialog = page.locator(".dialog-ux")
    csrf = dialog.locator(".auth-container").filter(has_text="X-CSRF-Token")
    csrf.locator("input").fill(session["csrf_token"])
    csrf.locator("button.authorize").click()
    dialog.locator("button.btn-done").first.click()

    status, done = _execute(change, title, journey_id=journey, **{"If-Match": tag})
    assert status == "200", done
    assert done["rev"] == 2 and done["document"]["title"] == "Changed on the docs page"
    with server.api() as api:
        now = api.get(f"/api/journeys/{journey}").json()
    assert (now["rev"], now["document"]["title"]) == (2, "Changed on the docs page")
