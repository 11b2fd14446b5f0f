"""Accounts: the first run's set-up, your profile and password, and the accounts an admin
keeps. The REST routes and the `journeymap user` commands both come here.

Passwords are hashed with argon2id (services/security.py); a new one is refused, saying why,
when too short, the user's own email, or easy to guess (zxcvbn), wherever it is set: the first
run's set-up, an admin making an account, `journeymap user add` and `user password`, and a
password change. Checking and hashing happen before the write transaction (they take a tenth
of a second or more, and a write transaction holds SQLite's lock). Display names hold no @
(mentions use it). A password change ends the account's other browser sessions, and a wrong
current password counts as a failed sign-in (services/sign_in_limits.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..storage.unique import AlreadyStored
from .errors import Conflict, Forbidden, Invalid, NotFound, invalid_field
from .policy import Principal, admin, may_delete_account, signed_in
from .security import check_password, hash_password, password_problem

if TYPE_CHECKING:
    from ..storage import Database, UnitOfWork
    from ..storage.models import UserRow
    from .sign_in_limits import SignInLimiter


@dataclass(frozen=True)
class UserView:
    id: str
    email: str
    display_name: str
    is_admin: bool


def user_view(row: UserRow) -> UserView:
    return UserView(row.id, row.email, row.display_name, row.is_admin)


def set_up_server(
    db: Database, email: str, display_name: str, password: str, workspace: str
) -> UserView:
    """First run only: the first user (an admin) and their workspace."""
    with db.read() as uow:
        _not_set_up(uow)  # before the password is looked at: a second set-up is told so
    _check_name(display_name)
    hashed = new_password_hash(password, email, display_name, field="password")
    with db.write() as uow:
        _not_set_up(uow)  # two set-ups at once: the write lock decides
        user = add_account(uow, email, display_name, hashed, is_admin=True)
        made = uow.accounts.add_workspace(workspace)
        uow.accounts.set_role(made.id, user.id, "owner")
        return user_view(user)


def _not_set_up(uow: UnitOfWork) -> None:
    if uow.accounts.user_count():
        raise Conflict("this server has users; sign in instead", title="Already set up")


def me(db: Database, who: Principal) -> UserView:
    with db.read() as uow:
        return user_view(_user(uow, signed_in(who)))


def rename_me(db: Database, who: Principal, display_name: str) -> UserView:
    """A new display name (what mentions and history show)."""
    _check_name(display_name)
    with db.write() as uow:
        user = _user(uow, signed_in(who))
        user.display_name = display_name
        return user_view(user)


def change_password(
    db: Database, limiter: SignInLimiter, who: Principal, current: str, new: str, address: str
) -> None:
    """The caller's new password, the current one first (a wrong one counts as a failed
    sign-in from `address`). Their other browser sessions end; the one asking and their API
    tokens go on."""
    with db.read() as uow:
        user = _user(uow, signed_in(who))
        user_id, email, name, stored = user.id, user.email, user.display_name, user.password_hash
    attempt = limiter.begin(email, address)
    if not check_password(stored, current)[0]:
        raise Forbidden(
            "current_password: that is not your current password", title="Wrong password"
        )
    attempt.succeeded()
    hashed = new_password_hash(new, email, name, field="new_password")
    with db.write() as uow:
        user = _user(uow, user_id)
        if user.password_hash != stored:
            raise Conflict(
                "your password was changed meanwhile; sign in with the new one",
                title="Changed meanwhile",
            )
        user.password_hash = hashed
        uow.access.end_sessions_of(user.id, keep=who.session_digest)


def users(db: Database, who: Principal) -> list[UserView]:
    """Every account on this server (admins)."""
    admin(who)
    with db.read() as uow:
        return [user_view(u) for u in uow.accounts.users()]


def directory(db: Database, who: Principal) -> list[tuple[UserView, list[tuple[str, str]]]]:
    """Every account with (workspace name, role) of each of its workspaces (admins)."""
    admin(who)
    with db.read() as uow:
        return [
            (user_view(u), [(w.name, r) for w, r in uow.accounts.workspaces_of(u.id)])
            for u in uow.accounts.users()
        ]


def add_user(
    db: Database,
    who: Principal,
    email: str,
    display_name: str,
    password: str,
    *,
    is_admin: bool = False,
    workspace: str | None = None,
    role: str = "editor",
) -> UserView:
    """A local account (admins); with `workspace`, a member of it with `role` too."""
    admin(who)
    _check_name(display_name)
    hashed = new_password_hash(password, email, display_name, field="password")
    with db.write() as uow:
        if workspace is not None and uow.accounts.workspace(workspace) is None:
            raise NotFound(f"--workspace: there is no workspace '{workspace}'")
        made = add_account(uow, email, display_name, hashed, is_admin=is_admin)
        if workspace is not None:
            uow.accounts.set_role(workspace, made.id, role)
        return user_view(made)


def delete_user(db: Database, who: Principal, user_id: str) -> None:
    """Delete an account (admins, not their own): its memberships, tokens and sessions end, its
    comments stay without an author. Refused while it is the only owner of a workspace."""
    me_ = admin(who)
    may_delete_account(me_, user_id, [])
    with db.write() as uow:
        if uow.accounts.user(user_id) is None:
            raise NotFound(f"there is no user '{user_id}'")
        may_delete_account(me_, user_id, uow.accounts.sole_owner_of(user_id))
        uow.accounts.delete_user(user_id)


def reset_password(db: Database, who: Principal, email: str, password: str) -> None:
    """Set an account's password (admins, or at the machine): it is signed out of every
    browser; its API tokens go on."""
    admin(who)
    with db.read() as uow:
        user = _by_email(uow, email)
        hashed = new_password_hash(password, user.email, user.display_name, field="password")
    with db.write() as uow:
        user = _by_email(uow, email)
        user.password_hash = hashed
        uow.access.end_sessions_of(user.id)


def _by_email(uow: UnitOfWork, email: str) -> UserRow:
    user = uow.accounts.user_by_email(email)
    if user is None:
        raise NotFound(f"there is no user '{email}' (journeymap user list shows them)")
    return user


def new_password_hash(password: str, email: str, display_name: str, *, field: str) -> str:
    """The argon2id hash to store for a new password; Invalid, saying why, for a weak one."""
    problem = password_problem(password, email, display_name)
    if problem:
        raise invalid_field(field, problem, title="Weak password")
    return hash_password(password)


def make_account(
    uow: UnitOfWork, email: str, display_name: str, password: str, *, is_admin: bool = False
) -> UserRow:
    """A local account with an argon2id hash of `password` (emails are kept lower-case)."""
    _check_name(display_name)
    hashed = new_password_hash(password, email, display_name, field="password")
    return add_account(uow, email, display_name, hashed, is_admin=is_admin)


def add_account(
    uow: UnitOfWork, email: str, display_name: str, hashed: str, *, is_admin: bool = False
) -> UserRow:
    """A local account whose password's hash is `hashed`."""
    try:  # the unique email decides, also between two made at once
        return uow.accounts.add_user(email, display_name, hashed, is_admin=is_admin)
    except AlreadyStored:
        raise Conflict(
            f"there is already a user '{email.strip()}'", title="Already there"
        ) from None


def set_password(
    uow: UnitOfWork, user: UserRow, password: str, *, field: str, keep: str | None = None
) -> None:
    """A new password for `user`; every browser session but `keep` ends."""
    user.password_hash = new_password_hash(password, user.email, user.display_name, field=field)
    uow.access.end_sessions_of(user.id, keep=keep)


def _check_name(display_name: str) -> None:
    if "@" in display_name or not display_name.strip():
        raise Invalid("display_name: give a name without @ (mentions use it)", title="Invalid name")


def _user(uow: UnitOfWork, user_id: str) -> UserRow:
    user = uow.accounts.user(user_id)
    if user is None:  # deleted since the caller was found
        raise NotFound(f"there is no user '{user_id}'")
    return user
