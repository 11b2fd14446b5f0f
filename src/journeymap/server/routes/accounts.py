"""Signing in and out, your profile, accounts, and personal API tokens (the first run's
set-up is first_run.py's). The rules are services/accounts.py's, services/sessions.py's and
services/tokens.py's."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ...services import accounts, sessions
from ...services import tokens as personal_tokens
from ...services.accounts import UserView
from ...services.security import csrf_token
from ...services.tokens import TokenMade, TokenView
from ..deps import DB, SESSION_COOKIE, Bounds, Config, Who
from ..schemas.accounts import (
    Login,
    PasswordChange,
    ProfileUpdate,
    SessionPublic,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
)

router = APIRouter(prefix="/api", tags=["accounts"])


@router.post("/session", response_model=SessionPublic)
def sign_in(
    body: Login, request: Request, response: Response, db: DB, settings: Config, bounds: Bounds
) -> SessionPublic:
    """Sign in with email and password: a session cookie (HttpOnly, SameSite=Strict, Secure)
    and the CSRF token to send with every change. Failed attempts are limited per account
    and per address (429 with Retry-After); a stranger's guesses do not lock an account out
    of the addresses it signs in from."""
    done = sessions.sign_in(db, bounds.sign_ins, body.email, body.password, _address(request))
    response.set_cookie(
        SESSION_COOKIE,
        done.session_id,
        max_age=int(sessions.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=settings.secure_cookies,
        samesite="strict",
        path="/",
    )
    user = UserPublic.model_validate(done.user, from_attributes=True)
    return SessionPublic(user=user, csrf_token=csrf_token(settings.secret, done.session_id))


@router.delete("/session", status_code=204)
def sign_out(caller: Who, response: Response, db: DB) -> None:
    """End this browser session."""
    sessions.sign_out(db, caller)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me", response_model=UserPublic)
def me(caller: Who, db: DB) -> UserView:
    """The signed-in user."""
    return accounts.me(db, caller)


@router.patch("/me", response_model=UserPublic)
def update_me(body: ProfileUpdate, caller: Who, db: DB) -> UserView:
    """Change your display name (what mentions and history show)."""
    return accounts.rename_me(db, caller, body.display_name)


@router.put("/me/password", status_code=204)
def change_password(
    body: PasswordChange, request: Request, caller: Who, db: DB, bounds: Bounds
) -> None:
    """Change your password: the current one first. Your other browser sessions end; this one
    and your API tokens go on. A wrong current password counts as a failed sign-in."""
    accounts.change_password(
        db,
        bounds.sign_ins,
        caller,
        body.current_password,
        body.new_password,
        _address(request),
    )


@router.get("/users", response_model=list[UserPublic])
def users(caller: Who, db: DB) -> list[UserView]:
    """Every account on this server; admins only."""
    return accounts.users(db, caller)


@router.post("/users", status_code=201, response_model=UserPublic)
def add_user(body: UserCreate, caller: Who, db: DB) -> UserView:
    """Make a local account (admins only); then an owner adds it to a workspace by email."""
    return accounts.add_user(
        db, caller, body.email, body.display_name, body.password, is_admin=body.is_admin
    )


@router.delete("/users/{user_id}", status_code=204)
def delete_user(user_id: str, caller: Who, db: DB) -> None:
    """Delete an account (admins only, and not your own): its memberships, tokens and
    sessions end; its comments stay without an author. Refused while it is the only owner of
    a workspace."""
    accounts.delete_user(db, caller, user_id)


@router.get("/tokens", response_model=list[TokenPublic])
def tokens(caller: Who, db: DB) -> list[TokenView]:
    """Your personal API tokens (never the tokens themselves)."""
    return personal_tokens.tokens(db, caller)


@router.post("/tokens", status_code=201, response_model=TokenCreated)
def make_token(body: TokenCreate, caller: Who, db: DB) -> TokenMade:
    """A new personal API token, shown once in the answer and stored only as a digest."""
    return personal_tokens.make_token(db, caller, body.name)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: str, caller: Who, db: DB) -> None:
    """Revoke one of your tokens; it stops working at once."""
    personal_tokens.revoke_token(db, caller, token_id)


def _address(request: Request) -> str:
    """The caller's network address (behind a proxy, the proxy's: run uvicorn with
    --forwarded-allow-ips for the client's own)."""
    return request.client.host if request.client else "unknown"
