"""The REST API against its own OpenAPI description (schemathesis): generated requests to every
operation, signed in as a workspace owner, never get a 5xx, and every answer matches the
schema. Bounded: a few dozen examples per operation, derandomised in CI like the rest."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import checks

from journeymap.server.app import create_app
from journeymap.server.settings import Settings
from journeymap.storage import open_database

from .conftest import PASSWORD


def _app() -> tuple[Any, dict[str, str]]:
    """A real app on its own SQLite file (made when the module loads: schemathesis reads the
    schema then), with an owner's token and a journey in their workspace."""
    folder = Path(tempfile.mkdtemp(prefix="jm-schemathesis-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    database = str(folder / "api.db")
    settings = Settings(database, folder, b"s" * 64, False)
    app = create_app(settings, open_database(database), setup_code="FUZZ-CODE")
    client = TestClient(app)
    ada = {"email": "ada@example.com", "password": PASSWORD}
    client.post("/api/setup", json={**ada, "display_name": "Ada", "setup_code": "FUZZ-CODE"})
    csrf = client.post("/api/session", json=ada).json()["csrf_token"]
    made = client.post("/api/tokens", json={"name": "fuzz"}, headers={"X-CSRF-Token": csrf})
    client.cookies.clear()
    headers = {"Authorization": f"Bearer {made.json()['token']}"}
    workspace = client.get("/api/workspaces", headers=headers).json()[0]["id"]
    journeys = f"/api/workspaces/{workspace}/journeys"
    client.post(journeys, json={"template": "online-store-checkout"}, headers=headers)
    return app, headers


APP, HEADERS = _app()
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_answers_match_the_schema(case: Any) -> None:
    # Not "positive data acceptance": a valid request may rightly be refused for the state it
    # meets (a second set-up, a stale ETag, an id that does not exist).
    case.call_and_validate(headers=HEADERS, checks=CHECKS)


CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.unsupported_method,
]
