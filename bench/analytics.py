"""Ingest and the full evidence build on demo events, at growing sizes, against the peers.

    .venv/bin/python -m bench.analytics 1000000 10000000 100000000
    .venv/bin/python -m bench.analytics --no-peers 100000000

For each size: generate the demo events once (cached in .bench-data/, 100 events a customer,
so 10M events are 100k customers), then, each step in a fresh process so that its peak memory
(VmHWM) is its own:
- `end-to-end`: from the Parquet file to the evidence: a forced ingest, then the evidence
  build (binding, reach, stage funnel with exact median and p90, transitions, top paths,
  drop-off) with the NumPy plan, as `journeymap analyze` does;
- `rebuild`: the evidence build alone on the ingested store;
- `ibis`: the same build through the Ibis plan on DuckDB (up to 10M: the measure that
  justifies the NumPy plan).
Times count from the start of the work, after imports; up to 10M each step runs three times
(best and median shown: timings on this VM vary by up to half between identical runs).
Beside them, in the same run: `sql`, a hand-written DuckDB SQL script computing the same
transitions and funnel straight from the Parquet file in a fresh process (bench/sql_peer.py).
Then, at 1M and 10M, the peers (bench/peers.py): retentioneering's transition graph and
pm4py's directly-follows graph.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / ".bench-data"
PEER_SIZES = (1_000_000, 10_000_000)
IBIS_UP_TO = 10_000_000


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):  # this process's own high-water mark (not ru_maxrss,
            return int(line.split()[1]) / 1024  # which carries the parent's through exec)
    return 0.0


def _step(step: str, folder: str) -> None:
    from journeymap.analytics import measures as m
    from journeymap.analytics.ingest import ingest
    from journeymap.analytics.spec_file import load_source_spec
    from journeymap.analytics.store_measures import measure_store
    from journeymap.services.templates import new_journey

    base = Path(folder)
    spec = load_source_spec(base / "online-store.source.yaml")
    journey = new_journey(template="online-store-checkout")
    start = time.perf_counter()
    result = ingest(spec, base, base / "store", force=step == "end-to-end")
    ingested = time.perf_counter() - start
    if step == "rebuild":
        start = time.perf_counter()
    if step == "ibis":
        start = time.perf_counter()
        m.measure_all(m.open_store(result.store), journey)
    else:
        measure_store(result.store, journey)
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - start,
                "ingest_seconds": ingested,
                "peak_mb": _peak_mb(),
                "events": result.report.rows_kept,
                "customers": result.report.customers,
            }
        )
    )


def _run(step: str, folder: Path, repeat: int) -> dict[str, float]:
    """The step `repeat` times, each in a fresh process: the best time (this VM's timings vary
    by up to half between identical runs), the median, and the highest peak memory."""
    import statistics

    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-m", "bench.analytics", "--step", step, str(folder)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["seconds"])
    return best | {
        "median": statistics.median(r["seconds"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
    }


def _sql_peer(folder: Path) -> float:
    """The hand-written DuckDB SQL peer on the raw Parquet file, in a fresh process."""
    from bench.startup import write_demo_question

    write_demo_question(folder / "question.json")
    out = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("sql_peer.py")),
            str(folder / "events.parquet"),
            str(folder / "question.json"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])


def main(sizes: list[int], peers: bool) -> None:
    from journeymap.analytics.demo_data import generate

    print(
        f"{'events':>12} {'customers':>10} {'end-to-end s':>13} {'median':>7} {'(ingest)':>9} "
        f"{'peak MB':>8} {'rebuild s':>10} {'median':>7} {'peak MB':>8} {'sql s':>6} "
        f"{'ibis s':>7} {'peak MB':>8}"
    )
    for size in sizes:
        folder = ROOT / f"demo-{size}"
        if not (folder / "events.parquet").exists():
            start = time.perf_counter()
            generate(folder, size, customers=max(1, size // 100))
            print(f"  (generated {size:,} events in {time.perf_counter() - start:.0f} s)")
        repeat = 3 if size <= IBIS_UP_TO else 1
        e2e, rebuild = _run("end-to-end", folder, repeat), _run("rebuild", folder, repeat)
        ibis = _run("ibis", folder, 1) if size <= IBIS_UP_TO else None
        sql = _sql_peer(folder)
        via_ibis = f"{ibis['seconds']:>7.2f} {ibis['peak_mb']:>8.0f}" if ibis else ""
        print(
            f"{e2e['events']:>12,} {e2e['customers']:>10,} {e2e['seconds']:>13.2f} "
            f"{e2e['median']:>7.2f} {e2e['ingest_seconds']:>9.2f} {e2e['peak_mb']:>8.0f} "
            f"{rebuild['seconds']:>10.2f} {rebuild['median']:>7.2f} {rebuild['peak_mb']:>8.0f} "
            f"{sql:>6.2f} {via_ibis}",
            flush=True,
        )
        if peers and size in PEER_SIZES:
            from bench.peers import demo_store, time_peers

            raw, store = demo_store(size)
            report = time_peers(raw, store)
            for name in ("journeymap", "retentioneering", "pm4py"):
                side = report[name]
                if "error" in side:
                    print(f"    {name:<16} {side['error']}")
                    continue
                ratio = report["ratios"].get(name, {})
                print(
                    f"    {name:<16} {side['total_s']:>7.2f} s {side['peak_mb']:>7.0f} MB"
                    f"  counts agree: {side['agrees']}"
                    + (f"  (x{ratio['time']} time, x{ratio['peak_mb']} memory)" if ratio else "")
                )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--step":
        _step(sys.argv[2], sys.argv[3])
    else:
        args = [a for a in sys.argv[1:] if a != "--no-peers"]
        main([int(a) for a in args] or [1_000_000], peers="--no-peers" not in sys.argv)
