"""Members by invitation over HTTP, on SQLite and PostgreSQL: an owner invites an email with a
role; the person with that email sees it in their account and accepts (then, and only then, is a
member) or declines; until then the workspace shows the email only. An owner withdraws one; a
workspace's invitations go with it."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Site
from .helpers import any_site as any_site


def _invite(site: Site, email: str, role: str = "editor", ws: str | None = None) -> Any:
    url = f"/api/workspaces/{ws or site.workspace}/invitations"
    return site.client.post(url, json={"email": email, "role": role}, headers=site.auth())


def _emails(site: Site, path: str, auth: dict[str, str]) -> list[str]:
    answer = site.client.get(f"/api/workspaces/{site.workspace}/{path}", headers=auth)
    assert answer.status_code == 200, answer.text
    return [m["email"] for m in answer.json()]


def test_an_invitation_is_accepted_from_the_account(any_site: Site) -> None:
    site, c = any_site, any_site.client
    eve = site.auth(site.user("eve@example.com", None))
    viewer = site.auth(site.user("vic@example.com", "viewer"))
    made = _invite(site, " Eve@Example.com ")
    assert made.status_code == 201, made.text
    invitation = made.json()
    assert invitation["email"] == "eve@example.com" and invitation["role"] == "editor"
    assert set(invitation) == {"id", "workspace_id", "email", "role", "invited_at"}
    # Not a member yet: the workspace lists the email as invited, with no name, and she sees
    # nothing of it but the invitation.
    assert "eve@example.com" not in _emails(site, "members", site.auth())
    assert _emails(site, "invitations", viewer) == ["eve@example.com"]
    assert c.get(f"/api/workspaces/{site.workspace}", headers=eve).status_code == 404
    (mine,) = c.get("/api/invitations", headers=eve).json()
    assert (mine["id"], mine["workspace_id"], mine["role"], mine["invited_by"]) == (
        invitation["id"],
        site.workspace,
        "editor",
        "Ada",
    )
    assert c.get("/api/invitations", headers=viewer).json() == []  # not hers to see
    assert c.post(f"/api/invitations/{mine['id']}/accept", headers=viewer).status_code == 404
    accepted = c.post(f"/api/invitations/{mine['id']}/accept", headers=eve)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["id"] == site.workspace and accepted.json()["role"] == "editor"
    assert accepted.headers["etag"] == accepted.json()["etag"]
    assert "eve@example.com" in _emails(site, "members", eve)
    assert _emails(site, "invitations", eve) == []
    assert c.get("/api/invitations", headers=eve).json() == []
    again = c.post(f"/api/invitations/{mine['id']}/accept", headers=eve)
    assert again.status_code == 404 and "no invitation" in again.json()["detail"]


def test_an_invitation_waits_for_the_account(any_site: Site) -> None:
    """An email with no account is invited all the same; whoever signs up with it later finds
    the invitation in their account."""
    site, c = any_site, any_site.client
    assert _invite(site, "zed@example.com", "viewer").status_code == 201
    zed = site.auth(site.user("zed@example.com", None))
    (mine,) = c.get("/api/invitations", headers=zed).json()
    assert c.post(f"/api/invitations/{mine['id']}/accept", headers=zed).json()["role"] == "viewer"
    assert "zed@example.com" in _emails(site, "members", zed)


def test_declined_withdrawn_and_refused_invitations(any_site: Site) -> None:
    site, c = any_site, any_site.client
    eve = site.auth(site.user("eve@example.com", None))
    first = _invite(site, "eve@example.com").json()
    twice = _invite(site, "EVE@example.com", "viewer")
    assert twice.status_code == 409 and "invited already" in twice.json()["detail"]
    declined = c.post(f"/api/invitations/{first['id']}/decline", headers=eve)
    assert declined.status_code == 204
    assert _emails(site, "invitations", site.auth()) == []
    assert "eve@example.com" not in _emails(site, "members", site.auth())
    assert c.post(f"/api/invitations/{first['id']}/accept", headers=eve).status_code == 404
    # Withdrawn by an owner: gone from her account too.
    second = _invite(site, "eve@example.com").json()
    url = f"/api/workspaces/{site.workspace}/invitations/{second['id']}"
    assert c.delete(url, headers=site.auth()).status_code == 204
    assert c.get("/api/invitations", headers=eve).json() == []
    assert c.delete(url, headers=site.auth()).status_code == 404
    # A member already, and an address that is not one.
    member = _invite(site, "ada@example.com")
    assert member.status_code == 409 and "member already" in member.json()["detail"]
    bad = _invite(site, "not an email")
    assert bad.status_code == 422 and "email" in bad.json()["detail"]


def test_accepting_never_lowers_a_role(site: Site) -> None:
    """Someone who joined meanwhile (by another invitation) keeps the higher of the roles."""
    c = site.client
    eve = site.auth(site.user("eve@example.com", "editor"))
    with site.client.app.state.db.write() as uow:  # type: ignore[attr-defined]
        uow.invitations.add(site.workspace, "eve@example.com", "viewer", None)
    (mine,) = c.get("/api/invitations", headers=eve).json()
    assert mine["invited_by"] is None  # no inviter left: said so, not made up
    assert c.post(f"/api/invitations/{mine['id']}/accept", headers=eve).json()["role"] == "editor"


def test_a_workspace_has_a_bounded_number_waiting(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeymap.services import invitations

    monkeypatch.setattr(invitations, "PENDING", 3)
    assert [_invite(site, f"p{i}@example.com").status_code for i in range(3)] == [201] * 3
    full = _invite(site, "p3@example.com")
    assert full.status_code == 409 and "3 invitations waiting" in full.json()["detail"]


def test_a_workspace_takes_its_invitations_with_it(any_site: Site) -> None:
    site, c = any_site, any_site.client
    eve = site.auth(site.user("eve@example.com", None))
    theirs = c.post("/api/workspaces", json={"name": "Gone soon"}, headers=site.auth()).json()
    assert _invite(site, "eve@example.com", ws=theirs["id"]).status_code == 201
    assert len(c.get("/api/invitations", headers=eve).json()) == 1
    url = f"/api/workspaces/{theirs['id']}"
    gone = c.delete(url, headers={**site.auth(), "If-Match": theirs["etag"]})
    assert gone.status_code == 204, gone.text
    assert c.get("/api/invitations", headers=eve).json() == []
