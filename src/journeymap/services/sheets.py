"""The spreadsheet bridge: one row per card out, rows back in as checked edit operations.

Import matches rows to cards by id: a known id updates that card (a column left out of the sheet
leaves that field alone; an empty cell clears it), a new or empty id adds a card, and with
`prune` the cards the sheet does not list are deleted. Every row is checked on its own, so one
run reports every row it cannot use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.apply import apply_all
from ..domain.batch import apply_groups
from ..domain.cards import CARD_TYPES
from ..domain.entities import KIND
from ..domain.field_traits import sheet_choices, sheet_columns, sheet_trait
from ..domain.model import Journey
from ..domain.operations import AddOp, DeleteOp, MoveOp, Operation, SetOp
from ..domain.suggest import a_or_an, did_you_mean
from ..files.sheets import read_sheet, write_sheet

# Every card field a cell can hold, read from the card models (domain/field_traits.py).
COLUMNS = sheet_columns()
PLACEMENT = KIND["card"].place


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    message: str
    column: str | None = None

    def format(self, sheet: str) -> str:
        where = f"{sheet} row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    journey: Journey
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    prune_skipped: bool = False
    # The operations applied, in order: the server sends them down its one write path.
    ops: list[Operation] = field(default_factory=list)


def card_rows(journey: Journey) -> list[dict[str, Any]]:
    """One row per live card, in reading order; list fields joined, absent fields empty."""
    section_of = {ln.id: s.id for s in journey.sections for ln in s.lanes}
    rows = []
    for card in journey.live_cards():
        data = card.model_dump(mode="json", exclude={"order_key", "deleted"})
        data["section"] = section_of.get(card.lane, "")
        row = {}
        for column in COLUMNS:
            value = data.get(column)
            if isinstance(value, list):
                value = _separator(column, card.kind).join(value)
            elif isinstance(value, bool):
                value = _flag_cell(card, column, value)
            row[column] = "" if value is None else value
        rows.append(row)
    return rows


def _flag_cell(card: Any, column: str, value: bool) -> str:
    """A yes/no field: empty when it is the default (as an empty cell reads back), else
    `true` or `false`."""
    if value == type(card).model_fields[column].default:
        return ""
    return "true" if value else "false"


def card_choices(journey: Journey) -> dict[str, list[str]]:
    """The allowed values of the columns that have a fixed set, for drop-downs: the card
    models' own (confidence, mode, status, ...) and the journey's stages, steps, lanes and
    channels."""
    return {
        "kind": list(CARD_TYPES),
        "channel": journey.channel_registry().ids(),
        "stage": [s.id for s in journey.live_stages()],
        "step": sorted({st.id for s in journey.live_stages() for st in journey.live_steps(s)}),
        "lane": [ln.id for s in journey.live_sections() for ln in journey.live_lanes(s)],
        **{column: list(values) for column, values in sheet_choices().items()},
    }


def _separator(column: str, kind: Any) -> str:
    """How a list is written in one cell: one item a line where items may hold commas."""
    trait = sheet_trait(column, kind)
    return "\n" if trait is not None and trait.one_per_line else ","


def _is_list(column: str) -> bool:
    trait = sheet_trait(column, None)
    return trait is not None and trait.shape == "list"


def export_cards(journey: Journey, path: str | Path) -> int:
    """Write the journey's cards to a .csv or .xlsx file; returns how many."""
    rows = card_rows(journey)
    write_sheet(path, COLUMNS, rows, card_choices(journey))
    return len(rows)


def import_sheet(journey: Journey, path: str | Path, prune: bool = False) -> ImportResult:
    """Read a .csv or .xlsx file of cards into `journey` (see `import_rows`)."""
    header, rows = read_sheet(path)
    return import_rows(journey, header, rows, prune)


