"""Saved views end to end: saved by any member, shared by editors, listed per person, changed
and deleted with If-Match, checked against the journey; a share link opens none of them."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Site
from .helpers import any_site as any_site
from .helpers import cast, check_access, new_journey


def _journey(site: Site) -> tuple[str, list[str]]:
    jid = new_journey(site, framework=None, template="online-store-checkout")
    doc = site.client.get(f"/api/journeys/{jid}", headers=site.auth()).json()["document"]
    return jid, [ln["id"] for s in doc["sections"] for ln in s["lanes"]]


def _save(site: Site, jid: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    made = site.client.post(f"/api/journeys/{jid}/views", json=body, headers=headers)
    assert made.status_code == 201, made.text
    assert made.headers["etag"] == made.json()["etag"]
    return dict(made.json())


def test_save_list_change_delete(any_site: Site) -> None:
    site = any_site
    c, people = site.client, cast(site)
    jid, lanes = _journey(site)
    url = f"/api/journeys/{jid}/views"
    settings = {"hidden_lanes": lanes[:2], "channels": ["web"], "zoom": 0.75}
    mine = _save(site, jid, people.viewer, name="Two lanes off", settings=settings)
    assert mine["settings"] == {
        "hidden_sections": [],
        "hidden_lanes": lanes[:2],
        "channels": ["web"],
        "teams": [],
        "personas": [],
        "zoom": 0.75,
    }
    assert (mine["shared"], mine["mine"], mine["owner_name"]) == (False, True, "vic")
    team = _save(site, jid, people.editor, name="Team", shared=True)
    listed = c.get(url, headers=people.viewer).json()
    assert [(v["name"], v["mine"]) for v in listed] == [("Team", False), ("Two lanes off", True)]
    assert [v["name"] for v in c.get(url, headers=people.commenter).json()] == ["Team"]

    # Changing needs If-Match: none is 428, an old one 412 with the view as it is.
    body = {"name": "Renamed", "settings": {"hidden_lanes": lanes[:1]}}
    assert c.put(f"{url}/{mine['id']}", json=body, headers=people.viewer).status_code == 428
    done = c.put(
        f"{url}/{mine['id']}", json=body, headers={**people.viewer, "If-Match": mine["etag"]}
    )
    assert done.status_code == 200, done.text
    assert done.json()["settings"]["hidden_lanes"] == lanes[:1]
    assert done.json()["settings"]["zoom"] is None
    stale = c.put(
        f"{url}/{mine['id']}", json=body, headers={**people.viewer, "If-Match": mine["etag"]}
    )
    assert stale.status_code == 412
    # A viewer may not share; nobody but its owner changes a view.
    share = {**body, "shared": True}
    refused = c.put(
        f"{url}/{mine['id']}",
        json=share,
        headers={**people.viewer, "If-Match": done.json()["etag"]},
    )
    assert refused.status_code == 403 and "needs an editor" in refused.json()["detail"]
    theirs = c.put(
        f"{url}/{team['id']}", json=body, headers={**people.owner, "If-Match": team["etag"]}
    )
    assert theirs.status_code == 403 and "only eve" in theirs.json()["detail"]
    # Deleting: the owner of a view, or a workspace owner for a shared one.
    gone = c.delete(f"{url}/{team['id']}", headers={**people.owner, "If-Match": team["etag"]})
    assert gone.status_code == 204
    gone = c.delete(
        f"{url}/{mine['id']}", headers={**people.viewer, "If-Match": done.json()["etag"]}
    )
    assert gone.status_code == 204
    assert c.get(url, headers=people.viewer).json() == []


def test_who_reaches_views(site: Site) -> None:
    people = cast(site)
    jid, _ = _journey(site)
    check_access(site, people, "GET", f"/api/journeys/{jid}/views", "viewer")
    check_access(site, people, "POST", f"/api/journeys/{jid}/views", "viewer", {"name": "x"})
    # A share link reads the journey, not the team's views.
    link = site.client.post(f"/api/journeys/{jid}/share-links", json={}, headers=site.auth())
    shared = {"X-Share-Token": link.json()["token"]}
    assert site.client.get(f"/api/journeys/{jid}", headers=shared).status_code == 200
    answer = site.client.get(f"/api/journeys/{jid}/views", headers=shared)
    assert answer.status_code == 404 and "team's own" in answer.json()["detail"]


def test_bad_views_are_refused_naming_the_field(site: Site) -> None:
    jid, lanes = _journey(site)
    url = f"/api/journeys/{jid}/views"
    for body, field in [
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x", "settings": {"hidden_lanes": ["nope"]}}, "settings.hidden_lanes"),
        ({"name": "x", "settings": {"zoom": 0}}, "zoom"),
        ({"name": "x", "settings": {"colour": "red"}}, "colour"),
        ({"name": "x", "settings": {"channels": ["a"] * 201}}, "channels"),
    ]:
        answer = site.client.post(url, json=body, headers=site.auth())
        assert answer.status_code == 422, (body, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert field in answer.text, (body, answer.text)
    _save(site, jid, site.auth(), name="Once", settings={"hidden_lanes": lanes[:1]})
    twice = site.client.post(url, json={"name": "Once"}, headers=site.auth())
    assert twice.status_code == 409 and "already" in twice.json()["detail"]
    nothing = site.client.put(
        f"{url}/nope", json={"name": "x"}, headers={**site.auth(), "If-Match": "*"}
    )
    assert nothing.status_code == 404


def test_saved_views_from_python(site: Site) -> None:
    import journeymap
    from journeymap.client import ClientError

    jid, lanes = _journey(site)
    with journeymap.Client("http://testserver", site.token, http=site.client) as client:
        made = client.save_view(jid, "Two lanes off", {"hidden_lanes": lanes[:2], "zoom": 0.5})
        assert made.settings.hidden_lanes == lanes[:2] and made.mine
        changed = client.update_view(made, shared=True)
        assert changed.shared and changed.settings.zoom == 0.5 and changed.name == made.name
        assert [v.id for v in client.views(jid)] == [made.id]
        with pytest.raises(ClientError) as stale:
            client.delete_view(made)  # read before the change: 412
        assert stale.value.status == 412
        client.delete_view(changed)
        assert client.views(jid) == []
