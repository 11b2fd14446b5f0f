"""Reading a feedback file as text columns: CSV (gzipped or not), XLSX, JSON lines, Parquet, and a
Qualtrics CSV export as Qualtrics writes it.

A Qualtrics export has three header rows: the column names (Q1, Q2, ...), the question texts,
and the import ids (`{"ImportId":"QID1"}`). Its rows may be previews ("Survey Preview" in
`Status`, or `preview` in `DistributionChannel`) or unfinished (`Finished` is False or 0):
those are dropped and counted, never measured.

Every reader gives a pyarrow table whose columns are text (None for an empty cell) and a `_row`
column counting data rows from 1, so a report can point at a row as a person counts it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .errors import SourceError

QUALTRICS_HEADER_ROWS = 3
_PREVIEW_STATUS = {"survey preview", "1"}  # Status: text in newer exports, 1 in older ones
_PREVIEW_CHANNELS = {"preview", "test"}


def read_feedback(path: Path, kind: str, sheet: str | None = None) -> tuple[Any, dict[str, int]]:
    """(the table, rows dropped before mapping by reason: Qualtrics previews and unfinished)."""
    if not path.exists():
        raise SourceError(f"{path}: no such file (check feedback.path, relative to its definition)")
    if path.is_file() and path.stat().st_size == 0:
        raise SourceError(f"{path}: the file is empty")
    try:
        if kind == "qualtrics":
            return _qualtrics(path)
        if kind == "xlsx":
            return _numbered(_xlsx(path, sheet)), {}
        return _numbered(_duckdb(path, kind)), {}
    except SourceError:
        raise
    except Exception as error:  # a reader's own error, said with the file's name
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SourceError(f"{path}: cannot be read as {kind} ({first})") from None


def _numbered(table: Any) -> Any:
    import numpy as np
    import pyarrow as pa

    return table.append_column("_row", pa.array(np.arange(1, table.num_rows + 1, dtype=np.int64)))


def _as_text(table: Any) -> Any:
    import pyarrow as pa

    columns = {}
    for name in table.column_names:
        column = table[name]
        if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
            column = column.cast(pa.string())
        columns[name] = column
    return pa.table(columns)


def _duckdb(path: Path, kind: str) -> Any:
    import duckdb

    literal = "'" + str(path).replace("'", "''") + "'"
    reader = {
        "csv": f"read_csv({literal}, all_varchar = true, header = true)",
        "jsonl": f"read_json({literal}, format = 'newline_delimited')",
        "parquet": f"read_parquet({literal})",
    }[kind]
    con = duckdb.connect()
    try:
        names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()]
        cast = ", ".join(
            f"NULLIF(TRIM(CAST(\"{n.replace(chr(34), chr(34) * 2)}\" AS VARCHAR)), '') "
            f'AS "{n.replace(chr(34), chr(34) * 2)}"'
            for n in names
        )
        return _as_text(con.sql(f"SELECT {cast} FROM {reader}").to_arrow_table())
    finally:
        con.close()


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _xlsx(path: Path, sheet: str | None) -> Any:
    import openpyxl
    import pyarrow as pa

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            from ..domain.suggest import did_you_mean

            hint = did_you_mean(sheet, book.sheetnames, f"its sheets: {', '.join(book.sheetnames)}")
            raise SourceError(f"{path.name} has no sheet '{sheet}' ({hint})")
        rows = (book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise SourceError(f"{path}: the sheet is empty")
        names = [_cell(h) or f"column {i + 1}" for i, h in enumerate(header)]
        cells: list[list[str | None]] = [[] for _ in names]
        for row in rows:
            if row is None or all(v is None for v in row):
                continue
            for i in range(len(names)):
                cells[i].append(_cell(row[i]) if i < len(row) else None)
        return pa.table({n: pa.array(c, pa.string()) for n, c in zip(names, cells, strict=True)})
    finally:
        book.close()


def _qualtrics(path: Path) -> tuple[Any, dict[str, int]]:
    import csv
    import gzip
    import io

    import pyarrow as pa

    opener: Any = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    if len(rows) < QUALTRICS_HEADER_ROWS:
        raise SourceError(
            f"{path.name}: a Qualtrics export starts with three header rows (names, question "
            "texts, import ids); this file has fewer. Export again as CSV with 'Use choice "
            "text', or set `format: csv` if it is a plain CSV"
        )
    names = rows[0]
    if not rows[2] or not rows[2][0].lstrip().startswith("{"):
        raise SourceError(
            f"{path.name}: row 3 should hold Qualtrics import ids such as "
            '{"ImportId":"startDate"}; set `format: csv` if this is a plain CSV'
        )
    data = rows[QUALTRICS_HEADER_ROWS:]
    keep: list[int] = []
    dropped = {"survey preview": 0, "unfinished response": 0}
    status = names.index("Status") if "Status" in names else None
    channel = names.index("DistributionChannel") if "DistributionChannel" in names else None
    finished = names.index("Finished") if "Finished" in names else None

    def cell(row: list[str], at: int | None) -> str:
        return row[at].strip().lower() if at is not None and at < len(row) else ""

    for i, row in enumerate(data):
        if cell(row, status) in _PREVIEW_STATUS or cell(row, channel) in _PREVIEW_CHANNELS:
            dropped["survey preview"] += 1
        elif finished is not None and cell(row, finished) in ("false", "0"):
            dropped["unfinished response"] += 1
        else:
            keep.append(i)
    columns: dict[str, Any] = {}
    for j, name in enumerate(names):
        if name in columns:  # Qualtrics repeats no names, but a hand-made file might
            continue
        values = [data[i][j].strip() if j < len(data[i]) else "" for i in keep]
        columns[name] = pa.array([v or None for v in values], pa.string())
    columns["_row"] = pa.array([i + 1 for i in keep], pa.int64())
    return pa.table(columns), {k: v for k, v in dropped.items() if v}
