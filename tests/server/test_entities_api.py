"""The entity routes end to end on a real database: create, read, patch and delete each kind,
If-Match (428, 412 with the current representation, two writers), roles, and field errors."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from .conftest import Site
from .journey_helpers import new_journey, share_link

# kind's URL segment -> (create body, the created value, patch body, the patched value)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    "personas": (
        {"name": "Pat", "segment": "Small shops"},
        {
            "id": "pat",
            "name": "Pat",
            "segment": "Small shops",
            "quote": None,
            "description": None,
            "goals": [],
            "needs": [],
            "frustrations": [],
            "behaviours": [],
            "data_sources": [],
            "match": None,
        },
        {"name": "Patricia", "goals": ["Buy fast"]},
        {"name": "Patricia", "goals": ["Buy fast"]},
    ),
    "channels": (
        {"id": "kiosk", "name": "Kiosk", "mode": "physical"},
        {"id": "kiosk", "name": "Kiosk", "mode": "physical", "aliases": []},
        {"aliases": ["booth"]},
        {"aliases": ["booth"]},
    ),
    "stages": (
        {"name": "Loyalty"},
        {"id": "loyalty", "name": "Loyalty", "description": None, "entry_events": None},
        {"description": "They come back."},
        {"description": "They come back."},
    ),
    "steps": (
        {"stage": "awareness", "name": "Search"},
        {"id": "search", "name": "Search", "description": None, "stage": "awareness"},
        {"stage": "decision"},
        {"stage": "decision"},
    ),
    "sections": (
        {"name": "Support"},
        {"id": "support", "name": "Support", "description": None},
        {"name": "Service"},
        {"name": "Service"},
    ),
    "lanes": (
        {"section": "business", "name": "Risks", "kind": "pain_points"},
        {
            "id": "risks",
            "name": "Risks",
            "kind": "pain_points",
            "description": None,
            "service_contact": False,
            "section": "business",
        },
        {"section": "persona"},
        {"section": "persona"},
    ),
    "cards": (
        {"kind": "pain_point", "stage": "awareness", "lane": "pains", "text": "Fees appear late"},
        {
            "id": "fees-appear-late",
            "kind": "pain_point",
            "stage": "awareness",
            "step": None,
            "lane": "pains",
            "text": "Fees appear late",
            "details": None,
            "confidence": "assumed",
            "evidence": [],
            "tags": [],
            "severity": 3,
            "frequency": None,
        },
        {"stage": "decision", "text": "Fees appear at checkout", "severity": 5},
        {"stage": "decision", "text": "Fees appear at checkout", "severity": 5},
    ),
    "emotions": (
        {"stage": "awareness", "score": -1.5},
        {
            "id": "feel-awareness",
            "stage": "awareness",
            "step": None,
            "card": None,
            "score": -1.5,
            "note": None,
            "confidence": "assumed",
        },
        {"score": 1.0, "note": "Relieved"},
        {"score": 1.0, "note": "Relieved"},
    ),
}
KIND = {
    "personas": "persona",
    "channels": "channel",
    "stages": "stage",
    "steps": "step",
    "sections": "section",
    "lanes": "lane",
    "cards": "card",
    "emotions": "emotion",
}


@pytest.mark.parametrize("collection", list(CASES))
def test_create_read_patch_and_delete_each_kind(site: Site, collection: str) -> None:
    c, auth = site.client, site.auth()
    jid = new_journey(site)
    create, created, change, changed = CASES[collection]
    url = f"/api/journeys/{jid}/{collection}"
    made = c.post(url, json=create, headers=auth)
    assert made.status_code == 201, made.text
    ident = created["id"]
    assert made.headers["etag"] == '"r2"'
    assert made.headers["location"] == f"{url}/{ident}"
    assert made.json() == {"entity": KIND[collection], "id": ident, "rev": 2, "value": created}

    got = c.get(f"{url}/{ident}", headers=auth)
    assert got.status_code == 200 and got.headers["etag"] == '"r2"'
    assert got.json()["value"] == created
    listed = c.get(url, headers=auth).json()
    assert listed["rev"] == 2 and ident in [item["id"] for item in listed["items"]]

    patched = c.patch(f"{url}/{ident}", json=change, headers={**auth, "If-Match": '"r2"'})
    assert patched.status_code == 200, patched.text
    assert patched.headers["etag"] == '"r3"'
    assert patched.json() == {
        "entity": KIND[collection],
        "id": ident,
        "rev": 3,
        "value": {**created, **changed},
    }
    assert c.get(f"{url}/{ident}", headers=auth).json()["value"] == {**created, **changed}

    assert c.delete(f"{url}/{ident}", headers=auth).status_code == 428
    stale = c.delete(f"{url}/{ident}", headers={**auth, "If-Match": '"r2"'})
    assert stale.status_code == 412 and stale.headers["etag"] == '"r3"'
    assert stale.json()["current"]["value"] == {**created, **changed}
    assert c.delete(f"{url}/{ident}", headers={**auth, "If-Match": '"r3"'}).status_code == 204
    gone = c.get(f"{url}/{ident}", headers=auth)
    assert gone.status_code == 404 and gone.headers["content-type"] == "application/problem+json"
    assert ident not in [item["id"] for item in c.get(url, headers=auth).json()["items"]]
    assert c.get(f"/api/journeys/{jid}", headers=auth).json()["rev"] == 4


def test_lists_come_in_map_order(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = new_journey(site)
    stages = c.get(f"/api/journeys/{jid}/stages", headers=auth).json()["items"]
    assert [s["id"] for s in stages] == ["awareness", "consideration", "decision"]
    first = c.post(
        f"/api/journeys/{jid}/stages?before=awareness", json={"name": "Need"}, headers=auth
    )
    assert first.status_code == 201
    stages = c.get(f"/api/journeys/{jid}/stages", headers=auth).json()["items"]
    assert [s["id"] for s in stages] == ["need", "awareness", "consideration", "decision"]
    lanes = c.get(f"/api/journeys/{jid}/lanes", headers=auth).json()["items"]
    assert [(ln["id"], ln["value"]["section"]) for ln in lanes] == [
        ("actions", "persona"),
        ("touchpoints", "persona"),
        ("thoughts", "persona"),
        ("feelings", "persona"),
        ("pains", "persona"),
        ("opportunities", "business"),
        ("metrics", "business"),
    ]
    for stage in ("decision", "awareness"):
        body = {"kind": "note", "stage": stage, "lane": "actions", "text": f"In {stage}"}
        assert c.post(f"/api/journeys/{jid}/cards", json=body, headers=auth).status_code == 201
    cards = c.get(f"/api/journeys/{jid}/cards", headers=auth).json()["items"]
    assert [card["id"] for card in cards] == ["awareness", "decision"]
    # moving a stage reorders without changing it, and moves its cards with it on the map
    moved = c.patch(
        f"/api/journeys/{jid}/stages/decision?before=need",
        json={},
        headers={**auth, "If-Match": '"r1"'},
    )
    assert moved.status_code == 200 and moved.json()["rev"] == 5
    cards = c.get(f"/api/journeys/{jid}/cards", headers=auth).json()["items"]
    assert [card["id"] for card in cards] == ["decision", "awareness"]


def test_a_card_moves_between_cells(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = new_journey(site)
    step = {"stage": "consideration", "name": "Compare"}
    assert c.post(f"/api/journeys/{jid}/steps", json=step, headers=auth).status_code == 201
    card = {"id": "n1", "kind": "note", "stage": "awareness", "lane": "actions", "text": "Hi"}
    assert c.post(f"/api/journeys/{jid}/cards", json=card, headers=auth).status_code == 201
    url = f"/api/journeys/{jid}/cards/n1"
    into_step = c.patch(url, json={"step": "compare"}, headers={**auth, "If-Match": '"r3"'})
    assert into_step.status_code == 200, into_step.text
    value = into_step.json()["value"]
    assert (value["stage"], value["step"], value["lane"]) == ("consideration", "compare", "actions")
    back = c.patch(
        url, json={"stage": "awareness", "lane": "thoughts"}, headers={**auth, "If-Match": '"r4"'}
    )
    value = back.json()["value"]
    assert (value["stage"], value["step"], value["lane"]) == ("awareness", None, "thoughts")
    unchanged = c.patch(url, json={"text": "Hi"}, headers={**auth, "If-Match": '"r5"'})
    assert unchanged.status_code == 200 and unchanged.json()["rev"] == 5  # nothing to write


def test_if_match_required_and_stale_with_the_current_representation(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = new_journey(site)
    url = f"/api/journeys/{jid}/stages/awareness"
    missing = c.patch(url, json={"name": "Notice"}, headers=auth)
    assert missing.status_code == 428 and '"r1"' in missing.json()["detail"]
    # another entity changing does not make this one's ETag stale
    other = c.patch(
        f"/api/journeys/{jid}/stages/decision",
        json={"name": "Buy"},
        headers={**auth, "If-Match": '"r1"'},
    )
    assert other.status_code == 200 and other.json()["rev"] == 2
    first = c.patch(url, json={"name": "Notice"}, headers={**auth, "If-Match": '"r1"'})
    assert first.status_code == 200 and first.headers["etag"] == '"r3"'
    second = c.patch(url, json={"name": "Discover"}, headers={**auth, "If-Match": '"r1"'})
    assert second.status_code == 412
    assert second.headers["etag"] == '"r3"'
    assert second.json()["current"] == {
        "entity": "stage",
        "id": "awareness",
        "rev": 3,
        "value": {
            "id": "awareness",
            "name": "Notice",
            "description": "The customer first learns about us.",
            "entry_events": None,
        },
    }
    again = c.patch(url, json={"name": "Discover"}, headers={**auth, "If-Match": '"r3"'})
    assert again.status_code == 200 and again.json()["value"]["name"] == "Discover"
    starred = c.patch(url, json={"description": "Found us"}, headers={**auth, "If-Match": "*"})
    assert starred.status_code == 200 and starred.json()["rev"] == 5


def test_two_writers_with_the_same_etag_one_wins_nothing_is_lost(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = new_journey(site)
    url = f"/api/journeys/{jid}/stages/awareness"

    def send(gate: threading.Barrier, answers: dict[str, Any], name: str, tag: str) -> None:
        gate.wait()
        answers[name] = c.patch(url, json={"name": name}, headers={**auth, "If-Match": tag})

    for round_ in range(5):
        tag = c.get(url, headers=auth).headers["etag"]
        gate = threading.Barrier(2)
        answers: dict[str, Any] = {}
        writers = [
            threading.Thread(target=send, args=(gate, answers, f"W{round_}{n}", tag)) for n in "ab"
        ]
        for w in writers:
            w.start()
        for w in writers:
            w.join()
        codes = sorted(a.status_code for a in answers.values())
        assert codes == [200, 412], {k: a.text for k, a in answers.items()}
        winner = next(k for k, a in answers.items() if a.status_code == 200)
        loser = next(a for a in answers.values() if a.status_code == 412)
        assert loser.json()["current"]["value"]["name"] == winner
        assert c.get(url, headers=auth).json()["value"]["name"] == winner
    assert c.get(f"/api/journeys/{jid}", headers=auth).json()["rev"] == 6  # five writes


def test_a_write_that_loses_the_race_after_its_check_gets_412(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The If-Match check is repeated under the journey's lock: a change committed between the
    check and the write still refuses it."""
    import journeymap.services.entities as entities
    from journeymap.services.journeys import apply_ops

    c, auth = site.client, site.auth()
    jid = new_journey(site)
    original = entities.write
    app: Any = c.app

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        op = {"kind": "rename", "entity": "stage", "id": "awareness", "name": "Theirs"}
        apply_ops(app.state.db, jid, None, [{"op_id": "other", "op": op}], 1)
        return original(*args, **kwargs)

    monkeypatch.setattr(entities, "write", meanwhile)
    url = f"/api/journeys/{jid}/stages/awareness"
    lost = c.patch(url, json={"name": "Mine"}, headers={**auth, "If-Match": '"r1"'})
    assert lost.status_code == 412, lost.text
    assert lost.headers["etag"] == '"r2"' and lost.json()["current"]["value"]["name"] == "Theirs"


