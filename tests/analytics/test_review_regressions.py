"""Analytics inputs and outputs a reviewer found wrong: privacy, types, names, empty files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from journeymap.analytics.ingest import SourceError, ingest
from journeymap.analytics.measures import BindingError, bind, open_store
from journeymap.analytics.source_spec import SourceSpec
from journeymap.cli.app import app
from journeymap.domain.apply import apply_all
from journeymap.services.templates import new_journey

from .helpers import touchpoint


def small_world(tmp_path: Path) -> tuple[Path, Path]:
    """20 customers see A; 3 of them go on to B."""
    rows = ["cid,at,what,q"] + [f"c{i},2024-01-01T10:00:00Z,a,00{i % 3}" for i in range(20)]
    rows += [f"c{i},2024-01-01T11:00:00Z,b,7" for i in range(3)]
    (tmp_path / "log.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "s.yaml").write_text(
        "source: {path: log.csv}\ncolumns: {customer: cid, "
        "timestamp: at, event: what, properties: [q]}\n"
    )
    journey = apply_all(
        new_journey(framework="three-stage"),
        [
            touchpoint("a", "awareness", {"names": ["a"]}, text="A"),
            touchpoint("b", "consideration", {"names": ["b"]}, text="B"),
        ],
    )
    import journeymap

    journeymap.save(journey, tmp_path / "j.yaml")
    return tmp_path / "j.yaml", tmp_path / "s.yaml"


def test_rates_and_times_behind_a_small_count_are_hidden(tmp_path: Path) -> None:
    journey, source = small_world(tmp_path)
    result = CliRunner().invoke(
        app, ["analyze", str(journey), "--source", str(source), "--json", "--save"]
    )
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    second = payload["funnel"][1]
    assert second["customers"] == "<10"
    assert second["conversion"] is None and second["overall"] is None
    assert second["median_s"] is None and second["p90_s"] is None
    assert all(
        t["share"] is None and t["median_gap_s"] is None
        for t in payload["transitions"]
        if t["count"] == "<10"
    )
    evidence = json.loads((tmp_path / "j.evidence.json").read_text())
    stage_two = [e for e in evidence["items"] if e["target"] == "consideration"]
    assert stage_two and all(e["suppressed"] and e["value"] is None for e in stage_two)


def test_leading_zeros_keep_a_property_as_text_and_where_values_match_types(
    tmp_path: Path,
) -> None:
    small_world(tmp_path)
    spec = SourceSpec(
        source={"path": "log.csv"},
        columns={"customer": "cid", "timestamp": "at", "event": "what", "properties": ["q"]},
    )
    result = ingest(spec, tmp_path, tmp_path / "d")
    assert result.report.properties == {"q": "text"}  # 001, 002 stay as written
    events = open_store(result.store)
    journey = new_journey(framework="three-stage")
    journey = apply_all(
        journey,
        [touchpoint("t", "awareness", {"names": ["a"], "where": {"q": "001"}}, text="T")],
    )
    assert bind(events, journey).count().execute() == 7  # i % 3 == 1 for 7 of 20

    (tmp_path / "n.csv").write_text("cid,at,what,n\nx,2024-01-01T00:00:00Z,a,5\n")
    numeric = SourceSpec(
        source={"path": "n.csv"},
        columns={"customer": "cid", "timestamp": "at", "event": "what", "properties": ["n"]},
    )
    events = open_store(ingest(numeric, tmp_path, tmp_path / "d").store)
    for value, hits in (("5", 1), (5, 1), (5.0, 1)):
        bound = apply_all(
            new_journey(framework="three-stage"),
            [touchpoint("t", "awareness", {"names": ["a"], "where": {"n": value}}, text="T")],
        )
        assert bind(events, bound).count().execute() == hits
    wrong = apply_all(
        new_journey(framework="three-stage"),
        [touchpoint("t", "awareness", {"names": ["a"], "where": {"n": "x"}}, text="T")],
    )
    with pytest.raises(BindingError, match="filters 'n' on 'x', but 'n' holds numbers"):
        bind(events, wrong)


def test_property_names_the_store_uses_are_refused() -> None:
    with pytest.raises(ValidationError, match="property 'channel' has the name of a column"):
        SourceSpec(
            source={"path": "x.csv"},
            columns={"customer": "c", "timestamp": "t", "event": "e", "properties": ["channel"]},
        )


def test_empty_files_and_future_times(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("")
    spec = SourceSpec(
        source={"path": "empty.csv"}, columns={"customer": "c", "timestamp": "t", "event": "e"}
    )
    with pytest.raises(SourceError, match="the file is empty"):
        ingest(spec, tmp_path, tmp_path / "d")
    (tmp_path / "f.csv").write_text("c,t,e\nx,2024-01-01T00:00:00Z,a\nx,9999-12-31T23:59:59Z,b\n")
    future = SourceSpec(
        source={"path": "f.csv"}, columns={"customer": "c", "timestamp": "t", "event": "e"}
    )
    report = ingest(future, tmp_path, tmp_path / "d").report
    assert report.warnings == ["1 rows have timestamps in the future"]
