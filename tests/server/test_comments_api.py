"""Comments end to end: threads on a card or a stage that exists, @mentions of members, edits
and resolving by the author only, deleting by the author or an owner, ETags and If-Match."""

from __future__ import annotations

from typing import Any

from journeymap.services.comments import find_mentions

from .conftest import Site
from .helpers import any_site as any_site
from .helpers import cast, check_access, edit, new_journey, user_id

CARD = {"target_kind": "card", "target_id": "sees-gift-post"}


def _journey(site: Site) -> str:
    return new_journey(site, framework=None, template="online-store-checkout")


def _post(site: Site, jid: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    made = site.client.post(f"/api/journeys/{jid}/comments", json=body, headers=headers)
    assert made.status_code == 201, made.text
    assert made.headers["etag"] == made.json()["etag"]
    return dict(made.json())


def test_find_mentions() -> None:
    members = [
        ("u1", "ann@example.com", "Ann"),
        ("u2", "lee@example.com", "Ann Lee"),
        ("u3", "bo@example.com", "Bo"),
    ]
    assert find_mentions("@Ann Lee, and @ann: see @BO@EXAMPLE.COM.", members) == ["u2", "u1", "u3"]
    assert find_mentions("mail ann@example.com or @Annie or @Bob or @nobody", members) == []
    assert find_mentions("(@bo) @bo again", members) == ["u3"]
    # An older name shaped like someone's email (names cannot hold @ now) never takes theirs.
    spoof = [("u4", "zed@example.com", "BO@EXAMPLE.COM"), *members]
    assert find_mentions("@bo@example.com", spoof) == ["u3"]


def test_display_names_hold_no_at(site: Site) -> None:
    for name in ("bo@example.com", "@Ann", "   "):
        answer = site.client.patch("/api/me", json={"display_name": name}, headers=site.auth())
        assert answer.status_code == 422 and "display_name" in answer.json()["detail"], name


def test_threads_on_cards_and_stages_with_mentions(site: Site) -> None:
    c, people = site.client, cast(site)
    jid = _journey(site)
    ada, eve, carl = (user_id(site, h) for h in (site.auth(), people.editor, people.commenter))
    text = "@Ada and @eve@example.com: ask @olga, @nobody, x@ada"
    first = _post(site, jid, people.commenter, text=text, **CARD)
    assert {k: first[k] for k in ("id", "parent_id", "author_id", "author_name", "text")} == {
        "id": 1,
        "parent_id": None,
        "author_id": carl,
        "author_name": "carl",
        "text": text,  # unknown mentions (and olga, of another workspace) stay as text
    }
    assert sorted((m["user_id"], m["display_name"]) for m in first["mentions"]) == sorted(
        [(ada, "Ada"), (eve, "eve")]
    )
    assert first["resolved_at"] is None and first["created_at"] == first["updated_at"]
    reply = _post(site, jid, site.auth(), text="done", parent_id=1)
    assert (reply["id"], reply["parent_id"], reply["target_kind"], reply["target_id"]) == (
        2,
        1,
        "card",
        "sees-gift-post",
    )
    stage = _post(
        site, jid, people.editor, text="rename?", target_kind="stage", target_id="decision"
    )
    on_card = c.get(
        f"/api/journeys/{jid}/comments?target_kind=card&target_id=sees-gift-post",
        headers=people.viewer,
    ).json()
    assert [(x["id"], x["parent_id"]) for x in on_card] == [(1, None), (2, 1)]
    every = c.get(f"/api/journeys/{jid}/comments", headers=people.viewer).json()
    assert [x["id"] for x in every] == [1, 2, stage["id"]]
    stages = c.get(f"/api/journeys/{jid}/comments?target_kind=stage", headers=people.viewer)
    assert [x["text"] for x in stages.json()] == ["rename?"]


def test_a_comment_needs_a_live_target(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = _journey(site)
    url = f"/api/journeys/{jid}/comments"

    def refused(body: dict[str, Any]) -> str:
        answer = c.post(url, json=body, headers=auth)
        assert answer.status_code == 422, answer.text
        return str(answer.json()["detail"])

    assert refused({"target_kind": "stage", "target_id": "nope", "text": "x"}) == (
        f"target_id: this journey has no stage 'nope' (it may have been deleted); "
        f"comment on one of its stages, as listed in GET /api/journeys/{jid}"
    )
    assert refused({"target_kind": "card", "target_id": "awareness", "text": "x"}).startswith(
        "target_id: this journey has no card 'awareness'"
    )
    assert refused({"target_kind": "lane", "target_id": "actions", "text": "x"}).startswith(
        "target_kind:"
    )
    assert refused({"text": "x"}) == ("target_id: give target_kind (card or stage) and target_id")
    assert refused({**CARD, "text": ""}).startswith("text:")
    assert refused({**CARD, "text": "x" * 10_001}).startswith("text:")
    assert c.post(url, json={**CARD, "text": "x" * 10_000}, headers=auth).status_code == 201
    first = _post(site, jid, auth, text="x", **CARD)
    assert refused(
        {"parent_id": first["id"], "target_kind": "stage", "target_id": "awareness", "text": "y"}
    ).startswith("target: a reply is on its parent's card 'sees-gift-post'")
    missing = c.post(url, json={"parent_id": 99, "text": "y"}, headers=auth)
    assert missing.status_code == 404
    edit(site, jid, 1, "d1", {"kind": "delete", "entity": "stage", "id": "awareness"})
    assert refused({**CARD, "text": "x"}).startswith(
        "target_id: this journey has no card 'sees-gift-post'"
    )  # the card is hidden under its deleted stage


def test_edit_resolve_and_delete_with_if_match(site: Site) -> None:
    c, people = site.client, cast(site)
    jid = _journey(site)
    mine = _post(site, jid, people.commenter, text="hello", **CARD)
    url = f"/api/journeys/{jid}/comments/{mine['id']}"
    assert c.patch(url, json={"text": "x"}, headers=people.commenter).status_code == 428
    stale = c.patch(url, json={"text": "x"}, headers={**people.commenter, "If-Match": '"r1"'})
    assert stale.status_code == 412 and stale.json()["current"]["text"] == "hello"
    tag = {"If-Match": mine["etag"]}
    edited = c.patch(url, json={"text": "hello @Ada"}, headers={**people.commenter, **tag})
    assert edited.status_code == 200 and edited.json()["text"] == "hello @Ada"
    assert [m["display_name"] for m in edited.json()["mentions"]] == ["Ada"]
    assert edited.headers["etag"] == edited.json()["etag"] != mine["etag"]
    old = c.patch(url, json={"resolved": True}, headers={**people.commenter, **tag})
    assert old.status_code == 412
    tag = {"If-Match": edited.json()["etag"]}
    resolved = c.patch(
        url, json={"resolved": True, "text": "bye"}, headers={**people.commenter, **tag}
    )
    assert resolved.json()["resolved_at"] is not None and resolved.json()["mentions"] == []
    empty = c.patch(url, json={}, headers={**people.commenter, **tag})
    assert empty.status_code == 422
    tag = {"If-Match": resolved.json()["etag"]}
    other = c.patch(url, json={"text": "mine now"}, headers={**site.auth(), **tag})
    assert other.status_code == 403
    assert other.json()["detail"] == "only the author of a comment may change it; reply instead"
    not_owner = c.delete(url, headers={**people.editor, **tag})
    assert not_owner.status_code == 403
    assert c.delete(url, headers=site.auth()).status_code == 428
    assert c.delete(url, headers={**site.auth(), **tag}).status_code == 204  # an owner
    assert c.get(f"/api/journeys/{jid}/comments", headers=site.auth()).json() == []
    assert c.delete(url, headers={**site.auth(), **tag}).status_code == 404
    own = _post(site, jid, people.commenter, text="again", **CARD)
    again = f"/api/journeys/{jid}/comments/{own['id']}"
    gone = c.delete(again, headers={**people.commenter, "If-Match": own["etag"]})
    assert gone.status_code == 204
    other_journey = _journey(site)
    assert c.get(f"/api/journeys/{other_journey}/comments", headers=site.auth()).json() == []
    wrong = c.patch(
        f"/api/journeys/{other_journey}/comments/{mine['id']}",
        json={"text": "x"},
        headers={**people.commenter, **tag},
    )
    assert wrong.status_code == 404


def test_who_may_comment(site: Site) -> None:
    c, people = site.client, cast(site)
    jid = _journey(site)
    base = f"/api/journeys/{jid}/comments"
    first = _post(site, jid, people.commenter, text="hi", **CARD)
    check_access(site, people, "GET", base, "viewer")
    check_access(site, people, "POST", base, "commenter", {**CARD, "text": "x"})
    check_access(site, people, "PATCH", f"{base}/{first['id']}", "commenter", {"text": "x"})
    check_access(site, people, "DELETE", f"{base}/{first['id']}", "commenter")
    assert c.get(base, headers=people.viewer).status_code == 200
    assert c.post(base, json={**CARD, "text": "x"}, headers=people.commenter).status_code == 201


def test_mentions_and_etags_on_both_engines(any_site: Site) -> None:
    c, auth = any_site.client, any_site.auth()
    eve = any_site.auth(any_site.user("eve@example.com", "editor"))
    jid = _journey(any_site)
    first = _post(any_site, jid, auth, text="@eve look", **CARD)
    assert [m["display_name"] for m in first["mentions"]] == ["eve"]
    listed = c.get(f"/api/journeys/{jid}/comments", headers=eve).json()
    assert listed[0]["etag"] == first["etag"]  # the marker survives the round trip
    url = f"/api/journeys/{jid}/comments/{first['id']}"
    edited = c.patch(url, json={"text": "@Ada only"}, headers={**auth, "If-Match": first["etag"]})
    assert edited.status_code == 200 and [m["display_name"] for m in edited.json()["mentions"]] == [
        "Ada"
    ]
    # Ada kept, eve mentioned again: the edit's mentions replace the old ones, once each
    both = c.patch(
        url,
        json={"text": "@Ada and @eve, @eve"},
        headers={**auth, "If-Match": edited.json()["etag"]},
    )
    assert both.status_code == 200
    listed = c.get(f"/api/journeys/{jid}/comments", headers=eve).json()
    assert sorted(m["display_name"] for m in listed[0]["mentions"]) == ["Ada", "eve"]
    assert listed[0] == both.json()
    gone = c.delete(url, headers={**auth, "If-Match": both.json()["etag"]})
    assert gone.status_code == 204
