"""Share links end to end: made by an editor and shown once, listed without tokens, revoked;
and what a share token opens: that journey, for reading, and nothing else (not its comments)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .conftest import Site
from .helpers import any_site as any_site
from .helpers import cast, check_access, edit, new_journey, user_id


def _link(site: Site, jid: str, **body: Any) -> dict[str, Any]:
    made = site.client.post(f"/api/journeys/{jid}/share-links", json=body, headers=site.auth())
    assert made.status_code == 201, made.text
    return dict(made.json())


def test_make_list_and_revoke(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = new_journey(site)
    made = _link(site, jid, expires_in_days=7)
    token = made["token"]
    assert token.startswith("jm_") and made["url"] == f"/shared/{token}"
    assert made["prefix"] == token[:8] and made["revoked_at"] is None
    assert made["created_by"] == user_id(site, auth)
    expires = dt.datetime.fromisoformat(made["expires_at"]) - dt.datetime.fromisoformat(
        made["created_at"]
    )
    assert abs(expires - dt.timedelta(days=7)) < dt.timedelta(seconds=5)
    forever = _link(site, jid)
    assert forever["expires_at"] is None
    listed = c.get(f"/api/journeys/{jid}/share-links", headers=auth)
    assert [(i["id"], i["prefix"]) for i in listed.json()] == [
        (made["id"], made["prefix"]),
        (forever["id"], forever["prefix"]),
    ]
    assert token not in listed.text and "token" not in listed.json()[0]
    gone = c.delete(f"/api/journeys/{jid}/share-links/{made['id']}", headers=auth)
    assert gone.status_code == 204
    after = c.get(f"/api/journeys/{jid}/share-links", headers=auth).json()
    assert after[0]["revoked_at"] is not None and after[1]["revoked_at"] is None
    twice = c.delete(f"/api/journeys/{jid}/share-links/{made['id']}", headers=auth)
    assert twice.status_code == 404 and "revoked already" in twice.json()["detail"]
    bad = c.post(f"/api/journeys/{jid}/share-links", json={"expires_in_days": 0}, headers=auth)
    assert bad.status_code == 422 and bad.json()["detail"].startswith("expires_in_days:")


def test_a_share_token_reads_its_journey_and_nothing_else(site: Site) -> None:
    c = site.client
    jid, other = new_journey(site), new_journey(site, framework="three-stage", title="Other")
    edit(site, jid, 1, "t1", {"kind": "set", "entity": "journey", "field": "title", "value": "G"})
    shared = {"X-Share-Token": _link(site, jid)["token"]}
    for path in ("", "/export", "/history", "/revisions/1", "/diff?from=1", "/versions"):
        assert c.get(f"/api/journeys/{jid}{path}", headers=shared).status_code == 200, path
    assert c.get(f"/api/journeys/{jid}", headers=shared).json()["document"]["title"] == "G"
    writes = [
        ("POST", f"/api/journeys/{jid}/ops", {"base_rev": 2, "ops": [{"op_id": "x", "op": {}}]}),
        ("POST", f"/api/journeys/{jid}/restore", {"rev": 1}),
        ("POST", f"/api/journeys/{jid}/versions", {"name": "Mine"}),
        ("POST", f"/api/journeys/{jid}/share-links", {}),
        ("GET", f"/api/journeys/{jid}/share-links", None),
        ("DELETE", f"/api/journeys/{jid}", None),
    ]
    for method, path, body in writes:
        answer = c.request(method, path, json=body, headers=shared)
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["detail"].startswith("you are a viewer of this journey")
    for method, path in [
        ("GET", "/api/workspaces"),
        ("GET", "/api/me"),
        ("GET", f"/api/workspaces/{site.workspace}/journeys"),
        ("POST", "/api/workspaces"),
    ]:
        assert c.request(method, path, json={"name": "x"}, headers=shared).status_code == 401
    for path in ("", "/history", "/export", "/comments"):
        assert c.get(f"/api/journeys/{other}{path}", headers=shared).status_code == 404
    assert c.get("/api/journeys/nope", headers=shared).status_code == 404
    # the journey's own rev did not move
    assert c.get(f"/api/journeys/{jid}", headers=site.auth()).json()["rev"] == 2


def test_a_share_link_opens_no_comments(any_site: Site) -> None:
    """A link is for people outside the team; comment threads are the team's own discussion,
    with members' names and emails: a link gets 404 for them, as if they were not there."""
    c, auth = any_site.client, any_site.auth()
    jid = new_journey(any_site)
    on_stage = {"target_kind": "stage", "target_id": "awareness"}
    made = c.post(f"/api/journeys/{jid}/comments", json={**on_stage, "text": "@Ada"}, headers=auth)
    assert made.status_code == 201, made.text
    one = f"/api/journeys/{jid}/comments/{made.json()['id']}"
    shared = {"X-Share-Token": _link(any_site, jid)["token"], "If-Match": made.json()["etag"]}
    for method, path, body in [
        ("GET", f"/api/journeys/{jid}/comments", None),
        ("GET", f"/api/journeys/{jid}/comments?target_kind=stage&target_id=awareness", None),
        ("POST", f"/api/journeys/{jid}/comments", {**on_stage, "text": "hi"}),
        ("PATCH", one, {"text": "mine"}),
        ("DELETE", one, None),
    ]:
        answer = c.request(method, path, json=body, headers=shared)
        assert answer.status_code == 404, (method, path, answer.text)
        assert answer.json()["detail"] == (
            "a share link does not open the journey's comments: they are its team's own; "
            "sign in as a member of its workspace to read them"
        )
        assert "Ada" not in answer.text and "ada@example.com" not in answer.text
    assert c.get(f"/api/journeys/{jid}", headers=shared).status_code == 200  # the map it opens
    listed = c.get(f"/api/journeys/{jid}/comments", headers=auth).json()
    assert [x["text"] for x in listed] == ["@Ada"]  # nothing changed


