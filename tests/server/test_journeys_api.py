"""The journey routes end to end on a real database: create, read with an ETag, the batch of
operations (idempotent, all or none), export, delete with If-Match."""

from __future__ import annotations

from typing import Any

from journeymap.files.journey_file import journey_from_text

from .conftest import Site
from .helpers import any_site as any_site
from .helpers import evidence_data, new_journey


def test_create_read_edit_export_and_delete(site: Site) -> None:
    c, auth = site.client, site.auth()
    made = c.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"template": "online-store-checkout"},
        headers=auth,
    )
    assert made.status_code == 201, made.text
    jid = made.json()["id"]
    got = c.get(f"/api/journeys/{jid}", headers=auth)
    assert (
        got.headers["etag"] == '"r1"' and got.json()["document"]["title"] == "Buying a gift online"
    )
    batch = {
        "base_rev": 1,
        "ops": [
            {
                "op_id": "a1",
                "op": {"kind": "set", "entity": "journey", "field": "title", "value": "Gifts"},
            },
            {
                "op_id": "a2",
                "op": {"kind": "rename", "entity": "stage", "id": "awareness", "name": "Notice"},
            },
        ],
    }
    done = c.post(f"/api/journeys/{jid}/ops", json=batch, headers=auth)
    assert done.status_code == 200, done.text
    assert done.json()["rev"] == 2 and [a["status"] for a in done.json()["acks"]] == ["applied"] * 2
    again = c.post(f"/api/journeys/{jid}/ops", json=batch, headers=auth)
    assert again.json()["status"] == "duplicate" and again.json()["rev"] == 2
    text = c.get(f"/api/journeys/{jid}/export", headers=auth)
    assert text.status_code == 200 and journey_from_text(text.text).title == "Gifts"
    library = c.get(f"/api/workspaces/{site.workspace}/journeys?q=gifts", headers=auth).json()
    assert library["total"] == 1 and library["items"][0]["id"] == jid
    assert c.delete(f"/api/journeys/{jid}", headers=auth).status_code == 428
    assert c.delete(f"/api/journeys/{jid}", headers={**auth, "If-Match": '"r1"'}).status_code == 412
    assert c.delete(f"/api/journeys/{jid}", headers={**auth, "If-Match": '"r2"'}).status_code == 204
    assert c.get(f"/api/journeys/{jid}", headers=auth).status_code == 404


def test_a_bad_batch_changes_nothing(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = c.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"framework": "three-stage"},
        headers=auth,
    ).json()["id"]
    bad = {
        "base_rev": 1,
        "ops": [
            {
                "op_id": "b1",
                "op": {"kind": "set", "entity": "journey", "field": "title", "value": "New"},
            },
            {"op_id": "b2", "op": {"kind": "delete", "entity": "stage", "id": "no-such-stage"}},
        ],
    }
    answer = c.post(f"/api/journeys/{jid}/ops", json=bad, headers=auth)
    assert answer.status_code == 422 and "no-such-stage" in answer.json()["detail"]
    assert c.get(f"/api/journeys/{jid}", headers=auth).json()["rev"] == 1
    imported = c.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={
            "document": "format_version: 1\nid: x\ntitle: x\nstages: [{id: a, name: A}]\n"
            "cards: [{kind: nope}]\n"
        },
        headers=auth,
    )
    assert imported.status_code == 422 and "cards[0].kind" in imported.json()["detail"]


def test_evidence_is_kept_beside_the_journey(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = c.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"framework": "three-stage"},
        headers=auth,
    ).json()["id"]
    missing = c.get(f"/api/journeys/{jid}/evidence", headers=auth)
    assert missing.status_code == 404 and "analyze --save" in missing.json()["detail"]
    data = evidence_data(
        items=[{"metric": "stage_customers", "target": "awareness", "value": 120, "n": 120}]
    )
    stored = c.put(f"/api/journeys/{jid}/evidence", json={"data": data}, headers=auth)
    assert stored.status_code == 200 and stored.json()["data"] == data
    assert c.get(f"/api/journeys/{jid}/evidence", headers=auth).json()["data"] == data
    bad = c.put(f"/api/journeys/{jid}/evidence", json={"data": {**data, "items": 3}}, headers=auth)
    assert bad.status_code == 422 and "data.items" in bad.json()["detail"]


def test_replacing_evidence_needs_its_etag(any_site: Site) -> None:
    c, auth = any_site.client, any_site.auth()
    jid = new_journey(any_site)
    url, first, second = (
        f"/api/journeys/{jid}/evidence",
        evidence_data(),
        evidence_data("2026-02-02T00:00:00Z"),
    )
    early = c.put(url, json={"data": first}, headers={**auth, "If-Match": '"r5"'})
    assert early.status_code == 412 and "without If-Match" in early.json()["detail"]
    made = c.put(url, json={"data": first}, headers=auth)
    assert made.status_code == 200 and made.headers["etag"] == made.json()["etag"]
    assert c.get(url, headers=auth).headers["etag"] == made.headers["etag"]
    assert c.put(url, json={"data": second}, headers=auth).status_code == 428
    tag = made.headers["etag"]
    replaced = c.put(url, json={"data": second}, headers={**auth, "If-Match": tag})
    assert replaced.status_code == 200 and replaced.headers["etag"] != tag
    stale = c.put(url, json={"data": first}, headers={**auth, "If-Match": tag})
    assert stale.status_code == 412 and stale.json()["current"]["data"] == second
    forced = c.put(url, json={"data": first}, headers={**auth, "If-Match": "*"})
    assert forced.status_code == 200 and c.get(url, headers=auth).json()["data"] == first


