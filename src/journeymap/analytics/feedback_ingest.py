"""Feedback ingest: read the file, check every row, place each answer on the map, mask personal
details, score the free text's sentiment, and keep the result for later runs.

The same report as events: rows read and kept, rows dropped by reason with up to three example
rows (row, column, value) and what to change. The result is cached under the data folder by a
fingerprint of the file, the definition, the journey's touchpoints and bindings and the
analyser; it is written to a temporary folder and renamed, so nothing is ever half-stored.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..domain.cards import TouchpointCard
from ..domain.model import Journey
from ..domain.suggest import did_you_mean, one_of
from .errors import SourceError
from .feedback_read import read_feedback
from .feedback_spec import FeedbackSpec
from .ingest_report import EXAMPLES, example, iso

CACHE_VERSION = 1


@dataclass
class FeedbackReport:
    source: str
    rows_read: int
    rows_kept: int
    dropped: dict[str, int]
    first_answer: str | None
    last_answer: str | None
    customers: int
    scores: dict[str, int]  # scale -> answers with a score
    texts: int  # answers with free text
    masked: int  # texts in which personal details were masked
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    fixes: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Feedback:
    """The kept answers, a column each (`answers` is an Arrow table): row, customer, ts (epoch
    ms), touchpoint (or None), stage, scale (or None), score (or None), text (masked, or
    None), sentiment (NaN without text), and the mapped attributes."""

    spec: FeedbackSpec
    report: FeedbackReport
    answers: Any
    reused: bool = False


def fingerprint(spec: FeedbackSpec, source: Path, journey: Journey, analyser: str) -> str:
    stat = source.stat()
    places = [
        [c.id, c.stage, None if c.events is None else c.events.model_dump(mode="json")]
        for c in journey.live_cards()
        if isinstance(c, TouchpointCard)
    ]
    key = {
        "spec": spec.model_dump(mode="json"),
        "file": [str(source.resolve()), stat.st_size, stat.st_mtime_ns],
        "places": places,
        "stages": [s.id for s in journey.live_stages()],
        "analyser": analyser,
        "version": CACHE_VERSION,
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:20]


def ingest_feedback(
    spec: FeedbackSpec,
    base: Path,
    journey: Journey,
    data_dir: Path,
    force: bool = False,
    events_store: Path | None = None,  # for place: last_event
) -> Feedback:
    import pyarrow.parquet as pq

    from .sentiment import DEFAULT

    source = spec.feedback.resolved(base)
    if not source.exists():
        raise SourceError(f"{source}: no such file (check feedback.path, relative to {base})")
    analyser = spec.sentiment or DEFAULT
    key = fingerprint(spec, source, journey, analyser)
    if events_store is not None:
        key += "-" + events_store.parent.name
    folder = data_dir / "feedback" / key
    if (folder / "report.json").exists() and not force:
        report = FeedbackReport(**json.loads((folder / "report.json").read_text()))
        return Feedback(spec, report, pq.read_table(folder / "answers.parquet"), reused=True)
    report, answers = _run(spec, source, journey, analyser, events_store)
    temporary = folder.with_name(folder.name + ".writing")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    pq.write_table(answers, temporary / "answers.parquet", compression="zstd")
    (temporary / "report.json").write_text(json.dumps(asdict(report), indent=2))
    shutil.rmtree(folder, ignore_errors=True)
    temporary.rename(folder)
    return Feedback(spec, report, answers)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _timestamp(spec: FeedbackSpec) -> str:
    column = _q(spec.columns.timestamp)
    form = spec.timestamp_format
    if form in ("epoch_s", "epoch_ms"):
        scale = 1000 if form == "epoch_s" else 1
        return f"CAST(round(TRY_CAST({column} AS DOUBLE) * {scale}) AS BIGINT)"
    parsed = (
        f"try_strptime({column}, {_lit(form)})::TIMESTAMPTZ"
        if form
        else f"TRY_CAST({column} AS TIMESTAMPTZ)"
    )
    return f"epoch_ms({parsed})"


def _run(
    spec: FeedbackSpec, source: Path, journey: Journey, analyser: str, store: Path | None
) -> tuple[FeedbackReport, Any]:
    """Every check in one DuckDB pass over the file's rows (a reason per row, or none), with
    the places and scales looked up in small tables made from their distinct values: a
    million answers cost about as much as reading them."""
    import duckdb
    import pyarrow as pa

    table, dropped_early = read_feedback(source, spec.feedback.kind(), spec.feedback.sheet)
    present = [n for n in table.column_names if n != "_row"]
    for column in spec.source_columns():
        if column not in present:
            hint = did_you_mean(column, present, f"its columns are: {one_of(present, 20)}")
            raise SourceError(f"{source.name} has no column '{column}' ({hint})")
    c = spec.columns
    mapped = ", ".join(_q(m) for m in spec.source_columns())

    def text(name: str | None) -> str:
        # Every reader gives text already trimmed, blanks as NULL (feedback_read.py): trimming
        # each cell again cost as much as the rest of this pass.
        return _q(name) if name else "NULL::VARCHAR"

    placer = _Placer(spec, journey)
    default = _lit(spec.scale) if spec.scale else "NULL"
    scale = f"lower({text(c.score_type)})" if c.score_type else default
    attributes = "".join(f", {text(a)} AS {_q('attr:' + a)}" for a in c.attributes)
    con = duckdb.connect()
    try:
        con.execute(f"SET TimeZone = {_lit(spec.timezone)}")
        con.register("answers", table)
        # Exact duplicates: rows equal in every mapped column have equal hashes, so only rows
        # whose hash repeats (few) are partitioned and ordered; a window over every row costs
        # four times the hashing.
        con.execute(f"""
            CREATE TEMP TABLE repeats AS SELECT _row,
                row_number() OVER (PARTITION BY {mapped} ORDER BY _row) > 1 AS dup,
                min(_row) OVER (PARTITION BY {mapped}) AS first_row
            FROM answers WHERE hash({mapped}) IN (
                SELECT hash({mapped}) FROM answers GROUP BY 1 HAVING count(*) > 1)""")
        # A view: the one table made is `checked`, from the answers as they are read.
        con.execute(f"""
            CREATE TEMP VIEW base AS SELECT _row AS "row", {text(c.customer)} AS customer,
                {_timestamp(spec)} AS ts, {text(c.timestamp)} AS ts_raw,
                {text(c.score)} AS score_raw, TRY_CAST({text(c.score)} AS DOUBLE) AS score_num,
                {scale} AS scale_raw, {text(c.text)} AS "text",
                {text(spec.place.column)} AS place_raw,
                coalesce(r.dup, false) AS dup, coalesce(r.first_row, _row) AS first_row
                {attributes}
            FROM answers LEFT JOIN repeats r USING (_row)""")
        values = [
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT {text(spec.place.column)} FROM answers"
            ).fetchall()
        ]
        places = [placer.place(v, "x", 0) for v in values]
        con.register(
            "places",
            pa.table(
                {
                    "value": pa.array(values, pa.string()),
                    "touchpoint": pa.array(
                        [None if isinstance(p, Unplaced) else p[0] for p in places], pa.string()
                    ),
                    "place_stage": pa.array(
                        [None if isinstance(p, Unplaced) else p[1] for p in places], pa.string()
                    ),
                    "reason": pa.array(
                        [p.reason if isinstance(p, Unplaced) else None for p in places], pa.string()
                    ),
                    "fix": pa.array(
                        [p.fix if isinstance(p, Unplaced) else None for p in places], pa.string()
                    ),
                }
            ),
        )
        known = spec.known_scales()
        con.register(
            "scales",
            pa.table(
                {
                    "name": known,
                    "low": [spec.scale_of(k).low for k in known],
                    "high": [spec.scale_of(k).high for k in known],
                }
            ),
        )
        customer_needed = "customer IS NULL" if spec.place.by == "last_event" else "false"
        con.execute(f"""
            CREATE TEMP TABLE checked AS SELECT b.*, p.touchpoint, p.place_stage AS stage,
                p.fix AS place_fix, s.name AS scale, CASE
                WHEN dup THEN 'exact duplicate'
                WHEN ts IS NULL AND ts_raw IS NULL THEN 'missing timestamp'
                WHEN ts IS NULL THEN 'unparsable timestamp'
                WHEN score_raw IS NULL AND "text" IS NULL THEN 'no score and no text'
                WHEN score_raw IS NOT NULL AND s.name IS NULL THEN 'unknown scale'
                WHEN score_raw IS NOT NULL AND score_num IS NULL THEN 'unparsable score'
                WHEN score_raw IS NOT NULL AND (score_num <> floor(score_num)
                     OR score_num < s.low OR score_num > s.high) THEN 'score out of range'
                WHEN {customer_needed} THEN 'missing customer id'
                WHEN p.reason IS NOT NULL THEN p.reason
                END AS _reason
            FROM base b
            LEFT JOIN scales s ON s.name = CASE WHEN b.score_raw IS NULL THEN NULL
                                                ELSE b.scale_raw END
            LEFT JOIN places p ON p.value IS NOT DISTINCT FROM b.place_raw""")
        dropped = dict(dropped_early)
        dropped |= dict(
            con.execute(
                "SELECT _reason, count(*) FROM checked WHERE _reason IS NOT NULL GROUP BY 1"
            ).fetchall()
        )
        examples, fixes = _examples(con, spec)
        kept = con.sql(f"""
            SELECT "row", customer, ts, touchpoint, stage, scale,
                   CASE WHEN score_raw IS NOT NULL THEN CAST(score_num AS BIGINT) END AS score,
                   "text" {"".join(", " + _q("attr:" + a) for a in c.attributes)}
            FROM checked WHERE _reason IS NULL""").to_arrow_table()
        rows_read = table.num_rows
    finally:
        con.close()
    kept = _in_row_order(kept)
    answers = _table(spec, kept, store, placer)
    report = _report(
        spec, source, rows_read + sum(dropped_early.values()), answers, dropped, examples, fixes
    )
    return report, answers


def _in_row_order(kept: Any) -> Any:
    """The kept answers by row (each row is one answer, so the order is total). DuckDB's
    threads give them in runs already in order: a stable sort of the row numbers alone
    (timsort, quick on runs) and one take cost half an ORDER BY carrying every column."""
    import numpy as np
    import pyarrow as pa

    from .store import as_numpy

    if kept.num_rows < 2:
        return kept
    row = as_numpy(kept["row"])
    if bool((row[1:] > row[:-1]).all()):
        return kept
    return kept.take(pa.array(np.argsort(row, kind="stable"), pa.int64()))


def _examples(
    con: Any, spec: FeedbackSpec
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    """The first rows dropped for each reason (row, column, value as written) and the fix."""
    c = spec.columns
    where = spec.place.column or "place"
    shown = {  # reason -> (column, value expression)
        "exact duplicate": ("every column", "'same as row ' || first_row"),
        "missing timestamp": (c.timestamp, "ts_raw"),
        "unparsable timestamp": (c.timestamp, "ts_raw"),
        "no score and no text": (c.score or c.text, "NULL"),
        "unknown scale": (c.score_type, "scale_raw"),
        "unparsable score": (c.score, "score_raw"),
        "score out of range": (c.score, "score_raw"),
        "missing customer id": (c.customer, "customer"),
    }
    cases = " ".join(f"WHEN {_lit(r)} THEN CAST({v} AS VARCHAR)" for r, (_, v) in shown.items())
    rows = con.execute(f"""
        SELECT _reason, "row", CASE _reason {cases} ELSE place_raw END, place_fix, scale_raw
        FROM checked WHERE _reason IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY _reason ORDER BY "row") <= {EXAMPLES}
        ORDER BY _reason, "row" """).fetchall()
    examples: dict[str, list[dict[str, Any]]] = {}
    fixes: dict[str, str] = {}
    for reason, row, value, place_fix, scale_raw in rows:
        column = shown[reason][0] if reason in shown else where
        examples.setdefault(reason, []).append(example(row, column, value))
        if reason in fixes:
            continue
        if reason == "exact duplicate":
            fixes[reason] = _DUP
        elif reason in ("missing timestamp", "unparsable timestamp"):
            fixes[reason] = _ts_fix(spec)
        elif reason == "no score and no text":
            fixes[reason] = _EMPTY
        elif reason == "unknown scale":
            hint = did_you_mean(scale_raw or "", spec.known_scales(), "") or ""
            fixes[reason] = _scale_fix(spec, hint)
        elif reason in ("unparsable score", "score out of range"):
            name = scale_raw or spec.scale or ""
            if name in spec.known_scales():
                low, high = spec.scale_of(name).low, spec.scale_of(name).high
                fixes[reason] = (
                    f"{name} scores are whole numbers from {low} to {high}; "
                    "correct the row, or the scale (`scale:`)"
                )
        elif reason == "missing customer id":
            fixes[reason] = "last_event needs the customer of each answer"
        else:
            fixes[reason] = place_fix or ""
    return examples, fixes


_DUP = (
    "nothing to change: a row equal in every mapped column to an earlier row is a repeat "
    "(an export run twice) and counts once"
)
_EMPTY = "nothing to measure on these rows: map the score or text column that holds the answer"


def _ts_fix(spec: FeedbackSpec) -> str:
    if spec.timestamp_format:
        return f"they do not match timestamp_format '{spec.timestamp_format}'; correct it"
    return (
        "they are not ISO 8601 (2024-01-31 13:45:00): add `timestamp_format:` with their "
        "strptime format, such as '%d/%m/%Y %H:%M', or epoch_s / epoch_ms"
    )


def _scale_fix(spec: FeedbackSpec, hint: str) -> str:
    known = ", ".join(spec.known_scales())
    return (f"{hint}; " if hint else "") + f"scales are {known}; declare others under `scales:`"


@dataclass(frozen=True)
class Unplaced:
    reason: str
    fix: str


class _Placer:
    """Where an answer belongs: (touchpoint or None, stage), or (reason, fix) to drop it."""

    def __init__(self, spec: FeedbackSpec, journey: Journey) -> None:
        self.by = spec.place.by
        self.within = spec.place.within_ms()
        touchpoints = [c for c in journey.live_cards() if isinstance(c, TouchpointCard)]
        self.stage_of = {c.id: c.stage for c in touchpoints}
        self.touchpoint_ids = [c.id for c in touchpoints]
        names = {c.text.strip().lower(): c.id for c in touchpoints}
        self.touchpoints = {**names, **{i.lower(): i for i in self.touchpoint_ids}}
        stages = journey.live_stages()
        self.stage_ids = [s.id for s in stages]
        self.stages = {s.name.strip().lower(): s.id for s in stages} | {
            s.id.lower(): s.id for s in stages
        }
        self.events: dict[str, str | None] = {}
        self.bindings = [(c.id, c.events) for c in touchpoints if c.events is not None]
        self.journey = journey

    def place(self, value: str | None, customer: str | None, ts: int) -> Any:
        if self.by == "last_event":
            if customer is None:
                return Unplaced(
                    "missing customer id", "last_event needs the customer of each answer"
                )
            return (None, None)  # found later, all at once
        if value is None:
            return Unplaced("no place on the map", f"the {self.by} column is empty on these rows")
        if self.by == "touchpoint":
            found = self.touchpoints.get(value.strip().lower())
            if found is None:
                hint = did_you_mean(value, self.touchpoint_ids, "") or ""
                return Unplaced(
                    "unknown touchpoint",
                    f"use a touchpoint id of the journey{_or(hint)}: "
                    f"{one_of(self.touchpoint_ids, 12)}",
                )
            return (found, self.stage_of[found])
        if self.by == "stage":
            found = self.stages.get(value.strip().lower())
            if found is None:
                hint = did_you_mean(value, self.stage_ids, "") or ""
                return Unplaced(
                    "unknown stage", f"use a stage id{_or(hint)}: {one_of(self.stage_ids)}"
                )
            return (None, found)
        touchpoint = self._event(value)
        if touchpoint is None:
            return Unplaced(
                "event bound to no touchpoint",
                "bind the event to a touchpoint (`events: "
                "{names: [...]}`), or place these answers another way",
            )
        return (touchpoint, self.stage_of[touchpoint])

    def _event(self, name: str) -> str | None:
        """The first touchpoint in map order whose binding names the event (by name or glob;
        channel and property tests need the event itself, so they are not applied here)."""
        if name not in self.events:
            from fnmatch import fnmatchcase

            self.events[name] = next(
                (
                    tp
                    for tp, rule in self.bindings
                    if name in rule.names or any(fnmatchcase(name, p) for p in rule.patterns)
                ),
                None,
            )
        return self.events[name]


def _or(hint: str) -> str:
    return f" ({hint})" if hint else ""


def _table(spec: FeedbackSpec, kept: Any, store: Path | None, placer: _Placer) -> Any:
    """The kept answers with their texts masked and scored."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from .sentiment import mask, score_texts

    texts = kept["text"].combine_chunks() if kept.num_rows else pa.array([], pa.string())
    texts = texts.cast(pa.string())
    # Masking looks only at distinct texts that could hold an e-mail or seven digits (found
    # in Arrow); the rows then take their text from the masked distinct ones, all in Arrow.
    encoded = pc.dictionary_encode(texts)
    values, index = encoded.dictionary, encoded.indices
    suspect = pc.or_(
        pc.match_substring(values, "@"),
        pc.greater_equal(pc.count_substring_regex(values, r"\d"), 7),
    )
    found = np.flatnonzero(pc.fill_null(suspect, False).to_numpy(zero_copy_only=False))
    masked = 0
    if len(found):
        before = values.take(pa.array(found, pa.int64())).to_pylist()
        after = [mask(t) for t in before]
        changed = found[[a != b for a, b in zip(after, before, strict=True)]]
        rows_of = np.bincount(
            pc.drop_null(index).to_numpy(zero_copy_only=False), minlength=len(values)
        )
        masked = int(rows_of[changed].sum())
        chosen = np.zeros(len(values), dtype=bool)
        chosen[found] = True
        values = pc.replace_with_mask(values, pa.array(chosen), pa.array(after, pa.string()))
        texts = values.take(index)
    table = kept.set_column(kept.schema.get_field_index("text"), "text", texts)
    table = table.add_column(
        table.schema.get_field_index("text") + 1,
        "sentiment",
        pa.array(score_texts(table["text"], spec.sentiment), pa.float64()),
    )
    table = table.replace_schema_metadata({"masked": str(masked)})
    if spec.place.by == "last_event" and store is not None:
        from .feedback_place import place_by_last_event

        table = place_by_last_event(table, store, placer, spec.place.within_ms())
    return table


