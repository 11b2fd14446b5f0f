"""Peer timings: retentioneering's transition graph and pm4py's directly-follows graph.

    .venv/bin/python -m bench.peers 1000000 10000000  # demo data in .bench-data/, ingested
    .venv/bin/python -m bench.peers --repeat 3 1000000  # each side 3 times, the fastest

Prints one JSON object per size. From bench/analytics.py: `time_peers(raw, store)`, which
needs nothing but the standard library to import (it makes the peers' venv when first run).

The peers live in their own virtualenv, `.bench-peers/` at the repo root, never in
pyproject.toml or uv.lock; `ensure_peers_env()` makes it with the machine's python3 and uv,
installing these pins (the newest releases at the time of writing; they install and run on
Python 3.11):

    retentioneering==5.2.4  pm4py==2.7.23.11  pandas==3.1.1  numpy==2.4.6
    pyarrow==26.0.1  duckdb==2.0.0

What each side computes, on every event of the file (not just events bound to touchpoints):

- retentioneering: `Eventstream(df, schema={path_cols: [customer], event_col: event,
  timestamp_col: ts})` (load: it converts epoch ms to datetimes, makes the event column a
  category, sorts by customer, time and its subindex, numbers each path's events), then
  `stream.transition_graph_data(edge_weight="count")` (compute: the events x events count
  matrix behind its TransitionGraph widget; it adds path_start/path_end events to each path,
  then counts `lead(event)` pairs per path in DuckDB and pivots with pandas). The synthetic
  path_start/path_end rows and columns are left out of the comparison.
- pm4py: `pm4py.format_dataframe(df, case_id="customer", activity_key="event",
  timestamp_key="ts")` after converting epoch ms to datetimes (load: copies columns to the
  XES names, casts to string, sorts by case, time and row), then `pm4py.discover_dfg(df)`
  (compute: counts of directly-follows pairs within each case, plus start and end
  activities).
- journeymap: the whole evidence build on its ingested store (`measure_store`, the NumPy
  plan), with every event name bound as its own touchpoint, so that its transitions are the
  peers' event-to-event counts; it also computes reach, the funnel, shares, median gaps,
  paths and drop-off, which the peers don't.
- the reference counts: plain DuckDB SQL over the Parquet (lead(event) per customer ordered
  by ts, source_row), against which all three are checked pair by pair.

Each side runs in a fresh process (the peers in the peers' venv), so peak memory (max RSS:
VmHWM of /proc/self/status in the child, resource.getrusage where there is none) is its own.
Times: `load_s` (Parquet into the tool's structure), `compute_s` (the graph), `total_s` (the
two); `import_s` (importing the library) is reported but not included. A side stopped after
TIME_LIMIT_S or above MEMORY_LIMIT_MB reports that instead of times.
RETENTIONEERING_NO_TRACK=1 is set (retentioneering sends usage analytics otherwise). Both
stores (customer_key, customer, ts epoch ms, event, source_row, ...) and the raw demo
events.parquet (customer_id, ts timestamp, event, ...) are accepted; a folder means the
ingested store inside it if there is one, else its events.parquet.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PEERS_ENV = REPO / ".bench-peers"
PEERS_PYTHON = PEERS_ENV / "bin" / "python"
PINS = (
    "retentioneering==5.2.4",
    "pm4py==2.7.23.11",
    "pandas==3.1.1",
    "numpy==2.4.6",
    "pyarrow==26.0.1",
    "duckdb==2.0.0",
)
PEERS = ("retentioneering", "pm4py")
TIME_LIMIT_S = 15 * 60
MEMORY_LIMIT_MB = 20 * 1024  # of the machine's 24 GiB; above it the side is stopped
SAMPLE_PAIRS = 5


# ----------------------------------------------------------------------------- the parent


def ensure_peers_env() -> Path:
    """The peers' Python (`.bench-peers/bin/python`), made and filled with PINS if missing."""
    marker = PEERS_ENV / "pins.txt"
    if PEERS_PYTHON.exists() and marker.exists() and marker.read_text() == "\n".join(PINS):
        return PEERS_PYTHON
    uv = REPO / ".venv" / "bin" / "uv"
    uv_cmd = str(uv) if uv.exists() else shutil.which("uv")
    if uv_cmd is None:
        raise RuntimeError("no uv: run `make sync` first (it installs uv into .venv)")
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    python3 = shutil.which("python3") or "python3"
    if not PEERS_PYTHON.exists():
        subprocess.run(
            [uv_cmd, "venv", "--quiet", "--python", python3, str(PEERS_ENV)], check=True, env=env
        )
    subprocess.run(
        [uv_cmd, "pip", "install", "--quiet", "--python", str(PEERS_PYTHON), *PINS],
        check=True,
        env=env,
    )
    marker.write_text("\n".join(PINS))
    return PEERS_PYTHON


