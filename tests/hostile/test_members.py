"""Members by invitation: adding an email answers the same whether or not it has an account
(so no one lists accounts through it), adds no one without their consent, and until accepted
shows the workspace the email only, never the person's name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.server.conftest import Site

NAME = "Zeynep Quartermaine"  # a display name found nowhere else


def _shape(answer: Any, email: str) -> tuple[int, tuple[str, ...], str]:
    """The answer with what must differ (its id, time and the email itself) taken out."""
    body = answer.json()
    for key in ("id", "invited_at"):
        body.pop(key, None)
    text = str(sorted(body.items())).replace(email, "EMAIL")
    headers = tuple(sorted(k for k in answer.headers if k not in ("content-length", "date")))
    return answer.status_code, headers, text


def test_known_and_unknown_emails_get_the_same_answer(make_site: Callable[..., Site]) -> None:
    site = make_site()
    c, auth = site.client, site.auth()
    known = site.auth(site.user("zeynep@example.com", None))
    with c.app.state.db.write() as uow:  # type: ignore[attr-defined]
        user = uow.accounts.user_by_email("zeynep@example.com")
        assert user is not None
        user.display_name = NAME
    url = f"/api/workspaces/{site.workspace}/invitations"

    def invite(email: str) -> Any:
        return c.post(url, json={"email": email, "role": "owner"}, headers=auth)

    first = {e: invite(e) for e in ("zeynep@example.com", "nobody@example.com")}
    shapes = {_shape(a, e) for e, a in first.items()}
    assert len(shapes) == 1, shapes
    assert next(iter(shapes))[0] == 201
    again = {e: invite(e) for e in first}  # the refusal is the same too
    shapes = {_shape(a, e) for e, a in again.items()}
    assert len(shapes) == 1 and next(iter(shapes))[0] == 409, shapes
    # No one was added: the workspace has its owner only, lists both emails as invited, and
    # names neither.
    members = c.get(f"/api/workspaces/{site.workspace}/members", headers=auth).json()
    assert [m["email"] for m in members] == ["ada@example.com"]
    invited = c.get(url, headers=auth)
    assert sorted(i["email"] for i in invited.json()) == sorted(first)
    assert NAME not in invited.text and "zeynep@example.com" in invited.text
    assert c.get(f"/api/workspaces/{site.workspace}", headers=known).status_code == 404
    # Only when she accepts does she join, and only then does the workspace see her name.
    (mine,) = c.get("/api/invitations", headers=known).json()
    assert c.post(f"/api/invitations/{mine['id']}/accept", headers=known).status_code == 200
    members = c.get(f"/api/workspaces/{site.workspace}/members", headers=auth)
    assert NAME in members.text


def test_no_route_adds_a_member_by_email(make_site: Callable[..., Site]) -> None:
    """The old way in (POST .../members with an email) is gone: no route of the API's own
    description adds a member, but accepting an invitation."""
    paths = make_site().client.get("/api/openapi.json").json()["paths"]
    posts = {p for p, methods in paths.items() if "post" in methods}
    assert not any("members" in p for p in posts), posts
    assert "/api/invitations/{invitation_id}/accept" in posts