def import_rows(
    journey: Journey,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[Any]]],
    prune: bool = False,
) -> ImportResult:
    """Apply spreadsheet rows to `journey`; `rows` are (row number, cells). Each row is read
    and turned into operations against the journey as it was; then all rows are applied in
    one batch (linear time), a row whose operations fail being reported and left out."""
    result = ImportResult(journey)
    columns = _check_header(header, result)
    if columns is None:
        return result
    cards = {c.id: c for c in journey.cards}
    seen: set[str] = set()
    planned: list[tuple[int, list[Operation], bool, str | None]] = []
    for number, cells in rows:
        values = {name: cells[i] if i < len(cells) else None for i, name in columns.items()}
        if all(_blank(v) for v in values.values()):
            continue
        try:
            known_card = cards.get(str(values.get("id") or "").strip())
            kind = known_card.kind if known_card is not None else values.get("kind")
            parsed = {k: _parse(k, v, kind) for k, v in values.items()}
            ident = parsed.get("id")
            if ident in seen:
                raise _RowError("this id is on an earlier row too", "id")
            ops, adding = _row_ops(journey, cards, parsed)
        except _RowError as error:
            result.problems.append(RowProblem(number, error.message, error.column))
            continue
        if ident:
            seen.add(str(ident))
        planned.append((number, ops, adding, str(ident) if ident else None))
    result.journey, failed = apply_groups(journey, [ops for _, ops, _, _ in planned])
    added = iter(c.id for c in result.journey.cards[len(journey.cards) :])
    for i, (number, ops, adding, ident) in enumerate(planned):
        if i in failed:
            result.problems.append(RowProblem(number, str(failed[i])))
            if ident:
                seen.discard(ident)
            continue
        result.ops += ops
        if adding:
            card_id = next(added)
            seen.add(card_id)
            result.added.append(card_id)
        elif ops:
            result.updated.append(str(ident))
    result.problems.sort(key=lambda p: p.row)
    if prune and result.problems:
        result.prune_skipped = True  # a bad row's card would look absent and be deleted
    elif prune:
        gone = [c.id for c in result.journey.live_cards() if c.id not in seen]
        deletes: list[Operation] = [DeleteOp(entity="card", id=g) for g in gone]
        result.journey = apply_all(result.journey, deletes)
        result.ops += deletes
        result.deleted = gone
    return result


class _RowError(ValueError):
    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.message, self.column = message, column


