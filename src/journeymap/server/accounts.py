"""Account rules shared by the REST routes and the `journeymap user` commands: a new account,
a new password. Each refusal names the field and the fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .security import hash_password, password_problem

if TYPE_CHECKING:
    from ..storage import UnitOfWork
    from ..storage.models import UserRow


class AccountRefused(ValueError):
    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def make_account(
    uow: UnitOfWork, email: str, display_name: str, password: str, *, is_admin: bool = False
) -> UserRow:
    """A local account with an argon2id hash of `password` (emails are kept lower-case)."""
    if "@" in display_name or not display_name.strip():
        raise AccountRefused(
            422, "Invalid name", "display_name: give a name without @ (mentions use it)"
        )
    problem = password_problem(password, email)
    if problem:
        raise AccountRefused(422, "Weak password", f"password: {problem}")
    from ..storage.unique import AlreadyStored

    try:  # the unique email decides, also between two made at once
        return uow.accounts.add_user(
            email, display_name, hash_password(password), is_admin=is_admin
        )
    except AlreadyStored:
        raise AccountRefused(
            409, "Already there", f"there is already a user '{email.strip()}'"
        ) from None


def set_password(
    uow: UnitOfWork, user: UserRow, password: str, *, field: str, keep: str | None = None
) -> None:
    """A new password for `user`; every browser session but `keep` ends."""
    problem = password_problem(password, user.email)
    if problem:
        raise AccountRefused(422, "Weak password", f"{field}: {problem}")
    user.password_hash = hash_password(password)
    uow.access.end_sessions_of(user.id, keep=keep)
