"""Feedback files in every format, placed on the map, and every bad input reported with its
row, column, value and fix; nothing is cached from a run that failed."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from journeymap.analytics.errors import SourceError
from journeymap.analytics.feedback_ingest import ingest_feedback
from journeymap.analytics.feedback_spec import load_feedback_spec
from journeymap.domain.errors import JourneyInvalid
from journeymap.services.templates import new_journey

JOURNEY = new_journey(template="online-store-checkout")
SPEC = """\
feedback: {{path: {path}{extra}}}
columns: {{customer: who, timestamp: at, score: score, text: said}}
scale: csat
place: {{by: touchpoint, column: where}}
timezone: Europe/London
"""
ROWS = [
    ("u1", "2026-02-01 10:00:00", "fee-added", "1", "Hidden fees! mail me at a@b.com"),
    ("u2", "2026-02-01 10:00:00", "Cart page", "5", "Lovely and quick"),
    ("u3", "2026-07-01 10:00:00", "payment-page", "4", ""),
]


def _spec(tmp: Path, path: str, extra: str = "", body: str | None = None) -> Path:
    spec = tmp / "survey.feedback.yaml"
    spec.write_text(body or SPEC.format(path=path, extra=extra))
    return spec


def _ingest(spec: Path, tmp: Path, force: bool = True):  # type: ignore[no-untyped-def]
    return ingest_feedback(load_feedback_spec(spec), tmp, JOURNEY, tmp / ".jm", force=force)


def _csv(rows: list[tuple[str, ...]], header: str = "who,at,where,score,said") -> str:
    return header + "\n" + "\n".join(",".join(f'"{c}"' for c in r) for r in rows) + "\n"


def _check(found) -> None:  # type: ignore[no-untyped-def]
    rows = found.answers.to_pylist()
    assert [r["touchpoint"] for r in rows] == ["fee-added", "cart-page", "payment-page"]
    assert [r["stage"] for r in rows] == ["decision"] * 3
    assert [r["score"] for r in rows] == [1, 5, 4]
    # London: 10:00 in winter is 10:00 UTC, in summer 09:00 UTC.
    assert [r["ts"] for r in rows][::2] == [1769940000000, 1782896400000]
    assert rows[0]["text"] == "Hidden fees! mail me at [email]"  # masked before stored
    assert rows[0]["sentiment"] < 0 < rows[1]["sentiment"]
    assert rows[2]["text"] is None and rows[2]["sentiment"] != rows[2]["sentiment"]
    assert found.report.rows_read == found.report.rows_kept == 3
    assert found.report.masked == 1 and found.report.scores == {"csat": 3}


def test_csv_gzipped_or_not(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(_csv(ROWS))
    _check(_ingest(_spec(tmp_path, "s.csv"), tmp_path))
    with gzip.open(tmp_path / "s.csv.gz", "wt") as handle:
        handle.write(_csv(ROWS))
    _check(_ingest(_spec(tmp_path, "s.csv.gz"), tmp_path))


def test_jsonl_parquet_and_xlsx(tmp_path: Path) -> None:
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = ["who", "at", "where", "score", "said"]
    records = [dict(zip(names, r, strict=True)) for r in ROWS]
    (tmp_path / "s.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    _check(_ingest(_spec(tmp_path, "s.jsonl"), tmp_path))
    table = pa.table({n: [r[n] for r in records] for n in names})
    table = table.set_column(3, "score", pa.array([1, 5, 4]))  # typed numbers read as well
    pq.write_table(table, tmp_path / "s.parquet")
    _check(_ingest(_spec(tmp_path, "s.parquet"), tmp_path))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Answers"
    sheet.append(names)
    for r in ROWS:
        sheet.append([r[0], r[1], r[2], int(r[3]), r[4] or None])
    book.save(tmp_path / "s.xlsx")
    _check(_ingest(_spec(tmp_path, "s.xlsx", ", sheet: Answers"), tmp_path))
    with pytest.raises(SourceError, match="no sheet 'Answer' \\(did you mean 'Answers'\\?\\)"):
        _ingest(_spec(tmp_path, "s.xlsx", ", sheet: Answer"), tmp_path)


QUALTRICS = (Path(__file__).parents[1] / "data" / "qualtrics-nps.csv").read_text()


def test_a_qualtrics_export_with_its_three_header_rows_loads(tmp_path: Path) -> None:
    (tmp_path / "q.csv").write_text(QUALTRICS)
    body = """\
