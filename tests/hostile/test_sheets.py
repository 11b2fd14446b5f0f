"""Spreadsheets from anyone: XLSX bombs refused within a memory cap (the declared dimension
ignored, what the file unpacks to checked before unpacking), caps on rows, columns and cells,
rows applied in one batch (linear steps), and a formula guard that gives back any text."""

from __future__ import annotations

import resource
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.domain.model import Journey
from journeymap.files import sheets
from journeymap.files.sheets import MAX_ROWS, _guard_csv, _unguard, read_sheet, write_sheet
from journeymap.services.sheets import export_cards, import_rows, import_sheet
from journeymap.services.templates import new_journey

from .conftest import steps

MEMORY_CAP = 1024 * 1024 * 1024  # the address space the importing process may have
JOURNEYMAP = Path(sys.executable).parent / "journeymap"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    '"xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="cards" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    'sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)


def xlsx(path: Path, rows: str, dimension: str = "A1:B2", strings: str = "") -> Path:
    """A hand-made XLSX: `rows` is the sheetData XML, `strings` the shared strings'."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        f'.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{rows}'
        "</sheetData></worksheet>"
    )
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main">{strings}</sst>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", shared)
    return path


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = '<row r="1">' + text_cell("A1", "id") + text_cell("B1", "text") + "</row>"


def capped_import(sheet: Path, journey_file: Path) -> subprocess.CompletedProcess[str]:
    """`journeymap import` in a process whose address space is capped at MEMORY_CAP."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run(
        [str(JOURNEYMAP), "import", str(sheet), "--into", str(journey_file)],
        capture_output=True,
        text=True,
        preexec_fn=cap,
        timeout=300,
        check=False,
    )


@pytest.fixture
def journey_file(tmp_path: Path, small_text: str) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(small_text)
    return path


def test_a_declared_dimension_is_ignored(tmp_path: Path, journey_file: Path) -> None:
    """`A1:XFD1048576` made openpyxl pad every row to 16,384 cells; the rows there are are read."""
    rows = HEADER + '<row r="2">' + text_cell("A2", "fee") + text_cell("B2", "Fee late") + "</row>"
    sheet = xlsx(tmp_path / "wide.xlsx", rows, dimension="A1:XFD1048576")
    done = capped_import(sheet, journey_file)
    assert done.returncode == 0, done.stderr
    assert "0 added, 1 updated" in done.stdout
    assert "text: Fee late" in journey_file.read_text()


def test_a_far_row_is_refused(tmp_path: Path, journey_file: Path) -> None:
    rows = HEADER + '<row r="1048576">' + text_cell("A1048576", "far") + "</row>"
    sheet = xlsx(tmp_path / "far.xlsx", rows, dimension="A1:XFD1048576")
    before = journey_file.read_text()
    done = capped_import(sheet, journey_file)
    assert done.returncode == 1
    message = " ".join(done.stderr.split())
    assert f"row 1,048,576 is past the {MAX_ROWS:,} rows a sheet may have" in message.replace(
        "row 1048576", "row 1,048,576"
    )
    assert "Traceback" not in done.stderr and journey_file.read_text() == before


