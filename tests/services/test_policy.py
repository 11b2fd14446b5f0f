"""The access policy every way in asks (REST, the live editor, the CLI): roles, share links,
comments, the last owner, admins. The REST routes' matrix (tests/server/test_authorisation.py)
runs through these same functions; here each rule is asked directly."""

from __future__ import annotations

import itertools
from types import SimpleNamespace
from typing import Any

import pytest

from journeymap.services import policy
from journeymap.services.errors import Conflict, Forbidden, NotFound, NotSignedIn
from journeymap.services.journeys import create_journey
from journeymap.services.policy import MACHINE, NOBODY, ROLES, Principal
from journeymap.services.templates import new_journey


@pytest.mark.parametrize(("role", "least"), list(itertools.product(ROLES, ROLES)))
def test_a_role_does_what_its_rank_allows_and_hears_which_role_it_needs(
    role: str, least: str
) -> None:
    if ROLES.index(role) >= ROLES.index(least):
        assert policy.enough(role, least, "this journey") == role
        return
    with pytest.raises(Forbidden) as refused:
        policy.enough(role, least, "this journey")
    assert refused.value.needs == least
    assert refused.value.detail.startswith(f"you are a{'n' * (role[0] in 'aeiou')} {role} of")


def _world(db: Any) -> tuple[str, str, str, str]:
    """(workspace, journey, its owner's user id, an outsider's user id)."""
    with db.write() as uow:
        ws = uow.accounts.add_workspace("Team").id
        owner = uow.accounts.add_user("o@example.com", "O").id
        outsider = uow.accounts.add_user("x@example.com", "X").id
        uow.accounts.set_role(ws, owner, "owner")
    journey = create_journey(db, ws, new_journey(framework="three-stage"), owner).id
    return ws, journey, owner, outsider


def test_journeys_open_to_members_and_their_share_link_only(db: Any) -> None:
    ws, journey, owner, outsider = _world(db)
    access = policy.journey_access(db, Principal(owner, via="token"), journey, "owner")
    assert (access.workspace, access.role, access.rev) == (ws, "owner", 1)
    with pytest.raises(NotFound):  # as if it did not exist
        policy.journey_access(db, Principal(outsider, via="token"), journey, "viewer")
    with pytest.raises(NotSignedIn):
        policy.journey_access(db, NOBODY, journey, "viewer")
    link = Principal(via="share", shared_journey=journey)
    assert policy.journey_access(db, link, journey, "viewer").role == "viewer"
    with pytest.raises(Forbidden):
        policy.journey_access(db, link, journey, "editor")
    with pytest.raises(NotFound) as comments:
        policy.journey_access(db, link, journey, "viewer", team_only="comments")
    assert "its team's own" in comments.value.detail
    other = create_journey(db, ws, new_journey(framework="three-stage"), owner).id
    with pytest.raises(NotFound):
        policy.journey_access(db, link, other, "viewer")
    assert not policy.sees_member_names(link)
    assert policy.sees_member_names(Principal(owner, via="session"))


def test_workspaces_open_to_members_only(db: Any) -> None:
    ws, _, owner, outsider = _world(db)
    assert policy.workspace_role(db, Principal(owner, via="token"), ws, "owner") == "owner"
    with pytest.raises(NotFound):
        policy.workspace_role(db, Principal(outsider, via="token"), ws, "viewer")
    with pytest.raises(NotSignedIn):  # a share link is no member of anything
        policy.workspace_role(db, Principal(via="share", shared_journey="j"), ws, "viewer")


def test_a_comment_is_changed_by_its_author_and_deleted_by_its_author_or_an_owner() -> None:
    ann, bo = Principal("ann", via="token"), Principal("bo", via="token")
    policy.may_change_comment(ann, "ann")
    with pytest.raises(Forbidden):
        policy.may_change_comment(bo, "ann")
    policy.may_delete_comment(ann, "commenter", "ann")
    policy.may_delete_comment(bo, "owner", "ann")
    with pytest.raises(Forbidden) as refused:
        policy.may_delete_comment(bo, "editor", "ann")
    assert refused.value.needs == "owner"


def test_a_workspace_keeps_an_owner() -> None:
    policy.keep_an_owner(lambda: 2, "owner", None)
    policy.keep_an_owner(lambda: 1, "owner", "owner")
    policy.keep_an_owner(lambda: 1, "editor", None)
    for then in ("editor", None):
        with pytest.raises(Conflict) as refused:
            policy.keep_an_owner(lambda: 1, "owner", then)
        assert refused.value.title == "Last owner"
    assert policy.to_remove_member(Principal("ann", via="token"), "ann") == "viewer"  # leaving
    assert policy.to_remove_member(Principal("ann", via="token"), "bo") == "owner"


def test_accounts_are_an_admins_or_the_machines() -> None:
    assert policy.admin(Principal("root", is_admin=True, via="token")) == "root"
    assert policy.admin(MACHINE) is None
    with pytest.raises(Forbidden):
        policy.admin(Principal("ann", via="session"))
    with pytest.raises(NotSignedIn):
        policy.admin(NOBODY)
    with pytest.raises(Conflict, match="their own"):
        policy.may_delete_account("root", "root", [])
    with pytest.raises(Conflict, match="only owner of 'Team'"):
        policy.may_delete_account("root", "ann", [SimpleNamespace(name="Team")])
