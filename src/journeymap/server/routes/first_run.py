"""First-run set-up (with the code `serve` printed) and the current browser session, which the
app asks for on start so that a reload keeps the person signed in. The rules are
services/setup_code.py's and services/current_session.py's."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ...services.accounts import UserView
from ...services.current_session import current_user
from ...services.security import csrf_token
from ...services.setup_code import set_up_with_code
from ..deps import DB, SESSION_COOKIE, Config, FirstRunCode, Who
from ..schemas.accounts import SessionPublic, UserPublic
from ..schemas.first_run import SetupWithCode

router = APIRouter(prefix="/api", tags=["accounts"])


@router.post("/setup", status_code=201, response_model=UserPublic)
def setup(body: SetupWithCode, code: FirstRunCode, db: DB) -> UserView:
    """First run only: make the first user (an admin) and their workspace. It needs the
    set-up code `journeymap serve` printed on its console (403 otherwise)."""
    return set_up_with_code(
        db,
        code,
        body.setup_code,
        body.email,
        body.display_name,
        body.password,
        body.workspace,
    )


@router.get("/session", response_model=SessionPublic)
def current_session(caller: Who, request: Request, db: DB, settings: Config) -> SessionPublic:
    """The browser session this request comes with: the user and its CSRF token (401 when
    there is none: signed out, ended, or an API token)."""
    user = current_user(db, caller)
    session_id = request.cookies.get(SESSION_COOKIE, "")
    return SessionPublic(
        user=UserPublic.model_validate(user, from_attributes=True),
        csrf_token=csrf_token(settings.secret, session_id),
    )
