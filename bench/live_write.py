"""CPU per live operation in process, no sockets: `python -m bench.live_write [--ops 600]
[--group 1] [--profile]`. A fresh SQLite file with the online-store template journey and one
editor (an API token); the same operation mix as bench/collab.py (80% a card's text, 10% a card
added, 10% moved within its lane), each through `apply_one` (what a live `ops` message does),
`--group N` at a time from N threads (group commit), the caller checked again before each
(`LiveCaller.recheck`, as the socket route does). Prints thread CPU ms per operation; with
`--profile`, the cProfile of one thread's loop (group 1)."""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from journeymap.services import live
from journeymap.services.journeys import create_journey, get_journey
from journeymap.services.security import new_token
from journeymap.services.templates import new_journey
from journeymap.storage import Database, open_database

NO_PASSWORD = "!"  # signed in by API tokens only


def _world(path: Path, editors: int) -> tuple[Database, str, list[str]]:
    db = open_database(path)
    tokens = []
    with db.write() as uow:
        workspace = uow.accounts.add_workspace("Bench").id
        users = []
        for n in range(editors):
            user = uow.accounts.add_user(f"e{n}@example.com", f"e{n}", NO_PASSWORD)
            made = new_token()
            uow.access.add_token(user.id, "bench", made.prefix, made.digest)
            uow.accounts.set_role(workspace, user.id, "owner" if n == 0 else "editor")
            tokens.append(made.plaintext)
            users.append(user.id)
    start = new_journey(template="online-store-checkout")
    journey = create_journey(db, workspace, start, users[0]).id
    return db, journey, tokens


def _ops(db: Database, journey: str, count: int, me: int) -> list[dict[str, Any]]:
    j = get_journey(db, journey).journey
    rng = random.Random(me)
    cards = {c.id: c.lane for c in j.cards if not getattr(c, "deleted", False)}
    ids = sorted(cards)
    stages = [s.id for s in j.stages]
    lanes = sorted({c.lane for c in j.cards if c.kind == "note"}) or sorted(set(cards.values()))
    out = []
    for n in range(count):
        roll = rng.random()
        if roll < 0.10:
            card = f"b{me}-{n}"
            value = {
                "kind": "note",
                "stage": rng.choice(stages),
                "lane": rng.choice(lanes),
                "text": f"added by {me} ({n})",
            }
            op: dict[str, Any] = {"kind": "add", "entity": "card", "id": card, "value": value}
        elif roll < 0.20:
            card = rng.choice(ids)
            op = {
                "kind": "move",
                "entity": "card",
                "id": card,
                "stage": rng.choice(stages),
                "lane": cards[card],
            }
        else:
            op = {
                "kind": "set",
                "entity": "card",
                "id": rng.choice(ids),
                "field": "text",
                "value": f"{me}:{n}",
            }
        out.append({"op_id": f"o{me}-{n}", "op": op})
    return out


def _loop(
    db: Database, caller: live.LiveCaller, items: list[dict[str, Any]], cpu: list[float]
) -> None:
    started = time.thread_time()
    rev = 1
    for item in items:
        caller.recheck()
        ack = live.apply_one(db, caller, item, rev)  # the last revision this editor knows
        assert ack["status"] == "applied", ack
        rev = ack["rev"]
    cpu.append(time.thread_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=600)
    parser.add_argument("--group", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as d:
        db, journey, tokens = _world(Path(d) / "bench.db", args.group)
        live.hub(db)  # the after-commit signal has its subscriber, as in the server
        callers = [live.sign_in(db, journey, bearer=t) for t in tokens]
        per = args.ops // args.group
        work = [_ops(db, journey, per, n) for n in range(args.group)]
        # warm up (caches, imports) on a few operations of the first editor
        _loop(db, callers[0], _ops(db, journey, 20, 99), [])
        cpu: list[float] = []
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            _loop(db, callers[0], work[0], cpu)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        else:
            threads = [
                threading.Thread(target=_loop, args=(db, c, w, cpu))
                for c, w in zip(callers, work, strict=True)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        total = per * args.group
        print(
            f"{total} ops, group {args.group}: {1000 * sum(cpu) / total:.2f} ms CPU an op "
            f"(thread CPU, caller checked each time)"
        )
        db.dispose()


if __name__ == "__main__":
    main()