feedback: {path: q.csv, format: qualtrics, name: NPS survey}
columns: {id: ResponseId, customer: ExternalReference, timestamp: RecordedDate, score: Q1, text: Q2}
scale: nps
place: {by: touchpoint, column: Q3}
"""
    found = _ingest(_spec(tmp_path, "", body=body), tmp_path)
    assert found.report.dropped == {"survey preview": 1, "unfinished response": 1}
    assert found.report.rows_read == 4 and found.report.rows_kept == 2
    rows = found.answers.to_pylist()
    assert [(r["row"], r["customer"], r["score"], r["touchpoint"]) for r in rows] == [
        (1, "u1", 3, "fee-added"),
        (4, "u4", 9, "payment-page"),
    ]
    assert rows[0]["text"] == "Fees at the end, call [phone]"
    (tmp_path / "plain.csv").write_text(_csv(ROWS))
    body = body.replace("q.csv", "plain.csv")
    with pytest.raises(SourceError, match="import ids"):
        _ingest(_spec(tmp_path, "", body=body), tmp_path)


def test_bad_rows_are_dropped_with_their_row_column_value_and_fix(tmp_path: Path) -> None:
    rows = [
        *ROWS,
        ROWS[0],  # a repeat
        ("u5", "yesterday", "fee-added", "2", "x"),
        ("u6", "", "fee-added", "2", "x"),
        ("u7", "2026-02-01 10:00:00", "chekout-page", "2", "x"),
        ("u8", "2026-02-01 10:00:00", "fee-added", "7", "x"),
        ("u9", "2026-02-01 10:00:00", "fee-added", "four", "x"),
        ("u10", "2026-02-01 10:00:00", "fee-added", "", ""),
        ("u11", "2026-02-01 10:00:00", "", "3", "x"),
    ]
    (tmp_path / "s.csv").write_text(_csv(rows))
    report = _ingest(_spec(tmp_path, "s.csv"), tmp_path).report
    assert report.rows_read == 11 and report.rows_kept == 3
    assert report.dropped == {
        "exact duplicate": 1,
        "missing timestamp": 1,
        "no place on the map": 1,
        "no score and no text": 1,
        "score out of range": 1,
        "unknown touchpoint": 1,
        "unparsable score": 1,
        "unparsable timestamp": 1,
    }
    ex = report.examples
    assert ex["exact duplicate"] == [{"row": 4, "column": "every column", "value": "same as row 1"}]
    assert ex["unparsable timestamp"] == [{"row": 5, "column": "at", "value": "yesterday"}]
    assert ex["unknown touchpoint"] == [{"row": 7, "column": "where", "value": "chekout-page"}]
    assert ex["score out of range"] == [{"row": 8, "column": "score", "value": "7"}]
    assert "timestamp_format" in report.fixes["unparsable timestamp"]
    assert "from 1 to 5" in report.fixes["score out of range"]
    assert "fee-added" in report.fixes["unknown touchpoint"]


def test_bad_files_and_definitions_get_located_errors(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(_csv(ROWS, header="who,at,where,score,sad"))
    with pytest.raises(SourceError, match=r"s.csv has no column .said. \(did you mean .sad.\?\)"):
        _ingest(_spec(tmp_path, "s.csv"), tmp_path)
    assert not (tmp_path / ".jm" / "feedback").exists() or not any(
        (tmp_path / ".jm" / "feedback").iterdir()
    )  # nothing half-stored
    with pytest.raises(SourceError, match="no such file"):
        _ingest(_spec(tmp_path, "missing.csv"), tmp_path)
    body = SPEC.format(path="s.csv", extra="").replace("scale: csat", "scale: cstat")
    with pytest.raises(JourneyInvalid) as wrong:
        load_feedback_spec(_spec(tmp_path, "", body=body))
    assert "did you mean 'csat'" in str(wrong.value)
    assert "line 3" in str(wrong.value) or ":3" in str(wrong.value)
    body = SPEC.format(path="s.csv", extra="").replace("place: {by", "place: {bye: x, by")
    with pytest.raises(JourneyInvalid, match="bye"):
        load_feedback_spec(_spec(tmp_path, "", body=body))
    body = SPEC.format(path="s.csv", extra="").replace(
        "by: touchpoint, column: where", "by: last_event"
    )
    with pytest.raises(JourneyInvalid, match="needs `events:`"):
        load_feedback_spec(_spec(tmp_path, "", body=body))


def test_a_result_is_reused_until_the_file_changes(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(_csv(ROWS))
    spec = _spec(tmp_path, "s.csv")
    assert not _ingest(spec, tmp_path, force=False).reused
    assert _ingest(spec, tmp_path, force=False).reused
    (tmp_path / "s.csv").write_text(_csv(ROWS[:2]))
    again = _ingest(spec, tmp_path, force=False)
    assert not again.reused and again.report.rows_kept == 2
