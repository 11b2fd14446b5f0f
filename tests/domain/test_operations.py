"""Edit operations: each kind, its errors, and random edit sequences that keep a journey valid."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from journeymap.domain.apply import apply, apply_all
from journeymap.domain.checks import check_journey
from journeymap.domain.document import journey_from_data, journey_to_data
from journeymap.domain.errors import OperationError
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
from journeymap.files.journey_file import journey_from_text

from ..samples import SMALL


def stage_ids(j: Journey) -> list[str]:
    return [s.id for s in j.live_stages()]


def cell(j: Journey, stage: str, lane: str, step: str | None = None) -> list[str]:
    return [c.id for c in j.live_cards() if (c.stage, c.step, c.lane) == (stage, step, lane)]


def test_add_stage_between_others(small: Journey) -> None:
    j = apply(small, AddOp(entity="stage", value={"name": "Consideration"}, after="awareness"))
    assert stage_ids(j) == ["awareness", "consideration", "decision"]
    assert stage_ids(small) == ["awareness", "decision"]  # the original is untouched


def test_add_step_lane_and_card(small: Journey) -> None:
    j = apply_all(
        small,
        [
            AddOp(entity="step", value={"stage": "decision", "name": "Payment"}),
            AddOp(
                entity="lane",
                id="quotes",
                value={"section": "persona", "name": "Voice", "kind": "quotes"},
            ),
            AddOp(
                entity="card",
                value={
                    "kind": "quote",
                    "stage": "decision",
                    "step": "payment",
                    "lane": "quotes",
                    "text": "Too many steps!",
                },
            ),
        ],
    )
    assert [s.id for s in j.live_steps(j.live_stages()[1])] == ["cart", "delivery", "payment"]
    assert cell(j, "decision", "quotes", "payment") == ["too-many-steps"]


def test_cards_are_placed_before_and_after_siblings(small: Journey) -> None:
    j = small
    for text, where in (("b", {}), ("a", {"before": "b"}), ("c", {"after": "b"})):
        j = apply(
            j,
            AddOp(
                entity="card",
                id=text,
                value={"kind": "note", "stage": "awareness", "lane": "actions", "text": text},
                **where,
            ),
        )
    assert cell(j, "awareness", "actions") == ["sees-ad", "a", "b", "c"]


def test_rename_and_set(small: Journey) -> None:
    j = apply_all(
        small,
        [
            RenameOp(entity="stage", id="decision", name="Purchase"),
            RenameOp(entity="card", id="fee", name="Fee shown late"),
            SetOp(entity="card", id="fee", field="severity", value=4),
            SetOp(entity="card", id="ad", field="channel", value="Social media"),
            SetOp(entity="journey", field="status", value="live"),
        ],
    )
    assert j.stage("decision").name == "Purchase"  # type: ignore[union-attr]
    fee = j.card("fee")
    assert (fee.text, fee.severity) == ("Fee shown late", 4)  # type: ignore[union-attr]
    assert j.card("ad").channel == "social"  # type: ignore[union-attr]
    assert j.status.value == "live"


def test_move_card_to_another_cell_and_step_with_its_cards(small: Journey) -> None:
    j = apply(small, MoveOp(entity="card", id="fee", step="cart"))
    assert cell(j, "decision", "pains", "cart") == ["fee"]
    j = apply(j, AddOp(entity="stage", id="after-sale", value={"name": "After sale"}))
    j = apply(j, MoveOp(entity="step", id="cart", stage="after-sale"))
    assert j.card("fee").stage == "after-sale"  # type: ignore[union-attr]
    assert check_journey(j) == []


def test_move_stage_and_lane(small: Journey) -> None:
    j = apply(small, MoveOp(entity="stage", id="decision", before="awareness"))
    assert stage_ids(j) == ["decision", "awareness"]
    j = apply(j, MoveOp(entity="lane", id="ideas", section="persona", after="actions"))
    assert [ln.id for ln in j.live_lanes(j.live_sections()[0])] == [
        "actions",
        "ideas",
        "touchpoints",
        "pains",
    ]


def test_delete_hides_and_restore_brings_back(small: Journey) -> None:
    j = apply(small, DeleteOp(entity="stage", id="decision"))
    assert stage_ids(j) == ["awareness"]
    assert [c.id for c in j.live_cards()] == ["sees-ad", "ad"]
    assert "decision" not in str(journey_to_data(j)["stages"])
    j = apply(j, RestoreOp(entity="stage", id="decision"))
    assert j.live_cards() == small.live_cards()


def test_deleting_a_pain_point_drops_its_links_from_the_file(small: Journey) -> None:
    j = apply(small, DeleteOp(entity="card", id="fee"))
    data = journey_to_data(j)
    assert "pain_points" not in next(c for c in data["cards"] if c["id"] == "fee-upfront")
    assert journey_from_data(data).card("fee") is None


@pytest.mark.parametrize(
    ("op", "message"),
    [
        (
            AddOp(
                entity="card",
                value={"kind": "pain_point", "stage": "decision", "lane": "actions", "text": "x"},
            ),
            "a pain_point card cannot sit in lane 'actions' (a text lane) "
            "(move it to lane 'pains', or change the card's kind)",
        ),
        (
            AddOp(
                entity="card",
                value={"kind": "note", "stage": "decison", "lane": "actions", "text": "x"},
            ),
            "no stage 'decison' (did you mean 'decision'?)",
        ),
        (
            AddOp(entity="stage", id="decision", value={"name": "Again"}),
            "id 'decision' is taken by another stage (choose another id)",
        ),
        (AddOp(entity="step", value={"name": "Orphan"}), "a step needs a stage (give `stage`)"),
        (
            SetOp(entity="card", id="ad", field="channel", value="emial"),
            "unknown channel 'emial' (did you mean 'email'?)",
        ),
        (
            SetOp(entity="card", id="fee", field="severity", value=9),
            "severity: severity must be at most 5, got 9 (use a whole number from 1 (minor) to 5 "
            "(critical))",
        ),
        (
            SetOp(entity="card", id="fee", field="lane", value="ideas"),
            "cannot set 'lane' on a card (use a move operation)",
        ),
        (
            SetOp(entity="card", id="fee", field="severty", value=2),
            "cannot set 'severty' on a card (did you mean 'severity'?)",
        ),
        (
            SetOp(entity="journey", field="state", value="future"),
            "a future-state journey must name the current journey it improves (add "
            "`current_journey: <id of the current map>`)",
        ),
        (
            SetOp(entity="card", id="fee-upfront", field="pain_points", value=["ad"]),
            "card 'ad' is a touchpoint, not a pain_point (an opportunity links only to pain_point "
            "cards)",
        ),
        (
            MoveOp(entity="card", id="fee", lane="touchpoints"),
            "a pain_point card cannot sit in lane 'touchpoints' (a touchpoints lane) "
            "(move it to lane 'pains', or change the card's kind)",
        ),
        (
            MoveOp(entity="card", id="fee", after="nothing"),
            "'nothing' is not beside this card (choose one of: (none))",
        ),
        (DeleteOp(entity="lane", id="nope"), "no lane 'nope'"),
        (RestoreOp(entity="card", id="fee"), "card 'fee' is not deleted"),
        (
            AddOp(entity="emotion", value={"stage": "awareness", "score": 0.5}),
            "a second emotion point for the same place (keep one score per stage, step or "
            "touchpoint; merge their notes)",
        ),
    ],
)
def test_bad_operations_say_why_and_change_nothing(
    small: Journey, op: Operation, message: str
) -> None:
    before = small.model_copy(deep=True)
    with pytest.raises(OperationError) as caught:
        apply(small, op)
    assert str(caught.value) == message
    assert small == before


def test_restoring_a_card_of_a_deleted_stage_asks_for_the_stage_first(small: Journey) -> None:
    j = apply_all(
        small, [DeleteOp(entity="card", id="fee"), DeleteOp(entity="stage", id="decision")]
    )
    with pytest.raises(OperationError, match="its stage 'decision' is deleted"):
        apply(j, RestoreOp(entity="card", id="fee"))


def test_a_failing_batch_applies_nothing(small: Journey) -> None:
    with pytest.raises(OperationError, match=r"^operation 2 \(set card\): no card 'nope'"):
        apply_all(
            small,
            [
                RenameOp(entity="stage", id="decision", name="X"),
                SetOp(entity="card", id="nope", field="text", value="y"),
            ],
        )


def test_operations_are_plain_data_for_the_wire() -> None:
    adapter: TypeAdapter[Operation] = TypeAdapter(Operation)
    op = adapter.validate_json(
        '{"kind": "move", "entity": "card", "id": "fee", "stage": "awareness", "after": "x"}'
    )
    assert isinstance(op, MoveOp)
    assert adapter.validate_python(adapter.dump_python(op)) == op


# Random edit sequences: whatever is accepted leaves a valid journey that saves and reloads.
_names = st.sampled_from(
    [
        "awareness",
        "decision",
        "cart",
        "delivery",
        "persona",
        "business",
        "actions",
        "touchpoints",
        "pains",
        "ideas",
        "sees-ad",
        "ad",
        "fee",
        "fee-upfront",
        "new-1",
        "new-2",
        "feel-awareness",
        "nope",
    ]
)
_entity = st.sampled_from(["stage", "step", "section", "lane", "card", "emotion"])


@st.composite
def operations(draw: st.DrawFn) -> Operation:
    kind = draw(st.sampled_from(["add_card", "add_stage", "move", "delete", "restore", "set"]))
    if kind == "add_card":
        value = {
            "kind": draw(st.sampled_from(["note", "pain_point", "touchpoint"])),
            "stage": draw(_names),
            "lane": draw(_names),
            "text": draw(st.text(min_size=1, max_size=20)),
            "channel": "web",
        }
        if value["kind"] != "touchpoint":
            del value["channel"]
        return AddOp(entity="card", value=value, after=draw(st.none() | _names))
    if kind == "add_stage":
        return AddOp(
            entity="stage",
            id=draw(st.sampled_from(["new-1", "new-2"])),
            value={"name": "New"},
            before=draw(st.none() | _names),
        )
    if kind == "move":
        return MoveOp(
            entity=draw(_entity),
            id=draw(_names),
            after=draw(st.none() | _names),
            stage=draw(st.none() | _names),
            lane=draw(st.none() | _names),
        )
    if kind == "set":
        field, value = draw(
            st.sampled_from(
                [
                    ("text", "changed"),
                    ("severity", 4),
                    ("name", "N"),
                    ("score", -0.5),
                    ("severity", 7),
                ]
            )
        )
        return SetOp(entity=draw(_entity), id=draw(_names), field=field, value=value)
    cls = DeleteOp if kind == "delete" else RestoreOp
    return cls(entity=draw(_entity), id=draw(_names))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operations(), max_size=12))
def test_random_edits_keep_the_journey_valid_and_saveable(ops: list[Operation]) -> None:
    journey = journey_from_text(SMALL, "small.yaml")
    for op in ops:
        try:
            journey = apply(journey, op)
        except OperationError:
            continue
        assert check_journey(journey) == []
        reloaded = journey_from_data(journey_to_data(journey))
        assert journey_to_data(reloaded) == journey_to_data(journey)
        assert [c.id for c in reloaded.live_cards()] == [c.id for c in journey.live_cards()]


def test_a_batch_may_pass_through_an_inconsistent_state(small: Journey) -> None:
    """state: future needs current_journey and the other way round: one batch sets both."""
    j = apply_all(
        small,
        [
            SetOp(entity="journey", field="state", value="future"),
            SetOp(entity="journey", field="current_journey", value="small-now"),
        ],
    )
    assert (j.state.value, j.current_journey) == ("future", "small-now")
    with pytest.raises(OperationError, match="must name the current journey"):
        apply_all(small, [SetOp(entity="journey", field="state", value="future")])


def test_restore_finds_a_free_place_when_its_key_was_taken(small: Journey) -> None:
    j = apply_all(
        small,
        [
            DeleteOp(entity="stage", id="decision"),
            AddOp(entity="stage", id="new", value={"name": "N"}, after="awareness"),
            RestoreOp(entity="stage", id="decision"),
        ],
    )
    keys = [s.order_key for s in j.live_stages()]
    assert len(set(keys)) == len(keys) == 3
    j = apply(j, AddOp(entity="stage", id="m", value={"name": "M"}, after="decision"))
    assert len(stage_ids(j)) == 4


def test_internal_fields_cannot_be_set_by_a_client(small: Journey) -> None:
    with pytest.raises(OperationError, match="unknown field 'deleted'"):
        apply(
            small,
            AddOp(
                entity="card",
                value={
                    "kind": "note",
                    "stage": "awareness",
                    "lane": "actions",
                    "text": "x",
                    "deleted": True,
                },
            ),
        )
    with pytest.raises(OperationError, match="cannot set 'order_key'"):
        apply(small, SetOp(entity="card", id="fee", field="order_key", value="zz"))


def test_a_touchpoints_emotion_point_moves_with_it(small: Journey) -> None:
    j = apply(
        small, AddOp(entity="emotion", value={"stage": "awareness", "card": "ad", "score": 1.5})
    )
    j = apply(j, MoveOp(entity="card", id="ad", stage="decision", step="cart"))
    point = next(e for e in j.emotions if e.card == "ad")
    assert (point.stage, point.step) == ("decision", "cart")
    j = apply(j, AddOp(entity="stage", id="later", value={"name": "Later"}))
    j = apply(j, MoveOp(entity="step", id="cart", stage="later"))
    assert next(e for e in j.emotions if e.card == "ad").stage == "later"
    assert check_journey(j) == []


def test_emotion_points_only_go_where_the_map_shows_them(small: Journey) -> None:
    j = apply(small, DeleteOp(entity="card", id="ad"))
    with pytest.raises(OperationError, match=r'card .ad. \("[^"]+"\) is deleted'):
        apply(j, AddOp(entity="emotion", value={"stage": "awareness", "card": "ad", "score": 1.0}))
    j = apply(small, DeleteOp(entity="stage", id="decision"))
    with pytest.raises(OperationError, match=r'stage .decision. \("Decision"\) is deleted'):
        apply(j, MoveOp(entity="emotion", id="feel-awareness", stage="decision"))
    point = apply(small, MoveOp(entity="emotion", id="feel-awareness", step="cart"))  # stage too
    assert next(e for e in point.emotions if e.id == "feel-awareness").stage == "decision"


def test_new_ids_follow_one_rule(small: Journey) -> None:
    j = apply(
        small, AddOp(entity="emotion", value={"stage": "decision", "step": "cart", "score": 0.5})
    )
    assert "feel-decision-cart" in {e.id for e in j.emotions}
