"""The JSON Schema of the journey file, generated from the domain model."""

from __future__ import annotations

import json
from typing import Any

from ..domain.model import FORMAT_VERSION, Journey

SCHEMA_ID = "urn:journeymap:schema:journey-file:1"


def journey_schema() -> dict[str, Any]:
    schema = Journey.model_json_schema(mode="validation")
    defs: dict[str, Any] = schema.get("$defs", {})
    # In a file, ids may be left out (they are generated), except the journey's own.
    for definition in defs.values():
        required = definition.get("required")
        if required and "id" in required:
            required.remove("id")
            if not required:
                del definition["required"]
    props = schema["properties"]
    props["personas"]["items"] = {
        "anyOf": [
            {"type": "string", "description": "the id of a persona defined in the workspace"},
            {"$ref": "#/$defs/Persona"},
        ]
    }
    props["review_by"] = {
        "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}],
        "default": None,
        "title": "Review By",
    }
    schema["properties"] = {
        "format_version": {"const": FORMAT_VERSION, "description": "the journey file format"},
        **props,
    }
    schema["required"] = ["format_version", *schema.get("required", [])]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **{k: v for k, v in schema.items() if k != "title"},
        "title": "journeymap journey file",
        "description": "One customer journey map: personas, stages, lanes, cards and emotions.",
    }


def journey_schema_text() -> str:
    return json.dumps(journey_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