def test_roles(site: Site) -> None:
    c = site.client
    jid = new_journey(site)
    viewer = site.auth(site.user("vera@example.com", "viewer"))
    commenter = site.auth(site.user("cora@example.com", "commenter"))
    editor = site.auth(site.user("eddie@example.com", "editor"))
    stranger = site.auth(site.user("sam@example.com", None))
    url = f"/api/journeys/{jid}/stages"
    one = f"{url}/awareness"
    for who in (viewer, commenter, editor, share_link(site, jid)):
        assert c.get(url, headers=who).status_code == 200
        assert c.get(one, headers=who).status_code == 200
    for who in (viewer, commenter):
        assert c.post(url, json={"name": "X"}, headers=who).status_code == 403
        refused = c.patch(one, json={"name": "X"}, headers={**who, "If-Match": '"r1"'})
        assert refused.status_code == 403 and "editor" in refused.json()["detail"]
        assert c.delete(one, headers={**who, "If-Match": '"r1"'}).status_code == 403
    shared = share_link(site, jid)
    assert c.post(url, json={"name": "X"}, headers=shared).status_code == 403
    assert c.get(url, headers=stranger).status_code == 404
    assert c.post(url, json={"name": "X"}, headers=stranger).status_code == 404
    assert c.get(url).status_code == 401
    assert c.post(url, json={"name": "X"}).status_code == 401
    assert c.patch(one, json={"name": "X"}, headers={"If-Match": '"r1"'}).status_code == 401
    assert c.post(url, json={"name": "By the editor"}, headers=editor).status_code == 201


