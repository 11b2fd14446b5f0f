"""Mentions of me (GET /api/me/mentions): the comments that @mention the caller, newest first,
with their journey and target; paginated; only journeys of workspaces the caller is in."""

from __future__ import annotations

from typing import Any

from .conftest import Site
from .helpers import any_site as any_site
from .helpers import cast, new_journey

CARD = {"target_kind": "card", "target_id": "sees-gift-post"}


def _post(site: Site, jid: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    made = site.client.post(f"/api/journeys/{jid}/comments", json=body, headers=headers)
    assert made.status_code == 201, made.text
    return dict(made.json())


def _mine(site: Site, headers: dict[str, str], query: str = "") -> dict[str, Any]:
    answer = site.client.get(f"/api/me/mentions{query}", headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_mentions_of_me_newest_first_with_journey_and_target(any_site: Site) -> None:
    site, people = any_site, cast(any_site)
    jid = new_journey(site, framework=None, template="online-store-checkout")
    first = _post(site, jid, people.commenter, text="@eve have a look", **CARD)
    _post(site, jid, people.commenter, text="no mention here", **CARD)
    stage = _post(
        site,
        jid,
        site.auth(),
        text="@eve@example.com rename?",
        target_kind="stage",
        target_id="decision",
    )
    reply = _post(site, jid, site.auth(), text="@eve agreed", parent_id=first["id"])

    page = _mine(site, people.editor)
    assert [m["comment_id"] for m in page["items"]] == [reply["id"], stage["id"], first["id"]]
    assert (page["total"], page["open"], page["limit"], page["offset"]) == (3, 3, 20, 0)
    top = page["items"][2]
    assert {k: top[k] for k in ("journey_id", "target_kind", "target_id", "author_name")} == {
        "journey_id": jid,
        "target_kind": "card",
        "target_id": "sees-gift-post",
        "author_name": "carl",
    }
    assert top["target_live"] and top["target_name"] and top["resolved_at"] is None
    assert page["items"][0]["parent_id"] == first["id"]
    assert page["items"][1]["target_name"] == "Decision"
    assert page["items"][1]["journey_title"]
    # No one else is mentioned in these.
    assert _mine(site, people.viewer)["items"] == []


def test_resolved_threads_and_pages(site: Site) -> None:
    people = cast(site)
    jid = new_journey(site, framework=None, template="online-store-checkout")
    made = [_post(site, jid, people.commenter, text=f"@eve {n}", **CARD) for n in range(5)]
    reply = _post(site, jid, site.auth(), text="@eve see above", parent_id=made[0]["id"])
    # The author resolves the first thread: it and its reply are resolved for eve.
    done = site.client.patch(
        f"/api/journeys/{jid}/comments/{made[0]['id']}",
        json={"resolved": True},
        headers={**people.commenter, "If-Match": made[0]["etag"]},
    )
    assert done.status_code == 200, done.text
    every = _mine(site, people.editor)
    assert (every["total"], every["open"]) == (6, 4)
    resolved = {m["comment_id"] for m in every["items"] if m["resolved_at"]}
    assert resolved == {made[0]["id"], reply["id"]}
    opened = _mine(site, people.editor, "?open=true")
    assert (opened["total"], opened["open"]) == (4, 4)
    assert [m["comment_id"] for m in opened["items"]] == [m["id"] for m in made[:0:-1]]
    one = _mine(site, people.editor, "?limit=2&offset=1")
    assert [m["comment_id"] for m in one["items"]] == [made[4]["id"], made[3]["id"]]
    assert (one["total"], one["limit"], one["offset"]) == (6, 2, 1)
    assert _mine(site, people.editor, f"?workspace_id={site.workspace}")["total"] == 6


def test_only_journeys_i_can_read(site: Site) -> None:
    people = cast(site)
    jid = new_journey(site, framework=None, template="online-store-checkout")
    _post(site, jid, people.commenter, text="@vic and @eve", **CARD)
    assert _mine(site, people.viewer)["total"] == 1
    # Vic leaves the workspace: the mention stays in the thread, but vic no longer reads it.
    vic = site.client.get("/api/me", headers=people.viewer).json()["id"]
    gone = site.client.delete(
        f"/api/workspaces/{site.workspace}/members/{vic}", headers=site.auth()
    )
    assert gone.status_code == 204, gone.text
    assert _mine(site, people.viewer)["items"] == []
    # A deleted journey's comments go with it.
    etag = site.client.get(f"/api/journeys/{jid}", headers=site.auth()).headers["etag"]
    deleted = site.client.delete(f"/api/journeys/{jid}", headers={**site.auth(), "If-Match": etag})
    assert deleted.status_code == 204, deleted.text
    assert _mine(site, people.editor)["total"] == 0


def test_bad_requests(site: Site) -> None:
    people = cast(site)
    c = site.client
    assert c.get("/api/me/mentions").status_code == 401
    for query in ("?limit=0", "?limit=101", "?offset=-1", "?open=maybe"):
        answer = c.get(f"/api/me/mentions{query}", headers=people.editor)
        assert answer.status_code == 422, query
        assert answer.headers["content-type"] == "application/problem+json"
    # A workspace the caller is not in is not there for them.
    elsewhere = c.get(f"/api/me/mentions?workspace_id={site.workspace}", headers=people.outsider)
    assert elsewhere.status_code == 404, elsewhere.text
