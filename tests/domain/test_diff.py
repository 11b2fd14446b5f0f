"""diff: what changed between two journeys, entity by entity, checked on hand-made edits."""

from __future__ import annotations

import json
from typing import Any

from journeymap.domain.apply import apply_all
from journeymap.domain.diff import Change, FieldChange, diff, ops_to
from journeymap.domain.document import journey_to_data
from journeymap.domain.model import Journey
from journeymap.domain.operations import (
    AddOp,
    DeleteOp,
    MoveOp,
    Operation,
    RenameOp,
    RestoreOp,
    SetOp,
)


def edit(j: Journey, *ops: Operation) -> Journey:
    return apply_all(j, list(ops))


def _same(a: Journey, b: Journey) -> bool:
    return journey_to_data(a) == journey_to_data(b)


def F(field: str, before: Any, after: Any) -> FieldChange:
    return FieldChange(field, before, after)


# ---------------------------------------------------------------- hand-made edits


def test_no_change_is_an_empty_diff(small: Journey) -> None:
    d = diff(small, small)
    assert not d and d.changes == () and d.journey == () and d.summary() == []
    assert d.to_json() == {
        "journey": [],
        **{k: [] for k in ("personas", "channels", "stages", "steps", "sections", "lanes")},
        "cards": [],
        "emotions": [],
    }
    assert ops_to(small, small) == []


def test_journey_fields(small: Journey) -> None:
    after = edit(
        small,
        SetOp(entity="journey", field="title", value="Checkout"),
        SetOp(entity="journey", field="tags", value=["web"]),
        SetOp(entity="journey", field="review_by", value="2026-03-01"),
    )
    d = diff(small, after)
    assert d.journey == (
        F("title", "Small journey", "Checkout"),
        F("review_by", None, "2026-03-01"),
        F("tags", [], ["web"]),
    )
    assert d.changes == ()
    assert d.summary() == [
        "journey title: 'Small journey' -> 'Checkout'",
        "journey review_by: null -> '2026-03-01'",
        'journey tags: [] -> ["web"]',
    ]


def test_stages_renamed_changed_reordered_added_removed_restored(small: Journey) -> None:
    middle = edit(small, DeleteOp(entity="stage", id="awareness"))
    after = edit(
        middle,
        RenameOp(entity="stage", id="decision", name="Decide"),
        SetOp(entity="stage", id="decision", field="description", value="Pay up"),
        AddOp(entity="stage", id="loyalty", value={"name": "Loyalty"}, before="decision"),
    )
    d = diff(middle, after)
    assert d.of("stage") == [
        Change("stage", "loyalty", "added", "Loyalty"),
        Change("stage", "decision", "renamed", "Decide", (F("name", "Decision", "Decide"),)),
        Change("stage", "decision", "changed", "Decide", (F("description", None, "Pay up"),)),
    ]
    assert "stage 'decision' renamed 'Decide'" in d.summary()
    back = diff(after, edit(after, RestoreOp(entity="stage", id="awareness")))
    assert back.of("stage") == [Change("stage", "awareness", "restored", "Awareness")]
    # a restored stage brings its cards and emotion points back too
    assert [c.id for c in back.of("card")] == ["sees-ad", "ad"]
    assert [c.change for c in back.changes] == ["restored"] * 4
    moved = diff(small, edit(small, MoveOp(entity="stage", id="awareness", after="decision")))
    # one stage changed place: the other kept its order and is not reported
    assert moved.of("stage") == [
        Change("stage", "awareness", "moved", "Awareness", (F("position", 1, 2),))
    ]
    assert moved.summary() == ["stage 'awareness' moved from position 1 to 2"]
    assert diff(after, middle).of("stage")[-1] == Change("stage", "loyalty", "removed", "Loyalty")


def test_a_removed_stage_takes_its_steps_cards_and_emotion_points(small: Journey) -> None:
    d = diff(small, edit(small, DeleteOp(entity="stage", id="decision")))
    assert [(c.entity, c.id, c.change) for c in d.changes] == [
        ("stage", "decision", "removed"),
        ("step", "cart", "removed"),
        ("step", "delivery", "removed"),
        ("card", "fee", "removed"),
        ("card", "fee-upfront", "removed"),
        ("emotion", "feel-delivery", "removed"),
    ]


