"""What routes are given, typed: the database, the settings, the caller and the If-Match a
request sends (FastAPI dependencies). The If-Match header is part of the API's description
where a route takes it; how a caller signs in is described once for all routes
(described.py), from which routes take the caller."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Header, Request, Security
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPBearer
from starlette.requests import HTTPConnection

from ..services.errors import Forbidden, NotSignedIn
from ..services.limits import Gates
from ..services.policy import Principal
from ..services.posters import PosterCache
from ..services.preconditions import IfMatch
from ..services.refresh import RefreshJobs
from ..services.security import csrf_ok
from ..services.sessions import identify
from ..services.setup_code import SetupCode
from ..storage import Database
from .settings import Settings

SESSION_COOKIE = "jm_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def database(request: HTTPConnection) -> Database:
    db: Database = request.app.state.db
    return db


def settings(request: HTTPConnection) -> Settings:
    found: Settings = request.app.state.settings
    return found


# How a caller signs in, as the API's description names it (described.py). Only described:
# `caller` reads the request itself, so its refusals say what to send.
_BEARER = HTTPBearer(
    scheme_name="bearer",
    description="a personal API token (`jm_...`): POST /api/tokens while signed in, or "
    "`journeymap token create` on the server",
    auto_error=False,
)
_SESSION = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="session",
    description="the browser session POST /api/session starts: sign in there and the browser "
    "keeps the cookie (nothing to type here)",
    auto_error=False,
)
_CSRF = APIKeyHeader(
    name="X-CSRF-Token",
    scheme_name="csrf",
    description="with a session, every change carries the `csrf_token` that signing in (POST "
    "/api/session) answered: paste it here",
    auto_error=False,
)
_SHARE = APIKeyHeader(
    name="X-Share-Token",
    scheme_name="share",
    description="a share link's token: reads its one journey (not its comments or share "
    "links), and nothing else",
    auto_error=False,
)


def caller(
    request: Request,
    _bearer: Annotated[object, Security(_BEARER)] = None,
    _session: Annotated[object, Security(_SESSION)] = None,
    _csrf: Annotated[object, Security(_CSRF)] = None,
    _share: Annotated[object, Security(_SHARE)] = None,
) -> Principal:
    """Who is calling: a personal API token (`Authorization: Bearer jm_...`), a browser session
    cookie (whose every change must carry the session's CSRF token in `X-CSRF-Token`), or a
    read-only share link (`X-Share-Token`); nobody otherwise."""
    db = database(request)
    journey_id = request.path_params.get("journey_id")
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotSignedIn("send `Authorization: Bearer <token>` with a personal API token")
        return identify(db, token=token.strip(), journey_id=journey_id)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        who = identify(db, session=cookie, journey_id=journey_id)
        presented = request.headers.get("x-csrf-token")
        if request.method not in SAFE_METHODS and not csrf_ok(
            settings(request).secret, cookie, presented
        ):
            raise Forbidden(
                "send the X-CSRF-Token header that signing in returned with every change",
                title="CSRF token missing",
            )
        return who
    return identify(db, share=request.headers.get("x-share-token") or None, journey_id=journey_id)


def gates(request: HTTPConnection) -> Gates:
    """The process's parse and render slots, and its limits (services/limits.py)."""
    found: Gates = request.app.state.gates
    return found


def poster_cache(request: Request) -> PosterCache:
    found: PosterCache = request.app.state.posters
    return found


def setup_code(request: Request) -> SetupCode | None:
    """The first run's set-up code (its digest), when `serve` printed one."""
    found: SetupCode | None = getattr(request.app.state, "setup_code", None)
    return found


def if_match(
    header: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description='the ETag you read, such as "r4" (`*`: whatever is there now); a '
            "change that needs it answers 428 without it and 412, with what is there now, "
            "when it is stale",
        ),
    ] = None,
) -> IfMatch | None:
    return IfMatch.parse(header)


_JOBS_MADE = threading.Lock()


def refresh_jobs(request: HTTPConnection) -> RefreshJobs:
    """This server process's refreshes of journeys (services/refresh.py), made with the first."""
    with _JOBS_MADE:
        found: RefreshJobs | None = getattr(request.app.state, "refresh_jobs", None)
        if found is None:
            found = request.app.state.refresh_jobs = RefreshJobs()
        return found


DB = Annotated[Database, Depends(database)]
Refreshes = Annotated[RefreshJobs, Depends(refresh_jobs)]
Config = Annotated[Settings, Depends(settings)]
Who = Annotated[Principal, Depends(caller)]
Expect = Annotated[IfMatch | None, Depends(if_match)]
Bounds = Annotated[Gates, Depends(gates)]
Posters = Annotated[PosterCache, Depends(poster_cache)]
FirstRunCode = Annotated[SetupCode | None, Depends(setup_code)]
