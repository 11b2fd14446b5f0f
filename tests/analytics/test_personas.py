"""Persona rules on the hand-written world of people.py, and the funnel split by them.

Funnel (awareness: visit; decision: cart or pay): u1, u2, u3, u5 reach both stages, u4 only
awareness. Personas, first match wins:
    u1  smb, DE, paid                -> smb-buyer (self-serve would match too: later in the map)
    u2  smb, FR, first event phone   -> explorer
    u3  DE, but called support       -> unassigned (enterprise; its first event is on desktop)
    u4  mid, DE, never paid          -> self-serve
    u5  no table row, desktop first  -> unassigned
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from journeymap.analytics.cohorts import funnel_for_groups
from journeymap.analytics.customers import open_customers
from journeymap.analytics.ingest import ingest
from journeymap.analytics.measures import BindingError, bind, open_store, stage_entries
from journeymap.analytics.personas import RuleError, assign_personas, split_groups
from journeymap.analytics.spec_file import load_source_spec
from journeymap.cli.app import app

from .people import PERSONAS, SOURCE, journey, journey_text, write_world


def world(tmp_path: Path, source: str = SOURCE) -> tuple[Any, Any]:
    """(events, customers) as Ibis tables on one backend."""
    spec_file = write_world(tmp_path, source=source)
    store = ingest(load_source_spec(spec_file), tmp_path, tmp_path / "data").store
    events = open_store(store)
    return events, open_customers(events, store)


def personas_of(events: Any, customers: Any, personas: str = PERSONAS) -> dict[str, str]:
    table = assign_personas(events, customers, journey(personas))
    names = events.select("customer_key", "customer").distinct()
    rows = table.join(names, "customer_key").to_pyarrow().to_pylist()
    return {r["customer"]: r["persona"] for r in rows}


def test_first_matching_persona_in_map_order_wins(tmp_path: Path) -> None:
    events, customers = world(tmp_path)
    assert personas_of(events, customers) == {
        "u1": "smb-buyer",
        "u2": "explorer",
        "u3": "unassigned",
        "u4": "self-serve",
        "u5": "unassigned",
    }


def test_moving_a_persona_up_changes_who_wins(tmp_path: Path) -> None:
    events, customers = world(tmp_path)
    first, second = PERSONAS.split("  - id: self-serve\n")
    swapped = "personas:\n  - id: self-serve\n" + second.split("  - id: explorer")[0]
    swapped += "  - id: smb-buyer\n" + first.split("  - id: smb-buyer\n")[1]
    assert personas_of(events, customers, swapped)["u1"] == "self-serve"


def rule(match: str) -> str:
    return f"personas:\n  - id: p\n    match: {match}\n"


@pytest.mark.parametrize(
    ("match", "members"),
    [
        ("{where: {employees: 5000}}", {"u3"}),  # a number column compares as numbers
        ("{where: {employees: '5000.0'}}", {"u3"}),
        ("{where: {employees: [8, 12]}}", {"u1", "u2"}),
        ("{did: [cart, pay]}", {"u1", "u3", "u5"}),  # each event, at least once
        ("{did: ['support_*']}", {"u3"}),
        ("{did_not: [pay]}", {"u2", "u4"}),
        ("{where: {device: desktop}, did: [pay]}", {"u3", "u5"}),  # device on the first event
        ("{where: {segment: smb}, did_not: [pay]}", {"u2"}),  # u5 has no row: no segment
    ],
)
def test_each_part_of_a_rule(tmp_path: Path, match: str, members: set[str]) -> None:
    events, customers = world(tmp_path)
    found = personas_of(events, customers, rule(match))
    assert {c for c, p in found.items() if p == "p"} == members
    assert len(found) == 5  # everyone gets a persona, or "unassigned"


def test_without_a_customer_table_rules_read_event_properties(tmp_path: Path) -> None:
    events, customers = world(tmp_path, source=SOURCE.split("customers:")[0])
    assert customers is None
    found = personas_of(events, None, rule("{where: {device: phone}}"))
    assert sorted(c for c, p in found.items() if p == "p") == ["u1", "u2"]
    with pytest.raises(RuleError) as caught:
        personas_of(events, None, rule("{where: {segment: smb}}"))
    assert str(caught.value) == (
        "persona 'p' matches on 'segment', which the events lack (known: channel, customer, "
        "device; a customer table (`customers:` in the source definition) adds attributes)"
    )


@pytest.mark.parametrize(
    ("match", "expected"),
    [
        (
            "{where: {segmnt: smb}}",
            "persona 'p' matches on 'segmnt', which neither the customer table nor the events "
            "have (did you mean 'segment'?)",
        ),
        (
            "{where: {event: pay}}",
            "persona 'p' tests 'event' under `where`; list events under `did:`",
        ),
        (
            "{where: {employees: lots}}",
            "persona 'p' filters 'employees' on 'lots', but 'employees' holds numbers",
        ),
    ],
)
def test_a_rule_naming_what_is_not_there_gets_a_fix(
    tmp_path: Path, match: str, expected: str
) -> None:
    events, customers = world(tmp_path)
    with pytest.raises(BindingError) as caught:
        assign_personas(events, customers, journey(rule(match)))
    assert str(caught.value) == expected


def split(tmp_path: Path, by: str) -> dict[str, list[int]]:
    events, customers = world(tmp_path)
    j = journey()
    entries = stage_entries(events, bind(events, j), j)
    groups = split_groups(events, customers, j, by)
    return {k: [s.customers for s in v] for k, v in funnel_for_groups(entries, groups, j).items()}


def test_the_funnel_split_by_persona(tmp_path: Path) -> None:
    # Largest group first, ties by name; [awareness, decision] customers.
    assert split(tmp_path, "persona") == {
        "unassigned": [2, 2],  # u3, u5
        "explorer": [1, 1],  # u2
        "self-serve": [1, 0],  # u4 never reached checkout
        "smb-buyer": [1, 1],  # u1
    }


def test_the_funnel_split_by_a_customer_table_attribute(tmp_path: Path) -> None:
    assert split(tmp_path, "segment") == {
        "smb": [2, 2],  # u1, u2
        "(none)": [1, 1],  # u5 has no row
        "enterprise": [1, 1],
        "mid": [1, 0],
    }


def test_the_funnel_split_by_an_event_property_as_before(tmp_path: Path) -> None:
    assert split(tmp_path, "device") == {"desktop": [3, 2], "phone": [2, 2]}


def test_splitting_by_what_nobody_has_names_the_close_one(tmp_path: Path) -> None:
    with pytest.raises(BindingError) as caught:
        split(tmp_path, "countri")
    assert str(caught.value) == (
        "neither the customer table nor the events have 'countri' to split by "
        "(did you mean 'country'?)"
    )


def test_analyze_splits_by_persona_with_their_names(tmp_path: Path) -> None:
    source = write_world(tmp_path)
    (tmp_path / "world.yaml").write_text(journey_text())
    args = ["analyze", str(tmp_path / "world.yaml"), "--source", str(source), "--min-count", "1"]
    result = CliRunner().invoke(app, [*args, "--split-by", "persona"])
    assert result.exit_code == 0, result.output
    table = result.stdout.split("Stage funnel by persona")[1].splitlines()[1:4]
    assert [" ".join(line.split()) for line in table] == [
        "stage unassigned explorer Self-serve Small business buyer",
        "Awareness 2 (100%) 1 (100%) 1 (100%) 1 (100%)",
        "Decision 2 (100%) 1 (100%) 0 (0%) 1 (100%)",
    ]


def test_analyze_reports_a_bad_rule_without_a_traceback(tmp_path: Path) -> None:
    source = write_world(tmp_path)
    (tmp_path / "world.yaml").write_text(journey_text(rule("{where: {segmnt: smb}}")))
    args = ["analyze", str(tmp_path / "world.yaml"), "--source", str(source)]
    result = CliRunner().invoke(app, [*args, "--split-by", "persona"])
    assert result.exit_code == 1
    assert "persona 'p' matches on 'segmnt'" in result.stderr
    assert "did you mean 'segment'?" in result.stderr
    assert "Traceback" not in result.output
