"""Writers of one journey in one process take turns (services/write_queue.py): one at a time,
each journey on its own, never waiting for ever, and nothing kept once everyone is done."""

from __future__ import annotations

import threading
import time

from journeymap.services.write_queue import WriteQueue


def test_writers_of_one_journey_take_turns_and_nothing_is_kept() -> None:
    queue = WriteQueue()
    inside, most = [0], [0]
    count = threading.Lock()
    start = threading.Barrier(8)

    def write() -> None:
        start.wait()
        for _ in range(20):
            with queue.turn("j1"):
                with count:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                time.sleep(0.0005)
                with count:
                    inside[0] -= 1

    threads = [threading.Thread(target=write) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert most[0] == 1
    assert len(queue) == 0


def test_another_journey_does_not_wait() -> None:
    queue = WriteQueue()
    with queue.turn("j1"):
        done = threading.Event()

        def other() -> None:
            with queue.turn("j2"):
                done.set()

        threading.Thread(target=other).start()
        assert done.wait(timeout=10)


def test_a_writer_kept_waiting_too_long_goes_on_to_the_database() -> None:
    queue = WriteQueue(patience_s=0.2)
    went_on = threading.Event()

    def second() -> None:
        with queue.turn("j1"):
            went_on.set()

    with queue.turn("j1"):
        threading.Thread(target=second).start()
        assert went_on.wait(timeout=10)  # while the first still holds its turn
    assert len(queue) == 0
