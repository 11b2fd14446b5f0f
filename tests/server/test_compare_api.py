"""A current map and its future state: the pair, and the diff between the two journeys
(touchpoints added, removed and changed; pain points resolved), for those who read both."""

from __future__ import annotations

from typing import Any

from .conftest import Site
from .helpers import edit, new_journey
from .journey_helpers import share_link


def _card(kind: str, lane: str, stage: str, text: str, **more: Any) -> dict[str, Any]:
    value = {"kind": kind, "lane": lane, "stage": stage, "text": text, **more}
    return {"kind": "add", "entity": "card", "id": text.lower().replace(" ", "-"), "value": value}


def _pair(site: Site) -> tuple[str, str]:
    """A current map with two touchpoints and three pain points, and its future state."""
    jid = new_journey(site)
    rev = 1
    for n, op in enumerate(
        [
            _card("touchpoint", "touchpoints", "awareness", "Ad", channel="web"),
            _card("touchpoint", "touchpoints", "decision", "Phone call", channel="phone"),
            _card("pain_point", "pains", "decision", "Fees late"),
            _card("pain_point", "pains", "decision", "Slow form"),
            _card("pain_point", "pains", "awareness", "Confusing ad"),
        ]
    ):
        rev = edit(site, jid, rev, f"c{n}", op)
    made = site.client.post(f"/api/journeys/{jid}/future-state", headers=site.auth())
    assert made.status_code == 201, made.text
    return jid, str(made.json()["id"])


def test_compare_a_future_state_with_its_current_map(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid, fid = _pair(site)
    ops = [
        _card("touchpoint", "touchpoints", "decision", "Chat", channel="chat"),
        {"kind": "delete", "entity": "card", "id": "phone-call"},
        {"kind": "set", "entity": "card", "id": "ad", "field": "channel", "value": "email"},
        {"kind": "delete", "entity": "card", "id": "fees-late"},
        {
            "kind": "set",
            "entity": "card",
            "id": "slow-form",
            "field": "tags",
            "value": ["resolved"],
        },
        _card(
            "opportunity",
            "opportunities",
            "awareness",
            "Clear ad",
            status="done",
            pain_points=["confusing-ad"],
        ),
    ]
    rev = 1
    for n, op in enumerate(ops):
        rev = edit(site, fid, rev, f"f{n}", op)

    pair = c.get(f"/api/journeys/{fid}/compare", headers=auth)
    assert pair.status_code == 200, pair.text
    body = pair.json()
    assert (body["from_journey"]["id"], body["to_journey"]["id"]) == (jid, fid)
    assert body["changed"] is True
    assert [t["id"] for t in body["touchpoints_added"]] == ["chat"]
    assert [t["id"] for t in body["touchpoints_removed"]] == ["phone-call"]
    assert [(t["id"], t["changes"]) for t in body["touchpoints_changed"]] == [("ad", ["changed"])]
    assert body["touchpoints_added"][0]["stage"] == "Decision and post-purchase"
    resolved = {p["id"]: p["how"] for p in body["pain_points_resolved"]}
    assert resolved == {
        "fees-late": "removed from the newer map",
        "slow-form": "marked resolved",
        "confusing-ad": "eased by the done opportunity 'Clear ad'",
    }
    # the journeys' own ids, titles and states differ by design: not listed as changes
    assert body["diff"]["journey"] == []
    assert any("'chat' added" in line for line in body["summary"])
    # from the current map, the default is the same comparison; naming the pair too
    assert c.get(f"/api/journeys/{jid}/compare", headers=auth).json() == body
    assert c.get(f"/api/journeys/{jid}/compare/{fid}", headers=auth).json() == body
    # the other way round, what the future added is removed
    back = c.get(f"/api/journeys/{fid}/compare/{jid}", headers=auth).json()
    assert [t["id"] for t in back["touchpoints_removed"]] == ["chat"]


def test_counterparts_name_the_other_half(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid, fid = _pair(site)
    mine = c.get(f"/api/journeys/{jid}/counterparts", headers=auth).json()
    assert mine["current"] is None and [f["id"] for f in mine["futures"]] == [fid]
    theirs = c.get(f"/api/journeys/{fid}/counterparts", headers=auth).json()
    assert theirs["current"]["id"] == jid and theirs["futures"] == []
    assert theirs["current"]["state"] == "current"


def test_a_journey_without_a_counterpart_says_what_to_do(site: Site) -> None:
    jid = new_journey(site)
    alone = site.client.get(f"/api/journeys/{jid}/compare", headers=site.auth())
    assert alone.status_code == 404
    assert "future-state" in alone.json()["detail"]


def test_compare_needs_both_journeys_readable(site: Site) -> None:
    c = site.client
    jid, fid = _pair(site)
    # a journey in a workspace the viewer is not a member of
    outsider = site.user("olga@example.com", None)
    theirs = c.post("/api/workspaces", json={"name": "Olga's"}, headers=site.auth(outsider))
    made = c.post(
        f"/api/workspaces/{theirs.json()['id']}/journeys",
        json={"framework": "three-stage", "title": "Private"},
        headers=site.auth(outsider),
    )
    other = made.json()["id"]
    viewer = site.auth(site.user("vera@example.com", "viewer"))
    assert c.get(f"/api/journeys/{fid}/compare", headers=viewer).status_code == 200
    refused = c.get(f"/api/journeys/{jid}/compare/{other}", headers=viewer)
    assert refused.status_code == 404 and other in refused.json()["detail"]
    assert c.get(f"/api/journeys/{other}/compare/{jid}", headers=viewer).status_code == 404
    assert c.get(f"/api/journeys/{jid}/compare/{fid}").status_code == 401
    # a share link opens one journey: it cannot read the other half
    link = share_link(site, fid)
    assert c.get(f"/api/journeys/{fid}/compare/{jid}", headers=link).status_code == 404
    pair = c.get(f"/api/journeys/{fid}/counterparts", headers=link).json()
    assert pair == {"current": None, "futures": []}
