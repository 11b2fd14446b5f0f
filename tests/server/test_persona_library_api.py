"""The workspace's persona library: kept by editors with If-Match, copied into journeys that
name a persona by its id alone (a journey file's `personas: [hannah]`, or an added persona
`{"id": "hannah"}`), the copies then the journeys' own; on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from .conftest import Site
from .helpers import any_site as any_site
from .helpers import new_journey

HANNAH = {
    "id": "hannah",
    "name": "Hannah",
    "segment": "Family car buyer",
    "quote": "A price I know before I walk in.",
    "goals": ["Fit three car seats"],
}


def _library(site: Site) -> str:
    return f"/api/workspaces/{site.workspace}/personas"


def _personas(site: Site, journey: str) -> dict[str, Any]:
    doc = site.client.get(f"/api/journeys/{journey}", headers=site.auth()).json()["document"]
    return {p["id"]: p for p in doc.get("personas", [])}


def test_keep_personas_and_copy_them_into_journeys(any_site: Site) -> None:
    site = any_site
    c, auth = site.client, site.auth()
    made = c.post(_library(site), json=HANNAH, headers=auth)
    assert made.status_code == 201, made.text
    assert made.json()["value"]["goals"] == ["Fit three car seats"]
    assert made.headers["etag"] == made.json()["etag"]
    named = c.post(_library(site), json={"name": "Alex Chen", "segment": "Renter"}, headers=auth)
    assert named.status_code == 201 and named.json()["id"] == "alex-chen"
    assert c.post(_library(site), json=HANNAH, headers=auth).status_code == 409
    # A file naming `hannah` alone gets the library's Hannah; a persona of its own stays.
    text = (
        "format_version: 1\nid: trip\ntitle: Test drive\npersonas: [hannah, {id: bo, name: Bo}]\n"
        "stages: [{id: see, name: See}]\n"
    )
    journey = c.post(
        f"/api/workspaces/{site.workspace}/journeys", json={"document": text}, headers=auth
    ).json()["id"]
    copied = _personas(site, journey)
    bo = {k: v for k, v in copied["bo"].items() if k not in ("order_key", "updated_rev")}
    lists = ("goals", "needs", "frustrations", "behaviours", "data_sources")
    assert copied["hannah"]["quote"] == HANNAH["quote"] and bo == {
        "id": "bo",
        "name": "Bo",
        **{key: [] for key in lists},
    }
    # Adding a persona by id alone copies it too.
    other = new_journey(site)
    added = c.post(f"/api/journeys/{other}/personas", json={"id": "alex-chen"}, headers=auth)
    assert added.status_code == 201, added.text
    assert added.json()["value"]["segment"] == "Renter"
    # A journey whose persona is only named like a library one does not use it.
    alike = c.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"document": text.replace("[hannah, {id: bo, name: Bo}]", "[{id: h2, name: hannah}]")},
        headers=auth,
    )
    assert alike.status_code == 201, alike.text
    listed = {p["id"]: p for p in c.get(_library(site), headers=auth).json()}
    assert [j["id"] for j in listed["hannah"]["used_in"]] == [journey]
    assert [j["id"] for j in listed["alex-chen"]["used_in"]] == [other]
    # Changing the library leaves the copies as they were.
    url = f"{_library(site)}/hannah"
    tag = c.get(url, headers=auth).headers["etag"]
    assert c.patch(url, json={"quote": "New"}, headers=auth).status_code == 428
    changed = c.patch(url, json={"quote": "New", "goals": None}, headers={**auth, "If-Match": tag})
    assert changed.status_code == 200, changed.text
    assert changed.json()["value"] == {
        "name": "Hannah",
        "segment": "Family car buyer",
        "quote": "New",
    }
    stale = c.patch(url, json={"quote": "Newer"}, headers={**auth, "If-Match": tag})
    assert stale.status_code == 412 and stale.json()["current"]["value"]["quote"] == "New"
    assert _personas(site, journey)["hannah"]["quote"] == HANNAH["quote"]
    assert c.delete(url, headers={**auth, "If-Match": tag}).status_code == 412
    gone = c.delete(url, headers={**auth, "If-Match": changed.headers["etag"]})
    assert gone.status_code == 204
    assert c.get(url, headers=auth).status_code == 404
    assert "hannah" in _personas(site, journey)


def test_bad_fields_are_named_and_nothing_is_kept(site: Site) -> None:
    c, auth = site.client, site.auth()
    bad = c.post(
        _library(site), json={"name": "Ann", "goals": "not a list", "mood": 3}, headers=auth
    )
    assert bad.status_code == 422, bad.text
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"goals", "mood"} <= fields
    assert c.get(_library(site), headers=auth).json() == []
    c.post(_library(site), json=HANNAH, headers=auth)
    url = f"{_library(site)}/hannah"
    tag = c.get(url, headers=auth).headers["etag"]
    renamed = c.patch(url, json={"id": "hanna"}, headers={**auth, "If-Match": tag})
    assert renamed.status_code == 422 and "id" in renamed.json()["detail"]
    empty = c.patch(url, json={"name": ""}, headers={**auth, "If-Match": tag})
    assert empty.status_code == 422 and "name" in empty.json()["detail"]
    assert c.get(url, headers=auth).json()["value"]["name"] == "Hannah"
    # A persona named by an id the library does not have stays as it is.
    journey = new_journey(site)
    added = c.post(f"/api/journeys/{journey}/personas", json={"id": "zed"}, headers=auth)
    assert added.status_code == 201 and added.json()["value"]["name"] is None


def test_the_demo_workspace_keeps_every_templates_personas(tmp_path: Any) -> None:
    from journeymap.server.demo import DEMO_WORKSPACE, set_up
    from journeymap.services.templates import new_journey, template_names
    from journeymap.storage import open_database

    db = open_database(tmp_path / "demo.db")
    wanted = {p.id for t in template_names() for p in new_journey(template=t).live_personas()}
    set_up(db, with_evidence=False)
    again = set_up(db, with_evidence=False)
    assert not [m for m in again.made if m.startswith("persona")]
    with db.read() as uow:
        kept = {r.persona_id: r.data for r in uow.personas.of(DEMO_WORKSPACE)}
    assert set(kept) == wanted and "hannah" in kept and kept["hannah"]["name"] == "Hannah"
    db.dispose()