def test_a_read_opens_one_transaction_and_reads_the_row_once(any_site: Site) -> None:
    """Who calls, their role and the journey's revision come from one read of its row, in the
    transaction that found the caller (a busy map is read far more often than it changes)."""
    from sqlalchemy import event

    c, auth = any_site.client, any_site.auth()
    jid = new_journey(any_site)
    assert c.get(f"/api/journeys/{jid}", headers=auth).status_code == 200  # encoded, token noted
    app: Any = c.app
    engine = app.state.db.engine
    begun: list[int] = []
    journey_reads: list[str] = []

    def on_begin(_connection: Any) -> None:
        begun.append(1)

    def on_sql(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM journeys" in statement:
            journey_reads.append(statement)

    event.listen(engine, "begin", on_begin)
    event.listen(engine, "before_cursor_execute", on_sql)
    try:
        got = c.get(f"/api/journeys/{jid}", headers=auth)
    finally:
        event.remove(engine, "begin", on_begin)
        event.remove(engine, "before_cursor_execute", on_sql)
    assert got.status_code == 200 and got.headers["etag"] == '"r1"'
    assert (len(begun), len(journey_reads)) == (1, 1), journey_reads


def test_patch_the_journeys_own_fields_with_if_match(any_site: Site) -> None:
    c, auth = any_site.client, any_site.auth()
    made = c.post(
        f"/api/workspaces/{any_site.workspace}/journeys",
        json={"template": "online-store-checkout"},
        headers=auth,
    )
    jid, tag = made.json()["id"], made.headers["etag"]
    url = f"/api/journeys/{jid}"
    change = {"title": "Gift checkout", "status": "live", "owner": "Ann", "review_by": "2027-03-01"}
    assert c.patch(url, json=change, headers=auth).status_code == 428
    done = c.patch(url, json=change, headers={**auth, "If-Match": tag})
    assert done.status_code == 200, done.text
    doc = done.json()["document"]
    assert (doc["title"], doc["status"], doc["owner"], doc["review_by"]) == (
        "Gift checkout",
        "live",
        "Ann",
        "2027-03-01",
    )
    assert done.headers["etag"] == '"r2"' and done.json()["rev"] == 2
    # A card edit since r2 does not stand in the way of a header change sent with r2 ...
    edit = {"kind": "rename", "entity": "stage", "id": "awareness", "name": "Notice"}
    c.post(url + "/ops", json={"base_rev": 2, "ops": [{"op_id": "s", "op": edit}]}, headers=auth)
    cleared = c.patch(url, json={"owner": None}, headers={**auth, "If-Match": '"r2"'})
    assert cleared.status_code == 200 and "owner" not in cleared.json()["document"]
    # ... but a header change since does: 412 with the journey as it is now.
    stale = c.patch(url, json={"title": "Mine"}, headers={**auth, "If-Match": '"r2"'})
    assert stale.status_code == 412 and stale.headers["etag"] == '"r4"'
    assert stale.json()["current"]["document"]["title"] == "Gift checkout"
    for never in ('"r99"', "xyz", '"abc"', 'W/"r"'):
        answer = c.patch(url, json={"title": "Mine"}, headers={**auth, "If-Match": never})
        assert answer.status_code == 412, (never, answer.text)
    # The same values again change nothing; unknown fields and bad values are named.
    same = c.patch(url, json={"status": "live"}, headers={**auth, "If-Match": '"r4"'})
    assert same.status_code == 200 and same.json()["rev"] == 4
    for bad, field in (({"colour": "red"}, "colour"), ({"status": "done"}, "status")):
        answer = c.patch(url, json=bad, headers={**auth, "If-Match": '"r4"'})
        assert answer.status_code == 422 and field in answer.json()["detail"], answer.text
    future = c.patch(url, json={"state": "future"}, headers={**auth, "If-Match": '"r4"'})
    assert future.status_code == 422, future.text  # a future map names the map it improves
    assert c.get(url, headers=auth).json()["rev"] == 4
    forced = c.patch(url, json={"title": "Forced"}, headers={**auth, "If-Match": "*"})
    assert forced.status_code == 200 and forced.json()["document"]["title"] == "Forced"


def test_evidence_says_which_figures_the_journey_changed_under(site: Site) -> None:
    """Stale evidence is never served silently: after a binding changes, GET names it."""
    from journeymap.server.demo import demo_evidence
    from journeymap.services.templates import new_journey as template_journey

    from .helpers import edit

    c, auth = site.client, site.auth()
    made = c.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"template": "online-store-checkout"},
        headers=auth,
    ).json()
    jid = made["id"]
    measured = demo_evidence(template_journey(template="online-store-checkout"), events=3000)
    data = measured.model_dump(mode="json")
    assert c.put(f"/api/journeys/{jid}/evidence", json={"data": data}, headers=auth).is_success
    fresh = c.get(f"/api/journeys/{jid}/evidence", headers=auth).json()
    assert fresh["stale"] is None
    rebind = {
        "kind": "set",
        "entity": "card",
        "id": "friend-recommendation",
        "field": "events",
        "value": {"names": ["referral_visit", "newsletter_click"]},
    }
    edit(site, jid, made["rev"], "rebind-1", rebind)
    stale = c.get(f"/api/journeys/{jid}/evidence", headers=auth).json()["stale"]
    assert stale["touchpoints"] == ["friend-recommendation"]
    assert not stale["order"] and not stale["funnel"]
    assert "“A friend mentions the shop” changed" in stale["words"]
