"""Ingest and the full evidence build on demo events, at growing sizes.

    .venv/bin/python -m bench.analytics 1000000 10000000

For each size: generate the demo events once (cached in .bench-data/), then time a fresh ingest
(source Parquet to the normalised store) and the evidence build on the store (binding, reach,
stage funnel, transitions, top paths, drop-off), each in a fresh process so that peak memory
(max RSS) is the step's own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / ".bench-data"


def _step(step: str, folder: str) -> None:
    from journeymap.analytics import measures as m
    from journeymap.analytics.ingest import ingest
    from journeymap.analytics.spec_file import load_source_spec
    from journeymap.services.templates import new_journey

    base = Path(folder)
    spec = load_source_spec(base / "online-store.source.yaml")
    start = time.perf_counter()
    result = ingest(spec, base, base / "store", force=step == "ingest")
    if step == "evidence":
        start = time.perf_counter()
        journey = new_journey(template="online-store-checkout")
        m.measure_all(m.open_store(result.store), journey)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_mb,
                "events": result.report.rows_kept,
                "customers": result.report.customers,
            }
        )
    )


def main(sizes: list[int]) -> None:
    from journeymap.analytics.demo_data import generate

    print(
        f"{'events':>12} {'customers':>10} {'ingest s':>9} {'ingest MB':>10} "
        f"{'evidence s':>11} {'evidence MB':>12}"
    )
    for size in sizes:
        folder = ROOT / f"demo-{size}"
        if not (folder / "events.parquet").exists():
            start = time.perf_counter()
            generate(folder, size)
            print(f"  (generated {size:,} events in {time.perf_counter() - start:.0f} s)")
        runs = {}
        for step in ("ingest", "evidence"):
            out = subprocess.run(
                [sys.executable, "-m", "bench.analytics", "--step", step, str(folder)],
                check=True,
                capture_output=True,
                text=True,
            )
            runs[step] = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{runs['ingest']['events']:>12,} {runs['ingest']['customers']:>10,} "
            f"{runs['ingest']['seconds']:>9.2f} {runs['ingest']['peak_mb']:>10.0f} "
            f"{runs['evidence']['seconds']:>11.2f} {runs['evidence']['peak_mb']:>12.0f}"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--step":
        _step(sys.argv[2], sys.argv[3])
    else:
        main([int(a) for a in sys.argv[1:]] or [1_000_000])