def test_shared_strings_that_unpack_to_too_much_are_refused_unread(
    tmp_path: Path, journey_file: Path
) -> None:
    strings = "<si><t>x</t></si>" * (100 * 1024 * 1024 // 17)  # 100 MB, a few hundred KB zipped
    sheet = xlsx(tmp_path / "strings.xlsx", HEADER, strings=strings)
    assert sheet.stat().st_size < 2 * 1024 * 1024
    done = capped_import(sheet, journey_file)
    assert done.returncode == 1
    message = " ".join(done.stderr.split())
    assert "the file unpacks to 105 MB (xl/sharedStrings.xml alone 105 MB)" in message
    assert "sheets may unpack to 64 MB" in message and "Traceback" not in done.stderr


def test_columns_and_cells_past_their_caps_are_refused(tmp_path: Path) -> None:
    wide = HEADER + '<row r="2">' + text_cell("A2", "fee") + text_cell("BM2", "x") + "</row>"
    _, rows = read_sheet(xlsx(tmp_path / "wide.xlsx", wide))
    with pytest.raises(sheets.SheetError, match=r"row 2 has a value in column BM; a sheet may"):
        list(rows)
    far = HEADER + '<row r="2">' + text_cell("XFD2", "x") + "</row>"
    _, rows = read_sheet(xlsx(tmp_path / "far.xlsx", far))
    with pytest.raises(sheets.SheetError, match="column XFD"):
        list(rows)
    path = tmp_path / "long.csv"
    path.write_text("id,text\nfee," + "y" * 40_000 + "\n")
    _, rows = read_sheet(path)
    with pytest.raises(sheets.SheetError, match=r"row 2, column B holds 40,000 characters"):
        list(rows)
    many = tmp_path / "many.csv"
    many.write_text("kind,stage,lane,text\n" + "note,awareness,actions,x\n" * (MAX_ROWS + 1))
    with pytest.raises(sheets.SheetError, match=f"row {MAX_ROWS + 2} is past the"):
        import_sheet(new_journey(framework="three-stage"), many)


def test_rows_are_applied_in_linear_steps() -> None:
    journey = new_journey(template="car-purchase")
    stage, lane = journey.live_stages()[0].id, "actions"
    lane = next(ln.id for s in journey.live_sections() for ln in journey.live_lanes(s))

    def import_of(n: int) -> int:
        rows = [(i + 2, ["note", stage, lane, f"TBD {i % 3}"]) for i in range(n)]

        def run() -> None:
            result = import_rows(journey, ["kind", "stage", "lane", "text"], rows)
            assert len(result.added) == n and not result.problems

        src = str(Path(sheets.__file__).parents[1])  # all of journeymap's code
        return steps(src, run)

    small, large = import_of(300), import_of(600)
    assert large / small < 2.3, (small, large)


def test_a_bad_row_among_many_is_reported_and_the_rest_applied() -> None:
    journey = new_journey(framework="three-stage")
    rows = [(i + 2, ["note", "awareness", "actions", f"card {i}", ""]) for i in range(50)]
    rows[20] = (22, ["note", "awareness", "actions", "bad", "7"])  # a note has no severity
    rows[30] = (32, ["pain_point", "awareness", "pains", "too severe", "9"])
    result = import_rows(journey, ["kind", "stage", "lane", "text", "severity"], rows)
    assert [p.format("s") for p in result.problems] == [
        "s row 22, column severity: a note card has no field 'severity'; leave that cell empty",
        "s row 32: severity: severity must be at most 5, got 9 (use a whole number from 1 "
        "(minor) to 5 (critical))",
    ]
    assert len(result.added) == 48 and result.added[0] == "card-0"


@given(st.text())
def test_the_formula_guard_gives_back_any_text(text: str) -> None:
    assert _unguard(_guard_csv(text)) == text
    if text.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert _guard_csv(text) == "'" + text  # a spreadsheet shows it, never runs it


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",))), min_size=1, max_size=5))
def test_any_text_survives_a_csv_round_trip(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    path = tmp_path_factory.mktemp("csv") / "cards.csv"
    write_sheet(path, ["text"], [{"text": t} for t in texts], {})
    header, rows = read_sheet(path)
    assert header == ["text"]
    assert [cells[0] if cells else "" for _, cells in rows] == texts


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_text_starting_with_a_quote_comes_back_as_written(
    small: Journey, tmp_path: Path, suffix: str
) -> None:
    from journeymap.domain.apply import apply_all
    from journeymap.domain.operations import AddOp

    texts = ["'=SUM(1,2)", "''quoted''", "'plain", "=1+1", "'"]
    journey = apply_all(
        small,
        [
            AddOp(
                entity="card",
                id=f"q{i}",
                value={"kind": "note", "stage": "awareness", "lane": "actions", "text": t},
            )
            for i, t in enumerate(texts)
        ],
    )
    path = tmp_path / f"cards{suffix}"
    export_cards(journey, path)
    result = import_sheet(journey, path)
    assert (result.problems, result.updated, result.added) == ([], [], [])
    assert [result.journey.card(f"q{i}").text for i in range(len(texts))] == texts  # type: ignore[union-attr]


_cells = st.sampled_from(
    [("awareness", None, "actions"), ("decision", "cart", "actions"), ("decision", None, "pains")]
)


@st.composite
def _card_ops(draw: st.DrawFn) -> list[Any]:
    """Card edits of every kind, naming ids that exist, that were added, and that do not."""
    from journeymap.domain.operations import AddOp, DeleteOp, MoveOp, RestoreOp, SetOp

    ids = ["sees-ad", "ad", "fee", "fee-upfront", "new-1", "new-2", "nope"]
    ops: list[Any] = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["add", "add", "move", "set", "delete", "restore"]))
        ident = draw(st.sampled_from(ids))
        anchor = draw(st.sampled_from([None, None, *ids]))
        side = draw(st.sampled_from(["before", "after"]))
        stage, step, lane = draw(_cells)
        place = {side: anchor} if anchor else {}
        if kind == "add":
            value = {
                "kind": "note",
                "stage": stage,
                "lane": lane,
                "text": draw(st.sampled_from(["TBD", "Fee", "x"])),
            }
            if step:
                value["step"] = step
            new = draw(st.sampled_from([None, "new-1", "new-2"]))
            ops.append(AddOp(entity="card", id=new, value=value, **place))
        elif kind == "move":
            ops.append(MoveOp(entity="card", id=ident, stage=stage, step=step, lane=lane, **place))
        elif kind == "set":
            ops.append(
                SetOp(
                    entity="card", id=ident, field="text", value=draw(st.sampled_from(["a", "b"]))
                )
            )
        elif kind == "delete":
            ops.append(DeleteOp(entity="card", id=ident))
        else:
            ops.append(RestoreOp(entity="card", id=ident))
    return ops


@settings(max_examples=150, deadline=None)
@given(_card_ops())
def test_a_batch_gives_what_one_operation_at_a_time_gives(ops: list[Any]) -> None:
    """The card index a batch keeps changes no outcome: the same journey (ids, order keys and
    all), or the same refusal, as the same operations applied without it."""
    from journeymap.domain.apply import apply_unchecked
    from journeymap.domain.card_index import batch
    from journeymap.domain.errors import OperationError
    from journeymap.files.journey_file import journey_from_text
    from tests.samples import SMALL

    start = journey_from_text(SMALL, "small.yaml")

    def outcome(indexed: bool) -> Any:
        try:
            if not indexed:
                return apply_unchecked(start, ops)
            with batch():
                return apply_unchecked(start, ops)
        except OperationError as error:
            return str(error)

    assert outcome(indexed=True) == outcome(indexed=False)