def _check_header(header: Sequence[str], result: ImportResult) -> dict[int, str] | None:
    columns: dict[int, str] = {}
    for i, raw in enumerate(header):
        name = str(raw or "").strip().lower()
        if not name:
            continue
        if name not in COLUMNS:
            hint = did_you_mean(name, COLUMNS, "the columns are those `journeymap export` writes")
            result.problems.append(RowProblem(1, f"unknown column '{name}' ({hint})"))
        elif name in columns.values():
            result.problems.append(RowProblem(1, f"column '{name}' appears twice"))
        else:
            columns[i] = name
    if "id" not in columns.values() and not {"kind", "stage", "lane", "text"} <= set(
        columns.values()
    ):
        result.problems.append(
            RowProblem(
                1,
                "the sheet needs an id column (to update cards) or kind, stage, lane and text "
                "columns (to add them)",
            )
        )
    return None if result.problems else columns


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse(column: str, value: Any, kind: Any) -> Any:
    """A cell's value for `column` of a card of `kind`: lists split, numbers checked."""
    trait = sheet_trait(column, kind)
    shape = trait.shape if trait is not None else "text"
    if _blank(value):
        return [] if shape == "list" else None
    if shape == "list":
        parts = str(value).split(_separator(column, kind))
        return [p.strip() for p in parts if p.strip()]
    if shape in ("whole", "number"):
        return _number(column, value, whole=shape == "whole")
    if shape == "flag":
        return _flag(column, value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet turns ids and codes like 2024 into numbers
    return str(value).strip()


_YES, _NO = {"true", "yes", "y", "1", "x"}, {"false", "no", "n", "0"}


def _flag(column: str, value: Any) -> bool:
    """A yes/no cell: `true`/`false` (also yes/no, 1/0, a spreadsheet's own TRUE/FALSE)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES or text in _NO:
        return text in _YES
    raise _RowError(f"'{value}' is not true or false (leave it empty for the default)", column)


def _number(column: str, value: Any, whole: bool) -> int | float:
    """A number from a cell: `12.5`, or `12,5` as European sheets write it; no thousands
    separators (`1.000,5` is refused rather than guessed)."""
    wanted = "a whole number" if whole else "a number"
    if isinstance(value, bool):
        raise _RowError(f"'{value}' is not {wanted}", column)
    if isinstance(value, str):
        text = value.strip()
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise _RowError(f"'{value}' is not {wanted}", column) from None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        raise _RowError(f"'{value}' is not {wanted}", column)
    if whole:
        if not number.is_integer():
            raise _RowError(f"'{value}' is not a whole number", column)
        return int(number)
    return int(number) if number.is_integer() else number


def _row_ops(
    journey: Journey, cards: Mapping[str, Any], row: Mapping[str, Any]
) -> tuple[list[Operation], bool]:
    """The operations that make the journey match one row, and whether they add a card."""
    _check_section(journey, row)
    ident = row.get("id")
    card = cards.get(ident) if ident else None
    if card is None or card.deleted:
        return _add(journey, row)
    if "kind" in row and row["kind"] and row["kind"] != card.kind:
        raise _RowError(
            f"card '{card.id}' is a {card.kind}; a sheet cannot change a card's kind "
            "(delete it and add a new card)",
            "kind",
        )
    _refuse_foreign_fields(card.kind, row)
    ops: list[Operation] = []
    # An empty stage or lane cell keeps the card where it is; an empty step means "no step".
    placement = {k: row[k] for k in PLACEMENT if k in row and (row[k] or k == "step")}
    current = {k: getattr(card, k) for k in PLACEMENT}
    target = {**current, **placement}
    if target != current:
        ops.append(MoveOp(entity="card", id=card.id, **target))
    fields = set(type(card).model_fields) - {"id", "kind", "order_key", "deleted", *PLACEMENT}
    before = card.model_dump(mode="json")
    model_fields = type(card).model_fields
    for column, value in row.items():
        if column not in fields:
            continue
        if value is None and model_fields[column].default is not None:
            value = model_fields[column].default  # an empty cell resets to the default
        if value != _comparable(before.get(column), column):
            ops.append(SetOp(entity="card", id=card.id, field=column, value=value))
    return ops, False


def _refuse_foreign_fields(kind: str, row: Mapping[str, Any]) -> None:
    """A value in a column that this kind of card does not have is a mistake, not a no-op."""
    fields = set(CARD_TYPES[kind].model_fields) | {"section", "id"}
    extra = [k for k, v in row.items() if k not in fields and v not in (None, [])]
    if extra:
        raise _RowError(
            f"{a_or_an(kind)} card has no field '{extra[0]}'; leave that cell empty", extra[0]
        )


def _comparable(value: Any, column: str) -> Any:
    return [] if value is None and _is_list(column) else value


def _add(journey: Journey, row: Mapping[str, Any]) -> tuple[list[Operation], bool]:
    kind = row.get("kind")
    if kind not in CARD_TYPES:
        if not kind:
            raise _RowError("a new card needs a kind", "kind")
        raise _RowError(f"unknown card kind '{kind}' ({_kind_hint(str(kind))})", "kind")
    fields = set(CARD_TYPES[str(kind)].model_fields)
    value = {k: v for k, v in row.items() if k in fields and k != "id" and v not in (None, [])}
    _refuse_foreign_fields(str(kind), row)
    return [AddOp(entity="card", id=row.get("id"), value=value)], True


def _kind_hint(kind: str) -> str | None:
    return did_you_mean(kind, CARD_TYPES, f"the kinds are {', '.join(CARD_TYPES)}")


def _check_section(journey: Journey, row: Mapping[str, Any]) -> None:
    section, lane = row.get("section"), row.get("lane")
    if not section or not lane:
        return
    owner = journey.section_of(str(lane))
    if owner is not None and owner.id != section:
        raise _RowError(f"lane '{lane}' is in section '{owner.id}', not '{section}'", "section")
