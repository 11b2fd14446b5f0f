"""The API's description (/api/openapi.json, /api/docs) as FastAPI makes it, finished here:

- how a caller signs in, so that the docs page's "Authorize" works. The schemes are declared
  where the caller is read (deps.py), so FastAPI lists them for every route that takes the
  caller; here each route's list becomes what it needs: a personal API token, or the browser
  session (with its X-CSRF-Token header for a change), or, to read a journey, its share link;
- a refusal a route describes with a model of its own (a batch's, naming the operation) is
  answered as problem+json, as every refusal is (http.py)."""

from __future__ import annotations

from typing import Any

from .deps import SAFE_METHODS
from .http import PROBLEM

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def install_security(app: Any) -> None:
    described = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema: dict[str, Any] = described()
            for path, item in schema.get("paths", {}).items():
                for method, operation in item.items():
                    if method not in _METHODS:
                        continue
                    if operation.get("security"):
                        operation["security"] = requirement(path, method.upper())
                    for status, answer in operation.get("responses", {}).items():
                        content = answer.get("content", {})
                        if status[0] in "45" and "application/json" in content:
                            content[PROBLEM] = content.pop("application/json")
        found: dict[str, Any] = app.openapi_schema
        return found

    app.openapi = openapi


def requirement(path: str, method: str) -> list[dict[str, list[str]]]:
    """Any one of: a token; the session, with the CSRF header for a change; to read a
    journey, its share link."""
    if method not in SAFE_METHODS:
        return [{"bearer": []}, {"session": [], "csrf": []}]
    out: list[dict[str, list[str]]] = [{"bearer": []}, {"session": []}]
    if path.startswith("/api/journeys/{journey_id}"):
        out.append({"share": []})
    return out