def test_steps_moved_to_another_stage_and_reordered(small: Journey) -> None:
    after = edit(
        small,
        MoveOp(entity="step", id="cart", stage="awareness"),
        MoveOp(entity="step", id="delivery", stage="awareness", before="cart"),
        RenameOp(entity="step", id="delivery", name="Shipping"),
    )
    d = diff(small, after)
    assert d.of("step") == [
        Change("step", "delivery", "moved", "Shipping", (F("stage", "decision", "awareness"),)),
        Change("step", "delivery", "renamed", "Shipping", (F("name", "Delivery", "Shipping"),)),
        Change("step", "cart", "moved", "Cart", (F("stage", "decision", "awareness"),)),
    ]
    assert d.summary()[:3] == [
        "step 'delivery' moved from Decision to Awareness",
        "step 'delivery' renamed 'Shipping'",
        "step 'cart' moved from Decision to Awareness",
    ]
    # the cards and emotion points in a step go with it: to another stage
    assert d.of("card")[0] == Change(
        "card", "fee", "moved", "Shipping fee appears late", (F("stage", "decision", "awareness"),)
    )
    reordered = diff(small, edit(small, MoveOp(entity="step", id="delivery", before="cart")))
    # of two items that swapped, the one that comes first now is taken to have stayed
    assert reordered.of("step") == [Change("step", "cart", "moved", "Cart", (F("position", 1, 2),))]


def test_sections_and_lanes(small: Journey) -> None:
    after = edit(
        small,
        MoveOp(entity="lane", id="pains", section="business", before="ideas"),
        SetOp(entity="lane", id="actions", field="description", value="Doing"),
        MoveOp(entity="section", id="business", before="persona"),
        SetOp(entity="section", id="business", field="description", value="Us"),
        AddOp(entity="lane", id="notes", value={"section": "persona", "name": "Notes"}),
    )
    d = diff(small, after)
    assert d.of("section") == [
        Change("section", "business", "changed", "Business", (F("description", None, "Us"),)),
        Change("section", "persona", "moved", "Persona", (F("position", 1, 2),)),
    ]
    assert d.of("lane") == [
        Change("lane", "pains", "moved", "Pain points", (F("section", "persona", "business"),)),
        Change("lane", "actions", "changed", "Actions", (F("description", None, "Doing"),)),
        Change("lane", "notes", "added", "Notes"),
    ]
    assert "lane 'pains' moved from Persona to Business" in d.summary()
    assert "lane 'notes' added in Persona" in d.summary()


def test_cards_every_kind_of_change(small: Journey) -> None:
    middle = edit(small, DeleteOp(entity="card", id="sees-ad"))
    after = edit(
        middle,
        MoveOp(entity="card", id="fee", step="cart"),
        SetOp(entity="card", id="fee", field="severity", value=2),
        SetOp(entity="card", id="fee", field="tags", value=["money"]),
        RenameOp(entity="card", id="ad", name="Video ad"),
        RestoreOp(entity="card", id="sees-ad"),
        DeleteOp(entity="card", id="fee-upfront"),
        AddOp(
            entity="card",
            id="late",
            value={
                "kind": "pain_point",
                "stage": "decision",
                "step": "cart",
                "lane": "pains",
                "text": "Slow",
            },
        ),
    )
    d = diff(middle, after)
    assert d.of("card") == [
        Change("card", "sees-ad", "restored", "Sees an ad"),
        Change("card", "ad", "renamed", "Video ad", (F("text", "Social ad", "Video ad"),)),
        Change(
            "card", "fee", "moved", "Shipping fee appears late", (F("step", "delivery", "cart"),)
        ),
        Change(
            "card",
            "fee",
            "changed",
            "Shipping fee appears late",
            (F("tags", [], ["money"]), F("severity", 5, 2)),
        ),
        Change("card", "late", "added", "Slow"),
        Change("card", "fee-upfront", "removed", "Show the fee in the cart"),
    ]
    assert d.summary() == [
        "card 'sees-ad' restored in Awareness / Actions",
        "card 'ad' renamed 'Video ad'",
        "card 'fee' moved from Delivery to Cart",
        "card 'fee' changed: tags [] -> [\"money\"]; severity 5 -> 2",
        "card 'late' added in Cart / Pain points",
        "card 'fee-upfront' removed",
    ]


