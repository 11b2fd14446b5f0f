"""ops_to: the operations that rebuild one journey from another, over tombstones, checked by
hand and on random edit runs over the shipped templates."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.domain.apply import apply, apply_all
from journeymap.domain.cards import NoteCard
from journeymap.domain.diff import Change, diff, ops_to
from journeymap.domain.document import journey_to_data
from journeymap.domain.errors import OperationError
from journeymap.domain.model import LANE_ACCEPTS, Journey, LaneKind
from journeymap.domain.operations import (
    AddOp,
    DeleteOp,
    MoveOp,
    Operation,
    RenameOp,
    RestoreOp,
    SetOp,
)
from journeymap.services.templates import new_journey, template_names

from .test_diff import F, _same, edit


def test_ops_to_restores_an_older_revision(small: Journey) -> None:
    """The older revision comes back over tombstones: deleted items are restored (with their
    deleted parents for a moment), added ones deleted, moved ones moved back."""
    newer = edit(
        small,
        MoveOp(entity="card", id="fee", stage="awareness", lane="pains"),
        DeleteOp(entity="card", id="fee"),
        DeleteOp(entity="stage", id="awareness"),
        RenameOp(entity="stage", id="decision", name="Decide"),
        AddOp(entity="stage", id="loyalty", value={"name": "Loyalty"}, before="decision"),
        MoveOp(entity="section", id="business", before="persona"),
    )
    ops = ops_to(newer, small)
    restored = apply_all(newer, ops)
    assert journey_to_data(restored) == journey_to_data(small)
    assert not diff(restored, small)
    kinds = [(op.kind, op.entity, getattr(op, "id", None)) for op in ops]
    assert kinds == [
        ("restore", "stage", "awareness"),
        ("restore", "card", "fee"),
        ("move", "card", "fee"),
        ("rename", "stage", "decision"),
        ("delete", "stage", "loyalty"),
        ("move", "section", "business"),
    ]


def test_ops_to_removes_a_channel_a_removed_touchpoint_named(small: Journey) -> None:
    """apply refuses to delete a channel that a card, even a deleted one, still names: the
    card the restore deletes is first pointed at a built-in channel."""
    newer = edit(
        small,
        AddOp(entity="channel", id="kiosk", value={"name": "Kiosk"}),
        AddOp(
            entity="card",
            id="t",
            value={
                "kind": "touchpoint",
                "stage": "awareness",
                "lane": "touchpoints",
                "text": "Kiosk",
                "channel": "kiosk",
            },
        ),
    )
    assert ops_to(newer, small) == [
        SetOp(entity="card", id="t", field="channel", value="web"),
        DeleteOp(entity="card", id="t"),
        DeleteOp(entity="channel", id="kiosk"),
    ]
    assert _same(apply_all(newer, ops_to(newer, small)), small)
    # the same when the card had been deleted already
    deleted = edit(newer, DeleteOp(entity="card", id="t"))
    assert _same(apply_all(deleted, ops_to(deleted, small)), small)


def test_ops_to_refuses_a_card_whose_kind_differs(small: Journey) -> None:
    fee = small.card("fee")
    assert fee is not None
    note = NoteCard(id="fee", stage=fee.stage, step=fee.step, lane=fee.lane, text=fee.text)
    other = small.model_copy(update={"cards": [note if c.id == "fee" else c for c in small.cards]})
    assert diff(small, other).of("card")[0] == Change(
        "card",
        "fee",
        "changed",
        fee.text,
        (F("kind", "pain_point", "note"), F("severity", 5, None)),
    )
    with pytest.raises(OperationError, match="no operation changes a card's kind"):
        ops_to(small, other)


# ---------------------------------------------------------------- random edits

_TEMPLATES = {name: new_journey(template=name) for name in template_names()}
_SETS: dict[str, list[tuple[str, Any]]] = {
    "journey": [("title", "Renamed"), ("status", "live"), ("tags", ["x", "y"]), ("owner", None)],
    "persona": [("goals", ["Be quick"]), ("segment", "Pro"), ("quote", None)],
    "channel": [("mode", "physical"), ("aliases", ["kiosk-2"])],
    "stage": [("description", "About it"), ("description", None)],
    "step": [("description", "A step")],
    "section": [("description", "Team")],
    "lane": [("description", "Lane"), ("description", None)],
    "card": [
        ("details", "More"),
        ("tags", ["t"]),
        ("confidence", "observed"),
        ("severity", 1),
        ("status", "done"),
        ("channel", "email"),
        ("mode", "physical"),
        ("pain_points", []),
        ("value", 3.5),
    ],
    "emotion": [("score", -2.0), ("note", "Meh"), ("note", None), ("confidence", "reported")],
}
_KINDS = ["persona", "channel", "stage", "step", "section", "lane", "card", "emotion"]


_WEIGHTED = [*_KINDS, "card", "card", "card", "emotion"]


def _items(j: Journey, kind: str) -> list[Any]:
    if kind == "step":
        return [st for s in j.stages for st in s.steps]
    if kind == "lane":
        return [ln for s in j.sections for ln in s.lanes]
    return list(getattr(j, "emotions" if kind == "emotion" else f"{kind}s"))


def _ids(j: Journey, kind: str, deleted: bool = False) -> list[str]:
    return sorted(i.id for i in _items(j, kind) if i.deleted == deleted)


def _columns(j: Journey) -> list[tuple[str, str | None]]:
    return [(s.id, None) for s in j.live_stages()] + [
        (s.id, st.id) for s in j.live_stages() for st in j.live_steps(s)
    ]


def _lanes(j: Journey) -> list[Any]:
    return [ln for s in j.live_sections() for ln in j.live_lanes(s)]


@st.composite
def _edit(draw: st.DrawFn, j: Journey) -> Operation | None:
    """One edit that names things the journey holds (it may still be refused)."""
    pick = draw(st.sampled_from(["add", "set", "rename", "move", "move", "delete", "restore"]))
    kind = draw(st.sampled_from(_WEIGHTED))
    n = draw(st.integers(1, 99))
    if pick == "add":
        return _add(draw, j, kind, n)
    if pick == "set" and draw(st.integers(0, 5)) == 0:
        field, value = draw(st.sampled_from(_SETS["journey"]))
        return SetOp(entity="journey", field=field, value=value)
    ids = _ids(j, kind, deleted=pick == "restore")
    if not ids:
        return None
    ident = draw(st.sampled_from(ids))
    if pick == "set":
        field, value = draw(st.sampled_from(_SETS[kind]))
        return SetOp(entity=kind, id=ident, field=field, value=value)  # type: ignore[arg-type]
    if pick == "rename":
        return RenameOp(entity=kind, id=ident, name=f"Name {n}")  # type: ignore[arg-type]
    if pick == "delete":
        return DeleteOp(entity=kind, id=ident)  # type: ignore[arg-type]
    if pick == "restore":
        return RestoreOp(entity=kind, id=ident)  # type: ignore[arg-type]
    return _move(draw, j, kind, ident)


def _move(draw: st.DrawFn, j: Journey, kind: str, ident: str) -> Operation | None:
    """A move to another parent or cell and/or next to a sibling there."""
    where: dict[str, Any] = {}
    item = next(i for i in _items(j, kind) if i.id == ident)
    if kind in ("card", "emotion"):
        if draw(st.booleans()) and _columns(j):
            where["stage"], where["step"] = draw(st.sampled_from(_columns(j)))
            if kind == "card":
                fits = [ln.id for ln in _lanes(j) if item.kind in LANE_ACCEPTS[ln.kind]]
                where["lane"] = draw(st.sampled_from(fits or [item.lane]))
        cell = (where.get("stage", item.stage), where.get("step", item.step))
        if kind == "card":
            cell += (where.get("lane", item.lane),)
            siblings = [c.id for c in j.live_cards() if (c.stage, c.step, c.lane) == cell]
        else:
            siblings = [e.id for e in j.live_emotions() if (e.stage, e.step) == cell]
    elif kind in ("step", "lane"):
        parents = j.live_stages() if kind == "step" else j.live_sections()
        parent = draw(st.sampled_from(parents)) if parents else None
        if parent is None:
            return None
        if draw(st.booleans()):
            where["stage" if kind == "step" else "section"] = parent.id
        siblings = [c.id for c in (parent.steps if kind == "step" else parent.lanes)]
    else:
        siblings = _ids(j, kind)
    siblings = [s for s in siblings if s != ident]
    anchor = draw(st.sampled_from(siblings)) if siblings else None
    if anchor is not None:
        where[draw(st.sampled_from(["after", "before"]))] = anchor
    return MoveOp(entity=kind, id=ident, **where)  # type: ignore[arg-type]


def _add(draw: st.DrawFn, j: Journey, kind: str, n: int) -> Operation | None:
    value: dict[str, Any]
    ids = _ids(j, kind)
    anchor = draw(st.sampled_from(ids)) if ids and kind not in ("card", "emotion") else None
    if kind in ("card", "emotion"):
        columns = _columns(j)
        if not columns:
            return None
        stage, step = draw(st.sampled_from(columns))
        value = {"stage": stage, "step": step}
        if kind == "emotion":
            value["score"] = draw(st.sampled_from([-1.5, 0.0, 2.0]))
            return AddOp(entity="emotion", value=value)
        lanes = [ln for ln in _lanes(j) if LANE_ACCEPTS[ln.kind]]
        if not lanes:
            return None
        lane = draw(st.sampled_from(lanes))
        card_kind = draw(st.sampled_from(sorted(LANE_ACCEPTS[lane.kind])))
        value.update(lane=lane.id, kind=card_kind, text=f"Card {n}")
        if card_kind == "touchpoint":
            value["channel"] = draw(st.sampled_from(["web", "phone", *_ids(j, "channel")]))
        return AddOp(entity="card", value=value, after=None)
    value = {"name": f"New {kind} {n}"}
    if kind == "step":
        value["stage"] = draw(st.sampled_from(_ids(j, "stage") or ["none"]))
        anchor = None
    elif kind == "lane":
        value["section"] = draw(st.sampled_from(_ids(j, "section") or ["none"]))
        value["kind"] = draw(st.sampled_from([k.value for k in LaneKind if k != "emotion"]))
        anchor = None
    elif kind == "channel":
        value = {"name": f"Kiosk {n}", "mode": "physical"}
    return AddOp(entity=kind, value=value, after=anchor)  # type: ignore[arg-type]


def _edits(draw: st.DrawFn, journey: Journey, count: int) -> Journey:
    for _ in range(count):
        op = draw(_edit(journey))
        if op is None:
            continue
        try:
            journey = apply(journey, op)
        except OperationError:
            continue
    return journey


@st.composite
def edited(draw: st.DrawFn) -> tuple[Journey, Journey]:
    """Two revisions of a template: a run of random accepted edits, then another run, so both
    may hold tombstones."""
    start = _TEMPLATES[draw(st.sampled_from(sorted(_TEMPLATES)))]
    before = _edits(draw, start, draw(st.integers(0, 12)))
    return before, _edits(draw, before, draw(st.integers(0, 20)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_ops_to_rebuilds_the_other_journey_both_ways(pair: tuple[Journey, Journey]) -> None:
    before, after = pair
    assert not diff(before, before) and not diff(after, after)
    assert bool(diff(before, after)) == (not _same(before, after))
    assert _same(apply_all(before, ops_to(before, after)), after)
    # restoring the older revision as a new one: the way back, over tombstones
    assert _same(apply_all(after, ops_to(after, before)), before)
    assert ops_to(after, after) == []
