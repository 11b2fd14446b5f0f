"""The write path keeps each journey it wrote in process (storage/journey_cache.py) and writes
only the rows that changed. What a user relies on: it never works on a stale journey (another
server process wrote meanwhile, a batch was refused or rolled back), and it writes exactly what
reloading the journey for every batch wrote."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from journeymap.domain.apply import apply_all
from journeymap.domain.errors import OperationError
from journeymap.domain.model import Journey
from journeymap.services.batches import OpsRejected, StaleRevision, load_op, parse_batch
from journeymap.services.history import journey_at, restore_revision
from journeymap.services.journeys import (
    apply_locked,
    apply_ops,
    create_journey,
    entity_revs,
    get_journey,
)
from journeymap.services.templates import new_journey
from journeymap.storage import Database, open_database
from journeymap.storage.journey_cache import JourneyCache
from journeymap.storage.mapping import Stored, assemble, canonical, flatten, header_of


@pytest.fixture
def jid(db: Database) -> str:
    create_journey(db, "w1", new_journey(template="online-store-checkout"), "u1", journey_id="j1")
    return "j1"


@pytest.fixture
def other(db: Database, db_url: str) -> Iterator[Database]:
    """The same database opened again: another server process, with a cache of its own."""
    second = open_database(db_url, migrate=False)
    yield second
    second.dispose()


def fresh_state(url: str, journey_id: str = "j1") -> Stored:
    """The journey loaded from its rows by a process that has never seen it."""
    db = open_database(url, migrate=False)
    try:
        with db.read() as uow:
            row = uow.journeys.get(journey_id)
            assert row is not None
            return uow.journeys.state(row)
    finally:
        db.dispose()


def cached_state(db: Database, journey_id: str = "j1") -> Stored:
    """What the write path of `db` would start the next batch from: from its cache."""
    with db.write() as uow:
        row = uow.journeys.lock(journey_id)
        assert row is not None
        hits = uow.journeys.cache.hits
        state = uow.journeys.state(row)
        assert uow.journeys.cache.hits == hits + 1, "the write path reloaded: nothing compared"
        return state


def assert_same(kept: Stored, loaded: Stored) -> None:
    assert kept.journey == loaded.journey
    # which fields are set too: a journey built from rows has all of them set
    assert kept.journey.model_dump(exclude_unset=True) == loaded.journey.model_dump(
        exclude_unset=True
    )
    assert kept.flats == loaded.flats
    assert kept.rows == loaded.rows
    assert kept.header == loaded.header
    assert kept.objects.keys() == loaded.objects.keys()


def text_of(db: Database, card: str) -> str:
    found = get_journey(db, "j1").journey.card(card)
    assert found is not None
    return str(found.text)


def set_text(card: str, text: str, op_id: str) -> dict[str, Any]:
    return {
        "op_id": op_id,
        "op": {"kind": "set", "entity": "card", "id": card, "field": "text", "value": text},
    }


def test_a_write_by_another_process_between_two_batches_is_seen(
    db: Database, other: Database, db_url: str, jid: str
) -> None:
    a, b = get_journey(db, jid).journey.live_cards()[:2]
    assert apply_ops(db, jid, "u1", [set_text(a.id, "First", "op-1")], 1).rev == 2
    cached_state(db)  # this process now keeps rev 2
    # the other process adds a card beside `b` and edits the one this process just wrote
    added = {"kind": "note", "stage": b.stage, "step": b.step, "lane": b.lane, "text": "Hello"}
    theirs = [
        {"op_id": "op-2", "op": {"kind": "add", "entity": "card", "id": "new", "value": added}},
        set_text(a.id, "Theirs", "op-3"),
    ]
    assert apply_ops(other, jid, "u2", theirs, 2).rev == 3
    # this process reads and writes on top of what the other one wrote, not on its rev 2
    assert text_of(db, a.id) == "Theirs"
    ours = [
        set_text("new", "Edited here", "op-4"),  # exists only in the other's revision
        {"op_id": "op-5", "op": {"kind": "move", "entity": "card", "id": b.id, "after": "new"}},
        set_text(a.id, "Ours", "op-6"),
    ]
    result = apply_ops(db, jid, "u1", ours, base_rev=2)
    assert result.rev == 4
    [over] = result.overwrites  # the other's edit of `a` is reported, as always
    assert (over.op_id, over.id, over.by_op_id, over.rev) == ("op-6", a.id, "op-3", 3)
    assert text_of(other, "new") == "Edited here"
    order = [c.id for c in get_journey(other, jid).journey.live_cards()]
    assert order.index(b.id) == order.index("new") + 1
    assert_same(cached_state(db), fresh_state(db_url))
    assert canonical(journey_at(db, jid, 4)) == fresh_state(db_url).journey


def test_a_refused_or_stale_batch_leaves_the_next_one_correct(
    db: Database, db_url: str, jid: str
) -> None:
    a, b = (c.id for c in get_journey(db, jid).journey.live_cards()[:2])
    assert apply_ops(db, jid, "u1", [set_text(a, "Kept", "op-1")], 1).rev == 2
    # refused by the domain after its first operation was applied in memory
    refused = [
        set_text(b, "Lost", "op-2"),
        {"op_id": "op-3", "op": {"kind": "delete", "entity": "card", "id": "no-such-card"}},
    ]
    with pytest.raises(OpsRejected):
        apply_ops(db, jid, "u1", refused, 2)
    # refused as stale (If-Match): `a` changed after rev 1
    with pytest.raises(StaleRevision):
        apply_ops(db, jid, "u1", [set_text(a, "Stale", "op-4")], 1, if_unchanged=True)
    assert_same(cached_state(db), fresh_state(db_url))
    result = apply_ops(db, jid, "u1", [set_text(b, "Next", "op-5")], 2)
    assert result.rev == 3
    assert (text_of(db, a), text_of(db, b)) == ("Kept", "Next")
    assert_same(cached_state(db), fresh_state(db_url))


def test_a_rolled_back_transaction_leaves_nothing_behind(
    db: Database, other: Database, db_url: str, jid: str
) -> None:
    a, b = (c.id for c in get_journey(db, jid).journey.live_cards()[:2])
    assert apply_ops(db, jid, "u1", [set_text(a, "Committed", "op-1")], 1).rev == 2
    # applied and written, then the transaction fails before its commit (a crash, a lost
    # connection): this rev 3 was never committed, so no one may ever see it
    with pytest.raises(RuntimeError, match="no commit"), db.write() as uow:
        row = uow.journeys.lock(jid)
        assert row is not None
        ghost = parse_batch([set_text(a, "Ghost", "op-2"), set_text(b, "Ghost", "op-3")])
        assert apply_locked(uow, row, "u1", ghost, 2).rev == 3
        raise RuntimeError("no commit")
    assert get_journey(db, jid).rev == 2 and text_of(db, a) == "Committed"
    # another process commits a rev 3 of its own; this one reads and writes on top of that
    assert apply_ops(other, jid, "u2", [set_text(b, "Real", "op-4")], 2).rev == 3
    assert (text_of(db, a), text_of(db, b)) == ("Committed", "Real")
    assert apply_ops(db, jid, "u1", [set_text(a, "Later", "op-5")], 3).rev == 4
    assert (text_of(other, a), text_of(other, b)) == ("Later", "Real")
    assert_same(cached_state(db), fresh_state(db_url))
    # and the rolled-back op_ids were not used up
    assert apply_ops(db, jid, "u1", [set_text(a, "Ghost", "op-2")], 4).status == "applied"


def test_writers_on_threads_of_one_process_lose_nothing(
    db: Database, db_url: str, jid: str
) -> None:
    cards = [c.id for c in get_journey(db, jid).journey.live_cards()[:6]]
    start = threading.Barrier(len(cards))
    errors: list[BaseException] = []

    def write(n: int, card: str) -> None:
        start.wait()
        try:
            for k in range(4):
                apply_ops(db, jid, f"user{n}", [set_text(card, f"{n}.{k}", f"w{n}-{k}")], 1)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n, c)) for n, c in enumerate(cards)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert get_journey(db, jid).rev == 1 + 4 * len(cards)
    assert [text_of(db, c) for c in cards] == [f"{n}.3" for n in range(len(cards))]
    assert_same(cached_state(db), fresh_state(db_url))


def test_the_cache_is_bounded() -> None:
    cache = JourneyCache(size=2)
    state: Any = object()
    stamp: Any = (1, None, None)
    for journey_id in ("a", "b", "c"):
        cache.put(journey_id, stamp, state)
    assert cache.get("a", stamp) is None  # the least recently used went
    assert cache.get("b", stamp) is state and cache.get("c", stamp) is state


# ---------------------------------------------------------------- against reloading every time


def random_ops(rng: random.Random, j: Journey, n: int) -> list[dict[str, Any]]:
    """A few edits of every kind; some are refused by the domain, which is part of the test."""
    stages = [s.id for s in j.stages]
    steps = [st.id for s in j.stages for st in s.steps]
    lanes = [ln.id for s in j.sections for ln in s.lanes if ln.kind.value != "emotion"]
    sections = [s.id for s in j.sections]
    cards = [c.id for c in j.cards]

    def edit(kind: str, entity: str, **fields: Any) -> dict[str, Any]:
        return {"kind": kind, "entity": entity, **fields}

    def note() -> dict[str, Any]:
        value = {"kind": "note", "stage": rng.choice(stages), "lane": rng.choice(lanes)}
        if steps and rng.random() < 0.3:
            value["step"] = rng.choice(steps)  # refused unless it is a step of that stage
        return {**value, "text": f"note {rng.randrange(1000)}"}

    choices = [
        lambda: edit("set", "card", id=rng.choice(cards), field="text", value=f"t{rng.random()}"),
        lambda: edit("add", "card", value=note()),
        lambda: edit("move", "card", id=rng.choice(cards), after=rng.choice(cards)),
        lambda: edit("move", "card", id=rng.choice(cards), stage=rng.choice(stages)),
        lambda: edit(rng.choice(["delete", "restore"]), "card", id=rng.choice(cards)),
        lambda: edit(
            "add", "step", value={"stage": rng.choice(stages), "name": f"S{rng.random()}"}
        ),
        lambda: edit("move", "step", id=rng.choice(steps or ["none"]), stage=rng.choice(stages)),
        lambda: edit("move", "stage", id=rng.choice(stages), after=rng.choice(stages)),
        lambda: edit(rng.choice(["delete", "restore"]), "stage", id=rng.choice(stages)),
        lambda: edit("rename", "lane", id=rng.choice(lanes), name=f"Lane {rng.randrange(100)}"),
        lambda: edit("move", "lane", id=rng.choice(lanes), section=rng.choice(sections)),
        lambda: edit("set", "journey", field="title", value=f"Title {rng.randrange(100)}"),
    ]
    weights = [4, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    return [rng.choices(choices, weights)[0]() for _ in range(n)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_batches_write_what_reloading_every_time_wrote(
    db: Database, other: Database, db_url: str, jid: str, seed: int
) -> None:
    """The oracle is the write path as it was: load the journey from its rows, apply the batch,
    write every row whose flattening changed. Some batches come from another process, some
    are refused, some are sent again, one in a few is a restore."""
    rng = random.Random(seed)
    sent: list[list[dict[str, Any]]] = []
    for n in range(30):
        before = fresh_state(db_url)
        rev = get_journey(db, jid).rev
        writer = other if rng.random() < 0.2 else db
        if sent and rng.random() < 0.1:  # a batch sent again: every op_id known
            assert apply_ops(writer, jid, "u1", rng.choice(sent), rev).status == "duplicate"
            continue
        if rev > 2 and rng.random() < 0.1:
            restore_revision(writer, jid, rng.randrange(1, rev), "u1")
            assert_same(cached_state(writer), fresh_state(db_url))
            continue
        batch = [
            {"op_id": f"s{seed}-{n}-{k}", "op": op}
            for k, op in enumerate(random_ops(rng, before.journey, rng.randint(1, 3)))
        ]
        try:
            expected = apply_all(before.journey, [load_op(b["op"]) for b in batch])
        except OperationError:
            with pytest.raises(OpsRejected):
                apply_ops(writer, jid, "u1", batch, rev)
            assert fresh_state(db_url).flats == before.flats
            continue
        result = apply_ops(writer, jid, "u1", batch, rev)
        sent.append(batch)
        old, new = flatten(before.journey), flatten(expected)
        changed = {key for key, flat in new.items() if old.get(key) != flat}
        revs = entity_revs(db, jid)
        assert {k for k, (u, _) in revs.items() if u == result.rev and k[0] != "journey"} == changed
        header_changed = header_of(before.journey) != header_of(expected)
        assert (revs[("journey", "")][0] == result.rev) == header_changed
        for key, flat in new.items():  # tombstones: set when deleted, kept, cleared on restore
            deleted_rev = revs[key][1]
            assert (deleted_rev is not None) == flat.deleted
            if key in changed and flat.deleted and key in old and not old[key].deleted:
                assert deleted_rev == result.rev
        after = fresh_state(db_url)
        assert after.journey == assemble(header_of(expected), new.values())
        assert_same(cached_state(writer), after)
