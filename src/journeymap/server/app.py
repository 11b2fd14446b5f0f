"""The FastAPI application: the REST API under /api, described at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from .. import __version__
from .http import MAX_BODY, install


def create_app(max_body: int = MAX_BODY) -> Any:
    from fastapi import FastAPI

    app = FastAPI(
        title="journeymap",
        version=__version__,
        summary="Customer journey maps: workspaces, journeys, history and evidence.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    install(app, max_body)

    @app.get("/api/health", tags=["server"])
    def health() -> dict[str, str]:
        """Whether the server answers, and its version."""
        return {"status": "ok", "version": __version__}

    return app