def test_cards_moved_within_their_cell_and_to_another_lane(small: Journey) -> None:
    three = edit(
        small,
        *[
            AddOp(
                entity="card",
                id=f"n{i}",
                value={
                    "kind": "note",
                    "stage": "awareness",
                    "lane": "actions",
                    "text": f"Note {i}",
                },
            )
            for i in (1, 2, 3)
        ],
    )
    # sees-ad n1 n2 n3 -> n3 sees-ad n1 n2: one card moved, not four
    d = diff(three, edit(three, MoveOp(entity="card", id="n3", before="sees-ad")))
    assert d.of("card") == [Change("card", "n3", "moved", "Note 3", (F("position", 4, 1),))]
    assert d.summary() == ["card 'n3' moved from position 4 to 1 in Awareness / Actions"]
    across = diff(small, edit(small, MoveOp(entity="card", id="sees-ad", lane="touchpoints")))
    assert across.summary() == ["card 'sees-ad' moved from Actions to Touchpoints"]
    both = diff(
        small, edit(small, MoveOp(entity="card", id="sees-ad", stage="decision", step="cart"))
    )
    assert both.of("card")[0].fields == (
        F("stage", "awareness", "decision"),
        F("step", None, "cart"),
    )
    assert both.summary() == ["card 'sees-ad' moved from Awareness to Cart"]


def test_emotion_points(small: Journey) -> None:
    after = edit(
        small,
        SetOp(entity="emotion", id="feel-delivery", field="score", value=-2.0),
        SetOp(entity="emotion", id="feel-delivery", field="note", value=None),
        MoveOp(entity="emotion", id="feel-awareness", stage="decision", step="cart"),
        AddOp(entity="emotion", id="feel-decision", value={"stage": "decision", "score": 0.5}),
    )
    d = diff(small, after)
    # in the order of the map: the stage's own point, then its steps' points
    assert d.of("emotion") == [
        Change("emotion", "feel-decision", "added", "feel-decision"),
        Change(
            "emotion",
            "feel-awareness",
            "moved",
            "feel-awareness",
            (F("stage", "awareness", "decision"), F("step", None, "cart")),
        ),
        Change(
            "emotion",
            "feel-delivery",
            "changed",
            "feel-delivery",
            (F("score", -1.5, -2.0), F("note", "Tricked", None)),
        ),
    ]
    assert d.summary()[1] == "emotion point 'feel-awareness' moved from Awareness to Cart"
    gone = diff(small, edit(small, DeleteOp(entity="emotion", id="feel-awareness")))
    assert gone.summary() == ["emotion point 'feel-awareness' removed"]


def test_personas_and_channels(small: Journey) -> None:
    after = edit(
        small,
        RenameOp(entity="persona", id="alex", name="Alex"),
        SetOp(entity="persona", id="alex", field="goals", value=["Pay less"]),
        AddOp(entity="persona", id="sam", value={"name": "Sam"}, before="alex"),
        AddOp(entity="channel", id="kiosk", value={"name": "Kiosk", "mode": "physical"}),
    )
    d = diff(small, after)
    assert d.of("persona") == [
        Change("persona", "sam", "added", "Sam"),
        Change("persona", "alex", "renamed", "Alex", (F("name", None, "Alex"),)),
        Change("persona", "alex", "changed", "Alex", (F("goals", [], ["Pay less"]),)),
    ]
    assert d.of("channel") == [Change("channel", "kiosk", "added", "Kiosk")]
    later = edit(after, SetOp(entity="channel", id="kiosk", field="mode", value="digital"))
    assert diff(after, later).of("channel") == [
        Change("channel", "kiosk", "changed", "Kiosk", (F("mode", "physical", "digital"),))
    ]
    assert diff(later, small).of("channel") == [Change("channel", "kiosk", "removed", "Kiosk")]
    assert _same(apply_all(later, ops_to(later, small)), small)


def test_to_json_is_plain_data(small: Journey) -> None:
    after = edit(small, MoveOp(entity="card", id="fee", step="cart"))
    data = diff(small, after).to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["cards"] == [
        {
            "entity": "card",
            "id": "fee",
            "change": "moved",
            "label": "Shipping fee appears late",
            "fields": [{"field": "step", "before": "delivery", "after": "cart"}],
        }
    ]
    assert list(data) == [
        "journey",
        "personas",
        "channels",
        "stages",
        "steps",
        "sections",
        "lanes",
        "cards",
        "emotions",
    ]
