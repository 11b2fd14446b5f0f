"""Card spreadsheets on disk: CSV (UTF-8, Excel-friendly) and XLSX (with drop-downs)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .journey_file import write_atomic_bytes

MAX_SHEET_BYTES = 20 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")


class SheetError(ValueError):
    """A spreadsheet that cannot be read or written at all (not a row-level problem)."""


def write_sheet(
    path: str | Path,
    columns: Sequence[str],
    rows: Sequence[dict[str, Any]],
    choices: dict[str, list[str]],
) -> None:
    """Write a header and rows; in XLSX, `choices` become drop-downs on their columns."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({k: _guard_csv(v) for k, v in row.items()} for row in rows)
        data = buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8
    elif suffix == ".xlsx":
        data = _xlsx(columns, rows, choices)
    else:
        raise SheetError(f"{path}: unknown spreadsheet type; use .csv or .xlsx")
    write_atomic_bytes(path, data)


def _xlsx(
    columns: Sequence[str], rows: Sequence[dict[str, Any]], choices: dict[str, list[str]]
) -> bytes:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation
    except ImportError:
        raise SheetError("XLSX needs the sheets extra: pip install 'journeymap[sheets]'") from None
    book = Workbook()
    sheet = book.active
    sheet.title = "cards"
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_cell(row[c]) for c in columns])
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="243B53")
    sheet.freeze_panes = "B2"  # the header row and the id column stay in view
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"
    widths = {"id": 24, "text": 60, "details": 40, "impact": 40, "evidence": 30}
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = widths.get(column, 14)
    # Drop-downs read their choices from a hidden sheet, so long lists fit.
    lists = book.create_sheet("choices")
    last = max(len(rows) + 200, 500)
    for j, (column, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(j)
        lists.cell(row=1, column=j, value=column)
        for k, value in enumerate(values, start=2):
            lists.cell(row=k, column=j, value=value)
        if not values:
            continue
        target = get_column_letter(list(columns).index(column) + 1)
        rule = DataValidation(
            type="list",
            formula1=f"=choices!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
        )
        rule.error = f"Choose a {column} from the list"
        rule.showErrorMessage = True
        sheet.add_data_validation(rule)
        rule.add(f"{target}2:{target}{last}")
    lists.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def _guard_csv(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading `'` (read back off on import)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _unguard(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def read_sheet(path: str | Path) -> tuple[list[str], Iterator[tuple[int, Sequence[Any]]]]:
    """The header and the numbered rows of a CSV file or of an XLSX file's first sheet."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise SheetError(f"{path}: unknown spreadsheet type; use .csv or .xlsx")
    try:
        size = target.stat().st_size
    except OSError as error:
        raise SheetError(f"{path}: {error.strerror or 'cannot read'}") from None
    if size > MAX_SHEET_BYTES:
        raise SheetError(
            f"{path}: the file is {size / 1e6:.1f} MB; sheets are limited to "
            f"{MAX_SHEET_BYTES // (1024 * 1024)} MB"
        )
    return _read_csv(target) if suffix == ".csv" else _read_xlsx(target)


def _read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, Sequence[Any]]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(f"{path}: not UTF-8 text; save it as CSV UTF-8") from None
    # The separator is judged from the header row alone (Excel writes `;` in some countries);
    # quoting follows Excel's rules, which is what every spreadsheet writes.
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise SheetError(f"{path}: not a readable CSV file ({error})") from None
    if not rows:
        raise SheetError(f"{path}: the sheet is empty; it needs a header row")
    return rows[0], ((i, [_unguard(v) for v in row]) for i, row in enumerate(rows[1:], start=2))


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, Sequence[Any]]]]:
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise SheetError("XLSX needs the sheets extra: pip install 'journeymap[sheets]'") from None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged or foreign file
        raise SheetError(f"{path}: not a readable XLSX file ({type(error).__name__})") from None
    sheet = book["cards"] if "cards" in book.sheetnames else book.worksheets[0]
    rows = [[_unguard(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows:
        raise SheetError(f"{path}: the sheet is empty; it needs a header row")
    header = [str(c) if c is not None else "" for c in rows[0]]
    return header, ((i, row) for i, row in enumerate(rows[1:], start=2))
