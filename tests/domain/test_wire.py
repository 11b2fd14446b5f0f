"""The typed wire (domain/wire.py, wire_ops.py) says what the domain does: every operation the
domain plans is one the wire describes and the other way round, the API's journey carries every
item's order key and revision and reads back to the same journey, and the journey file's form
differs from the API's exactly where it means to."""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from journeymap.domain.apply import apply_all
from journeymap.domain.cards import CARD_TYPES
from journeymap.domain.diff import ops_to
from journeymap.domain.document import journey_to_data
from journeymap.domain.entities import KIND, KINDS, TOP_LEVEL
from journeymap.domain.model import Journey
from journeymap.domain.operations import Operation as DomainOperation
from journeymap.domain.wire import (
    API_MODELS,
    FILE_MODELS,
    FileJourney,
    JourneyDoc,
    journey_document,
    journey_from_document,
)
from journeymap.domain.wire_ops import NEW_MODELS, LoggedOp, Operation
from journeymap.services.batches import dump_op
from journeymap.services.templates import new_journey

WIRE: TypeAdapter[Any] = TypeAdapter(Operation)
DOMAIN: TypeAdapter[Any] = TypeAdapter(DomainOperation)
TEMPLATES = ("online-store-checkout", "car-purchase", "tax-filing", "service-signup")


def _fields(model: Any) -> set[str]:
    """The fields a model describes (its JSON Schema's): bookkeeping it hides is not there."""
    return set(model.model_json_schema(mode="serialization")["properties"])


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_operation_the_domain_plans_is_a_typed_operation(template: str) -> None:
    """Building a template from nothing plans adds of every kind and sets of the journey's
    fields; editing it plans renames, moves, sets and deletes: each is a wire operation."""
    target = new_journey(template)
    empty = Journey(id=target.id, title="x")
    edited = apply_all(
        target,
        [
            DOMAIN.validate_python(op)
            for op in (
                {"kind": "rename", "entity": "stage", "id": target.stages[0].id, "name": "New"},
                {"kind": "delete", "entity": "card", "id": target.cards[0].id},
                {
                    "kind": "move",
                    "entity": "stage",
                    "id": target.stages[0].id,
                    "after": target.stages[-1].id,
                },
            )
        ],
    )
    planned = [*ops_to(empty, target), *ops_to(target, edited), *ops_to(edited, target)]
    kinds = {(op.kind, op.entity) for op in planned}
    assert {"add", "set", "rename", "move", "delete", "restore"} <= {k for k, _ in kinds}
    assert {e for k, e in kinds if k == "add"} >= {"stage", "step", "section", "lane", "card"}
    for op in planned:
        data = dump_op(op)
        WIRE.validate_python(data)  # raises, naming the field, if the wire would refuse it
        TypeAdapter(LoggedOp).validate_python(data)


def test_the_wire_refuses_what_the_domain_refuses() -> None:
    card = {"kind": "note", "stage": "s", "lane": "l", "text": "Hi"}
    good = [
        {"kind": "add", "entity": "card", "value": card},
        {"kind": "add", "entity": "step", "value": {"stage": "s", "name": "Pick"}},
        {"kind": "set", "entity": "card", "id": "c", "field": "severity", "value": 4},
        {"kind": "set", "entity": "journey", "field": "status", "value": "live"},
        {"kind": "move", "entity": "card", "id": "c", "lane": "l2"},
    ]
    for op in good:
        WIRE.validate_python(op)
        DOMAIN.validate_python(op)
    bad = [
        {"kind": "add", "entity": "card", "value": {**card, "kind": "nope"}},  # no such card
        {"kind": "add", "entity": "card", "value": {**card, "order_key": "a0"}},  # bookkeeping
        {"kind": "add", "entity": "step", "value": {"name": "Pick"}},  # a step names its stage
        {"kind": "set", "entity": "card", "id": "c", "field": "stage", "value": "s"},  # a move
        {"kind": "set", "entity": "journey", "field": "colour", "value": "red"},
        {"kind": "rename", "entity": "emotion", "id": "e", "name": "x"},  # has no name
        {"kind": "teleport", "entity": "card", "id": "c"},
    ]
    for op in bad:
        with pytest.raises(ValidationError):
            WIRE.validate_python(op)


