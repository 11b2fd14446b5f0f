"""Group commit (services/group_commit.py): operations sent at once by several live sockets
share one transaction, and each is still applied or refused on its own, as its own revision,
by its own sender, announced once after the commit."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from journeymap.domain.limits import DEFAULT_LIMITS
from journeymap.services.batches import ApplyResult, OpsRejected
from journeymap.services.group_commit import group_commit
from journeymap.services.journey_changes import JourneyChanged, journey_changes
from journeymap.services.journeys import create_journey, get_journey
from journeymap.services.templates import new_journey
from journeymap.services.write_queue import write_turn
from journeymap.storage import Database


@pytest.fixture
def jid(db: Database) -> str:
    create_journey(db, "w1", new_journey(template="online-store-checkout"), "u1", journey_id="j1")
    return "j1"


def until(check: Any) -> None:
    for _ in range(500):
        if check():
            return
        threading.Event().wait(0.01)
    raise AssertionError("the senders did not queue")


def set_text(card: str, text: str, op_id: str) -> dict[str, Any]:
    return {
        "op_id": op_id,
        "op": {"kind": "set", "entity": "card", "id": card, "field": "text", "value": text},
    }


def test_concurrent_operations_share_a_commit_and_keep_their_own_revisions(
    db: Database, jid: str
) -> None:
    cards = [c.id for c in get_journey(db, jid).journey.live_cards()[:10]]
    items = [set_text(card, f"text {n}", f"op-{n}") for n, card in enumerate(cards)]
    items.append(set_text("no-such-card", "lost", "op-refused"))
    items.append(set_text(cards[0], "again", "op-0"))  # a repeated op_id: applies nothing
    actors = [f"user-{n % 3}" for n in range(len(items))]
    results: dict[str, ApplyResult | Exception] = {}
    heard: list[JourneyChanged] = []
    commits: list[int] = []
    unsubscribe = journey_changes(db).subscribe(heard.append)

    def counted(_session: Session) -> None:
        commits.append(1)

    def send(n: int) -> None:
        try:
            results[f"{n}"] = group_commit(db).apply(
                db, jid, actors[n], items[n], 1, DEFAULT_LIMITS
            )
        except Exception as error:
            results[f"{n}"] = error

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(items))]
    event.listen(Session, "after_commit", counted)
    try:
        with write_turn(db, jid):  # the senders queue meanwhile, in order
            for n, thread in enumerate(threads):
                thread.start()
                # the first leads (and waits for the turn); the others queue behind it
                until(lambda n=n: len(group_commit(db)._queued.get(jid, [])) == n)
        for thread in threads:
            thread.join(timeout=60)
    finally:
        event.remove(Session, "after_commit", counted)
        unsubscribe()

    # the first sender led a group of its own (it waited for the turn held above), the
    # others all went in the next one: two commits for twelve operations
    assert len(commits) == 2, commits
    refused = results[f"{len(items) - 2}"]
    assert isinstance(refused, OpsRejected), refused
    applied = {k: r for k, r in results.items() if isinstance(r, ApplyResult)}
    assert len(applied) == len(items) - 1
    statuses = sorted(r.status for r in applied.values())
    assert statuses == ["applied"] * 10 + ["duplicate"]
    revs = sorted(r.rev for r in applied.values() if r.status == "applied")
    assert revs == list(range(2, 12)), "one revision each, none skipped or shared"
    # the repeated op_id is answered with the revision its first copy was applied in
    duplicate = next(r for r in applied.values() if r.status == "duplicate")
    first = next(r for k, r in applied.items() if k == "0" and r.status == "applied")
    assert duplicate.acks[0].rev == first.rev == 2
    # announced once per revision, in order, each by its own sender
    assert [c.rev for c in heard] == revs
    for change in heard:
        (logged,) = change.ops
        n = int(logged["op_id"].removeprefix("op-"))
        assert change.actor == actors[n]
    journey = get_journey(db, jid)
    assert journey.rev == 11
    for n, card in enumerate(cards):
        found = journey.journey.card(card)
        assert found is not None and found.text == f"text {n}"
    with db.read() as uow:
        logged_ids = [r.op_id for r in uow.ops.between(jid, 1)]
    assert sorted(logged_ids) == sorted(f"op-{n}" for n in range(10)), "each once, none refused"
