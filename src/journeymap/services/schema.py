"""The committed JSON Schemas: the journey file (from the domain model), what `journeymap
analyze --json` prints and the evidence file (from their pydantic models)."""

from __future__ import annotations

import json
from typing import Any

from ..analytics.evidence import EvidenceSet
from ..domain.model import FORMAT_VERSION, Journey
from .analysis_output import AnalysisOutput
from .feedback_output import FeedbackOutput, PainPointsOutput

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


def _dumped(schema: dict[str, Any], ident: str, title: str, description: str) -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": ident,
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
        "title": title,
        "description": description,
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def analysis_schema_text() -> str:
    return _dumped(
        AnalysisOutput.model_json_schema(mode="serialization"),
        "urn:journeymap:schema:analysis:1",
        "journeymap analyze --json",
        "The measures of a journey on its events. Durations in seconds; a count below the "
        "minimum shown is the text '<N', and what derives from it is null.",
    )


def evidence_schema_text() -> str:
    return _dumped(
        EvidenceSet.model_json_schema(mode="serialization"),
        "urn:journeymap:schema:evidence:3",
        "journeymap evidence file",
        "The measured figures kept beside a journey (JOURNEY.evidence.json), format 3. "
        "Durations in seconds; figures from fewer customers than min_count are marked "
        "suppressed and carry no value.",
    )


def feedback_schema_text() -> str:
    return _dumped(
        FeedbackOutput.model_json_schema(mode="serialization"),
        "urn:journeymap:schema:feedback:1",
        "journeymap feedback --json",
        "What customers say about a journey: the ingest report, scores with 95% intervals, "
        "sentiment, themes with masked quotes, the measured curve beside the assumed one, and "
        "the heatmap. Groups of fewer answers than min_count are suppressed.",
    )


def painpoints_schema_text() -> str:
    return _dumped(
        PainPointsOutput.model_json_schema(mode="serialization"),
        "urn:journeymap:schema:painpoints:1",
        "journeymap painpoints --json",
        "Pain points found in the data: each touchpoint's signals against the journey's own "
        "baseline, ranked by the customers they touch beyond it.",
    )
