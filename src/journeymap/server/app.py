"""The FastAPI application: the REST API under /api, described at /api/openapi.json, and the
web app at / (webapp.py).

Routes parse a request, call one service function (journeymap.services), and turn its answer
into a response; a service's refusal becomes a problem+json answer in one handler (http.py).
The database and the settings reach the routes as typed dependencies (deps.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from .. import __version__
from ..services.limits import Gates, ServerLimits
from ..services.live import hub as live_hub
from ..services.posters import PosterCache
from ..services.setup_code import SetupCode
from ..storage import Database, open_database
from .described import install_security
from .docs_page import install_docs
from .http import MAX_BODY, PROBLEM_RESPONSES, install
from .routes import (
    accounts,
    comments,
    compare,
    copies,
    data_sources,
    entities,
    evidence,
    first_run,
    gallery,
    history,
    invitations,
    journeys,
    live,
    mentions,
    personas,
    refresh,
    render,
    saved_views,
    shared,
    shares,
    sheets,
    workspaces,
)
from .settings import Settings, load_settings
from .webapp import install_webapp

ROUTERS = (
    first_run,
    accounts,
    workspaces,
    invitations,
    personas,
    journeys,
    gallery,
    sheets,
    copies,
    entities,
    history,
    compare,
    shares,
    shared,
    comments,
    saved_views,
    mentions,
    render,
    evidence,
    data_sources,
    refresh,
    live,
)


def create_app(
    settings: Settings | None = None,
    db: Database | None = None,
    max_body: int = MAX_BODY,
    limits: ServerLimits | None = None,
    setup_code: str | None = None,
) -> Any:
    """The app on `db` (opened from `settings`, and migrated, when not given), bounded by
    `limits` (from the environment when not given). `setup_code` is the first run's (see
    services/setup_code.py); without one, `POST /api/setup` is refused."""
    settings = settings or load_settings()
    if db is None:
        db = open_database(settings.database)
    opened = db

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The live hub hears commits from the start: on PostgreSQL its doorbell tells the
        # other server processes of this one's (REST) writes even before any socket connects.
        the_hub = live_hub(opened)
        try:
            yield
        finally:
            the_hub.detach()

    app = FastAPI(
        lifespan=lifespan,
        title="journeymap",
        version=__version__,
        summary="Customer journey maps: workspaces, journeys, history and evidence.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served by docs_page.py, without a CDN
        redoc_url=None,
    )
    app.state.settings, app.state.db = settings, db
    app.state.setup_code = SetupCode.of(setup_code) if setup_code else None
    app.state.limits = limits or ServerLimits.from_env()
    app.state.gates = Gates(app.state.limits)  # parses and renders at once, per process
    app.state.posters = PosterCache(app.state.limits.poster_cache_bytes)
    install(app, max_body)
    install_docs(app)

    @app.get("/api/health", tags=["server"], responses=PROBLEM_RESPONSES)
    def health() -> dict[str, str]:
        """Whether the server answers, and its version."""
        return {"status": "ok", "version": __version__}

    for module in ROUTERS:
        app.include_router(module.router, responses=PROBLEM_RESPONSES)
    install_webapp(app)  # last: its 404 fallback wraps the API's problem handler
    install_security(app)
    return app
