"""The live socket's messages: the committed JSON Schema is current, and it describes what the
server really sends and accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from journeymap.server.schemas.live import CLIENT, SERVER, live_schema_text

COMMITTED = Path(__file__).parents[2] / "schemas" / "live.schema.json"


def test_committed_live_schema_is_current() -> None:
    text = live_schema_text()
    jsonschema.Draft202012Validator.check_schema(json.loads(text))
    assert COMMITTED.read_text(encoding="utf-8") == text, (
        "schemas/live.schema.json is stale: run `make schema` and commit it"
    )


def test_messages_validate_against_the_schema() -> None:
    schema = json.loads(live_schema_text())
    op = {"kind": "rename", "entity": "card", "id": "c1", "name": "Hi"}
    client = [
        {"type": "hello", "proto": 1, "since_rev": 3},
        {"type": "ops", "base_rev": 3, "ops": [{"op_id": "a", "op": op}]},
        {"type": "presence", "data": {"card": "c1"}},
    ]
    server = [
        {"type": "welcome", "rev": 4, "ops": [], "snapshot": None},
        {"type": "op", "rev": 4, "op_id": "a", "actor": "u1", "op": op, "last": True},
        {"type": "ack", "op_id": "a", "rev": 4, "status": "applied"},
        {"type": "reload", "reason": "deleted"},
    ]
    for message in client:
        CLIENT.validate_python(message)
        jsonschema.validate({"client": message}, schema)
    for message in server:
        SERVER.validate_python(message)
        jsonschema.validate({"server": message}, schema)
    bad = {"type": "hello", "proto": 1, "since_rev": 3, "extra": 1}
    assert not jsonschema.Draft202012Validator(schema).is_valid({"client": bad})
