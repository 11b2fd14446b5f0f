"""GET /api/shared: the page at a share link's address (/shared/<token>) learns which journey
the token opens, and nothing else about the workspace."""

from __future__ import annotations

from .conftest import Site
from .helpers import new_journey


def _token(site: Site, jid: str) -> tuple[str, str]:
    made = site.client.post(f"/api/journeys/{jid}/share-links", json={}, headers=site.auth())
    assert made.status_code == 201, made.text
    return made.json()["token"], made.json()["id"]


def test_a_share_token_names_its_journey(site: Site) -> None:
    jid = new_journey(site)
    token, _ = _token(site, jid)
    answer = site.client.get("/api/shared", headers={"X-Share-Token": token})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"journey_id": jid}
    opened = site.client.get(f"/api/journeys/{jid}", headers={"X-Share-Token": token})
    assert opened.status_code == 200


def test_only_a_live_link_opens_anything(site: Site) -> None:
    c = site.client
    jid = new_journey(site)
    token, link = _token(site, jid)
    for headers in ({}, site.auth()):  # signed out, and a member: no link, nothing to name
        answer = c.get("/api/shared", headers=headers)
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
        assert "X-Share-Token" in answer.json()["detail"]
    assert (
        c.delete(f"/api/journeys/{jid}/share-links/{link}", headers=site.auth()).status_code == 204
    )
    revoked = c.get("/api/shared", headers={"X-Share-Token": token})
    assert revoked.status_code == 401 and "revoked" in revoked.json()["detail"]


def test_a_deleted_journey_is_gone_for_its_links_too(site: Site) -> None:
    c = site.client
    jid = new_journey(site)
    token, _ = _token(site, jid)
    rev = c.get(f"/api/journeys/{jid}", headers=site.auth()).json()["rev"]
    gone = c.delete(f"/api/journeys/{jid}", headers={**site.auth(), "If-Match": f'"r{rev}"'})
    assert gone.status_code == 204
    assert c.get("/api/shared", headers={"X-Share-Token": token}).status_code == 404
