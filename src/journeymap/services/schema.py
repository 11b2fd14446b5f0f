"""The committed JSON Schemas: the journey file (from the domain model), what `journeymap
analyze --json` prints and the evidence file (from their pydantic models)."""

from __future__ import annotations

import json
from typing import Any

from ..analytics.evidence import EvidenceSet
from ..domain.wire import FileJourney
from .analysis_output import AnalysisOutput
from .feedback_output import FeedbackOutput, PainPointsOutput

SCHEMA_ID = "urn:journeymap:schema:journey-file:1"


def journey_schema() -> dict[str, Any]:
    """The journey file's JSON Schema: the file's form of the domain's models (domain/wire.py
    says how it differs from the API's on purpose), its parts named as the domain names them
    (`Stage`, `NoteCard`, ...)."""
    schema = _plain_names(FileJourney.model_json_schema(mode="validation"))
    props = schema["properties"]
    schema["properties"] = {"format_version": props.pop("format_version"), **props}
    schema["required"] = [
        "format_version",
        *(r for r in schema["required"] if r != "format_version"),
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
        "title": "journeymap journey file",
        "description": "One customer journey map: personas, stages, lanes, cards and emotions.",
    }


def _plain_names(schema: Any) -> Any:
    """`FileStage` -> `Stage`, in the definitions and every reference to them."""
    if isinstance(schema, dict):
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key == "$defs":
                out[key] = {
                    _plain(k): _plain_names(v)
                    for k, v in sorted(value.items(), key=lambda kv: _plain(kv[0]))
                }
            elif key == "$ref" and isinstance(value, str):
                head, _, name = value.rpartition("/")
                out[key] = f"{head}/{_plain(name)}"
            elif key == "mapping" and isinstance(value, dict):
                out[key] = {k: _plain_names({"$ref": v})["$ref"] for k, v in value.items()}
            else:
                out[key] = _plain_names(value)
        return out
    if isinstance(schema, list):
        return [_plain_names(v) for v in schema]
    return schema


def _plain(name: str) -> str:
    return name.removeprefix("File") if name.startswith("File") and name != "File" else name


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
