"""The journey library: free text anywhere on the live map, persona, stage, status, state and
owner filters, sorting and pages, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from .conftest import Site
from .helpers import any_site as any_site
from .helpers import edit


def _make(site: Site, **body: Any) -> str:
    made = site.client.post(
        f"/api/workspaces/{site.workspace}/journeys", json=body, headers=site.auth()
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _found(site: Site, query: str = "", **params: Any) -> list[str]:
    answer = site.client.get(
        f"/api/workspaces/{site.workspace}/journeys{query}", params=params, headers=site.auth()
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] >= len(body["items"])
    return [item["id"] for item in body["items"]]


def test_search_and_filters_on_both_engines(any_site: Site) -> None:
    site = any_site
    store = _make(site, template="online-store-checkout")
    car = _make(site, template="car-purchase")
    blank = _make(site, framework="see-think-do", title="100% blank_map")
    # Free text reaches card text, not only titles ("late" shipping fees are on a pain card),
    # in any case, every word must be there.
    assert _found(site, q="SHIPPING fees") == [store]
    assert _found(site, q="shipping seven-seat") == []
    assert set(_found(site)) == {store, car, blank}
    # LIKE's wildcards in a query are plain characters.
    assert _found(site, q="100%") == [blank]
    assert _found(site, q="k_m") == [blank]
    assert _found(site, q="_") == [blank]
    # Persona and stage by id or by name, whole words only, any case.
    assert _found(site, persona="hannah") == [car]
    assert _found(site, persona="HANNAH") == [car]
    assert _found(site, persona="hann") == []
    assert set(_found(site, stage="think")) == {car, blank}
    assert _found(site, stage="Decision") == [store]
    assert _found(site, status="live") == []
    assert set(_found(site, state="current")) == {store, car, blank}


def test_edits_are_searchable_at_once_and_deleted_cards_are_not(site: Site) -> None:
    jid = _make(site, framework="three-stage")
    assert _found(site, q="zeppelin") == []
    doc = site.client.get(f"/api/journeys/{jid}", headers=site.auth()).json()["document"]
    stage, lane = doc["stages"][0]["id"], doc["sections"][0]["lanes"][0]["id"]
    card = {"kind": "note", "id": "zep", "stage": stage, "lane": lane, "text": "A Zeppelin ride"}
    rev = edit(site, jid, 1, "add", {"kind": "add", "entity": "card", "value": card})
    assert _found(site, q="zeppelin ride") == [jid]
    rev = edit(site, jid, rev, "rm", {"kind": "delete", "entity": "card", "id": "zep"})
    assert _found(site, q="zeppelin") == []
    # Renaming a stage moves the stage filter with it; the old name no longer matches.
    rename = {"kind": "rename", "entity": "stage", "id": stage, "name": "Dream"}
    rev = edit(site, jid, rev, "mv", rename)
    assert _found(site, stage="dream") == [jid]
    rev = edit(site, jid, rev, "mv2", {**rename, "name": "Wake"})
    assert _found(site, stage="wake") == [jid] and _found(site, stage="dream") == []
    # A change to the journey's header alone (its title) is searchable too.
    edit(
        site,
        jid,
        rev,
        "t",
        {"kind": "set", "entity": "journey", "field": "title", "value": "Ballooning"},
    )
    assert _found(site, q="ballooning") == [jid]


def test_pages_sorting_and_bad_filters(site: Site) -> None:
    ids = [_make(site, framework="three-stage", title=t) for t in ("b map", "C map", "a map")]
    assert _found(site, sort="title") == [ids[2], ids[0], ids[1]]  # case does not matter
    assert _found(site) == ids[::-1]  # newest change first
    edit(
        site, ids[0], 1, "t", {"kind": "set", "entity": "journey", "field": "owner", "value": "Ann"}
    )
    assert _found(site)[0] == ids[0]
    assert _found(site, owner="ann") == [ids[0]]
    page = site.client.get(
        f"/api/workspaces/{site.workspace}/journeys",
        params={"sort": "created", "limit": 2, "offset": 1},
        headers=site.auth(),
    ).json()
    assert page["total"] == 3 and [i["id"] for i in page["items"]] == [ids[1], ids[0]]
    for bad in ({"status": "done"}, {"sort": "size"}, {"limit": 0}, {"state": "past"}):
        answer = site.client.get(
            f"/api/workspaces/{site.workspace}/journeys", params=bad, headers=site.auth()
        )
        assert answer.status_code == 422, (bad, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert next(iter(bad)) in answer.json()["detail"]


def test_owners_and_titles_beyond_ascii_and_ids_in_free_text(any_site: Site) -> None:
    """SQL's lower() knows ASCII only on SQLite: the keys are lower-cased in Python."""
    site = any_site
    zeta = _make(site, framework="three-stage", title="zeta")
    accent = _make(
        site, document="format_version: 1\nid: abc-map\ntitle: Ábc\nstages: [{id: a, name: A}]\n"
    )
    edit(
        site,
        accent,
        1,
        "o",
        {"kind": "set", "entity": "journey", "field": "owner", "value": "Émile"},
    )
    assert _found(site, owner="Émile") == [accent] and _found(site, owner="ÉMILE") == [accent]
    assert _found(site, sort="title")[-1] == zeta  # Ábc sorts with the a's, not after z
    assert _found(site, q="abc-map") == [accent]  # the journey's own id is searched too


def test_each_summary_names_personas_review_date_and_last_editor(any_site: Site) -> None:
    site = any_site
    car = _make(site, template="car-purchase")
    blank = _make(site, framework="three-stage", title="No persona yet")
    doc = site.client.get(f"/api/journeys/{car}", headers=site.auth()).json()["document"]
    names = [p["name"] for p in doc["personas"]]
    assert names  # the template has its persona
    review = {"kind": "set", "entity": "journey", "field": "review_by", "value": "2027-03-31"}
    edit(site, car, 1, "review", review)
    listed = site.client.get(
        f"/api/workspaces/{site.workspace}/journeys", headers=site.auth()
    ).json()["items"]
    by_id = {item["id"]: item for item in listed}
    assert by_id[car]["personas"] == names
    assert by_id[car]["review_by"] == "2027-03-31"
    assert by_id[car]["last_editor"] == "Ada"  # the display name, not the account's id
    assert by_id[blank]["personas"] == [] and by_id[blank]["review_by"] is None
    assert by_id[blank]["last_editor"] == "Ada"  # making it was the last change
