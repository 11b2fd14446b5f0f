"""Who may do what: the one place every way in (REST, the live editor, the CLI) asks.

- Roles in a workspace rank viewer < commenter < editor < owner. Reading needs a viewer,
  commenting a commenter, changing a journey, its evidence, its share links or the persona
  library an editor, and the workspace itself (its name, members, deletion) an owner.
- A workspace the caller is not a member of answers 404, as if it did not exist, so nothing
  leaks across workspaces; a role too low answers 403, naming the role needed.
- A share link reads its one journey as a viewer, and nothing else: not its comments (the
  team's own discussion), and no member's name or id anywhere (who made a revision, named a
  version or stored the evidence is left out: `sees_member_names`).
- A comment is changed by its author only; deleted by its author or a workspace owner.
- A workspace always keeps an owner; an admin manages accounts, never deleting their own.
- The person at the server's machine (`MACHINE`: the CLI, which reaches the database itself)
  manages accounts and tokens as an admin does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..domain.roles import RANK
from ..domain.roles import ROLES as ROLES  # declared in the domain; read here too
from .errors import Conflict, Forbidden, NotFound, NotSignedIn

if TYPE_CHECKING:
    from ..storage import Database, UnitOfWork

Via = Literal["token", "session", "share", "machine", "nobody"]


@dataclass(frozen=True)
class Seen:
    """A journey as it was read in the transaction that found the caller: the role check then
    needs no transaction of its own."""

    journey_id: str
    workspace: str | None  # None: there is no such journey (or it is deleted)
    rev: int
    role: str | None  # the signed-in caller's role in its workspace


@dataclass(frozen=True)
class Principal:
    """Who is calling, however they came in."""

    user_id: str | None = None
    is_admin: bool = False
    via: Via = "nobody"
    shared_journey: str | None = None  # a share link's one journey
    session_digest: str | None = None  # a browser session's, to end it
    seen: Seen | None = None  # the journey the request names, when it names one


NOBODY = Principal()
MACHINE = Principal(is_admin=True, via="machine")


@dataclass(frozen=True)
class JourneyAccess:
    """The caller's role in a journey, and what the check read that callers need."""

    workspace: str
    role: str
    rev: int


def signed_in(who: Principal) -> str:
    """The caller's user id; 401 for anyone else (a share link is not a user)."""
    if who.user_id is None:
        raise NotSignedIn("sign in, or send a personal API token")
    return who.user_id


def admin(who: Principal) -> str | None:
    """The admin's user id (None at the machine); 401/403 for anyone else."""
    if who.via == "machine":
        return None
    user_id = signed_in(who)
    if not who.is_admin:
        raise Forbidden("only a server admin manages accounts")
    return user_id


def workspace_role(db: Database, who: Principal, workspace_id: str, least: str) -> str:
    """The caller's role in the workspace, when it is at least `least`."""
    user_id = signed_in(who)
    with db.read() as uow:
        role = uow.accounts.role(workspace_id, user_id)
    if role is None:
        raise NotFound(f"there is no workspace '{workspace_id}' of yours")
    return enough(role, least, "this workspace")


def journey_access(
    db: Database, who: Principal, journey_id: str, least: str, *, team_only: str | None = None
) -> JourneyAccess:
    """The journey's workspace, its revision and the caller's role there, when the role is at
    least `least`. Where the caller asks for what is the team's own (`team_only` names it,
    e.g. "comments"), a share link gets 404, as for anything else it does not open."""
    if who.via == "nobody":
        signed_in(who)
    found = who.seen
    if found is None or found.journey_id != journey_id:
        with db.read() as uow:
            found = seen(uow, journey_id, who.user_id)
    role = found.role
    if who.via == "share" and who.shared_journey == journey_id:
        if team_only is not None:
            raise NotFound(
                f"a share link does not open the journey's {team_only}: they are its team's "
                "own; sign in as a member of its workspace to read them"
            )
        role = "viewer"
    if found.workspace is None or role is None:
        raise NotFound(f"there is no journey '{journey_id}' of yours")
    return JourneyAccess(found.workspace, enough(role, least, "this journey"), found.rev)


def seen(uow: UnitOfWork, journey_id: str, user_id: str | None) -> Seen:
    """What `journey_access` decides on: the journey's row and the caller's membership."""
    row = uow.journeys.get(journey_id)
    if row is None or row.deleted_at is not None:
        return Seen(journey_id, None, 0, None)
    role = uow.accounts.role(row.workspace_id, user_id) if user_id is not None else None
    return Seen(journey_id, row.workspace_id, int(row.rev), role)


def enough(role: str, least: str, what: str) -> str:
    """`role`, when it ranks at least `least`; 403 naming the role needed otherwise."""
    if RANK[role] < RANK[least]:
        raise Forbidden(
            f"you are {_a(role)} of {what}; this needs {_a(least)} or more "
            "(an owner can change your role)",
            needs=least,
        )
    return role


def may_change_comment(who: Principal, author_id: str | None) -> None:
    if author_id != who.user_id:
        raise Forbidden("only the author of a comment may change it; reply instead")


def may_delete_comment(who: Principal, role: str, author_id: str | None) -> None:
    if author_id != who.user_id and RANK[role] < RANK["owner"]:
        raise Forbidden(
            "only the author of a comment or an owner of the workspace may delete it",
            needs="owner",
        )


def to_remove_member(who: Principal, user_id: str) -> str:
    """The least role that may remove `user_id` from a workspace: anyone may leave."""
    return "viewer" if signed_in(who) == user_id else "owner"


def keep_an_owner(owners: Callable[[], int], now: str, then: str | None) -> None:
    """A member going from role `now` to `then` (None: leaving), of a workspace with
    `owners()` owners: refused when it would leave the workspace with none."""
    if now == "owner" and then != "owner" and owners() <= 1:
        raise Conflict(
            "a workspace needs an owner: make someone else owner first", title="Last owner"
        )


def may_delete_account(me: str | None, user_id: str, sole_owner_of: list[Any]) -> None:
    """An admin (`me`) deleting `user_id`, who is the only owner of `sole_owner_of`."""
    if user_id == me:
        raise Conflict("an admin cannot delete their own account", title="That is you")
    if sole_owner_of:
        names = ", ".join(f"'{w.name}'" for w in sole_owner_of)
        raise Conflict(
            f"they are the only owner of {names}: make someone else owner first",
            title="Last owner",
        )


def sees_member_names(who: Principal) -> bool:
    """Whether the caller may see who the team's members are, by name or by id (a share link,
    for people outside the team, may not)."""
    return who.via != "share"


def _a(role: str) -> str:
    return ("an " if role[0] in "aeiou" else "a ") + role
