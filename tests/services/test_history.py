"""History: pages of revisions, the journey at any revision, restore as a new revision, names."""

from __future__ import annotations

from typing import Any

import pytest

from journeymap.domain.document import journey_to_data
from journeymap.domain.model import Journey
from journeymap.services.history import (
    VersionExists,
    journey_at,
    list_history,
    list_versions,
    name_version,
    restore_revision,
)
from journeymap.services.journeys import apply_ops, create_journey, get_journey
from journeymap.services.templates import new_journey
from journeymap.storage import Database
from journeymap.storage.mapping import canonical


def op(n: int, **fields: Any) -> dict[str, Any]:
    return {"op_id": f"op-{n}", "op": fields}


def edit_a_lot(db: Database) -> dict[int, Journey]:
    """Revisions 2..6 of every kind of edit; the journey after each, as stored."""
    create_journey(db, "w1", new_journey(template="online-store-checkout"), "u1", journey_id="j1")
    seen = {1: get_journey(db, "j1").journey}
    j = seen[1]
    c = [x.id for x in j.live_cards()]
    stages = [s.id for s in j.live_stages()]
    batches = [
        [
            op(1, kind="set", entity="card", id=c[0], field="text", value="Edited"),
            op(2, kind="set", entity="journey", field="title", value="Checkout, take two"),
        ],
        [
            op(3, kind="move", entity="stage", id=stages[0], after=stages[2]),
            op(4, kind="move", entity="card", id=c[1], stage=stages[3]),
            op(5, kind="add", entity="stage", value={"name": "Loyalty"}),
        ],
        [
            op(6, kind="delete", entity="card", id=c[2]),
            op(7, kind="delete", entity="stage", id=stages[4]),
        ],
        [
            op(8, kind="restore", entity="card", id=c[2]),
            op(
                9,
                kind="add",
                entity="card",
                value={
                    "kind": "note",
                    "stage": "loyalty",
                    "lane": j.live_cards()[0].lane,
                    "text": "New idea",
                },
            ),
        ],
        [op(10, kind="rename", entity="stage", id="loyalty", name="Loyalty and reviews")],
    ]
    for n, batch in enumerate(batches, 2):
        assert apply_ops(db, "j1", f"user{n % 2}", batch, base_rev=n - 1).rev == n
        seen[n] = get_journey(db, "j1").journey
    return seen


def test_replaying_the_log_gives_every_stored_revision(db: Database) -> None:
    seen = edit_a_lot(db)
    for rev, stored in seen.items():
        assert canonical(journey_at(db, "j1", rev)) == stored, rev


def test_history_pages_newest_first(db: Database) -> None:
    edit_a_lot(db)
    first = list_history(db, "j1", limit=4)
    assert [r.rev for r in first.revisions] == [6, 5, 4, 3]
    assert first.next_before == 3
    rest = list_history(db, "j1", before=first.next_before, limit=4)
    assert [r.rev for r in rest.revisions] == [2, 1] and rest.next_before is None
    two = rest.revisions[0]
    assert two.actor == "user0" and two.op_ids == ["op-1", "op-2"]
    assert two.ops[0] == {
        "kind": "set",
        "entity": "card",
        "id": two.ops[0]["id"],
        "field": "text",
        "value": "Edited",
    }
    assert rest.revisions[1].ops[0]["kind"] == "create"
    assert two.ts.tzinfo is not None


@pytest.mark.parametrize("target", [1, 2, 3, 4, 5])
def test_restore_makes_a_new_revision_equal_to_the_old_one(db: Database, target: int) -> None:
    seen = edit_a_lot(db)
    result = restore_revision(db, "j1", target, "u1", op_id="restore-1")
    assert result.status == "applied" and result.rev == 7
    now = get_journey(db, "j1").journey
    assert journey_to_data(now) == journey_to_data(seen[target])
    # Tombstones match too, so restores of deleted items keep working: every card the map can
    # show (its stage and lane live) is deleted now exactly when it was deleted or absent then.
    # (A card hidden under a deleted stage or lane is left as it is: see domain/patch.py.)
    shown = (
        {s.id for s in now.live_stages()},
        {ln.id for sec in now.live_sections() for ln in now.live_lanes(sec)},
    )
    placed = [c for c in now.cards if c.stage in shown[0] and c.lane in shown[1]]
    then = seen[target]
    assert {(c.id, c.deleted) for c in placed} == {
        (c.id, then.card(c.id) is None or then.card(c.id).deleted) for c in placed
    }
    # nothing is lost: every earlier revision is still there, and the restore can be undone
    assert canonical(journey_at(db, "j1", 6)) == seen[6]
    again = restore_revision(db, "j1", target, "u1", op_id="restore-1")
    assert (again.status, again.rev) == ("duplicate", 7)
    back = restore_revision(db, "j1", 6, "u1")
    assert journey_to_data(get_journey(db, "j1").journey) == journey_to_data(seen[6])
    assert back.rev == 8
    assert list_history(db, "j1", limit=2).revisions[1].note == f"restore rev {target}"


def test_restoring_the_current_revision_changes_nothing(db: Database) -> None:
    edit_a_lot(db)
    result = restore_revision(db, "j1", 6, "u1")
    assert (result.status, result.rev) == ("unchanged", 6)


def test_named_versions(db: Database) -> None:
    edit_a_lot(db)
    name_version(db, "j1", "Workshop March", "u1", rev=3)
    name_version(db, "j1", "Now", "u1")
    with pytest.raises(VersionExists):
        name_version(db, "j1", "Now", "u1")
    assert [(v.name, v.rev) for v in list_versions(db, "j1")] == [("Now", 6), ("Workshop March", 3)]
