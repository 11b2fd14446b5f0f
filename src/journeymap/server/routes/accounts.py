"""First-run set-up, signing in and out, and personal API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from ..access import SESSION_COOKIE, SESSION_LIFETIME, Caller, identify, signed_in
from ..accounts import AccountRefused, make_account, set_password
from ..http import ProblemError
from ..schemas.accounts import (
    Login,
    PasswordChange,
    ProfileUpdate,
    SessionPublic,
    Setup,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from ..security import (
    check_password,
    csrf_token,
    new_session_id,
    new_token,
    token_digest,
)

router = APIRouter(prefix="/api", tags=["accounts"])
Who = Annotated[Caller, Depends(identify)]


def _user(row: Any) -> UserPublic:
    return UserPublic(
        id=row.id, email=row.email, display_name=row.display_name, is_admin=row.is_admin
    )


@router.post("/setup", status_code=201, response_model=UserPublic)
def setup(body: Setup, request: Request) -> UserPublic:
    """First run only: make the first user (an admin) and their workspace."""
    with request.app.state.db.write() as uow, refusals():
        if uow.accounts.user_count():
            raise ProblemError(409, "Already set up", "this server has users; sign in instead")
        user = make_account(uow, body.email, body.display_name, body.password, is_admin=True)
        workspace = uow.accounts.add_workspace(body.workspace)
        uow.accounts.set_role(workspace.id, user.id, "owner")
        return _user(user)


@router.post("/session", response_model=SessionPublic)
def sign_in(body: Login, request: Request, response: Response) -> SessionPublic:
    """Sign in with email and password: a session cookie (HttpOnly, SameSite=Strict, Secure)
    and the CSRF token to send with every change. Failed attempts are limited per account and
    per address."""
    limiter = request.app.state.limiter
    keys = (f"user:{body.email.strip().lower()}", f"ip:{_address(request)}")
    _not_limited(limiter, *keys)
    db = request.app.state.db
    with db.write() as uow:
        user = uow.accounts.user_by_email(body.email)
        ok, upgraded = (False, None)
        if user is not None and user.password_hash:
            ok, upgraded = check_password(user.password_hash, body.password)
        if not ok or user is None:
            limiter.failed(*keys)
            raise ProblemError(401, "Not signed in", "the email or the password is wrong")
        if upgraded:
            user.password_hash = upgraded
        session_id = new_session_id()
        uow.access.add_session(user.id, token_digest(session_id), SESSION_LIFETIME)
        public = _user(user)
    limiter.succeeded(keys[0])
    settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=settings.secure_cookies,
        samesite="strict",
        path="/",
    )
    return SessionPublic(user=public, csrf_token=csrf_token(settings.secret, session_id))


@router.delete("/session", status_code=204)
def sign_out(caller: Who, request: Request, response: Response) -> None:
    """End this browser session."""
    signed_in(caller)
    if caller.session_digest:
        with request.app.state.db.write() as uow:
            uow.access.end_session(caller.session_digest)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me", response_model=UserPublic)
def me(caller: Who, request: Request) -> UserPublic:
    """The signed-in user."""
    with request.app.state.db.read() as uow:
        return _user(uow.accounts.user(signed_in(caller)))


@router.patch("/me", response_model=UserPublic)
def update_me(body: ProfileUpdate, caller: Who, request: Request) -> UserPublic:
    """Change your display name (what mentions and history show)."""
    with request.app.state.db.write() as uow:
        user = uow.accounts.user(signed_in(caller))
        user.display_name = body.display_name
        return _user(user)


@router.put("/me/password", status_code=204)
def change_password(body: PasswordChange, caller: Who, request: Request) -> None:
    """Change your password: the current one first. Your other browser sessions end; this one
    and your API tokens go on. Wrong current passwords count towards the sign-in limit."""
    user_id = signed_in(caller)
    limiter = request.app.state.limiter
    with request.app.state.db.write() as uow:
        user = uow.accounts.user(user_id)
        key = f"user:{user.email}"  # the sign-in limit's own key: one budget of guesses
        _not_limited(limiter, key)
        ok = (
            bool(user.password_hash)
            and check_password(user.password_hash, body.current_password)[0]
        )
        if not ok:
            limiter.failed(key)
            raise ProblemError(
                403, "Wrong password", "current_password: that is not your current password"
            )
        with refusals():
            set_password(
                uow, user, body.new_password, field="new_password", keep=caller.session_digest
            )
    limiter.succeeded(key)


@router.get("/users", response_model=list[UserPublic])
def users(caller: Who, request: Request) -> list[UserPublic]:
    """Every account on this server; admins only."""
    _admin(caller)
    with request.app.state.db.read() as uow:
        return [_user(u) for u in uow.accounts.users()]


@router.post("/users", status_code=201, response_model=UserPublic)
def add_user(body: UserCreate, caller: Who, request: Request) -> UserPublic:
    """Make a local account (admins only); then an owner adds it to a workspace by email."""
    _admin(caller)
    with request.app.state.db.write() as uow, refusals():
        made = make_account(
            uow, body.email, body.display_name, body.password, is_admin=body.is_admin
        )
        return _user(made)


@router.delete("/users/{user_id}", status_code=204)
def delete_user(user_id: str, caller: Who, request: Request) -> None:
    """Delete an account (admins only, and not your own): its memberships, tokens and
    sessions end; its comments stay without an author. Refused while it is the only owner of
    a workspace."""
    me = _admin(caller)
    if user_id == me:
        raise ProblemError(409, "That is you", "an admin cannot delete their own account")
    with request.app.state.db.write() as uow:
        if uow.accounts.user(user_id) is None:
            raise ProblemError(404, "Not found", f"there is no user '{user_id}'")
        sole = uow.accounts.sole_owner_of(user_id)
        if sole:
            names = ", ".join(f"'{w.name}'" for w in sole)
            raise ProblemError(
                409,
                "Last owner",
                f"they are the only owner of {names}: make someone else owner first",
            )
        uow.accounts.delete_user(user_id)


@router.get("/tokens", response_model=list[TokenPublic])
def tokens(caller: Who, request: Request) -> list[TokenPublic]:
    """Your personal API tokens (never the tokens themselves)."""
    with request.app.state.db.read() as uow:
        return [
            TokenPublic.model_validate(t, from_attributes=True)
            for t in uow.access.tokens_of(signed_in(caller))
        ]


@router.post("/tokens", status_code=201, response_model=TokenCreated)
def make_token(body: TokenCreate, caller: Who, request: Request) -> TokenCreated:
    """A new personal API token, shown once in the answer and stored only as a digest."""
    made = new_token()
    with request.app.state.db.write() as uow:
        row = uow.access.add_token(signed_in(caller), body.name, made.prefix, made.digest)
        public = TokenPublic.model_validate(row, from_attributes=True)
    return TokenCreated(**public.model_dump(), token=made.plaintext)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: str, caller: Who, request: Request) -> None:
    """Revoke one of your tokens; it stops working at once."""
    with request.app.state.db.write() as uow:
        if not uow.access.revoke_token(signed_in(caller), token_id):
            raise ProblemError(404, "Not found", f"you have no live token '{token_id}'")


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except AccountRefused as error:
        raise ProblemError(error.status, error.title, error.detail) from None


def _admin(caller: Caller) -> str:
    user_id = signed_in(caller)
    if not caller.is_admin:
        raise ProblemError(403, "Not allowed", "only a server admin manages accounts")
    return user_id


def _not_limited(limiter: Any, *keys: str) -> None:
    wait = limiter.retry_after(*keys)
    if wait:
        raise ProblemError(
            429,
            "Too many attempts",
            f"too many failed sign-ins; try again in {int(wait) + 1} s",
            headers={"Retry-After": str(int(wait) + 1)},
        )


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