def resolve(path: Path) -> Path:
    """The Parquet file to read: the path itself, or the (ingested) events inside a folder."""
    if path.is_file():
        return path
    stores = sorted(path.glob("**/ingest/*/events.parquet"))
    if stores:
        return stores[0]
    if (path / "events.parquet").exists():
        return path / "events.parquet"
    raise FileNotFoundError(f"{path}: no events.parquet in it")


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _run_side(python: Path, side: str, parquet: Path) -> dict[str, Any]:
    """Run one side in a fresh process; its JSON, or why it has none."""
    env = {**os.environ, "RETENTIONEERING_NO_TRACK": "1", "PYTHONWARNINGS": "ignore"}
    cmd = [str(python), str(Path(__file__).resolve()), "--side", side, str(parquet)]
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO
    )
    watched_peak = 0.0
    while True:
        try:
            out, err = proc.communicate(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            watched_peak = max(watched_peak, _rss_mb(proc.pid))
            elapsed = time.perf_counter() - start
            why = None
            if elapsed > TIME_LIMIT_S:
                why = f"stopped after {TIME_LIMIT_S} s (time limit)"
            elif watched_peak > MEMORY_LIMIT_MB:
                why = f"stopped at {watched_peak:.0f} MB RSS (memory limit {MEMORY_LIMIT_MB} MB)"
            if why:
                proc.kill()
                proc.communicate()
                return {"error": why, "wall_s": round(elapsed, 1), "peak_mb": round(watched_peak)}
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (err.strip().splitlines() or ["(no output)"])[-1]
        if proc.returncode == -9:
            tail = "killed (SIGKILL: out of memory?)"
        return {"error": f"exit {proc.returncode}: {tail}", "peak_mb": round(watched_peak)}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _pairs(result: dict[str, Any]) -> dict[tuple[str, str], int]:
    return {(a, b): n for a, b, n in result.get("pairs", [])}


def _best_of(python: Path, side: str, parquet: Path, repeat: int) -> dict[str, Any]:
    """The fastest of `repeat` fresh runs of one side (all its totals kept), or its error."""
    runs: list[dict[str, Any]] = []
    for _ in range(max(1, repeat)):
        run = _run_side(python, side, parquet)
        if "error" in run:
            return run
        runs.append(run)
    key = "total_s" if "total_s" in runs[0] else "compute_s"
    best = min(runs, key=lambda run: run[key])
    if len(runs) > 1:
        best[f"{key}_all"] = [run[key] for run in runs]
    return best


def time_peers(parquet: Path, store: Path, repeat: int = 1) -> dict[str, Any]:
    """Time the peers on a Parquet of raw events and journeymap on its ingested store; check
    their counts agree.

    Each side runs `repeat` times, each in a fresh process; the fastest run is reported
    (on a shared machine the slower runs measure the neighbours)."""
    parquet = resolve(Path(parquet))
    peers_python = ensure_peers_env()
    ours = REPO / ".venv" / "bin" / "python"  # journeymap's own venv (`make sync`)
    here = ours if ours.exists() else Path(sys.executable)
    sides: dict[str, dict[str, Any]] = {"reference": _best_of(here, "sql", parquet, repeat)}
    sides["journeymap"] = _best_of(here, "journeymap", Path(store), repeat)
    for peer in PEERS:
        sides[peer] = _best_of(peers_python, peer, parquet, repeat)
    reference = _pairs(sides["reference"])
    top = sorted(reference.items(), key=lambda kv: -kv[1])[:SAMPLE_PAIRS]
    report: dict[str, Any] = {
        "parquet": str(parquet),
        "events": sides["reference"].get("events"),
        "customers": sides["reference"].get("customers"),
        "transitions": sum(reference.values()),
        "pairs": len(reference),
        "samples": [
            {
                "pair": f"{a} -> {b}",
                **{name: _pairs(side).get((a, b)) for name, side in sides.items()},
            }
            for (a, b), _ in top
        ],
    }
    ours = sides["journeymap"]
    report["ratios"] = {}  # peer / journeymap: above 1, journeymap is faster or smaller
    for name, side in sides.items():
        pairs = side.pop("pairs", None)
        if name != "reference":
            side["agrees"] = None if pairs is None else _pairs({"pairs": pairs}) == reference
        if name in PEERS and "total_s" in side and "total_s" in ours:
            report["ratios"][name] = {
                "time": round(side["total_s"] / ours["total_s"], 2),
                "peak_mb": round(side["peak_mb"] / ours["peak_mb"], 2),
            }
        report[name] = side
    return report


def demo_store(size: int) -> tuple[Path, Path]:
    """(raw events, ingested store) of `size` demo events in .bench-data/, made as
    bench/analytics.py makes them (100 events a customer)."""
    from journeymap.analytics.demo_data import generate
    from journeymap.analytics.ingest import ingest
    from journeymap.analytics.spec_file import load_source_spec

    folder = REPO / ".bench-data" / f"demo-{size}"
    if not (folder / "events.parquet").exists():
        generate(folder, size, customers=max(1, size // 100))
    spec = load_source_spec(folder / "online-store.source.yaml")
    return folder / "events.parquet", Path(ingest(spec, folder, folder / "store").store)


# ----------------------------------------------------------------------------- the children


def _columns(parquet: Path) -> tuple[str, str, str | None]:
    """(customer column, ts column kind, order column) of a store or of raw demo events."""
    import pyarrow.parquet as pq

    schema = pq.read_schema(parquet)
    names = schema.names
    customer = next((c for c in ("customer", "customer_id", "customer_key") if c in names), None)
    if customer is None or "ts" not in names or "event" not in names:
        raise SystemExit(f"{parquet}: wants customer (or customer_id), ts and event; has {names}")
    kind = "epoch_ms" if str(schema.field("ts").type) == "int64" else "timestamp"
    return customer, kind, "source_row" if "source_row" in names else None


def _read_events(parquet: Path) -> Any:
    """customer, ts, event as pandas (ts left as the file has it), in file order."""
    import pyarrow.parquet as pq

    customer, _, _ = _columns(parquet)
    frame = pq.read_table(parquet, columns=[customer, "ts", "event"]).to_pandas()
    return frame.rename(columns={customer: "customer"})


def _peak_mb() -> float:
    """This process's peak RSS. getrusage's ru_maxrss is the fallback only: Linux carries the
    parent's high-water mark through fork and exec into it, so a child of a big process (as
    after `--demo`'s in-process ingest) reports the parent's peak; VmHWM is this image's own."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _emit(result: dict[str, Any]) -> None:
    result["peak_mb"] = round(_peak_mb(), 1)
    for key in ("import_s", "load_s", "compute_s"):
        if key in result:
            result[key] = round(result[key], 3)
    if "load_s" in result and "compute_s" in result:
        result["total_s"] = round(result["load_s"] + result["compute_s"], 3)
    print(json.dumps(result))


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _side_retentioneering(parquet: Path) -> None:
    start = time.perf_counter()
    from retentioneering import Eventstream

    import_s = time.perf_counter() - start
    start = time.perf_counter()
    frame = _read_events(parquet)
    stream = Eventstream(
        frame, schema={"path_cols": ["customer"], "event_col": "event", "timestamp_col": "ts"}
    )
    del frame
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    matrix = stream.transition_graph_data(edge_weight="count")
    compute_s = time.perf_counter() - start
    synthetic = {"path_start", "path_end"}
    pairs = [
        [str(a), str(b), int(n)]
        for (a, b), n in matrix.stack().items()
        if n and a not in synthetic and b not in synthetic
    ]
    _emit(
        {
            "version": _version("retentioneering"),
            "computes": 'Eventstream(...).transition_graph_data(edge_weight="count")',
            "import_s": import_s,
            "load_s": load_s,
            "compute_s": compute_s,
            "pairs": pairs,
        }
    )


def _side_pm4py(parquet: Path) -> None:
    start = time.perf_counter()
    import pandas as pd
    import pm4py

    import_s = time.perf_counter() - start
    start = time.perf_counter()
    frame = _read_events(parquet)
    if _columns(parquet)[1] == "epoch_ms":
        frame["ts"] = pd.to_datetime(frame["ts"], unit="ms", utc=True)
    log = pm4py.format_dataframe(
        frame, case_id="customer", activity_key="event", timestamp_key="ts"
    )
    del frame
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    dfg, _starts, _ends = pm4py.discover_dfg(log)
    compute_s = time.perf_counter() - start
    _emit(
        {
            "version": _version("pm4py"),
            "computes": "pm4py.discover_dfg(pm4py.format_dataframe(...))",
            "import_s": import_s,
            "load_s": load_s,
            "compute_s": compute_s,
            "pairs": [[str(a), str(b), int(n)] for (a, b), n in dfg.items()],
        }
    )


def _normalised_sql(parquet: Path) -> str:
    """The events as customer_key, ts (epoch ms), event, source_row, from either layout."""
    customer, kind, order = _columns(parquet)
    path = "'" + str(parquet).replace("'", "''") + "'"
    ts = "ts" if kind == "epoch_ms" else "epoch_ms(ts)"
    row = order or "file_row_number"
    return (
        f'SELECT "{customer}" AS customer_key, {ts} AS ts, event, {row} AS source_row '
        f"FROM read_parquet({path}, file_row_number = true)"
    )


def _side_sql(parquet: Path) -> None:
    import duckdb

    con = duckdb.connect()
    events, customers = con.execute(
        f"SELECT count(*), count(DISTINCT customer_key) FROM ({_normalised_sql(parquet)})"
    ).fetchone() or (0, 0)
    start = time.perf_counter()
    rows = con.execute(f"""
        SELECT event, next_event, count(*) FROM (
            SELECT event, lead(event) OVER (
                PARTITION BY customer_key ORDER BY ts, source_row) AS next_event
            FROM ({_normalised_sql(parquet)}))
        WHERE next_event IS NOT NULL GROUP BY ALL""").fetchall()
    _emit(
        {
            "version": duckdb.__version__,
            "computes": "DuckDB SQL: lead(event) per customer ordered by ts, source_row",
            "compute_s": time.perf_counter() - start,
            "events": events,
            "customers": customers,
            "pairs": [[a, b, int(n)] for a, b, n in rows],
        }
    )


def _side_journeymap(store: Path) -> None:
    """The evidence build on journeymap's store (the NumPy plan), with every event name bound
    as a touchpoint of its own, so its transitions are the peers' event-to-event counts."""
    start = time.perf_counter()
    from journeymap.analytics.store import read_dictionary
    from journeymap.analytics.store_measures import measure_store
    from journeymap.domain.apply import apply_all
    from journeymap.domain.ids import slugify
    from journeymap.domain.operations import AddOp
    from journeymap.services.templates import new_journey

    import_s = time.perf_counter() - start
    names = [n for n in read_dictionary(store)["event"] if n is not None]
    ids = {f"e{i}-{slugify(n, max_words=4)}": n for i, n in enumerate(names)}
    journey = apply_all(
        new_journey(framework="three-stage"),
        [
            AddOp(
                entity="card",
                id=i,
                value={
                    "kind": "touchpoint",
                    "stage": "consideration",
                    "lane": "touchpoints",
                    "channel": "web",
                    "text": n,
                    "events": {"names": [n]},
                },
            )
            for i, n in ids.items()
        ],
    )
    start = time.perf_counter()
    measured = measure_store(store, journey)
    total_s = time.perf_counter() - start
    _emit(
        {
            "version": _version("journeymap"),
            "computes": "the whole evidence build (store_measures.measure_store), every event "
            "its own touchpoint: reach, funnel, transitions with shares and median gaps, "
            "paths, drop-off",
            "import_s": import_s,
            "load_s": 0.0,
            "compute_s": total_s,
            "total_s": total_s,
            "pairs": [[ids[t.source], ids[t.target], t.count] for t in measured.transitions],
        }
    )


SIDES = {
    "retentioneering": _side_retentioneering,
    "pm4py": _side_pm4py,
    "sql": _side_sql,
    "journeymap": _side_journeymap,
}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--side"]:
        SIDES[argv[1]](Path(argv[2]))
        return
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m bench.peers", description=__doc__.split("\n")[0]
    )
    parser.add_argument("sizes", nargs="*", type=int, help="demo sizes (events)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per side; the fastest counts")
    args = parser.parse_args(argv)
    for size in args.sizes or [1_000_000]:
        raw, store = demo_store(size)
        print(json.dumps(time_peers(raw, store, args.repeat), indent=2), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
