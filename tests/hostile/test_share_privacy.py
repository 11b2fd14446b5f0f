"""A share link is for people outside the team: every GET route it opens (found from the API's
own description, so a new route is walked too) answers without any member's name, email or id:
not in the history, the named versions, the evidence, a past revision, a diff, an entity, the
export or a poster. The same walk as a member finds them, so the search would see a leak."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.server.conftest import Site
from tests.server.helpers import evidence_data

MEMBERS = {  # email -> a display name found nowhere else
    "ada@example.com": "Adaline Featherstonehaugh",
    "zeynep@example.com": "Zeynep Quartermaine",
}


def _walk(site: Site, journey: str, headers: dict[str, str]) -> dict[str, Any]:
    """Every GET route a share link may open, called with `headers`: path -> answer."""
    c = site.client
    auth = site.auth()
    paths = c.get("/api/openapi.json").json()["paths"]
    routes = [
        path
        for path, methods in paths.items()
        if "get" in methods
        and (path.startswith("/api/journeys/{journey_id}") or path == "/api/shared")
    ]
    firsts: dict[str, str] = {}
    answers = {}
    for route in sorted(routes):
        collection = route.split("/")[4] if route.count("/") >= 4 else ""
        if "{entity_id}" in route and collection not in firsts:
            items = c.get(f"/api/journeys/{journey}/{collection}", headers=auth).json()["items"]
            firsts[collection] = items[0]["id"]
        url = route.format(
            journey_id=journey, other_id=journey, rev=1, entity_id=firsts.get(collection, "")
        )
        if route.endswith("/diff"):
            url += "?from=1"
        answers[route] = c.get(url, headers=headers)
    return answers


def test_no_member_is_named_anywhere_a_share_link_opens(make_site: Callable[..., Site]) -> None:
    site = make_site()
    c, auth = site.client, site.auth()
    zeynep = site.auth(site.user("zeynep@example.com", "editor"))
    for who in (auth, zeynep):
        me = c.get("/api/me", headers=who).json()
        assert c.patch("/api/me", json={"display_name": MEMBERS[me["email"]]}, headers=who)
    secrets = {
        *MEMBERS,
        *MEMBERS.values(),
        *(c.get("/api/me", headers=who).json()["id"] for who in (auth, zeynep)),
    }
    made = c.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"template": "online-store-checkout"},
        headers=zeynep,
    )
    journey = made.json()["id"]
    title = {"kind": "set", "entity": "journey", "field": "title", "value": "Buying a gift"}
    edited = c.post(
        f"/api/journeys/{journey}/ops",
        json={"base_rev": 1, "ops": [{"op_id": "t1", "op": title}]},
        headers=zeynep,
    )
    assert edited.status_code == 200, edited.text
    kiosk = c.post(f"/api/journeys/{journey}/channels", json={"name": "Kiosk"}, headers=zeynep)
    assert kiosk.status_code == 201, kiosk.text  # the template has no channel of its own
    assert c.post(f"/api/journeys/{journey}/versions", json={"name": "March"}, headers=auth)
    stored = c.put(
        f"/api/journeys/{journey}/evidence", json={"data": evidence_data()}, headers=zeynep
    )
    assert stored.status_code == 200, stored.text
    stage = c.get(f"/api/journeys/{journey}/stages", headers=auth).json()["items"][0]["id"]
    said = {"text": "Ask @Adaline Featherstonehaugh", "target_kind": "stage", "target_id": stage}
    assert c.post(f"/api/journeys/{journey}/comments", json=said, headers=zeynep)
    link = c.post(f"/api/journeys/{journey}/share-links", json={}, headers=auth).json()["token"]

    shared = _walk(site, journey, {"X-Share-Token": link})
    opened = {route for route, answer in shared.items() if answer.status_code == 200}
    for route, answer in shared.items():  # what it opens, and what it is refused, alike
        assert answer.status_code in (200, 403, 404), (route, answer.text[:300])
        seen = answer.content.decode("latin-1")
        leaked = {s for s in secrets if s in seen}
        assert not leaked, (route, leaked)
    base = "/api/journeys/{journey_id}"
    assert {
        "/api/shared",
        base,
        *(
            f"{base}/{tail}"
            for tail in ("export", "history", "versions", "evidence", "revisions/{rev}", "diff")
        ),
        *(f"{base}/render.{kind}" for kind in ("svg", "html", "png", "pdf")),
        f"{base}/cards/{{entity_id}}",
    } <= opened
    assert shared[f"{base}/comments"].status_code == 404  # the team's own
    # All but the team's own: comments, the links' list, saved views, the data sources, the
    # refresh, the found pain points; and the comparison with a counterpart it has none of.
    assert set(shared) - opened == {
        f"{base}/{tail}"
        for tail in (
            "comments",
            "share-links",
            "views",
            "sources",
            "refresh",
            "pain-points",
            "compare",
        )
    }

    # A member walking the same routes meets the members: the search finds what is there.
    member = _walk(site, journey, auth)
    everything = "".join(a.content.decode("latin-1") for a in member.values())
    assert all(s in everything for s in secrets - set(MEMBERS)), secrets
