"""Workspaces and members over HTTP: create, rename and delete with If-Match, members who joined
by invitation with roles, a workspace always keeping an owner, leaving; on SQLite and
PostgreSQL where it touches what cascades. (Invitations themselves: test_invitations_api.py.)"""

from __future__ import annotations

from typing import Any

from .conftest import Site
from .helpers import any_site as any_site
from .helpers import join, new_journey


def _members(site: Site, auth: dict[str, str] | None = None) -> dict[str, str]:
    answer = site.client.get(
        f"/api/workspaces/{site.workspace}/members", headers=auth or site.auth()
    )
    assert answer.status_code == 200, answer.text
    return {m["email"]: m["role"] for m in answer.json()}


def test_rename_needs_the_current_etag(site: Site) -> None:
    c, auth, url = site.client, site.auth(), f"/api/workspaces/{site.workspace}"
    read = c.get(url, headers=auth)
    assert read.status_code == 200 and read.headers["etag"] == read.json()["etag"]
    tag = read.headers["etag"]
    assert c.patch(url, json={"name": "CX team"}, headers=auth).status_code == 428
    renamed = c.patch(url, json={"name": "CX team"}, headers={**auth, "If-Match": tag})
    assert renamed.status_code == 200 and renamed.json()["name"] == "CX team"
    assert renamed.headers["etag"] != tag
    stale = c.patch(url, json={"name": "Other"}, headers={**auth, "If-Match": tag})
    assert stale.status_code == 412 and stale.json()["current"]["name"] == "CX team"
    assert [w["name"] for w in c.get("/api/workspaces", headers=auth).json()] == ["CX team"]
    empty = c.patch(url, json={"name": ""}, headers={**auth, "If-Match": renamed.headers["etag"]})
    assert empty.status_code == 422 and "name" in empty.json()["detail"]


def test_members_and_the_last_owner(site: Site) -> None:
    c, auth, base = site.client, site.auth(), f"/api/workspaces/{site.workspace}/members"
    eve = site.auth(site.user("eve@example.com", None))
    assert c.get(f"/api/workspaces/{site.workspace}", headers=eve).status_code == 404
    eve_id = join(site, site.workspace, auth, eve, "viewer")
    assert _members(site, eve) == {"ada@example.com": "owner", "eve@example.com": "viewer"}
    invitations = f"/api/workspaces/{site.workspace}/invitations"
    twice = c.post(invitations, json={"email": "EVE@example.com", "role": "editor"}, headers=auth)
    assert twice.status_code == 409 and "member already" in twice.json()["detail"]
    assert c.patch(f"{base}/{eve_id}", json={"role": "owner"}, headers=auth).status_code == 200
    ada_id = c.get("/api/me", headers=auth).json()["id"]
    # Two owners: one may step down; then eve, the only owner, may neither step down nor leave.
    assert c.patch(f"{base}/{ada_id}", json={"role": "editor"}, headers=eve).status_code == 200
    last = c.patch(f"{base}/{eve_id}", json={"role": "viewer"}, headers=eve)
    assert last.status_code == 409 and "owner" in last.json()["detail"]
    assert c.delete(f"{base}/{eve_id}", headers=eve).status_code == 409
    # An editor may leave on their own.
    assert c.delete(f"{base}/{ada_id}", headers=auth).status_code == 204
    assert c.get(f"/api/workspaces/{site.workspace}", headers=auth).status_code == 404
    assert _members(site, eve) == {"eve@example.com": "owner"}


def test_deleting_a_workspace_takes_all_it_holds(any_site: Site) -> None:
    site = any_site
    c, auth, url = site.client, site.auth(), f"/api/workspaces/{site.workspace}"
    journey = new_journey(site)
    kept = c.post("/api/workspaces", json={"name": "Kept"}, headers=auth).json()["id"]
    other = c.post(
        f"/api/workspaces/{kept}/journeys", json={"framework": "three-stage"}, headers=auth
    ).json()["id"]
    c.post(f"/api/journeys/{journey}/comments", json=_comment(site, journey), headers=auth)
    link = c.post(f"/api/journeys/{journey}/share-links", json={}, headers=auth).json()["token"]
    viewer = site.auth(site.user("vic@example.com", "viewer"))
    tag = c.get(url, headers=auth).headers["etag"]
    assert c.delete(url, headers=viewer).status_code == 403
    assert c.delete(url, headers=auth).status_code == 428
    assert c.delete(url, headers={**auth, "If-Match": tag}).status_code == 204
    assert c.get(url, headers=auth).status_code == 404
    assert c.get(f"/api/journeys/{journey}", headers=auth).status_code == 404
    assert c.get(f"/api/journeys/{journey}", headers={"X-Share-Token": link}).status_code == 401
    assert c.get(f"/api/journeys/{other}", headers=auth).status_code == 200
    assert [w["id"] for w in c.get("/api/workspaces", headers=viewer).json()] == []
    app: Any = c.app
    with app.state.db.read() as uow:
        from sqlalchemy import func, select

        from journeymap.storage.models import CommentRow, EntityRow, OpRow

        left = {
            t.__tablename__: uow.session.scalar(
                select(func.count()).select_from(t).where(t.journey_id == journey)
            )
            for t in (EntityRow, OpRow, CommentRow)
        }
    assert left == {"journey_entities": 0, "op_log": 0, "comments": 0}


def _comment(site: Site, journey: str) -> dict[str, str]:
    doc = site.client.get(f"/api/journeys/{journey}", headers=site.auth()).json()["document"]
    return {"text": "Look", "target_kind": "stage", "target_id": doc["stages"][0]["id"]}
