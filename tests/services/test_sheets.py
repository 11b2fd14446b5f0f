"""The spreadsheet bridge: cards out to CSV and XLSX, and back in through edit operations."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from journeymap.domain.model import Journey
from journeymap.files.sheets import SheetError, read_sheet
from journeymap.services.sheets import COLUMNS, export_cards, import_rows, import_sheet
from journeymap.services.templates import new_journey


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, object]], columns: list[str] | None = None) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns or list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)


def test_csv_has_one_row_per_card_with_its_fields(small: Journey, tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    assert export_cards(small, path) == 4
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    rows = rows_of(path)
    assert [r["id"] for r in rows] == ["sees-ad", "ad", "fee", "fee-upfront"]
    assert rows[1] | {} == {
        **dict.fromkeys(COLUMNS, ""),
        "id": "ad",
        "kind": "touchpoint",
        "stage": "awareness",
        "section": "persona",
        "lane": "touchpoints",
        "text": "Social ad",
        "confidence": "assumed",
        "channel": "social",
    }
    assert rows[2]["step"] == "delivery" and rows[2]["severity"] == "5"
    assert rows[3]["pain_points"] == "fee"


def test_xlsx_has_header_frozen_panes_and_drop_downs(tmp_path: Path) -> None:
    journey = new_journey(template="online-store-checkout")
    path = tmp_path / "cards.xlsx"
    export_cards(journey, path)
    book = openpyxl.load_workbook(path)
    sheet = book["cards"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.freeze_panes == "B2"
    assert sheet.max_row == len(journey.live_cards()) + 1
    rules = {
        str(dv.sqref).split(":")[0][:-1]: dv.formula1
        for dv in sheet.data_validations.dataValidation
    }
    letter = {c: openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(COLUMNS)}
    assert set(rules) >= {letter["kind"], letter["channel"], letter["stage"], letter["lane"]}
    choices = book["choices"]
    assert choices.sheet_state == "hidden"
    column = [c.value for c in choices[rules[letter["channel"]].split("!")[1][1]] if c.value][1:]
    assert "email" in column and "web" in column
    kinds = [c.value for c in choices[rules[letter["kind"]].split("!")[1][1]] if c.value][1:]
    assert kinds == ["note", "touchpoint", "pain_point", "opportunity", "quote", "metric"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_changes_nothing(suffix: str, tmp_path: Path) -> None:
    journey = new_journey(template="car-purchase")
    path = tmp_path / f"cards{suffix}"
    export_cards(journey, path)
    result = import_sheet(journey, path)
    assert (result.problems, result.added, result.updated, result.deleted) == ([], [], [], [])
    assert result.journey == journey


def test_import_updates_moves_adds_and_prunes(small: Journey, tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    export_cards(small, path)
    rows = rows_of(path)
    rows[0]["text"] = "Sees a bright ad"
    rows[2]["severity"] = "4"
    rows[2]["step"] = "cart"
    rows[3]["pain_points"] = ""
    rows.append(
        dict.fromkeys(COLUMNS, "")
        | {"kind": "quote", "stage": "decision", "lane": "actions", "text": "Why so expensive?"}
    )
    del rows[1]
    write_rows(path, rows)  # type: ignore[arg-type]
    result = import_sheet(small, path, prune=True)
    assert result.problems == []
    assert sorted(result.updated) == ["fee", "fee-upfront", "sees-ad"]
    assert result.added == ["why-so-expensive"] and result.deleted == ["ad"]
    j = result.journey
    assert j.card("sees-ad").text == "Sees a bright ad"  # type: ignore[union-attr]
    fee = j.card("fee")
    assert (fee.severity, fee.step) == (4, "cart")  # type: ignore[union-attr]
    assert j.card("fee-upfront").pain_points == []  # type: ignore[union-attr]
    assert j.card("why-so-expensive").kind == "quote"  # type: ignore[union-attr]


def test_columns_left_out_leave_fields_alone(small: Journey, tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    write_rows(path, [{"id": "fee", "text": "Fee shown late"}], ["id", "text"])
    result = import_sheet(small, path)
    assert result.updated == ["fee"]
    fee = result.journey.card("fee")
    assert (fee.text, fee.severity, fee.step) == ("Fee shown late", 5, "delivery")  # type: ignore[union-attr]
    assert result.journey.card("ad") is not None  # no --prune: the rest stays


def test_every_bad_row_is_reported_with_its_number(small: Journey, tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    blank = dict.fromkeys(COLUMNS, "")
    write_rows(
        path,
        [
            blank | {"id": "fee", "severity": "high"},
            blank | {"kind": "pain", "stage": "decision", "lane": "pains", "text": "x"},
            blank | {"kind": "note", "stage": "decison", "lane": "actions", "text": "y"},
            blank | {"id": "ad", "kind": "note"},
            blank
            | {
                "kind": "note",
                "stage": "awareness",
                "lane": "pains",
                "text": "z",
                "section": "business",
            },
            blank | {"id": "sees-ad", "text": "ok"},
            blank | {"id": "sees-ad", "text": "again"},
        ],
    )
    result = import_sheet(small, path)
    assert [p.format("cards.csv") for p in result.problems] == [
        "cards.csv row 2, column severity: 'high' is not a whole number",
        "cards.csv row 3, column kind: unknown card kind 'pain' (did you mean 'pain_point'?)",
        "cards.csv row 4: no stage 'decison' (did you mean 'decision'?)",
        "cards.csv row 5, column kind: card 'ad' is a touchpoint; a sheet cannot change a card's "
        "kind (delete it and add a new card)",
        "cards.csv row 6, column section: lane 'pains' is in section 'persona', not 'business'",
        "cards.csv row 8, column id: this id is on an earlier row too",
    ]
    assert result.journey.card("sees-ad").text == "ok"  # type: ignore[union-attr]


def test_unknown_columns_and_unreadable_files(small: Journey, tmp_path: Path) -> None:
    result = import_rows(small, ["id", "colour", "txt"], [])
    assert [p.message for p in result.problems] == [
        "unknown column 'colour' (the columns are those `journeymap export` writes)",
        "unknown column 'txt' (did you mean 'text'?)",
    ]
    bad = tmp_path / "cards.xlsx"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(SheetError, match="not a readable XLSX file"):
        read_sheet(bad)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,text\nfee,caf\xe9\n".encode("latin-1"))
    with pytest.raises(SheetError, match="not UTF-8 text; save it as CSV UTF-8"):
        read_sheet(latin)
    with pytest.raises(SheetError, match=r"use \.csv or \.xlsx"):
        read_sheet(tmp_path / "cards.ods")


def test_semicolon_csv_from_a_european_excel(small: Journey, tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    path.write_text("id;severity\nfee;2\n", encoding="utf-8")
    result = import_sheet(small, path)
    assert result.problems == [] and result.journey.card("fee").severity == 2  # type: ignore[union-attr]


TRICKY = [
    'He said "no way" and left',
    "Compares prices, then leaves",
    "'Where is my parcel?'",
    "=SUM(1,2) from the survey",
    "-10% off, +5 points, @support",
    "Line one\nline two",
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_tricky_text_survives_a_round_trip(small: Journey, tmp_path: Path, suffix: str) -> None:
    from journeymap.domain.apply import apply_all
    from journeymap.domain.operations import AddOp

    journey = apply_all(
        small,
        [
            AddOp(
                entity="card",
                id=f"t{i}",
                value={
                    "kind": "note",
                    "stage": "awareness",
                    "lane": "actions",
                    "text": text,
                    "details": text,
                },
            )
            for i, text in enumerate(TRICKY * 20)  # enough rows for any format guessing to bite
        ],
    )
    path = tmp_path / f"cards{suffix}"
    export_cards(journey, path)
    result = import_sheet(journey, path)
    assert (result.problems, result.updated, result.added) == ([], [], [])
    assert result.journey == journey
    if suffix == ".csv":
        assert "'=SUM(1,2) from the survey" in path.read_text(encoding="utf-8-sig")


def test_numbers_are_read_strictly(small: Journey, tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    path.write_text("id;value;target\nmetric-1;12,5;1.000,5\n", encoding="utf-8")
    from journeymap.domain.apply import apply
    from journeymap.domain.operations import AddOp

    journey = apply(
        small,
        AddOp(
            entity="lane",
            id="kpis",
            value={"section": "business", "name": "KPIs", "kind": "metrics"},
        ),
    )
    journey = apply(
        journey,
        AddOp(
            entity="card",
            id="metric-1",
            value={"kind": "metric", "stage": "awareness", "lane": "kpis", "text": "Reach"},
        ),
    )
    result = import_sheet(journey, path)
    assert [p.format("s") for p in result.problems] == [
        "s row 2, column target: '1.000,5' is not a number"
    ]
    path.write_text("id,value\nmetric-1,12.5\n", encoding="utf-8")
    result = import_sheet(journey, path)  # a metric's value is a number, whatever the sheet says
    assert result.problems == [] and result.journey.card("metric-1").value == 12.5  # type: ignore[union-attr]
    assert import_rows(journey, ["id", "severity"], [(2, ["fee", True])]).problems[0].message == (
        "'True' is not a whole number"
    )


def test_a_value_in_a_column_the_card_does_not_have_is_an_error(
    small: Journey, tmp_path: Path
) -> None:
    result = import_rows(small, ["id", "severity"], [(2, ["ad", "5"])])
    assert [p.format("s") for p in result.problems] == [
        "s row 2, column severity: a touchpoint card has no field 'severity'; leave that cell empty"
    ]


def test_prune_is_skipped_when_rows_are_bad(small: Journey) -> None:
    result = import_rows(small, ["id", "severity"], [(2, ["fee", "high"])], prune=True)
    assert result.prune_skipped and result.deleted == []


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_yes_no_field_is_written_true_or_left_empty_and_read_back(
    small: Journey, tmp_path: Path, suffix: str
) -> None:
    """A touchpoint's service_contact (a flag, found from its type) round-trips; a cell that
    is neither true nor false is refused naming the column."""
    done = import_rows(small, ["id", "service_contact"], [(2, ["ad", "yes"])])
    assert done.problems == [] and done.journey.card("ad").service_contact is True  # type: ignore[union-attr]
    path = tmp_path / f"cards{suffix}"
    export_cards(done.journey, path)
    header, rows = read_sheet(path)
    cells = {r[0]: dict(zip(header, r, strict=False)) for _, r in rows}
    assert cells["ad"]["service_contact"] == "true"
    assert cells["sees-ad"]["service_contact"] in ("", None)  # a note has no such field
    again = import_sheet(done.journey, path)
    assert (again.problems, again.updated) == ([], [])
    bad = import_rows(small, ["id", "service_contact"], [(3, ["ad", "maybe"])])
    assert [(p.row, p.column) for p in bad.problems] == [(3, "service_contact")]
    assert "not true or false" in bad.problems[0].message