def test_revoked_expired_and_unknown_links_are_refused(site: Site) -> None:
    c = site.client
    jid = new_journey(site)
    revoked, expired = _link(site, jid), _link(site, jid, expires_in_days=1)
    assert (
        c.delete(
            f"/api/journeys/{jid}/share-links/{revoked['id']}", headers=site.auth()
        ).status_code
        == 204
    )
    app: Any = c.app
    with app.state.db.write() as uow:  # a day and a second later
        for row in uow.access.share_links_of(jid):
            if row.id == expired["id"]:
                row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    # Whoever holds a revoked or expired link is told which; an unknown one learns nothing.
    for token, title, detail in (
        (revoked["token"], "Share link revoked", "this share link was revoked; ask whoever"),
        (expired["token"], "Share link expired", "this share link has expired; ask whoever"),
        ("jm_made-up", "Not signed in", "the share link is unknown, revoked or expired"),
    ):
        answer = c.get(f"/api/journeys/{jid}", headers={"X-Share-Token": token})
        assert answer.status_code == 401
        assert answer.json()["title"] == title
        assert answer.json()["detail"].startswith(detail)


def test_who_may_manage_share_links(site: Site) -> None:
    c, people = site.client, cast(site)
    jid = new_journey(site)
    base = f"/api/journeys/{jid}/share-links"
    link = _link(site, jid)
    check_access(site, people, "POST", base, "editor", {})
    check_access(site, people, "GET", base, "editor")
    check_access(site, people, "DELETE", f"{base}/{link['id']}", "editor")
    made = c.post(base, json={}, headers=people.editor)
    assert made.status_code == 201 and made.json()["created_by"] == user_id(site, people.editor)
    assert len(c.get(base, headers=people.editor).json()) == 2
    assert c.delete(f"{base}/{link['id']}", headers=people.editor).status_code == 204
    other = new_journey(site)
    wrong = c.delete(f"/api/journeys/{other}/share-links/{made.json()['id']}", headers=site.auth())
    assert wrong.status_code == 404


def test_expiry_on_both_engines(any_site: Site) -> None:
    c = any_site.client
    jid = new_journey(any_site)
    live, old = _link(any_site, jid, expires_in_days=1), _link(any_site, jid, expires_in_days=1)
    app: Any = c.app
    with app.state.db.write() as uow:
        for row in uow.access.share_links_of(jid):
            if row.id == old["id"]:
                row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert (
        c.get(f"/api/journeys/{jid}", headers={"X-Share-Token": live["token"]}).status_code == 200
    )
    assert c.get(f"/api/journeys/{jid}", headers={"X-Share-Token": old["token"]}).status_code == 401


def test_a_share_link_is_not_told_who_changed_the_map(site: Site) -> None:
    """A member reads the history with each author's id and name; a link (someone outside the
    team) gets the same revisions with neither. (Every route a link opens:
    tests/hostile/test_share_privacy.py.)"""
    c = site.client
    jid = new_journey(site)
    edit(site, jid, 1, "t1", {"kind": "set", "entity": "journey", "field": "title", "value": "G"})
    mine = c.get(f"/api/journeys/{jid}/history", headers=site.auth()).json()["items"]
    shared = {"X-Share-Token": _link(site, jid)["token"]}
    theirs = c.get(f"/api/journeys/{jid}/history", headers=shared)
    assert theirs.status_code == 200
    assert [r["actor_name"] for r in mine] == ["Ada", "Ada"]
    assert [r["actor_name"] for r in theirs.json()["items"]] == [None, None]
    assert [r["actor"] for r in theirs.json()["items"]] == [None, None]
    assert [r["rev"] for r in theirs.json()["items"]] == [r["rev"] for r in mine]
    assert "Ada" not in theirs.text and mine[0]["actor"] not in theirs.text
