"""The committed JSON Schema is current, and every template satisfies it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from journeymap.files.yaml_text import parse_yaml
from journeymap.services.schema import (
    analysis_schema_text,
    evidence_schema_text,
    feedback_schema_text,
    journey_schema,
    journey_schema_text,
    painpoints_schema_text,
)

SCHEMAS = Path(__file__).parents[2] / "schemas"
COMMITTED = SCHEMAS / "journey.schema.json"


def test_committed_schema_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == journey_schema_text(), (
        "schemas/journey.schema.json is stale: run `make schema` and commit it"
    )


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("analysis.schema.json", analysis_schema_text),
        ("evidence.schema.json", evidence_schema_text),
        ("feedback.schema.json", feedback_schema_text),
        ("painpoints.schema.json", painpoints_schema_text),
    ],
)
def test_committed_output_schemas_are_current(name: str, make: object) -> None:
    text = make()  # type: ignore[operator]
    jsonschema.Draft202012Validator.check_schema(json.loads(text))
    assert (SCHEMAS / name).read_text(encoding="utf-8") == text, (
        f"schemas/{name} is stale: run `make schema` and commit it"
    )


def test_schema_is_valid_and_accepts_every_template(template: tuple[str, str]) -> None:
    schema = journey_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(json.dumps(parse_yaml(template[1]).data, default=str))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


def test_schema_rejects_what_the_loader_rejects() -> None:
    validator = jsonschema.Draft202012Validator(journey_schema())
    base = {"format_version": 1, "id": "x", "title": "T"}
    assert validator.is_valid(base)
    assert not validator.is_valid({**base, "format_version": 2})
    assert not validator.is_valid({**base, "colour": "red"})
    card = {"kind": "pain_point", "lane": "l", "stage": "s", "text": "t", "severity": 9}
    assert not validator.is_valid({**base, "cards": [card]})
    assert validator.is_valid({**base, "cards": [{**card, "severity": 4}], "personas": ["alex"]})
