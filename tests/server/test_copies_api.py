"""Duplicating a journey, a future-state copy linked to its current map, and importing a
journey file as an upload or a raw body."""

from __future__ import annotations

import json

from .conftest import Site
from .journey_helpers import new_journey, share_link

YAML = (
    "format_version: 1\nid: cafe\ntitle: Café visit\n"
    "stages: [{id: arrive, name: Arrive}, {id: order, name: Order}]\n"
    "sections: [{id: guest, name: Guest, lanes: [{id: does, name: Does}]}]\n"
    "cards: [{kind: note, stage: order, lane: does, text: Picks a crème brûlée}]\n"
)


def test_duplicate_is_a_new_journey_without_deleted_items(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = new_journey(site)
    gone = c.delete(f"/api/journeys/{jid}/stages/consideration", headers={**auth, "If-Match": "*"})
    assert gone.status_code == 204
    copy = c.post(f"/api/journeys/{jid}/duplicate", headers=auth)
    assert copy.status_code == 201, copy.text
    body = copy.json()
    assert body["id"] != jid and body["workspace_id"] == site.workspace and body["rev"] == 1
    assert copy.headers["etag"] == '"r1"'
    assert copy.headers["location"] == f"/api/journeys/{body['id']}"
    document = body["document"]
    assert (document["id"], document["title"], document["state"]) == (
        "new-journey-copy",
        "New journey (copy)",
        "current",
    )
    assert [s["id"] for s in document["stages"]] == ["awareness", "decision"]
    source = c.get(f"/api/journeys/{jid}", headers=auth).json()
    assert source["rev"] == 2 and source["document"]["title"] == "New journey"
    named = c.post(f"/api/journeys/{jid}/duplicate", json={"title": "Plan B"}, headers=auth)
    assert named.json()["document"]["title"] == "Plan B"
    library = c.get(f"/api/workspaces/{site.workspace}/journeys", headers=auth).json()
    assert library["total"] == 3


def test_future_state_links_to_its_current_map(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = new_journey(site)
    future = c.post(f"/api/journeys/{jid}/future-state", headers=auth)
    assert future.status_code == 201, future.text
    document = future.json()["document"]
    assert document["title"] == "New journey (future state)"
    assert (document["id"], document["state"], document["status"]) == (
        "new-journey-future",
        "future",
        "draft",
    )
    assert document["current_journey"] == jid
    summary = c.get(f"/api/workspaces/{site.workspace}/journeys", headers=auth).json()["items"]
    assert {(s["id"], s["state"]) for s in summary} == {
        (jid, "current"),
        (future.json()["id"], "future"),
    }
    again = c.post(f"/api/journeys/{future.json()['id']}/future-state", headers=auth)
    assert again.status_code == 422 and jid in again.json()["detail"]


def test_copy_roles_and_other_workspaces(site: Site) -> None:
    c = site.client
    jid = new_journey(site)
    viewer_token = site.user("vera@example.com", "viewer")
    viewer = site.auth(viewer_token)
    stranger = site.auth(site.user("sam@example.com", None))
    for route in ("duplicate", "future-state"):
        assert c.post(f"/api/journeys/{jid}/{route}", headers=viewer).status_code == 403
        assert c.post(f"/api/journeys/{jid}/{route}", headers=stranger).status_code == 404
        assert c.post(f"/api/journeys/{jid}/{route}").status_code == 401
        shared = c.post(f"/api/journeys/{jid}/{route}", headers=share_link(site, jid))
        assert shared.status_code == 401
    # the viewer copies it into a workspace of their own
    own = c.post("/api/workspaces", json={"name": "Vera's"}, headers=viewer).json()["id"]
    copied = c.post(f"/api/journeys/{jid}/duplicate", json={"workspace_id": own}, headers=viewer)
    assert copied.status_code == 201 and copied.json()["workspace_id"] == own
    # ... but not into one they do not belong to
    theirs = c.post("/api/workspaces", json={"name": "Sam's"}, headers=stranger).json()["id"]
    refused = c.post(
        f"/api/journeys/{jid}/duplicate", json={"workspace_id": theirs}, headers=viewer
    )
    assert refused.status_code == 404


def test_import_an_upload_or_a_raw_body(site: Site) -> None:
    c, auth = site.client, site.auth()
    url = f"/api/workspaces/{site.workspace}/journeys/import"
    upload = c.post(url, files={"file": ("cafe.yaml", YAML.encode())}, headers=auth)
    assert upload.status_code == 201, upload.text
    document = upload.json()["document"]
    assert document["title"] == "Café visit"
    # The API's journey: defaults sent, with each item's order key and revision.
    assert document["cards"] == [
        {"kind": "note", "id": "picks-creme-brulee", "lane": "does", "stage": "order",
         "text": "Picks a crème brûlée", "confidence": "assumed", "evidence": [], "tags": [],
         "order_key": "a0", "updated_rev": 1}
    ]  # fmt: skip
    assert upload.headers["etag"] == '"r1"'
    raw = c.post(
        url + "?title=Raw",
        content=YAML.encode(),
        headers={**auth, "Content-Type": "application/yaml"},
    )
    assert raw.status_code == 201 and raw.json()["document"]["title"] == "Raw"
    as_json = json.dumps({"format_version": 1, "id": "j", "title": "From JSON"}).encode()
    sent = c.post(url, content=as_json, headers={**auth, "Content-Type": "application/json"})
    assert sent.status_code == 201 and sent.json()["document"]["title"] == "From JSON"
    exported = c.get(f"/api/journeys/{upload.json()['id']}/export", headers=auth).text
    assert "crème brûlée" in exported


def test_import_refusals(site: Site) -> None:
    c, auth = site.client, site.auth()
    url = f"/api/workspaces/{site.workspace}/journeys/import"
    broken = c.post(
        url, files={"file": ("bad.yaml", b"format_version: 1\nid: x\ntitle: [\n")}, headers=auth
    )
    assert broken.status_code == 422 and broken.json()["detail"].startswith("bad.yaml:")
    invalid = c.post(
        url,
        content=b"format_version: 1\nid: x\ntitle: x\ncards: [{kind: nope}]\n",
        headers={**auth, "Content-Type": "application/yaml"},
    )
    assert invalid.status_code == 422 and "cards[0].kind" in invalid.json()["detail"]
    empty = c.post(url, content=b"  \n", headers={**auth, "Content-Type": "application/yaml"})
    assert empty.status_code == 422 and empty.json()["title"] == "Empty file"
    no_file = c.post(url, data={"note": "hi"}, files={"other": ("", b"")}, headers=auth)
    assert no_file.status_code == 422 and "`file`" in no_file.json()["detail"]
    latin = c.post(url, files={"file": ("l.yaml", b"title: caf\xe9")}, headers=auth)
    assert latin.status_code == 422 and "UTF-8" in latin.json()["detail"]
    huge = b"# " + b"x" * (5 * 1024 * 1024) + b"\n"
    too_big = c.post(url, content=huge, headers={**auth, "Content-Type": "application/yaml"})
    assert too_big.status_code == 413
    viewer = site.auth(site.user("vera@example.com", "viewer"))
    assert c.post(url, files={"file": ("c.yaml", YAML.encode())}, headers=viewer).status_code == 403
    stranger = site.auth(site.user("sam@example.com", None))
    assert c.post(url, content=YAML.encode(), headers=stranger).status_code == 404
    assert c.post(url, content=YAML.encode()).status_code == 401
    assert c.get(f"/api/workspaces/{site.workspace}/journeys", headers=auth).json()["total"] == 0
