"""bench/collab.py runs end to end (a smoke test, never timed): 3 editors for a few seconds
against a real server and the plain websockets peer; every applied operation reached every
other editor exactly once, and the report carries its figures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_collab_bench_loses_nothing_and_prints_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.collab", "--editors", "3", "--seconds", "2", "--rate", "4"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr[-3000:]
    latencies = re.findall(r"p50 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms \(n=(\d+)\)", out)
    assert len(latencies) == 2, out  # ours, then the peer's
    sent = [int(n) for n in re.findall(r"ops sent (\d+), acked (\d+)", out)[0]]
    assert sent[0] > 0 and sent[0] == sent[1], out
    applied = [int(a) for a in re.findall(r"applied (\d+),", out)]
    # each applied operation: one sample per other editor (2 of the 3)
    assert [int(n) for n in latencies] == [2 * a for a in applied], out
    lost = re.findall(
        r"lost (\d+) \(not received [\d.]+ s after the last send\), received twice (\d+)", out
    )
    assert lost == [("0", "0"), ("0", "0")], out
    assert re.search(
        r"server CPU [\d.]+ s in \d+ s \([\d.]+ ms an applied op\), peak RSS \d+ MB", out
    ), out
    assert "target: p99 < 100 ms" in out, out
