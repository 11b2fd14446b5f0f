"""The FastAPI application: the REST API under /api, described at /api/openapi.json, and the
web app at / (webapp.py)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from .. import __version__
from .http import MAX_BODY, PROBLEM_RESPONSES, install

if TYPE_CHECKING:
    from ..services.limits import ServerLimits
    from ..storage import Database
    from .settings import Settings


def create_app(
    settings: Settings | None = None,
    db: Database | None = None,
    max_body: int = MAX_BODY,
    limits: ServerLimits | None = None,
) -> Any:
    """The app on `db` (opened from `settings`, and migrated, when not given), bounded by
    `limits` (from the environment when not given)."""
    from fastapi import FastAPI

    from ..services.limits import Gates
    from ..services.limits import ServerLimits as Limits
    from ..services.posters import PosterCache
    from .docs_page import install_docs
    from .routes import (
        accounts,
        comments,
        copies,
        entities,
        evidence,
        history,
        journeys,
        personas,
        render,
        shared,
        shares,
        workspaces,
    )
    from .security import LoginLimiter
    from .settings import load_settings
    from .webapp import install_webapp

    settings = settings or load_settings()
    if db is None:
        from ..storage import open_database

        db = open_database(settings.database)
    app = FastAPI(
        title="journeymap",
        version=__version__,
        summary="Customer journey maps: workspaces, journeys, history and evidence.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served by docs_page.py, without a CDN
        redoc_url=None,
    )
    app.state.settings, app.state.db, app.state.limiter = settings, db, LoginLimiter()
    app.state.encoded_journeys, app.state.encoded_lock = {}, threading.Lock()
    app.state.limits = limits or Limits.from_env()
    app.state.gates = Gates(app.state.limits)  # parses and renders at once, per process
    app.state.posters = PosterCache(app.state.limits.poster_cache_bytes)
    install(app, max_body)
    install_docs(app)

    @app.get("/api/health", tags=["server"], responses=PROBLEM_RESPONSES)
    def health() -> dict[str, str]:
        """Whether the server answers, and its version."""
        return {"status": "ok", "version": __version__}

    routers = (
        accounts,
        workspaces,
        personas,
        journeys,
        copies,
        entities,
        history,
        shares,
        shared,
        comments,
        render,
        evidence,
    )
    for module in routers:
        app.include_router(module.router, responses=PROBLEM_RESPONSES)
    install_webapp(app)  # last: its 404 fallback wraps the API's problem handler
    return app
