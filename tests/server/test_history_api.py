"""History routes end to end: the revisions (who, when, what), the journey at a revision, the
diff of two, restoring one as a new revision, named versions; and who may do each."""

from __future__ import annotations

from typing import Any

from .conftest import Site
from .helpers import any_site as any_site
from .helpers import cast, check_access, edit, new_journey, user_id

TITLE = {"kind": "set", "entity": "journey", "field": "title", "value": "Gifts"}
RENAME = {"kind": "rename", "entity": "stage", "id": "awareness", "name": "Notice"}


def _journey(site: Site) -> str:
    """A journey at rev 3: created, retitled 'Gifts', stage 'awareness' renamed 'Notice'."""
    jid = new_journey(site)
    assert edit(site, jid, 1, "t1", TITLE) == 2
    assert edit(site, jid, 2, "r1", RENAME) == 3
    return jid


def test_history_pages_newest_first_with_who_and_what(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid, ada = _journey(site), user_id(site, site.auth())
    page = c.get(f"/api/journeys/{jid}/history?limit=2", headers=auth).json()
    assert [i["rev"] for i in page["items"]] == [3, 2] and page["next_before"] == 2
    newest = page["items"][0]
    assert {k: newest[k] for k in ("actor", "actor_name", "note", "op_ids", "ops")} == {
        "actor": ada,
        "actor_name": "Ada",
        "note": None,
        "op_ids": ["r1"],
        "ops": [RENAME],
    }
    assert page["items"][1]["ops"] == [TITLE]
    assert newest["summary"].startswith("Renamed ")
    rest = c.get(f"/api/journeys/{jid}/history?before=2", headers=auth).json()
    assert [i["rev"] for i in rest["items"]] == [1] and rest["next_before"] is None
    assert rest["items"][0]["summary"] == "Created the journey"
    assert rest["items"][0]["note"] == "create" and rest["items"][0]["ops"][0]["kind"] == "create"
    bad = c.get(f"/api/journeys/{jid}/history?limit=0", headers=auth)
    assert bad.status_code == 422 and bad.json()["detail"].startswith("query.limit:")


def test_a_revision_is_the_journey_as_it_was(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = _journey(site)
    two = c.get(f"/api/journeys/{jid}/revisions/2", headers=auth)
    assert two.status_code == 200 and two.headers["etag"] == '"r2"'
    body = two.json()
    assert (body["rev"], body["current_rev"], body["document"]["title"]) == (2, 3, "Gifts")
    assert body["document"]["stages"][0] == {
        "id": "awareness",
        "name": "Awareness",
        "description": "The customer first learns about us.",
    }
    for rev in (9, 0):
        missing = c.get(f"/api/journeys/{jid}/revisions/{rev}", headers=auth)
        assert missing.status_code == 404
        assert missing.json()["detail"] == (
            f"revision {rev} does not exist: this journey has revisions 1 to 3"
        )
        assert missing.json()["revisions"] == {"first": 1, "last": 3}


def test_a_revision_as_the_map_draws_it(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = _journey(site)
    two = c.get(f"/api/journeys/{jid}/revisions/2/map", headers=auth)
    assert two.status_code == 200 and two.headers["etag"] == '"r2"'
    body = two.json()
    assert (body["rev"], body["current_rev"], body["document"]["title"]) == (2, 3, "Gifts")
    stage = body["document"]["stages"][0]
    assert (stage["name"], stage["steps"], stage["updated_rev"]) == ("Awareness", [], 2)
    assert "order_key" in stage  # the journey document's shape, not the file's
    assert c.get(f"/api/journeys/{jid}/revisions/4/map", headers=auth).status_code == 404
    outsider = site.auth(site.user("olga@example.com", None))
    assert c.get(f"/api/journeys/{jid}/revisions/2/map", headers=outsider).status_code == 404


def test_diff_of_two_revisions_defaults_to_the_current_one(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = _journey(site)
    got = c.get(f"/api/journeys/{jid}/diff?from=1", headers=auth).json()
    assert (got["from_rev"], got["to_rev"], got["changed"]) == (1, 3, True)
    assert got["summary"] == [
        "journey title: 'New journey' -> 'Gifts'",
        "stage 'awareness' renamed 'Notice'",
    ]
    assert got["diff"]["journey"] == [{"field": "title", "before": "New journey", "after": "Gifts"}]
    assert got["diff"]["stages"] == [
        {
            "entity": "stage",
            "id": "awareness",
            "change": "renamed",
            "label": "Notice",
            "fields": [{"field": "name", "before": "Awareness", "after": "Notice"}],
        }
    ]
    assert got["diff"]["cards"] == [] and got["diff"]["lanes"] == []
    one = c.get(f"/api/journeys/{jid}/diff?from=1&to=2", headers=auth).json()
    assert one["summary"] == ["journey title: 'New journey' -> 'Gifts'"]
    same = c.get(f"/api/journeys/{jid}/diff?from=3&to=3", headers=auth).json()
    assert same["changed"] is False and same["summary"] == []
    far = c.get(f"/api/journeys/{jid}/diff?from=1&to=7", headers=auth)
    assert far.status_code == 404 and "1 to 3" in far.json()["detail"]
    assert c.get(f"/api/journeys/{jid}/diff", headers=auth).status_code == 422


def _restore(site: Site, jid: str, rev: int, if_match: str | None, **body: Any) -> Any:
    headers = site.auth() | ({} if if_match is None else {"If-Match": if_match})
    return site.client.post(
        f"/api/journeys/{jid}/restore", json={"rev": rev, **body}, headers=headers
    )


def test_restore_is_a_new_revision_and_loses_nothing(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = _journey(site)
    done = _restore(site, jid, 1, '"r3"', op_id="back")
    assert done.status_code == 200 and done.json() == {"rev": 4, "restored": 1, "status": "applied"}
    # a retry (its answer was lost) sends the same ETag, stale now: its first answer comes back
    again = _restore(site, jid, 1, '"r3"', op_id="back")
    assert again.status_code == 200
    assert again.json() == {"rev": 4, "restored": 1, "status": "duplicate"}
    now = c.get(f"/api/journeys/{jid}", headers=auth).json()
    assert now["rev"] == 4 and now["document"]["title"] == "New journey"
    newest = c.get(f"/api/journeys/{jid}/history?limit=1", headers=auth).json()["items"][0]
    assert (newest["rev"], newest["note"], newest["op_ids"]) == (
        4,
        "restore rev 1",
        ["back", "back.2"],
    )
    kept = c.get(f"/api/journeys/{jid}/revisions/3", headers=auth).json()["document"]
    assert kept["title"] == "Gifts" and kept["stages"][0]["name"] == "Notice"
    noop = _restore(site, jid, 4, '"r4"')
    assert noop.json() == {"rev": 4, "restored": 4, "status": "unchanged"}
    missing = _restore(site, jid, 6, '"r4"')
    assert missing.status_code == 404
    assert (
        missing.json()["detail"] == "revision 6 does not exist: this journey has revisions 1 to 4"
    )


def test_restore_needs_if_match(site: Site) -> None:
    jid = _journey(site)
    without = _restore(site, jid, 1, None)
    assert without.status_code == 428
    assert without.json()["detail"].endswith('the current one is "r3"')
    stale = _restore(site, jid, 2, '"r2"')
    assert stale.status_code == 412 and stale.headers["etag"] == '"r3"'
    assert stale.json()["current"] == {"rev": 3}
    assert 'it is now "r3"' in stale.json()["detail"]
    # two editors restore from the same ETag: the first wins, the second is told
    first = _restore(site, jid, 1, '"r2", W/"r3"')
    assert first.json() == {"rev": 4, "restored": 1, "status": "applied"}
    second = _restore(site, jid, 2, '"r3"')
    assert second.status_code == 412 and second.json()["current"] == {"rev": 4}
    anything = _restore(site, jid, 2, "*")
    assert anything.json() == {"rev": 5, "restored": 2, "status": "applied"}
    assert site.client.get(f"/api/journeys/{jid}", headers=site.auth()).json()["rev"] == 5


def test_named_versions(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid, ada = _journey(site), user_id(site, site.auth())
    made = c.post(f"/api/journeys/{jid}/versions", json={"name": " Workshop March "}, headers=auth)
    assert made.status_code == 201
    assert {k: made.json()[k] for k in ("name", "rev", "actor")} == {
        "name": "Workshop March",
        "rev": 3,
        "actor": ada,
    }
    old = c.post(f"/api/journeys/{jid}/versions", json={"name": "Kick-off", "rev": 1}, headers=auth)
    assert old.status_code == 201 and old.json()["rev"] == 1
    twice = c.post(f"/api/journeys/{jid}/versions", json={"name": "Workshop March"}, headers=auth)
    assert twice.status_code == 409
    assert twice.json()["detail"] == "a version named 'Workshop March' exists; choose another name"
    missing = c.post(f"/api/journeys/{jid}/versions", json={"name": "X", "rev": 4}, headers=auth)
    assert missing.status_code == 404 and "1 to 3" in missing.json()["detail"]
    blank = c.post(f"/api/journeys/{jid}/versions", json={"name": "  "}, headers=auth)
    assert blank.status_code == 422
    listed = c.get(f"/api/journeys/{jid}/versions", headers=auth).json()
    assert [(v["name"], v["rev"]) for v in listed] == [("Workshop March", 3), ("Kick-off", 1)]


def test_who_may_read_and_change_history(site: Site) -> None:
    c, people = site.client, cast(site)
    jid = _journey(site)
    base = f"/api/journeys/{jid}"
    reads = ["/history", "/revisions/2", "/diff?from=1", "/versions"]
    for path in reads:
        check_access(site, people, "GET", base + path, "viewer")
        assert c.get(base + path, headers=people.viewer).status_code == 200, path
    check_access(site, people, "POST", base + "/restore", "editor", {"rev": 1})
    check_access(site, people, "POST", base + "/versions", "editor", {"name": "V"})
    done = c.post(base + "/restore", json={"rev": 1}, headers={**people.editor, "If-Match": '"r3"'})
    assert done.json()["rev"] == 4
    named = c.post(base + "/versions", json={"name": "V"}, headers=people.editor)
    assert named.status_code == 201 and named.json()["actor"] == user_id(site, people.editor)
    gone = c.get("/api/journeys/no-such-journey/history", headers=site.auth())
    assert gone.status_code == 404
    assert gone.json()["detail"] == "there is no journey 'no-such-journey' of yours"


def test_replay_restore_and_versions_on_both_engines(any_site: Site) -> None:
    c, auth = any_site.client, any_site.auth()
    jid = _journey(any_site)
    got = c.get(f"/api/journeys/{jid}/diff?from=1&to=3", headers=auth).json()
    assert got["summary"] == [
        "journey title: 'New journey' -> 'Gifts'",
        "stage 'awareness' renamed 'Notice'",
    ]
    assert _restore(any_site, jid, 1, None).status_code == 428
    assert _restore(any_site, jid, 2, '"r2"').json()["current"] == {"rev": 3}
    done = _restore(any_site, jid, 2, '"r3"')
    assert done.json() == {"rev": 4, "restored": 2, "status": "applied"}
    assert (
        c.get(f"/api/journeys/{jid}/revisions/4", headers=auth).json()["document"]
        == (c.get(f"/api/journeys/{jid}/revisions/2", headers=auth).json()["document"])
    )
    assert (
        c.post(f"/api/journeys/{jid}/versions", json={"name": "V"}, headers=auth).json()["rev"] == 4
    )
    assert (
        c.post(f"/api/journeys/{jid}/versions", json={"name": "V"}, headers=auth).status_code == 409
    )
