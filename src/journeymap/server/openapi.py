"""The REST API's OpenAPI description as committed in schemas/openapi.json (clients, such as a
TypeScript one, are generated from it): the app's own description, written deterministically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .app import create_app
from .settings import Settings


class _NoDatabase:
    """Describing the API reads no data: any use of the database is a bug, said so."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"the OpenAPI description needs no database (asked for {name!r})")


def openapi_description() -> dict[str, Any]:
    """What /api/openapi.json answers, from an app on no database and no data folder. It names
    no server, so it is the same wherever it is made; its version is the package's."""
    settings = Settings(database="", data=Path(), secret=b"\0" * 64)
    no_database: Any = _NoDatabase()
    description: dict[str, Any] = create_app(settings, no_database).openapi()
    return description


def openapi_text() -> str:
    """The description as JSON with sorted keys, so it is stable across runs and machines."""
    return json.dumps(openapi_description(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