def _report(
    spec: FeedbackSpec,
    source: Path,
    rows_read: int,
    answers: Any,
    dropped: dict[str, int],
    examples: dict[str, list[dict[str, Any]]],
    fixes: dict[str, str],
) -> FeedbackReport:
    import pyarrow.compute as pc

    meta = answers.schema.metadata or {}
    dropped |= json.loads(meta.get(b"dropped", b"{}"))
    examples |= json.loads(meta.get(b"examples", b"{}"))
    fixes |= json.loads(meta.get(b"fixes", b"{}"))
    order = sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0]))
    scales = pc.value_counts(answers["scale"].drop_null()).to_pylist() if answers.num_rows else []
    ts = answers["ts"]
    return FeedbackReport(
        source=str(source),
        rows_read=rows_read,
        rows_kept=answers.num_rows,
        dropped=dict(order),
        first_answer=iso(pc.min(ts).as_py()) if answers.num_rows else None,
        last_answer=iso(pc.max(ts).as_py()) if answers.num_rows else None,
        customers=len(pc.unique(answers["customer"].drop_null())) if answers.num_rows else 0,
        scores={s["values"]: s["counts"] for s in scales},
        texts=answers.num_rows - answers["text"].null_count,
        masked=int(meta.get(b"masked", b"0")),
        examples={k: examples[k] for k, _ in order if k in examples},
        fixes={k: fixes[k] for k, _ in order if k in fixes},
    )
