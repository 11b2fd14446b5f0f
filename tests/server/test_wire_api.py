"""The typed wire in the API's description: the journey with a card union mapping every card
kind, the operations as a union of all six kinds, typed evidence, diffs and history, refusals
naming the operation refused, how to sign in, and If-Match where a change needs it; and the
server's answers match what the description says."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from journeymap.domain.cards import CARD_TYPES
from journeymap.domain.entities import KINDS
from journeymap.domain.ordering import key_between
from journeymap.server.openapi import openapi_description

from .conftest import Site
from .helpers import edit, new_journey

SIX = {"add", "set", "rename", "move", "delete", "restore"}


@pytest.fixture(scope="module")
def described() -> dict[str, Any]:
    return openapi_description()


def _schemas(described: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = described["components"]["schemas"]
    return found


def _ref(name: str) -> str:
    return f"#/components/schemas/{name}"


def _mapped(schema: dict[str, Any], tag: str) -> dict[str, str]:
    assert schema["discriminator"]["propertyName"] == tag
    assert sorted(r["$ref"] for r in schema["oneOf"]) == sorted(
        schema["discriminator"]["mapping"].values()
    )
    mapping: dict[str, str] = schema["discriminator"]["mapping"]
    return mapping


def _const(schemas: dict[str, Any], ref: str, field: str) -> Any:
    model = schemas[ref.rsplit("/", 1)[1]]
    assert field in model["required"], (ref, field)
    return model["properties"][field]["const"]


def _validator(described: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        {"$ref": _ref(name), "components": described["components"]}
    )


def test_the_journey_has_a_card_union_mapping_every_card_kind(described: dict[str, Any]) -> None:
    schemas = _schemas(described)
    journey = schemas["Journey"]
    assert journey["properties"]["cards"]["items"] == {"$ref": _ref("Card")}
    cards = _mapped(schemas["Card"], "kind")
    assert set(cards) == set(CARD_TYPES)
    for kind, ref in cards.items():
        assert _const(schemas, ref, "kind") == kind
        own = set(CARD_TYPES[kind].model_fields) - {"deleted"}
        assert own | {"updated_rev"} == set(schemas[ref.rsplit("/", 1)[1]]["properties"])
    for name in ("Stage", "Step", "Section", "Lane", "Persona", "Channel", "EmotionPoint"):
        item = schemas[name]
        assert {"id", "order_key", "updated_rev"} <= set(item["required"]), name
        assert item["properties"]["order_key"]["readOnly"] is True
    assert schemas["Stage"]["properties"]["steps"]["items"] == {"$ref": _ref("Step")}
    assert {"updated_rev", "title", "stages", "cards"} <= set(journey["required"])
    assert "owner" not in journey["required"]  # a null field is left out of the answer
    public = schemas["JourneyPublic"]["properties"]["document"]
    assert public["$ref"] == _ref("Journey")


def test_the_operations_are_a_union_of_all_six_kinds(described: dict[str, Any]) -> None:
    schemas = _schemas(described)
    assert schemas["OpItem"]["properties"]["op"]["$ref"] == _ref("Operation")
    ops = _mapped(schemas["Operation"], "kind")
    assert set(ops) == SIX
    adds = _mapped(schemas[ops["add"].rsplit("/", 1)[1]], "entity")
    assert set(adds) == {k.name for k in KINDS}
    add_card = schemas[adds["card"].rsplit("/", 1)[1]]
    assert add_card["properties"]["value"]["$ref"] == _ref("NewCard")
    assert set(_mapped(schemas["NewCard"], "kind")) == set(CARD_TYPES)
    add_step = schemas[adds["step"].rsplit("/", 1)[1]]
    step_value = schemas[add_step["properties"]["value"]["$ref"].rsplit("/", 1)[1]]
    assert "stage" in step_value["required"] and "order_key" not in step_value["properties"]
    sets = _mapped(schemas[ops["set"].rsplit("/", 1)[1]], "entity")
    assert set(sets) == {k.name for k in KINDS} | {"journey"}
    card_fields = schemas[sets["card"].rsplit("/", 1)[1]]["properties"]["field"]["enum"]
    assert {"severity", "channel", "unit", "text", "tags"} <= set(card_fields)
    assert not {"id", "kind", "stage", "lane", "order_key"} & set(card_fields)  # a move's
    journey_fields = schemas[sets["journey"].rsplit("/", 1)[1]]["properties"]["field"]["enum"]
    assert {"title", "status", "review_by"} <= set(journey_fields) and "id" not in journey_fields
    for kind in SIX - {"add", "set"}:
        assert _const(schemas, ops[kind], "kind") == kind
    logged = _mapped(schemas["LoggedOp"], "kind")
    assert set(logged) == SIX | {"create"}


def test_evidence_diffs_and_history_are_typed(described: dict[str, Any]) -> None:
    schemas = _schemas(described)
    stored = schemas["EvidencePublic"]["properties"]["data"]["anyOf"]
    assert {"$ref": _ref("EvidenceSet")} in stored
    assert schemas["EvidenceIn"]["properties"]["data"]["$ref"] == _ref("EvidenceSet")
    assert {"items", "journey", "period"} <= set(schemas["EvidenceSet"]["properties"])
    assert schemas["DiffPublic"]["properties"]["diff"]["$ref"] == _ref("JourneyDiff")
    diff = schemas["JourneyDiff"]["properties"]
    assert set(diff) == {"journey", *(k.collection for k in KINDS)}
    assert diff["cards"]["items"] == {"$ref": _ref("Change")}
    assert diff["journey"]["items"] == {"$ref": _ref("FieldChange")}
    assert schemas["Change"]["properties"]["change"]["enum"] == [
        "added",
        "removed",
        "restored",
        "moved",
        "renamed",
        "changed",
    ]
    ops = schemas["RevisionPublic"]["properties"]["ops"]["items"]
    assert ops == {"$ref": _ref("LoggedOp")}
    assert schemas["RevisionDocument"]["properties"]["document"]["$ref"] == _ref("FileJourney")
    assert _mapped(schemas["FileCard"], "kind").keys() == CARD_TYPES.keys()


def test_signing_in_and_if_match_are_described(described: dict[str, Any]) -> None:
    schemes = described["components"]["securitySchemes"]
    assert schemes["session"] == {**schemes["session"], "in": "cookie", "name": "jm_session"}
    assert schemes["csrf"] == {**schemes["csrf"], "in": "header", "name": "X-CSRF-Token"}
    assert schemes["share"] == {**schemes["share"], "in": "header", "name": "X-Share-Token"}
    assert schemes["bearer"]["scheme"] == "bearer"
    paths = described["paths"]
    patch = paths["/api/journeys/{journey_id}"]["patch"]
    assert patch["security"] == [{"bearer": []}, {"session": [], "csrf": []}]
    assert "If-Match" in [p["name"] for p in patch["parameters"] if p["in"] == "header"]
    read = paths["/api/journeys/{journey_id}"]["get"]
    assert read["security"] == [{"bearer": []}, {"session": []}, {"share": []}]
    assert "security" not in paths["/api/session"]["post"]  # signing in needs nobody
    needing = {
        (path, method)
        for path, item in paths.items()
        for method, op in item.items()
        if "If-Match" in [p["name"] for p in op.get("parameters", [])]
    }
    assert ("/api/journeys/{journey_id}/restore", "post") in needing
    assert ("/api/journeys/{journey_id}/cards/{entity_id}", "patch") in needing
    assert all(method != "get" for _, method in needing)


def test_the_journey_answered_matches_its_description(
    site: Site, described: dict[str, Any]
) -> None:
    c, auth = site.client, site.auth()
    validator = _validator(described, "JourneyPublic")
    for template in ("online-store-checkout", "car-purchase", "tax-filing"):
        made = c.post(
            f"/api/workspaces/{site.workspace}/journeys", json={"template": template}, headers=auth
        )
        assert made.status_code == 201
        assert list(validator.iter_errors(made.json())) == []
        read = c.get(f"/api/journeys/{made.json()['id']}", headers=auth).json()
        assert list(validator.iter_errors(read)) == []
        assert read["document"] == made.json()["document"]


def test_order_keys_and_revisions_on_the_wire(site: Site) -> None:
    """A client orders as the server does, places a card between two with the key the server
    gives it, and sees which items an edit changed."""
    c, auth = site.client, site.auth()
    jid = new_journey(site, framework="three-stage")
    doc = c.get(f"/api/journeys/{jid}", headers=auth).json()["document"]
    stage, lane = doc["stages"][0]["id"], doc["sections"][0]["lanes"][0]["id"]
    cell = {"kind": "note", "stage": stage, "lane": lane}
    rev = 1
    for n, text in enumerate(("First", "Second")):
        op = {"kind": "add", "entity": "card", "id": f"c{n}", "value": {**cell, "text": text}}
        rev = edit(site, jid, rev, f"add{n}", op)
    doc = c.get(f"/api/journeys/{jid}", headers=auth).json()["document"]
    first, second = sorted(doc["cards"], key=lambda card: card["order_key"])
    between = key_between(first["order_key"], second["order_key"])
    op = {"kind": "add", "entity": "card", "id": "mid", "value": {**cell, "text": "Middle"}}
    rev = edit(site, jid, rev, "add-mid", {**op, "after": first["id"]})
    doc = c.get(f"/api/journeys/{jid}", headers=auth).json()["document"]
    cards = {card["id"]: card for card in doc["cards"]}
    assert cards["mid"]["order_key"] == between
    ordered = sorted(doc["cards"], key=lambda card: card["order_key"])
    assert [card["id"] for card in ordered] == ["c0", "mid", "c1"]
    assert (
        cards["c0"]["updated_rev"],
        cards["c1"]["updated_rev"],
        cards["mid"]["updated_rev"],
    ) == (
        2,
        3,
        4,
    )
    assert doc["updated_rev"] == 1  # the journey's own fields are as made
    assert {s["updated_rev"] for s in doc["stages"]} == {1}
    edit(site, jid, rev, "t", {"kind": "set", "entity": "journey", "field": "title", "value": "T"})
    assert c.get(f"/api/journeys/{jid}", headers=auth).json()["document"]["updated_rev"] == 5


def test_a_refused_batch_names_the_operation(site: Site, described: dict[str, Any]) -> None:
    c, auth = site.client, site.auth()
    jid = new_journey(site)
    ok = {"kind": "set", "entity": "journey", "field": "title", "value": "New"}
    bad = {"kind": "delete", "entity": "stage", "id": "no-such-stage"}
    body = {"base_rev": 1, "ops": [{"op_id": "b1", "op": ok}, {"op_id": "b2", "op": bad}]}
    answer = c.post(f"/api/journeys/{jid}/ops", json=body, headers=auth)
    assert answer.status_code == 422
    assert answer.json()["op_id"] == "b2" and "no-such-stage" in answer.json()["detail"]
    assert list(_validator(described, "OpsRefused").iter_errors(answer.json())) == []
    refused = described["paths"]["/api/journeys/{journey_id}/ops"]["post"]["responses"]["422"]
    assert refused["content"]["application/problem+json"]["schema"] == {"$ref": _ref("OpsRefused")}


def test_history_diffs_and_revisions_match_their_description(
    site: Site, described: dict[str, Any]
) -> None:
    c, auth = site.client, site.auth()
    jid = new_journey(site)
    rev = edit(
        site, jid, 1, "t", {"kind": "set", "entity": "journey", "field": "title", "value": "T"}
    )
    edit(site, jid, rev, "r", {"kind": "rename", "entity": "stage", "id": "awareness", "name": "N"})
    for path, name in (
        ("/history", "HistoryPublic"),
        ("/diff?from=1", "DiffPublic"),
        ("/revisions/2", "RevisionDocument"),
    ):
        answer = c.get(f"/api/journeys/{jid}{path}", headers=auth)
        assert answer.status_code == 200, answer.text
        assert list(_validator(described, name).iter_errors(answer.json())) == [], path
