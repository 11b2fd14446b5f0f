"""Every route x every kind of caller: who may do what, and nothing leaks across workspaces.

Callers: nobody, a revoked token, an expired share link, a live share link (of the journey),
a member of another workspace only, and a viewer, commenter, editor and owner of the workspace.
Each route declares the least role it needs; the test expects 401 for anyone not signed in,
404 for the other workspace's member (as if the workspace did not exist), 403 below the role,
and no 401/403/404 at or above it. A share link reads what its journey's viewers read, less
the team's own (comments: 404). A route missing from the table fails the test, so a new
route cannot ship without its line here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from journeymap.services.security import new_token

from .conftest import PASSWORD, Site
from .helpers import evidence_data

ROLES = ("viewer", "commenter", "editor", "owner")
Params = Callable[["World"], dict[str, str]]


@dataclass
class World:
    site: Site
    tokens: dict[str, str]  # caller -> API token (or share token for the share callers)
    journey: str
    comment: str = ""
    first: dict[str, str] = field(default_factory=dict)  # collection -> an item's id
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def fresh_share_link(self) -> str:
        made = self.site.client.post(
            f"/api/journeys/{self.journey}/share-links", json={}, headers=self.site.auth()
        )
        assert made.status_code == 201, made.text
        return str(made.json()["id"])

    def fresh_invitation(self) -> str:
        """A new invitation of the workspace, to someone with no account here."""
        made = self.site.client.post(
            f"/api/workspaces/{self.site.workspace}/invitations",
            json={"email": f"invited{next(self.counter)}@example.com", "role": "viewer"},
            headers=self.site.auth(),
        )
        assert made.status_code == 201, made.text
        return str(made.json()["id"])

    def fresh_member(self, role: str = "viewer") -> str:
        """A new member of the workspace (for routes that remove or change one)."""
        email = f"member{next(self.counter)}@example.com"
        self.site.user(email, role)
        app: Any = self.site.client.app
        with app.state.db.read() as uow:
            user = uow.accounts.user_by_email(email)
        assert user is not None
        return user.id


@dataclass(frozen=True)
class Rule:
    least: str  # "public", "user" (any signed-in user), "admin", "share-link" or a role
    body: dict[str, Any] | None = None
    params: Params = lambda w: {}
    shared: bool = False  # a share link of the journey may call it
    team_only: bool = False  # the team's own (comments): a share link of the journey gets 404
    also: frozenset[int] = frozenset()  # answers allowed callers may rightly get (not found...)
    query: str = ""


SOURCE = {"name": "s", "kind": "events", "definition": {"source": {"path": "e.csv"}}}
NONE_YET = frozenset({404})


def ws(w: World) -> dict[str, str]:
    return {"workspace_id": w.site.workspace}


def jr(w: World) -> dict[str, str]:
    return {"journey_id": w.journey}


def member(w: World) -> dict[str, str]:
    return {"workspace_id": w.site.workspace, "user_id": w.fresh_member()}


def token_of_someone(w: World) -> dict[str, str]:
    return {"token_id": "not-yours"}


def a_shared_view(w: World) -> dict[str, str]:
    """The journey and a new view of it, shared by the owner."""
    made = w.site.client.post(
        f"/api/journeys/{w.journey}/views",
        json={"name": f"Shared {next(w.counter)}", "shared": True},
        headers=w.site.auth(),
    )
    assert made.status_code == 201, made.text
    return {**jr(w), "view_id": str(made.json()["id"])}


COLLECTIONS = ("personas", "channels", "stages", "steps", "sections", "lanes", "cards", "emotions")


def entity(collection: str) -> Params:
    """The journey and the first of its items of a kind."""
    return lambda w: {**jr(w), "entity_id": w.first[collection]}


SET_TITLE = {"kind": "set", "entity": "journey", "field": "title", "value": "Renamed"}
TABLE: dict[tuple[str, str], Rule] = {
    ("GET", "/api/health"): Rule("public"),
    ("POST", "/api/setup"): Rule(
        "public",
        {"email": "x@y.z", "display_name": "X", "password": "long enough words", "setup_code": "x"},
    ),
    ("POST", "/api/session"): Rule(  # a wrong password: refused for everyone alike
        "public", {"email": "nobody@example.com", "password": "wrong one"}, also=frozenset({401})
    ),
    ("DELETE", "/api/session"): Rule("user"),
    # A browser session's own; these callers use tokens, which have none (401): the session's
    # answer is tested in test_accounts_api.py.
    ("GET", "/api/session"): Rule("user", also=frozenset({401})),
    ("GET", "/api/shared"): Rule("share-link"),  # what a link opens: for its holder alone
    ("GET", "/api/me"): Rule("user"),
    ("GET", "/api/me/mentions"): Rule("user"),  # only what mentions the caller, where they are
    ("GET", "/api/templates"): Rule("user"),
    ("GET", "/api/templates/{name}"): Rule("user", params=lambda w: {"name": "car-purchase"}),
    ("GET", "/api/frameworks"): Rule("user"),
    ("PATCH", "/api/me"): Rule("user", {"display_name": "Me"}),
    ("PUT", "/api/me/password"): Rule(
        "user", {"current_password": PASSWORD, "new_password": "another long password"}
    ),
    # Accounts are the server admin's (here the owner, who set the server up).
    ("GET", "/api/users"): Rule("admin"),
    ("POST", "/api/users"): Rule(
        "admin", {"email": "new@example.com", "display_name": "N", "password": "long enough words"}
    ),
    ("DELETE", "/api/users/{user_id}"): Rule(
        "admin", params=lambda w: {"user_id": w.fresh_member()}
    ),
    ("GET", "/api/tokens"): Rule("user"),
    ("POST", "/api/tokens"): Rule("user", {"name": "t"}),
    # Someone else's token: "not found" for everyone, owner or not (nothing to tell apart).
    ("DELETE", "/api/tokens/{token_id}"): Rule(
        "user", params=token_of_someone, also=frozenset({404})
    ),
    ("GET", "/api/workspaces"): Rule("user"),
    ("POST", "/api/workspaces"): Rule("user", {"name": "Another"}),
    ("GET", "/api/workspaces/{workspace_id}"): Rule("viewer", params=ws),
    # PATCH and DELETE without If-Match: 428 once the role is enough
    ("PATCH", "/api/workspaces/{workspace_id}"): Rule("owner", {"name": "Renamed"}, ws),
    ("DELETE", "/api/workspaces/{workspace_id}"): Rule("owner", params=ws),
    ("GET", "/api/workspaces/{workspace_id}/members"): Rule("viewer", params=ws),
    ("GET", "/api/workspaces/{workspace_id}/invitations"): Rule("viewer", params=ws),
    ("POST", "/api/workspaces/{workspace_id}/invitations"): Rule(
        "owner", {"email": "newcomer@example.com", "role": "viewer"}, ws
    ),
    ("DELETE", "/api/workspaces/{workspace_id}/invitations/{invitation_id}"): Rule(
        "owner", params=lambda w: {**ws(w), "invitation_id": w.fresh_invitation()}
    ),
    ("GET", "/api/invitations"): Rule("user"),
    # Someone else's invitation: "not found" for everyone (there is nothing to tell apart).
    ("POST", "/api/invitations/{invitation_id}/accept"): Rule(
        "user", params=lambda w: {"invitation_id": w.fresh_invitation()}, also=frozenset({404})
    ),
    ("POST", "/api/invitations/{invitation_id}/decline"): Rule(
        "user", params=lambda w: {"invitation_id": w.fresh_invitation()}, also=frozenset({404})
    ),
    ("PATCH", "/api/workspaces/{workspace_id}/members/{user_id}"): Rule(
        "owner", {"role": "editor"}, member
    ),
    ("DELETE", "/api/workspaces/{workspace_id}/members/{user_id}"): Rule("owner", params=member),
    ("GET", "/api/workspaces/{workspace_id}/personas"): Rule("viewer", params=ws),
    ("POST", "/api/workspaces/{workspace_id}/personas"): Rule(
        "editor",
        {"name": "Someone"},
        ws,
        also=frozenset({409}),  # the second add of one id
    ),
    ("GET", "/api/workspaces/{workspace_id}/personas/{persona_id}"): Rule(
        "viewer", params=lambda w: {**ws(w), "persona_id": "hannah"}
    ),
    # PATCH and DELETE without If-Match: 428 once the role is enough
    ("PATCH", "/api/workspaces/{workspace_id}/personas/{persona_id}"): Rule(
        "editor", {"quote": "Hi"}, lambda w: {**ws(w), "persona_id": "hannah"}
    ),
    ("DELETE", "/api/workspaces/{workspace_id}/personas/{persona_id}"): Rule(
        "editor", params=lambda w: {**ws(w), "persona_id": "hannah"}
    ),
    ("GET", "/api/workspaces/{workspace_id}/journeys"): Rule("viewer", params=ws),
    ("POST", "/api/workspaces/{workspace_id}/journeys"): Rule(
        "editor", {"framework": "three-stage"}, ws
    ),
    ("GET", "/api/journeys/{journey_id}"): Rule("viewer", params=jr, shared=True),
    ("GET", "/api/journeys/{journey_id}/export"): Rule("viewer", params=jr, shared=True),
    ("POST", "/api/journeys/{journey_id}/ops"): Rule(
        "editor", {"base_rev": 1, "ops": [{"op_id": "x", "op": SET_TITLE}]}, jr
    ),
    ("PATCH", "/api/journeys/{journey_id}"): Rule("editor", {"title": "T"}, jr),  # 428, too
    ("DELETE", "/api/journeys/{journey_id}"): Rule("editor", params=jr),  # 428 without If-Match
    ("POST", "/api/workspaces/{workspace_id}/journeys/import"): Rule("editor", params=ws),
    ("POST", "/api/journeys/{journey_id}/duplicate"): Rule("editor", params=jr),
    ("GET", "/api/journeys/{journey_id}/cards.xlsx"): Rule("viewer", params=jr, shared=True),
    # No sheet in the body: an editor gets past the role check to 422.
    ("POST", "/api/journeys/{journey_id}/cards.xlsx"): Rule(
        "editor", params=jr, also=frozenset({422})
    ),
    ("POST", "/api/journeys/{journey_id}/future-state"): Rule("editor", params=jr),
    ("GET", "/api/journeys/{journey_id}/history"): Rule("viewer", params=jr, shared=True),
    ("GET", "/api/journeys/{journey_id}/evidence"): Rule("viewer", params=jr, shared=True),
    ("PUT", "/api/journeys/{journey_id}/evidence"): Rule("editor", {"data": evidence_data()}, jr),
    ("GET", "/api/journeys/{journey_id}/revisions/{rev}"): Rule(
        "viewer", params=lambda w: {**jr(w), "rev": "1"}, shared=True
    ),
    ("GET", "/api/journeys/{journey_id}/diff"): Rule(
        "viewer", params=jr, shared=True, query="?from=1"
    ),
    ("GET", "/api/journeys/{journey_id}/revisions/{rev}/map"): Rule(
        "viewer", params=lambda w: {**jr(w), "rev": "1"}, shared=True
    ),
    ("GET", "/api/journeys/{journey_id}/counterparts"): Rule("viewer", params=jr, shared=True),
    # 404 for all: this journey has no future state to compare with
    ("GET", "/api/journeys/{journey_id}/compare"): Rule(
        "viewer", params=jr, shared=True, also=frozenset({404})
    ),
    ("GET", "/api/journeys/{journey_id}/compare/{other_id}"): Rule(
        "viewer", params=lambda w: {**jr(w), "other_id": w.journey}, shared=True
    ),
    # 428 without If-Match
    ("POST", "/api/journeys/{journey_id}/restore"): Rule("editor", {"rev": 1}, jr),
    ("GET", "/api/journeys/{journey_id}/versions"): Rule("viewer", params=jr, shared=True),
    ("POST", "/api/journeys/{journey_id}/versions"): Rule("editor", {"name": "March"}, jr),
    ("GET", "/api/journeys/{journey_id}/share-links"): Rule("editor", params=jr),
    # Data sources and refresh (test_sources.py has their own cases): no sources folder here,
    # and nothing chosen or found yet, so the callers allowed get 404 or 422 past the role.
    ("GET", "/api/workspaces/{workspace_id}/sources"): Rule("editor", params=ws),
    ("POST", "/api/workspaces/{workspace_id}/sources"): Rule(
        "owner", SOURCE, ws, also=frozenset({422})
    ),
    ("PUT", "/api/workspaces/{workspace_id}/sources/{name}"): Rule(
        "owner", SOURCE, lambda w: {**ws(w), "name": "nope"}, also=frozenset({404, 422})
    ),
    ("DELETE", "/api/workspaces/{workspace_id}/sources/{name}"): Rule(
        "owner", params=lambda w: {**ws(w), "name": "nope"}, also=frozenset({404})
    ),
    ("GET", "/api/journeys/{journey_id}/sources"): Rule("editor", params=jr, also=NONE_YET),
    ("PUT", "/api/journeys/{journey_id}/sources"): Rule(
        "editor", {"events": "nope"}, jr, also=frozenset({422})
    ),
    ("POST", "/api/journeys/{journey_id}/refresh"): Rule("editor", params=jr, also=NONE_YET),
    ("GET", "/api/journeys/{journey_id}/refresh"): Rule("editor", params=jr, also=NONE_YET),
    ("DELETE", "/api/journeys/{journey_id}/refresh"): Rule("editor", params=jr, also=NONE_YET),
    ("GET", "/api/journeys/{journey_id}/pain-points"): Rule(
        "viewer", params=jr, team_only=True, also=NONE_YET
    ),
    ("POST", "/api/journeys/{journey_id}/pain-points/{finding}/add"): Rule(
        "editor", params=lambda w: {**jr(w), "finding": "pp-x"}, also=NONE_YET
    ),
    ("POST", "/api/journeys/{journey_id}/share-links"): Rule("editor", {}, jr),
    ("DELETE", "/api/journeys/{journey_id}/share-links/{link_id}"): Rule(
        "editor", params=lambda w: {**jr(w), "link_id": w.fresh_share_link()}
    ),
    # Comments are the team's discussion: a share link (for people outside it) opens none.
    ("GET", "/api/journeys/{journey_id}/comments"): Rule("viewer", params=jr, team_only=True),
    ("POST", "/api/journeys/{journey_id}/comments"): Rule(
        "commenter",
        {"text": "Hi", "target_kind": "stage", "target_id": "awareness"},
        jr,
        team_only=True,
    ),
    # Only its author (here the owner) edits a comment; its author or an owner deletes it.
    ("PATCH", "/api/journeys/{journey_id}/comments/{comment_id}"): Rule(
        "owner", {"text": "Edited"}, lambda w: {**jr(w), "comment_id": w.comment}, team_only=True
    ),
    ("DELETE", "/api/journeys/{journey_id}/comments/{comment_id}"): Rule(
        "owner", params=lambda w: {**jr(w), "comment_id": w.comment}, team_only=True
    ),
    # Saved views are the team's too. Any member saves their own; only its maker (here the
    # owner) changes a view, and they or an owner delete a shared one.
    ("GET", "/api/journeys/{journey_id}/views"): Rule("viewer", params=jr, team_only=True),
    ("POST", "/api/journeys/{journey_id}/views"): Rule(
        "viewer", {"name": "Mine"}, jr, team_only=True
    ),
    ("PUT", "/api/journeys/{journey_id}/views/{view_id}"): Rule(
        "owner", {"name": "Renamed"}, lambda w: a_shared_view(w), team_only=True
    ),
    ("DELETE", "/api/journeys/{journey_id}/views/{view_id}"): Rule(
        "owner", params=lambda w: a_shared_view(w), team_only=True
    ),
    **{
        ("GET", f"/api/journeys/{{journey_id}}/render.{kind}"): Rule(
            "viewer", params=jr, shared=True
        )
        for kind in ("svg", "html", "png", "pdf")
    },
    **{
        route: rule
        for collection in COLLECTIONS
        for route, rule in (
            (
                ("GET", f"/api/journeys/{{journey_id}}/{collection}"),
                Rule("viewer", params=jr, shared=True),
            ),
            (("POST", f"/api/journeys/{{journey_id}}/{collection}"), Rule("editor", {}, jr)),
            (
                ("GET", f"/api/journeys/{{journey_id}}/{collection}/{{entity_id}}"),
                Rule("viewer", params=entity(collection), shared=True),
            ),
            # PATCH and DELETE without If-Match: 428 once the role is enough
            (
                ("PATCH", f"/api/journeys/{{journey_id}}/{collection}/{{entity_id}}"),
                Rule("editor", {}, entity(collection)),
            ),
            (
                ("DELETE", f"/api/journeys/{{journey_id}}/{collection}/{{entity_id}}"),
                Rule("editor", params=entity(collection)),
            ),
        )
    },
}
CALLERS = ("nobody", "revoked", "expired-share", "share", "stranger", *ROLES)


@pytest.fixture
def world(site: Site) -> World:
    c, auth = site.client, site.auth()
    journey = c.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"template": "online-store-checkout"},
        headers=auth,
    ).json()["id"]
    tokens = {role: site.user(f"{role}@example.com", role) for role in ROLES if role != "owner"}
    tokens["owner"] = site.token
    stranger = site.user("stranger@example.com", None)
    c.post("/api/workspaces", json={"name": "Theirs"}, headers=site.auth(stranger))
    tokens["stranger"] = stranger
    revoked = site.user("revoked@example.com", "owner")
    mine = c.get("/api/tokens", headers=site.auth(revoked)).json()
    c.delete(f"/api/tokens/{mine[0]['id']}", headers=site.auth(revoked))
    tokens["revoked"] = revoked
    app: Any = c.app
    live, old = new_token(), new_token()
    with app.state.db.write() as uow:
        owner = uow.accounts.user_by_email("ada@example.com")
        assert owner is not None
        uow.access.add_share_link(journey, live.prefix, live.digest, owner.id, None)
        past = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        uow.access.add_share_link(journey, old.prefix, old.digest, owner.id, past)
    tokens["share"], tokens["expired-share"] = live.plaintext, old.plaintext
    made = c.post(f"/api/journeys/{journey}/channels", json={"name": "Kiosk"}, headers=auth)
    assert made.status_code == 201, made.text  # the template has no channel of its own
    first = {
        name: c.get(f"/api/journeys/{journey}/{name}", headers=auth).json()["items"][0]["id"]
        for name in COLLECTIONS
    }
    kept = c.post(f"/api/workspaces/{site.workspace}/personas", json={"id": "hannah"}, headers=auth)
    assert kept.status_code == 201, kept.text
    measured = c.put(
        f"/api/journeys/{journey}/evidence", json={"data": evidence_data()}, headers=auth
    )
    assert measured.status_code == 200, measured.text
    on_stage = {"text": "Look", "target_kind": "stage", "target_id": first["stages"]}
    comment = c.post(f"/api/journeys/{journey}/comments", json=on_stage, headers=auth)
    assert comment.status_code == 201, comment.text
    return World(site, tokens, journey, str(comment.json()["id"]), first)


def headers_of(world: World, caller: str) -> dict[str, str]:
    if caller == "nobody":
        return {}
    if caller in ("share", "expired-share"):
        return {"X-Share-Token": world.tokens[caller]}
    return {"Authorization": f"Bearer {world.tokens[caller]}"}


def expected(rule: Rule, caller: str) -> set[int] | None:
    """The status codes the caller must get, or None for "allowed" (not 401/403/404)."""
    if rule.least == "public":
        return None
    if rule.least == "share-link":  # anyone but a link's holder: nothing here
        return (
            None
            if caller == "share"
            else {401}
            if caller in ("revoked", "expired-share")
            else {404}
        )
    if caller in ("nobody", "revoked", "expired-share"):
        return {401}
    if caller == "share":  # a viewer of its one journey, and no one anywhere else
        if rule.team_only:
            return {404}
        if rule.shared:
            return None
        return {401, 403} if "journey_id" in rule_path(rule) else {401}
    if rule.least == "user":
        return None
    if rule.least == "admin":
        return None if caller == "owner" else {403}
    if caller == "stranger":
        return {404}
    return None if ROLES.index(caller) >= ROLES.index(rule.least) else {403}


def rule_path(rule: Rule) -> str:
    return next(path for (_, path), r in TABLE.items() if r is rule)


def test_every_route_is_in_the_table(site: Site) -> None:
    paths = site.client.get("/api/openapi.json").json()["paths"]
    routes = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert routes - set(TABLE) == set(), "add these routes to TABLE"
    assert set(TABLE) - routes == set(), "these routes are gone"


@pytest.mark.parametrize(("method", "path"), sorted(TABLE))
def test_who_may_call_it(world: World, method: str, path: str) -> None:
    rule = TABLE[(method, path)]
    for caller in CALLERS:
        url = path.format(**rule.params(world)) + rule.query
        answer = world.site.client.request(
            method, url, json=rule.body, headers=headers_of(world, caller)
        )
        assert answer.status_code < 500, (caller, answer.text)
        wanted = expected(rule, caller)
        if wanted is None:
            refused = {401, 403, 404} - rule.also
            assert answer.status_code not in refused, (caller, answer.text)
        else:
            assert answer.status_code in wanted, (caller, answer.status_code, answer.text)
