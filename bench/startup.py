"""`journeymap analyze` start-up: the whole command in a fresh process, its store ingested,
beside a plain DuckDB SQL script answering the same question in a fresh process (the peer an
analyst would otherwise write, bench/sql_peer.py), and the imports that cost the most.

    .venv/bin/python -m bench.startup

On 250,000 demo events (the online-store template) and on the real online-retail log
(../shared/data/online_retail.csv.gz, 541,909 rows, when present). Each command runs five
times; the median and the best wall time are shown.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".bench-data"
SHARED = ROOT.parent / "shared" / "data" / "online_retail.csv.gz"
JM = Path(sys.executable).with_name("journeymap")
RUNS = 5

RETAIL_JOURNEY = """\
format_version: 1
id: retail
title: Buying again from the gift shop
stages:
  - {id: first, name: First order}
  - {id: again, name: Buying again}
sections:
  - id: persona
    name: Persona
    lanes: [{id: tp, name: Touchpoints, kind: touchpoints}]
cards:
  - {id: order, kind: touchpoint, stage: first, lane: tp, text: Order, events: {names: [order]}}
  - {id: return, kind: touchpoint, stage: again, lane: tp, text: Return,
     events: {names: [return]}}
"""
RETAIL_SOURCE = """\
source: {{path: {path}}}
columns: {{customer: CustomerID, timestamp: InvoiceDate, properties: [Country]}}
timezone: Europe/London
derive:
  - {{event: return, when: {{column: InvoiceNo, starts_with: C}}}}
  - {{event: order}}
"""


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def _times(command: list[str]) -> tuple[float, float]:
    runs = [_wall(command) for _ in range(RUNS)]
    return statistics.median(runs), min(runs)


def write_demo_question(path: Path) -> None:
    """The SQL peer's question for demo events: the online-store template's bindings."""
    from journeymap.services.templates import new_journey

    journey = new_journey(template="online-store-checkout")
    bound = [c for c in journey.live_cards() if getattr(c, "events", None)]
    question = {
        "columns": {"customer": "customer_id", "timestamp": "ts", "event": "event"},
        "touchpoints": {c.id: c.events.names for c in bound},  # type: ignore[attr-defined]
        "stage": {c.id: c.stage for c in bound},
        "stages": [s.id for s in journey.live_stages()],
        "window_days": 30,
    }
    path.write_text(json.dumps(question))


def _demo() -> tuple[list[str], list[str]]:
    from journeymap.analytics.demo_data import generate

    folder = DATA / "startup-250k"
    if not (folder / "events.parquet").exists():
        generate(folder, 250_000)
    journey_file = folder / "store.yaml"
    subprocess.run(
        [JM, "new", "-t", "online-store-checkout", "-f", journey_file],
        check=True,
        capture_output=True,
    )
    write_demo_question(folder / "question.json")
    source = folder / "online-store.source.yaml"
    ours = [str(JM), "analyze", str(journey_file), "--source", str(source)]
    peer = [
        sys.executable,
        str(ROOT / "bench" / "sql_peer.py"),
        str(folder / "events.parquet"),
        str(folder / "question.json"),
    ]
    return ours, peer


def _retail() -> tuple[list[str], list[str]] | None:
    if not SHARED.exists():
        return None
    folder = DATA / "startup-retail"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "retail.yaml").write_text(RETAIL_JOURNEY)
    (folder / "retail.source.yaml").write_text(RETAIL_SOURCE.format(path=SHARED))
    question = {
        "columns": {"customer": "CustomerID", "timestamp": "InvoiceDate"},
        "event_sql": "CASE WHEN starts_with(InvoiceNo, 'C') THEN 'return' ELSE 'order' END",
        "touchpoints": {"order": ["order"], "return": ["return"]},
        "stage": {"order": "first", "return": "again"},
        "stages": ["first", "again"],
        "window_days": 30,
    }
    (folder / "question.json").write_text(json.dumps(question))
    ours = [
        str(JM),
        "analyze",
        str(folder / "retail.yaml"),
        "--source",
        str(folder / "retail.source.yaml"),
    ]
    peer = [
        sys.executable,
        str(ROOT / "bench" / "sql_peer.py"),
        str(SHARED),
        str(folder / "question.json"),
    ]
    return ours, peer


def _imports(command: list[str]) -> list[tuple[int, str]]:
    """The imports with the largest cumulative time (microseconds), top-level modules only."""
    code = (
        "import sys; from journeymap.cli.app import main; "
        f"sys.argv = {['journeymap', *command[1:]]!r}; main()"
    )
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True
    )
    rows = []
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = (p.strip() for p in line[12:].split("|"))
            if cumulative.isdigit() and not name.startswith(" "):
                rows.append((int(cumulative), name))
    return sorted(rows, reverse=True)[:10]


def main() -> None:
    cases = {"demo 250k events": _demo(), "online retail (541,909 rows)": _retail()}
    print(
        f"{'events':<30} {'journeymap analyze s':>21} {'best':>6} {'DuckDB SQL script s':>20} "
        f"{'best':>6}"
    )
    for name, case in cases.items():
        if case is None:
            print(f"{name:<30} (not found: {SHARED})")
            continue
        ours, peer = case
        subprocess.run(ours, check=True, capture_output=True)  # ingest once, warm the caches
        (o_med, o_best), (p_med, p_best) = _times(ours), _times(peer)
        print(f"{name:<30} {o_med:>21.2f} {o_best:>6.2f} {p_med:>20.2f} {p_best:>6.2f}", flush=True)
    ours, _ = cases["demo 250k events"]  # type: ignore[misc]
    print("\nlargest imports of `journeymap analyze` (cumulative, python -X importtime):")
    for micros, module in _imports(ours):
        print(f"  {micros / 1000:7.0f} ms  {module.strip()}")


if __name__ == "__main__":
    main()
