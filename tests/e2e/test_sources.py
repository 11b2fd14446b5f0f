"""The Data and Pain points panels in a real browser against a server started with
--sources-dir: register a source in the sources folder, refresh, change a binding, refresh
again and see the figures change; refused paths and a failing source say why; a found pain
point goes onto the map; axe finds nothing serious with the panels open."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.server.sources_helpers import demo_files

from .conftest import Server, axe_violations, open_editor, saved


def _sources(server: Server) -> Path:
    return server.live.log.parent.parent / "sources"  # as the `server` fixture made it


def _evidence(server: Server, journey: str) -> tuple[str | None, dict[str, Any]]:
    with server.api() as c:
        got = c.get(f"/api/journeys/{journey}/evidence")
        if got.status_code == 404:
            return None, {}
        return got.headers["ETag"], got.json()["data"]


def _reach(data: dict[str, Any], card: str) -> Any:
    return [(i["metric"], i["value"]) for i in data["items"] if i["target"] == card]


def _new_evidence(server: Server, journey: str, before: str | None) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        etag, data = _evidence(server, journey)
        if etag is not None and etag != before:
            return data
        time.sleep(0.3)
    with server.api() as c:
        status = c.get(f"/api/journeys/{journey}/refresh").json()
    raise AssertionError(f"the refresh stored no new evidence: {status}")


def _register(page: Any, name: str, path: str) -> None:
    form = page.get_by_role("form", name="Register a data source")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Path in the sources folder").fill(path)
    form.get_by_role("button", name="Register source").click()


def test_register_refresh_rebind_refresh_and_add_a_pain_point(server: Server, page: Any) -> None:
    sources = _sources(server)
    demo_files(sources, 3_000)
    journey = server.new_journey()
    open_editor(page, server.url, journey)
    page.get_by_role("button", name="Data", exact=True).click()
    panel = page.get_by_role("region", name="Data")
    panel.get_by_text("Register a source").click()

    # Refused paths say why, in the server's words.
    form = page.get_by_role("form", name="Register a data source")
    _register(page, "up", "../e2e.db")
    expect(form.get_by_role("alert")).to_contain_text("may not leave the sources folder")
    _register(page, "abs", str(sources / "demo" / "events.parquet"))
    expect(form.get_by_role("alert")).to_contain_text("not an absolute path")
    link = sources / "outside-link"
    if not link.exists():
        link.symlink_to(sources.parent / "data")
    _register(page, "link", "outside-link/x.csv")
    expect(form.get_by_role("alert")).to_contain_text("leads out of the sources folder")

    _register(page, "shop", "demo/events.parquet")
    expect(panel.get_by_role("list", name="The workspace's data sources")).to_contain_text("shop")

    before, _ = _evidence(server, journey)
    panel.get_by_label("Events source").select_option("shop")
    panel.get_by_role("button", name="Refresh").click()
    expect(panel.get_by_role("status")).to_contain_text("Refreshed", timeout=120_000)
    first = _new_evidence(server, journey, before)
    was = _reach(first, "instagram-ad")
    page.screenshot(path=str(sources.parent / "data-panel.png"))
    assert was, first["items"][:3]

    # Change a binding: the Instagram ad now counts referral visits.
    with server.api() as c:
        rev = c.get(f"/api/journeys/{journey}").json()["rev"]
        op = {
            "kind": "set",
            "entity": "card",
            "id": "instagram-ad",
            "field": "events",
            "value": {"names": ["referral_visit"]},
        }
        done = c.post(
            f"/api/journeys/{journey}/ops",
            json={"base_rev": rev, "ops": [{"op_id": "rebind-1", "op": op}]},
        )
        assert done.status_code == 200, done.text
    etag, _ = _evidence(server, journey)
    panel.get_by_role("button", name="Refresh").click()
    second = _new_evidence(server, journey, etag)
    assert _reach(second, "instagram-ad") != was
    expect(panel.get_by_role("status")).to_contain_text("Refreshed", timeout=60_000)

    # A found pain point goes onto the map, as an observed card.
    page.get_by_role("button", name="Found pain points", exact=True).click()
    found = page.get_by_role("region", name="Found pain points")
    add = found.get_by_role("button", name="Add to map").first
    name = add.get_attribute("aria-label").removeprefix("Add to map: ")
    add.click()
    expect(found.get_by_text("Added to the map").first).to_be_visible()
    saved(page)
    doc = server.document(journey)
    made = [c for c in doc["cards"] if "found-in-data" in c.get("tags", [])]
    assert made and made[0]["text"].startswith(name) and made[0]["confidence"] == "observed"
    expect(page.locator(".card", has_text=name).first).to_be_visible()

    assert axe_violations(page) == []
    page.screenshot(path=str(sources.parent / "data-panels.png"))


def test_a_failing_source_shows_its_ingest_message(server: Server, page: Any) -> None:
    sources = _sources(server)
    (sources / "broken.csv").write_text("who,when,what\n1,2026-01-01T00:00:00Z,a\n")
    definition = {
        "source": {"path": "broken.csv"},
        "columns": {"customer": "customer_id", "timestamp": "ts", "event": "event"},
    }
    with server.api() as c:
        made = c.post(
            f"/api/workspaces/{server.editing}/sources",
            json={"name": "broken", "kind": "events", "definition": definition},
        )
        assert made.status_code in (201, 409), made.text
    journey = server.new_journey()
    open_editor(page, server.url, journey)
    page.get_by_role("button", name="Data", exact=True).click()
    panel = page.get_by_role("region", name="Data")
    panel.get_by_label("Events source").select_option("broken")
    panel.get_by_role("button", name="Refresh").click()
    failure = panel.locator(".refresh-failure")
    expect(failure).to_contain_text("customer_id", timeout=60_000)
    expect(panel.get_by_role("status")).to_contain_text("Refresh failed")
