"""A journey's cards as a spreadsheet (XLSX), out and back in: the same sheet
`journeymap export` and `journeymap import` use (services/sheets.py), over the API.

Export needs a viewer. Import needs an editor; the uploaded file is read within the sheet
limits of files/sheets.py (its size, what it unpacks to, rows, columns, cell lengths), and
every row that cannot be used is listed with its number, column and reason; then nothing is
written. A good sheet becomes one batch on the journey's one write path.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..files.sheets import SheetError, read_sheet, xlsx_bytes
from .batches import dump_op, new_op_id
from .errors import Invalid
from .journeys import apply_ops, get_journey
from .policy import Principal, journey_access, signed_in
from .sheets import COLUMNS, card_choices, card_rows, import_rows

if TYPE_CHECKING:
    from ..storage import Database

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportedSheet:
    rev: int
    name: str  # e.g. online-store-checkout-cards.xlsx
    data: bytes


@dataclass(frozen=True)
class SheetImported:
    rev: int
    added: int
    updated: int
    deleted: int


def export_sheet(db: Database, who: Principal, journey_id: str) -> ExportedSheet:
    """The journey's live cards, one row each, with drop-downs for the fixed choices."""
    journey_access(db, who, journey_id, "viewer")
    snap = get_journey(db, journey_id)
    journey = snap.journey
    data = xlsx_bytes(COLUMNS, card_rows(journey), card_choices(journey))
    return ExportedSheet(snap.rev, f"{journey.id}-cards.xlsx", data)


def import_sheet(
    db: Database,
    who: Principal,
    journey_id: str,
    upload: Callable[[], tuple[str, bytes]],
    prune: bool = False,
) -> SheetImported:
    """Cards from an XLSX file into the journey, matched by id (see services/sheets.py);
    with `prune`, the cards the sheet does not list are deleted. `upload()` gives the file's
    name and bytes, read only once the caller may edit the journey."""
    access = journey_access(db, who, journey_id, "editor")
    name, data = upload()
    shown = Path(name or "cards.xlsx").name
    if not shown.lower().endswith(".xlsx"):
        raise Invalid(f"{shown}: send an .xlsx spreadsheet (as `journeymap export` writes)")
    snap = get_journey(db, journey_id)
    with tempfile.TemporaryDirectory(prefix="jm-sheet-") as folder:
        path = Path(folder) / "cards.xlsx"
        path.write_bytes(data)
        try:
            header, rows = read_sheet(path)
            result = import_rows(snap.journey, header, rows, prune)
        except SheetError as error:
            detail = str(error).replace(str(path), shown)
            raise Invalid(detail, title="Cannot read the spreadsheet") from None
    if result.problems:
        listed = [p.format(shown) for p in result.problems]
        raise Invalid(
            f"{len(listed)} row(s) of {shown} cannot be used; nothing was changed: "
            + "; ".join(listed[:5]),
            title="Spreadsheet not imported",
            problems=listed,
        )
    rev = access.rev
    if result.ops:
        batch = [{"op_id": new_op_id("sheet"), "op": dump_op(op)} for op in result.ops]
        rev = apply_ops(db, journey_id, signed_in(who), batch, snap.rev).rev
    return SheetImported(rev, len(result.added), len(result.updated), len(result.deleted))