def test_field_errors_name_the_field_and_the_fix(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = new_journey(site)
    url = f"/api/journeys/{jid}"
    typo = c.post(f"{url}/stages", json={"nme": "Loyalty"}, headers=auth)
    assert typo.status_code == 422
    assert typo.headers["content-type"] == "application/problem+json"
    assert typo.json()["errors"] == [
        {"field": "name", "message": "missing required field 'name'", "hint": "add `name: ...`"},
        {"field": "nme", "message": "unknown field 'nme'", "hint": "did you mean 'name'?"},
    ]
    card = {"kind": "pain_point", "stage": "awareness", "lane": "pains", "text": "x"}
    too_big = c.post(f"{url}/cards", json={**card, "severity": 9}, headers=auth)
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["field"] == "severity"
    no_lane = c.post(f"{url}/cards", json={**card, "lane": "nowhere"}, headers=auth)
    assert no_lane.status_code == 422 and "nowhere" in no_lane.json()["detail"]
    quote = c.post(f"{url}/cards", json={**card, "kind": "quote"}, headers=auth)
    assert quote.status_code == 422
    assert quote.json()["detail"] == (
        "a quote card cannot sit in lane 'pains' (a pain_points lane) "
        "(move it to lane 'actions', or change the card's kind)"
    )
    no_stage = c.post(f"{url}/steps", json={"name": "Orphan"}, headers=auth)
    assert no_stage.json()["errors"][0] == {
        "field": "stage",
        "message": "a step needs its stage",
        "hint": "give `stage`: the id of a stage",
    }
    nested = c.post(f"{url}/stages", json={"name": "S", "steps": []}, headers=auth)
    assert nested.status_code == 422 and nested.json()["errors"][0]["field"] == "steps"
    taken = c.post(f"{url}/steps", json={"id": "awareness", "stage": "decision", "name": "A"})
    assert taken.status_code == 401
    taken = c.post(
        f"{url}/steps", json={"id": "awareness", "stage": "decision", "name": "A"}, headers=auth
    )
    assert taken.status_code == 409 and "awareness" in taken.json()["detail"]
    rename_id = c.patch(
        f"{url}/stages/awareness", json={"id": "aware"}, headers={**auth, "If-Match": '"r1"'}
    )
    assert rename_id.status_code == 422 and rename_id.json()["errors"][0]["field"] == "id"
    assert c.post(f"{url}/cards", json=card, headers=auth).status_code == 201
    rekind = c.patch(f"{url}/cards/x", json={"kind": "note"}, headers={**auth, "If-Match": '"r2"'})
    assert rekind.status_code == 422 and rekind.json()["errors"][0]["field"] == "kind"
    internal = c.patch(
        f"{url}/cards/x", json={"order_key": "a0"}, headers={**auth, "If-Match": '"r2"'}
    )
    assert internal.status_code == 422 and internal.json()["errors"][0]["field"] == "order_key"
    missing = c.patch(f"{url}/cards/nope", json={"text": "y"}, headers={**auth, "If-Match": "*"})
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]
    assert c.get(f"{url}/personas/nope", headers=auth).status_code == 404
    assert c.get("/api/journeys/no-such-journey/cards", headers=auth).status_code == 404
    assert c.get(f"{url}", headers=auth).json()["rev"] == 2  # nothing else was written