def test_an_added_items_value_is_typed_per_entity() -> None:
    for kind in KINDS:
        new = NEW_MODELS[kind.name]
        if kind.name == "card":
            assert set(TypeAdapter(new).json_schema()["discriminator"]["mapping"]) == set(
                CARD_TYPES
            )
            continue
        fields = _fields(new)
        assert "order_key" not in fields and "deleted" not in fields
        assert kind.children not in fields  # added as items of their own
        if kind.parent:
            assert new.model_fields[kind.parent].is_required()


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_api_journey_carries_order_keys_and_revisions_and_reads_back(template: str) -> None:
    journey = new_journey(template)
    revs = {("card", journey.cards[0].id): 5, ("stage", journey.stages[0].id): 3}
    doc = journey_document(journey, lambda kind, ident: revs.get((kind, ident), 1))
    JourneyDoc.model_validate(doc)
    wire = json.loads(json.dumps(doc))
    assert wire["updated_rev"] == 1
    assert wire["stages"][0]["updated_rev"] == 3
    by_id = {c["id"]: c for c in wire["cards"]}
    assert by_id[journey.cards[0].id]["updated_rev"] == 5
    for card in journey.live_cards():
        assert by_id[card.id]["order_key"] == card.order_key
    for stage in journey.live_stages():
        sent = next(s for s in wire["stages"] if s["id"] == stage.id)
        assert [s["order_key"] for s in sent["steps"]] == [s.order_key for s in stage.steps]
    back = journey_from_document(wire)
    assert journey_to_data(back) == journey_to_data(journey)
    assert [c.order_key for c in back.live_cards()] == [c.order_key for c in journey.live_cards()]


def test_the_api_journey_leaves_out_tombstones_and_nulls() -> None:
    journey = new_journey("online-store-checkout")
    gone = journey.cards[0].id
    journey = apply_all(
        journey, [DOMAIN.validate_python({"kind": "delete", "entity": "card", "id": gone})]
    )
    doc = journey_document(journey, lambda kind, ident: 1)
    assert gone not in {c["id"] for c in doc["cards"]}
    assert all("deleted" not in c and None not in c.values() for c in doc["cards"])
    with pytest.raises(ValidationError):
        journey_from_document({**doc, "cards": [{"kind": "note", "id": "x"}]})


def test_the_file_and_the_api_differ_only_on_purpose() -> None:
    """The API's item = the file's item + order_key + updated_rev, with its id required; the
    file may leave any id out but the journey's, name a persona by id, carries its format."""
    for kind in KINDS:
        for model in kind.models:
            name = model.__name__
            api = API_MODELS[kind.name] if kind.name != "card" else _card(name)
            file = FILE_MODELS[name]
            assert _fields(api) == _fields(file) | {"order_key", "updated_rev"}, name
            assert (
                api.model_fields["id"].is_required() and not file.model_fields["id"].is_required()
            )
            own = {f for f in _fields(model) if f not in ("order_key", "deleted")}
            assert own <= _fields(file), f"{name} lost a field on the wire"
    assert _fields(JourneyDoc) == _fields(FileJourney) - {"format_version"} | {"updated_rev"}
    assert (
        JourneyDoc.model_fields["id"].is_required() and FileJourney.model_fields["id"].is_required()
    )
    file = {"format_version": 1, "id": "j", "title": "T", "personas": ["alex", {"name": "Bo"}]}
    FileJourney.model_validate(file)
    with pytest.raises(ValidationError):
        JourneyDoc.model_validate({**file, "updated_rev": 1})  # no bare ids, no format
    for template in TEMPLATES:
        FileJourney.model_validate(journey_to_data(new_journey(template)))


def test_each_list_of_the_journey_is_on_the_wire() -> None:
    for kind in TOP_LEVEL:
        assert kind.collection in JourneyDoc.model_fields
        assert kind.collection in FileJourney.model_fields
    assert KIND["stage"].children in API_MODELS["stage"].model_fields


def _card(name: str) -> type[BaseModel]:
    """One member of the API's Card union (a named, Annotated union of models)."""
    union = get_args(API_MODELS["card"].__value__)[0]
    return next(m for m in get_args(union) if m.__name__ == name)
