"""The API schemas stand alone (pydantic only, so `journeymap.Client` can use them without the
server's dependencies), and the committed OpenAPI description is the app's, current and stable."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import journeymap.server.schemas
from journeymap.server.openapi import openapi_text
from tests.fresh_imports import loaded_by

from .conftest import Site

SCHEMAS = Path(journeymap.server.schemas.__file__).parent
COMMITTED = Path(__file__).parents[2] / "schemas" / "openapi.json"
ALLOWED_THIRD_PARTY = {"pydantic", "pydantic_core"}
# The typed wire is the domain's (pure pydantic: tests/domain/test_layering.py), and evidence is
# the analytics' evidence set and the source files' specs (pydantic and the standard library:
# a data source registered over the API is the file the CLI reads).
ALLOWED_OURS = (
    "...domain.",
    "...analytics.evidence",
    "...analytics.source_spec",
    "...analytics.feedback_spec",
)
SERVER_LIBRARIES = {"fastapi", "starlette", "sqlalchemy", "alembic", "uvicorn", "argon2"}


def test_schema_modules_import_only_pydantic_and_the_standard_library() -> None:
    offenders = {}
    for path in SCHEMAS.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.level > 1:
                found.add("." * node.level + (node.module or ""))  # outside schemas/
        bad = {
            n
            for n in found
            if n not in sys.stdlib_module_names | ALLOWED_THIRD_PARTY
            and not n.startswith(ALLOWED_OURS)
        }
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}


def test_importing_the_schemas_loads_no_server_library() -> None:
    assert loaded_by(["journeymap.server.schemas"], SERVER_LIBRARIES) == []


def test_committed_openapi_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == openapi_text(), (
        "schemas/openapi.json is stale: run `make schema` and commit it"
    )


def test_openapi_is_what_the_server_answers_and_names_no_server(site: Site) -> None:
    answered = site.client.get("/api/openapi.json").json()
    assert json.loads(openapi_text()) == answered
    assert "servers" not in answered


def test_the_cli_writes_the_same_description_under_another_hash_seed(tmp_path: Path) -> None:
    # Sets and hash order must not leak into the file, or it would change from run to run.
    out = tmp_path / "openapi.json"
    command = [str(Path(sys.executable).parent / "journeymap"), "schema", "--openapi", "-o", out]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    assert out.read_text(encoding="utf-8") == openapi_text()
