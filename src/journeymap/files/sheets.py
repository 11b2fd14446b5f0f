"""Card spreadsheets on disk: CSV (UTF-8, Excel-friendly) and XLSX (with drop-downs).

Reading is bounded, since a sheet may come from anyone: the file's size, what an XLSX unpacks
to (checked in the zip's directory before anything is unpacked: a 1.5 KB file may unpack to
gigabytes), and the rows, columns and characters per cell, each with a clear error. Rows are
streamed (openpyxl's read-only mode), and an XLSX's declared dimension (`A1:XFD1048576`) is
ignored: openpyxl would pad every row to it.

Text a spreadsheet would run as a formula is written to CSV with a leading `'`, and so is text
that already starts with `'`, so that reading takes exactly one `'` off and gives back the text
as it was. XLSX cells are typed (a text cell is text), so nothing is added or taken off there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .journey_file import write_atomic_bytes

MAX_SHEET_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # all of an XLSX's parts, unpacked
MAX_ZIP_PARTS = 1000
MAX_ROWS = 10_000  # rows of cards, header aside
MAX_COLUMNS = 64
MAX_CELL_CHARS = 32_767  # Excel's own limit
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
        data = xlsx_bytes(columns, rows, choices)
    else:
        raise SheetError(f"{path}: unknown spreadsheet type; use .csv or .xlsx")
    write_atomic_bytes(path, data)


def xlsx_bytes(
    columns: Sequence[str], rows: Sequence[dict[str, Any]], choices: dict[str, list[str]]
) -> bytes:
    """The XLSX file of a header and rows, with `choices` as drop-downs on their columns."""
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
_GUARDED = (*_FORMULA_START, "'")


def _cell(value: Any) -> Any:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def _guard_csv(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading `'`; so does text starting with
    `'`, so that `_unguard` (one `'` off) is its exact inverse."""
    if isinstance(value, str) and value.startswith(_GUARDED):
        return "'" + value
    return value


def _unguard(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_GUARDED):
        return value[1:]
    return value


Rows = Iterator[tuple[int, Sequence[Any]]]


def read_sheet(path: str | Path) -> tuple[list[str], Rows]:
    """The header and the numbered rows of a CSV file or of an XLSX file's first sheet. The
    rows come one at a time, each checked against the limits (SheetError names the row)."""
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


def _bounded(path: Path, rows: Iterator[Sequence[Any]]) -> tuple[list[str], Rows]:
    """The header, then each row numbered, refusing too many rows, columns or characters."""
    first = next(rows, None)
    if first is None:
        raise SheetError(f"{path}: the sheet is empty; it needs a header row")
    header = [str(c) if c is not None else "" for c in _checked(path, 1, first)]

    def numbered() -> Rows:
        for number, row in enumerate(rows, start=2):
            cells = _checked(path, number, row)
            if number > MAX_ROWS + 1 and any(c not in (None, "") for c in cells):
                raise SheetError(
                    f"{path}: row {number} is past the {MAX_ROWS:,} rows a sheet may have; "
                    "split the sheet"
                )
            yield number, cells

    return header, numbered()


def _checked(path: Path, number: int, row: Sequence[Any]) -> Sequence[Any]:
    for i, value in enumerate(row):
        if value is None or value == "":
            continue
        if i >= MAX_COLUMNS:
            raise SheetError(
                f"{path}: row {number} has a value in column {_letter(i)}; a sheet may have "
                f"{MAX_COLUMNS} columns (the cards use {_letter(25)} and before)"
            )
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise SheetError(
                f"{path}: row {number}, column {_letter(i)} holds {len(value):,} characters; "
                f"a cell may hold {MAX_CELL_CHARS:,}"
            )
    return row[:MAX_COLUMNS]


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read_csv(path: Path) -> tuple[list[str], Rows]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(f"{path}: not UTF-8 text; save it as CSV UTF-8") from None
    # The separator is judged from the header row alone (Excel writes `;` in some countries);
    # quoting follows Excel's rules, which is what every spreadsheet writes.
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[Sequence[Any]]:
        try:
            for row in reader:
                yield [_unguard(v) for v in row]
        except csv.Error as error:
            raise SheetError(
                f"{path}: not a readable CSV file at line {reader.line_num} ({error})"
            ) from None

    return _bounded(path, rows())


def _read_xlsx(path: Path) -> tuple[list[str], Rows]:
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise SheetError("XLSX needs the sheets extra: pip install 'journeymap[sheets]'") from None
    _check_unpacked(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged or foreign file
        raise SheetError(f"{path}: not a readable XLSX file ({type(error).__name__})") from None
    sheet = book["cards"] if "cards" in book.sheetnames else book.worksheets[0]
    sheet.reset_dimensions()  # the declared size may be a lie: read the rows there are

    def rows() -> Iterator[Sequence[Any]]:
        try:
            yield from sheet.iter_rows(min_row=1, min_col=1, values_only=True)
        finally:
            book.close()

    return _bounded(path, rows())


def _check_unpacked(path: Path) -> None:
    """Refuse an XLSX whose parts unpack to more than the limit, before unpacking any: the
    zip's directory says each part's size, and reading never goes past it."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise SheetError(f"{path}: not a readable XLSX file (BadZipFile)") from None
    if len(parts) > MAX_ZIP_PARTS:
        raise SheetError(f"{path}: the file holds {len(parts):,} parts; an XLSX file has a few")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        biggest = max(parts, key=lambda p: p.file_size)
        raise SheetError(
            f"{path}: the file unpacks to {unpacked / 1e6:,.0f} MB ({biggest.filename} alone "
            f"{biggest.file_size / 1e6:,.0f} MB); sheets may unpack to "
            f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB: is it really a sheet of cards?"
        )
