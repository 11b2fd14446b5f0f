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
    import duckdb

    table, dropped_early = read_feedback(source, spec.feedback.kind(), spec.feedback.sheet)
    present = [n for n in table.column_names if n != "_row"]
    for column in spec.source_columns():
        if column not in present:
            hint = did_you_mean(column, present, f"its columns are: {one_of(present, 20)}")
            raise SourceError(f"{source.name} has no column '{column}' ({hint})")
    c = spec.columns
    mapped = spec.source_columns()

    def text(name: str | None) -> str:
        return f"NULLIF(TRIM(CAST({_q(name)} AS VARCHAR)), '')" if name else "NULL::VARCHAR"

    con = duckdb.connect()
    try:
        con.execute(f"SET TimeZone = {_lit(spec.timezone)}")
        con.register("answers", table)
        rows = con.execute(f"""
            SELECT _row, {text(c.customer)}, {_timestamp(spec)}, {text(c.timestamp)},
                   {text(c.score)}, TRY_CAST({text(c.score)} AS DOUBLE), {text(c.score_type)},
                   {text(c.text)}, {text(spec.place.column)},
                   row_number() OVER (PARTITION BY {", ".join(_q(m) for m in mapped)}
                                      ORDER BY _row) > 1,
                   min(_row) OVER (PARTITION BY {", ".join(_q(m) for m in mapped)})
                   {"".join(", " + text(a) for a in c.attributes)}
            FROM answers ORDER BY _row""").fetchall()
    finally:
        con.close()
    placer = _Placer(spec, journey)
    kept: list[tuple[Any, ...]] = []
    dropped: dict[str, int] = dict(dropped_early)
    examples: dict[str, list[dict[str, Any]]] = {}
    fixes: dict[str, str] = {}

    def drop(reason: str, row: int, column: str | None, value: Any, fix: str) -> None:
        dropped[reason] = dropped.get(reason, 0) + 1
        if len(examples.setdefault(reason, [])) < EXAMPLES:
            examples[reason].append(example(row, column, value))
        fixes.setdefault(reason, fix)

    for r in rows:
        row, customer, ts, ts_raw, score_raw, score, scale_raw, said, place, dup, first = r[:11]
        if dup:
            drop("exact duplicate", row, "every column", f"same as row {first}", _DUP)
            continue
        if ts is None:
            reason = "missing timestamp" if ts_raw is None else "unparsable timestamp"
            drop(reason, row, c.timestamp, ts_raw, _ts_fix(spec))
            continue
        if score_raw is None and said is None:
            drop("no score and no text", row, c.score or c.text, None, _EMPTY)
            continue
        scale = None
        if score_raw is not None:
            scale = scale_raw if c.score_type else spec.scale
            if scale is None or scale.lower() not in spec.known_scales():
                fix = did_you_mean(scale or "", spec.known_scales(), "") or ""
                drop("unknown scale", row, c.score_type, scale_raw, _scale_fix(spec, fix))
                continue
            scale = scale.lower()
            low, high = spec.scale_of(scale).low, spec.scale_of(scale).high
            if score is None or not float(score).is_integer() or not low <= score <= high:
                reason = "unparsable score" if score is None else "score out of range"
                drop(
                    reason,
                    row,
                    c.score,
                    score_raw,
                    f"{scale} scores are whole numbers "
                    f"from {low} to {high}; correct the row, or the scale (`scale:`)",
                )
                continue
        found = placer.place(place, customer, ts)
        if isinstance(found, Unplaced):
            drop(found.reason, row, spec.place.column or "place", place, found.fix)
            continue
        kept.append(
            (row, customer, ts, *found, scale, None if score is None else int(score), said, *r[11:])
        )
    answers = _table(spec, kept, store, placer)
    return _report(
        spec, source, len(rows) + sum(dropped_early.values()), answers, dropped, examples, fixes
    ), answers


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


def _table(
    spec: FeedbackSpec, kept: list[tuple[Any, ...]], store: Path | None, placer: _Placer
) -> Any:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from .sentiment import mask, score_texts

    names = ["row", "customer", "ts", "touchpoint", "stage", "scale", "score", "text"]
    names += [f"attr:{a}" for a in spec.columns.attributes]
    columns = {n: [k[i] for k in kept] for i, n in enumerate(names)}
    texts = pa.array(columns["text"], pa.string())
    # Masking looks only at texts that could hold an e-mail or seven digits (found in Arrow).
    suspect = pc.or_(
        pc.match_substring(texts, "@"), pc.greater_equal(pc.count_substring_regex(texts, r"\d"), 7)
    )
    masked = 0
    text_list = columns["text"]
    for i in np.flatnonzero(pc.fill_null(suspect, False).to_numpy(zero_copy_only=False)).tolist():
        clean = mask(text_list[i])
        masked += clean != text_list[i]
        text_list[i] = clean
    table = pa.table(
        {
            "row": pa.array(columns["row"], pa.int64()),
            "customer": pa.array(columns["customer"], pa.string()),
            "ts": pa.array(columns["ts"], pa.int64()),
            "touchpoint": pa.array(columns["touchpoint"], pa.string()),
            "stage": pa.array(columns["stage"], pa.string()),
            "scale": pa.array(columns["scale"], pa.string()),
            "score": pa.array(columns["score"], pa.int64()),
            "text": pa.array(text_list, pa.string()),
            "sentiment": pa.array(score_texts(text_list, spec.sentiment)),
            **{n: pa.array(columns[n], pa.string()) for n in names[8:]},
        }
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
