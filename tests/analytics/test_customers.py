"""The customer table: defined in the source, ingested beside the events, every row counted."""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from journeymap.analytics.customers import CustomerReport, load_report
from journeymap.analytics.ingest import SourceError, ingest
from journeymap.analytics.spec_file import load_source_spec
from journeymap.analytics.store import dictionary_path
from journeymap.cli.app import app
from journeymap.domain.errors import JourneyInvalid

from .people import CUSTOMERS, SOURCE, write_world


def run(source: Path, force: bool = False) -> Path:
    return ingest(load_source_spec(source), source.parent, source.parent / "data", force).store


def test_the_table_is_keyed_like_the_events_and_typed(tmp_path: Path) -> None:
    store = run(write_world(tmp_path))
    rows = duckdb.sql(f"""
        SELECT e.customer, c.segment, c.country, c.employees
        FROM '{store.parent / "customers.parquet"}' c
        JOIN (SELECT code AS customer_key, value AS customer FROM '{dictionary_path(store)}'
              WHERE "column" = 'customer') e USING (customer_key)
        ORDER BY e.customer""").fetchall()
    # u9 has no events, so no key; u5 has events but no row; u1's repeat and the row without
    # an id are dropped. employees holds only numbers, so it is a number.
    assert rows == [
        ("u1", "smb", "DE", 12.0),
        ("u2", "smb", "FR", 8.0),
        ("u3", "enterprise", "DE", 5000.0),
        ("u4", "mid", "DE", 200.0),
    ]


def test_the_report_counts_every_row(tmp_path: Path) -> None:
    store = run(write_world(tmp_path))
    assert load_report(store) == CustomerReport(
        source=str(tmp_path / "customers.csv"),
        rows_read=7,
        customers=5,  # u1, u2, u3, u4, u9
        matched=4,  # u9 has no events
        not_in_events=1,
        without_row=1,  # u5
        dropped={"missing customer id": 1, "exact duplicate": 1},
        attributes={"segment": "text", "country": "text", "employees": "number"},
        warnings=[],
    )


def test_a_code_with_a_leading_zero_stays_text(tmp_path: Path) -> None:
    table = "id,segment,country,employees\nu1,smb,DE,007\nu2,smb,FR,8\n"
    store = run(write_world(tmp_path, customers=table))
    report = load_report(store)
    assert report is not None and report.attributes["employees"] == "text"
    found = duckdb.sql(f"SELECT employees FROM '{store.parent / 'customers.parquet'}' ORDER BY 1")
    assert found.fetchall() == [("007",), ("8",)]


def test_ids_that_match_no_event_get_a_warning(tmp_path: Path) -> None:
    table = "id,segment,country,employees\nU1,smb,DE,1\n"
    report = load_report(run(write_world(tmp_path, customers=table)))
    assert report is not None and (report.matched, report.not_in_events) == (0, 1)
    assert report.warnings == [
        "no id in column 'id' matches a customer of the events "
        "(is it the same id as the events' customer column?)"
    ]


def test_a_changed_table_is_read_again(tmp_path: Path) -> None:
    source = write_world(tmp_path)
    first = run(source)
    table = tmp_path / "customers.csv"
    table.write_text(CUSTOMERS.replace("u2,smb,FR,8", "u2,mid,FR,8"))
    later = time.time() + 5  # a new mtime even on a coarse clock
    os.utime(table, (later, later))
    second = run(source)
    assert second != first
    segments = duckdb.sql(f"SELECT segment FROM '{second.parent / 'customers.parquet'}'")
    assert ("mid",) in segments.fetchall() and len(segments.fetchall()) == 4
    assert run(source) == second  # unchanged again: reused


def failure(source: Path) -> str:
    with pytest.raises(SourceError) as caught:
        run(source)
    return str(caught.value)


def test_different_rows_for_one_id_are_an_error(tmp_path: Path) -> None:
    table = CUSTOMERS + "u2,mid,FR,8\nu3,smb,DE,1\n"
    message = failure(write_world(tmp_path, customers=table))
    assert message == (
        "customers.csv has more than one row, with different values, for customer 'u2', 'u3' "
        "(keep one row per customer in column 'id')"
    )
    # A failed customer table leaves no store a later run would reuse.
    assert not list((tmp_path / "data").glob("ingest/*/report.json"))


def test_a_missing_column_names_the_close_one(tmp_path: Path) -> None:
    source = SOURCE.replace("attributes: [segment,", "attributes: [Segmant,")
    assert failure(write_world(tmp_path, source=source)) == (
        "customers.csv has no column 'Segmant' (did you mean 'segment'?)"
    )


def test_a_missing_file_names_the_field_to_fix(tmp_path: Path) -> None:
    source = write_world(tmp_path, source=SOURCE.replace("customers.csv", "people.csv"))
    assert failure(source) == (
        f"{tmp_path / 'people.csv'}: no such file (check customers.path, relative to {tmp_path})"
    )


@pytest.mark.parametrize(
    ("customers", "expected"),
    [
        (
            "{path: c.csv, customer: id, atributes: [segment]}",
            "customers.attributes: missing required field 'attributes' (add `attributes: ...`)"
            "\ncustomers.atributes: unknown field 'atributes' (did you mean 'attributes'?)",
        ),
        (
            "{path: c.csv, customer: id, attributes: []}",
            "customers: list the columns to keep under `attributes`, such as [segment]",
        ),
        (
            "{path: c.duckdb, customer: id, attributes: [segment]}",
            "customers: a customer table is a CSV, Parquet or JSON lines file",
        ),
        (
            "{path: c.csv, customer: id, attributes: [id]}",
            "customers: 'id' is the id column; leave it out of `attributes`",
        ),
    ],
)
def test_a_bad_definition_is_located(tmp_path: Path, customers: str, expected: str) -> None:
    base = SOURCE.split("customers:")[0]
    (tmp_path / "s.yaml").write_text(base + f"customers: {customers}\n")
    with pytest.raises(JourneyInvalid) as caught:
        load_source_spec(tmp_path / "s.yaml")
    assert [str(p).split(" ", 1)[1] for p in caught.value.problems] == expected.split("\n")


def test_the_ingest_command_reports_the_table(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(write_world(tmp_path))])
    assert result.exit_code == 0, result.output
    assert (
        "customer table " + str(tmp_path / "customers.csv") + ": 7 rows, 4 customers matched, "
        "1 not in the events, 1 in the events without a row"
    ) in " ".join(result.stdout.split())
    assert "1 row dropped: exact duplicate" in result.stdout


def test_the_ingest_command_fails_cleanly(tmp_path: Path) -> None:
    table = CUSTOMERS + "u2,mid,FR,8\n"
    result = CliRunner().invoke(app, ["ingest", str(write_world(tmp_path, customers=table))])
    assert result.exit_code == 1
    assert "more than one row, with different values, for customer 'u2'" in result.stderr
    assert "Traceback" not in result.output
