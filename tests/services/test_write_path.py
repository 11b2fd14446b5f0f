"""The one write path: applied once, all or nothing, idempotent, and safe under two writers."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from journeymap.domain.apply import apply_all
from journeymap.services.batches import BadBatch, OpsRejected, StaleRevision, load_op
from journeymap.services.history import list_history
from journeymap.services.journeys import apply_ops, create_journey, entity_revs, get_journey
from journeymap.services.templates import new_journey
from journeymap.storage import Database, open_database


@pytest.fixture
def jid(db: Database) -> str:
    create_journey(db, "w1", new_journey(template="online-store-checkout"), "u1", journey_id="j1")
    return "j1"


def card_text(card: str, text: str, op_id: str) -> dict[str, Any]:
    return {
        "op_id": op_id,
        "op": {"kind": "set", "entity": "card", "id": card, "field": "text", "value": text},
    }


def first_cards(db: Database, n: int = 2) -> list[str]:
    return [c.id for c in get_journey(db, "j1").journey.live_cards()[:n]]


def test_a_batch_is_applied_and_logged(db: Database, jid: str) -> None:
    before = get_journey(db, jid).journey
    a, b = first_cards(db)
    ops = [
        card_text(a, "New text", "op-1"),
        {"op_id": "op-2", "op": {"kind": "delete", "entity": "card", "id": b}},
        {"op_id": "op-3", "kind": "add", "entity": "stage", "value": {"name": "Repeat"}},
    ]
    result = apply_ops(db, jid, "u1", ops, base_rev=1)
    assert (result.rev, result.status, result.overwrites) == (2, "applied", [])
    assert [(k.op_id, k.rev, k.status) for k in result.acks] == [
        ("op-1", 2, "applied"),
        ("op-2", 2, "applied"),
        ("op-3", 2, "applied"),
    ]
    now = get_journey(db, jid)
    assert now.rev == 2
    assert now.journey.card(a).text == "New text"  # type: ignore[union-attr]
    assert now.journey.card(b).deleted  # type: ignore[union-attr]
    revs = entity_revs(db, jid)
    assert revs[("card", a)] == (2, None)
    assert revs[("card", b)] == (2, 2)
    assert revs[("stage", "repeat")] == (2, None)
    untouched = [k for k, (u, _) in revs.items() if u == 1]
    assert len(untouched) == len(revs) - 3  # the rest (and the header) keep their ETags
    assert revs[("journey", "")] == (1, None)
    expected = apply_all(before, [load_op(o.get("op", o)) for o in ops[:2]])
    assert now.journey.live_cards() == expected.live_cards()
    page = list_history(db, jid)
    assert [(r.rev, r.actor, r.op_ids) for r in page.revisions] == [
        (2, "u1", ["op-1", "op-2", "op-3"]),
        (1, "u1", ["create-j1"]),
    ]


def test_the_same_op_id_is_applied_once(db: Database, jid: str) -> None:
    (a,) = first_cards(db, 1)
    first = apply_ops(db, jid, "u1", [card_text(a, "Once", "op-1")], base_rev=1)
    again = apply_ops(db, jid, "u1", [card_text(a, "Twice", "op-1")], base_rev=1)
    assert (first.rev, first.status) == (2, "applied")
    assert (again.rev, again.status) == (2, "duplicate")
    assert [(k.op_id, k.rev, k.status) for k in again.acks] == [("op-1", 2, "duplicate")]
    snap = get_journey(db, jid)
    assert snap.rev == 2 and snap.journey.card(a).text == "Once"  # type: ignore[union-attr]
    # a resent batch with one new op: the known one is answered, the new one applied
    mixed = apply_ops(
        db, jid, "u1", [card_text(a, "Twice", "op-1"), card_text(a, "Third", "op-2")], 2
    )
    assert [(k.op_id, k.rev, k.status) for k in mixed.acks] == [
        ("op-1", 2, "duplicate"),
        ("op-2", 3, "applied"),
    ]


def test_a_failed_batch_writes_nothing(db: Database, jid: str) -> None:
    before = get_journey(db, jid)
    a, b = first_cards(db)
    bad = [
        card_text(a, "Changed", "op-1"),
        {"op_id": "op-2", "op": {"kind": "delete", "entity": "card", "id": b}},
        {
            "op_id": "op-3",
            "op": {"kind": "set", "entity": "card", "id": b, "field": "text", "value": "x"},
        },
    ]
    with pytest.raises(OpsRejected, match=r"operation 3.*deleted"):
        apply_ops(db, jid, "u1", bad, base_rev=1)
    after = get_journey(db, jid)
    assert after.rev == 1 and after.journey == before.journey
    assert len(list_history(db, jid).revisions) == 1
    # the op_ids were not used up: the good part can be sent again
    assert apply_ops(db, jid, "u1", bad[:2], base_rev=1).status == "applied"


def test_malformed_batches_are_refused(db: Database, jid: str) -> None:
    (a,) = first_cards(db, 1)
    with pytest.raises(BadBatch, match="twice"):
        apply_ops(db, jid, "u1", [card_text(a, "x", "o"), card_text(a, "y", "o")], 1)
    with pytest.raises(BadBatch, match="op_id"):
        apply_ops(db, jid, "u1", [{"op": {"kind": "delete", "entity": "card", "id": a}}], 1)
    with pytest.raises(BadBatch, match="base_rev 7"):
        apply_ops(db, jid, "u1", [card_text(a, "x", "o")], 7)
    with pytest.raises(BadBatch, match="operation 1"):
        apply_ops(db, jid, "u1", [{"op_id": "o", "op": {"kind": "explode"}}], 1)
    assert get_journey(db, jid).rev == 1


def _race(url: str, batches: list[tuple[list[dict[str, Any]], dict[str, Any]]]) -> list[Any]:
    """Run each batch from its own thread and its own engine, released at the same moment."""
    start = threading.Barrier(len(batches))
    results: list[Any] = [None] * len(batches)

    def run(n: int) -> None:
        db = open_database(url, migrate=False)
        ops, kwargs = batches[n]
        start.wait()
        try:
            results[n] = apply_ops(db, "j1", f"user{n}", ops, 1, **kwargs)
        except Exception as error:
            results[n] = error
        finally:
            db.dispose()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(batches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_two_writers_same_base_different_fields_both_land(
    db: Database, db_url: str, jid: str
) -> None:
    a, b = first_cards(db)
    results = _race(
        db_url, [([card_text(a, "From A", "a1")], {}), ([card_text(b, "From B", "b1")], {})]
    )
    assert sorted(r.rev for r in results) == [2, 3]
    assert all(r.overwrites == [] for r in results)
    snap = get_journey(db, jid)
    assert snap.rev == 3
    assert snap.journey.card(a).text == "From A" and snap.journey.card(b).text == "From B"  # type: ignore[union-attr]


def test_two_writers_same_field_last_writer_wins_and_is_told(
    db: Database, db_url: str, jid: str
) -> None:
    (a,) = first_cards(db, 1)
    results = _race(db_url, [([card_text(a, "A", "a1")], {}), ([card_text(a, "B", "b1")], {})])
    first, second = sorted(results, key=lambda r: r.rev)
    assert first.overwrites == []
    [over] = second.overwrites
    assert (over.entity, over.id, over.field, over.rev) == ("card", a, "text", first.rev)
    winner = "A" if second.acks[0].op_id == "a1" else "B"
    assert get_journey(db, jid).journey.card(a).text == winner  # type: ignore[union-attr]
    history = list_history(db, jid).revisions
    assert {tuple(r.op_ids) for r in history[:2]} == {("a1",), ("b1",)}  # nothing lost


def test_two_writers_same_etag_exactly_one_wins(db: Database, db_url: str, jid: str) -> None:
    (a,) = first_cards(db, 1)
    strict = {"if_unchanged": True}
    results = _race(
        db_url, [([card_text(a, "A", "a1")], strict), ([card_text(a, "B", "b1")], strict)]
    )
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], StaleRevision) and lost[0].changed == [("card", a)]
    assert get_journey(db, jid).rev == 2


def test_many_writers_nothing_lost(db: Database, db_url: str, jid: str) -> None:
    cards = first_cards(db, 6)
    results = _race(db_url, [([card_text(c, f"by {n}", f"w{n}")], {}) for n, c in enumerate(cards)])
    assert sorted(r.rev for r in results) == list(range(2, 8)), results
    journey = get_journey(db, jid).journey
    assert [journey.card(c).text for c in cards] == [f"by {n}" for n in range(6)]  # type: ignore[union-attr]
