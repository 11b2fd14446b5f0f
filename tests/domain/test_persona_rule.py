"""A persona's `match` rule: validated with located messages, and kept through a save."""

from __future__ import annotations

import pytest

from journeymap.domain.errors import JourneyInvalid
from journeymap.domain.model import PersonaRule
from journeymap.files.journey_file import journey_from_text, render_text

from ..samples import SMALL


def with_personas(block: str) -> str:
    return SMALL.replace("personas: [alex]\n", "personas:\n" + block)


RULE = """\
  - id: smb-buyer
    name: Small business buyer
    match:
      where: {segment: [smb, mid], country: DE, employees: 50}
      did: [checkout_*]
      did_not: [support_call]
"""


def test_a_rule_reads_and_survives_a_save() -> None:
    journey = journey_from_text(with_personas(RULE), "j.yaml")
    rule = journey.personas[0].match
    assert rule == PersonaRule(
        where={"segment": ["smb", "mid"], "country": "DE", "employees": 50},
        did=["checkout_*"],
        did_not=["support_call"],
    )
    again = journey_from_text(render_text(journey), "again.yaml")
    assert again == journey


def problems(block: str) -> list[str]:
    with pytest.raises(JourneyInvalid) as caught:
        journey_from_text(with_personas(block), "j.yaml")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            "  - id: p\n    match: {}\n",
            "j.yaml:6:12 personas[0].match: give at least one of `where`, `did` or `did_not` "
            "(customers no persona matches are counted as 'unassigned')",
        ),
        (
            "  - id: p\n    match: {wher: {segment: smb}}\n",
            "j.yaml:6:13 personas[0].match.wher: unknown field 'wher' (did you mean 'where'?)",
        ),
        (
            "  - id: p\n    match: {where: {vip: true}}\n",
            "j.yaml:6:26 personas[0].match.where.vip: true is read as true/false; "
            "put it in quotes ('true') to match the text",
        ),
        (
            "  - id: p\n    match: {where: {segment: []}}\n",
            "j.yaml:6:30 personas[0].match.where.segment: the list is empty; "
            "give one or more values",
        ),
        (
            "  - id: p\n    match: {where: {segment: {a: 1}}}\n",
            "j.yaml:6:30 personas[0].match.where.segment: expected a value or a list of values "
            "such as [smb, mid], got a mapping",
        ),
        (
            "  - id: p\n    match: {did: [pay], did_not: [pay]}\n",
            "j.yaml:6:12 personas[0].match: 'pay' is in both `did` and `did_not`, "
            "so nobody can match",
        ),
    ],
)
def test_a_bad_rule_gets_one_located_message(block: str, expected: str) -> None:
    assert problems(block) == [expected]


def test_unknown_fields_in_a_binding_are_matched_against_the_binding() -> None:
    text = SMALL.replace(
        "    name: Awareness\n", "    name: Awareness\n    entry_events: {nams: [x]}\n"
    )
    with pytest.raises(JourneyInvalid) as caught:
        journey_from_text(text, "j.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "j.yaml:8:20 stages[0].entry_events.nams: unknown field 'nams' (did you mean 'names'?)"
    ]
