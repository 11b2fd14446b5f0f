"""Every change to a journey is announced once, after it is committed: the `JourneyChanged`
signal the live editor's rooms will hear (services/journey_changes.py).

The app's every non-GET route is in PUBLISHES (with the kind of change it announces) or in
SILENT; a route in neither fails the test, so a new route cannot ship without saying which.
Each route is called as it is meant to be used: a publishing one announces exactly once, for
its journey, and the subscriber, reading the database at that moment in a transaction of its
own, already sees the change (so it came after the commit); a silent one announces nothing.
The same call refused (by a viewer) announces nothing, and neither does a write rolled back
at its commit. A subscriber that raises neither fails nor undoes the write.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import event
from sqlalchemy.orm import Session

from journeymap.server.app import ROUTERS
from journeymap.services.journey_changes import JourneyChanged, journey_changes
from journeymap.services.security import hash_password, new_token

from .conftest import PASSWORD, Site
from .helpers import evidence_data, join, new_journey, open_site

_made = itertools.count()

COLLECTIONS = ("personas", "channels", "stages", "steps", "sections", "lanes", "cards", "emotions")
NEW_ENTITY = {
    "personas": {"name": "Someone"},
    "channels": {"name": "Kiosk"},
    "stages": {"name": "Loyalty"},
    "steps": {"name": "Compare", "stage": "awareness"},
    "sections": {"name": "Operations"},
    "lanes": {"name": "Notes", "section": "persona", "kind": "text"},
    "cards": {"kind": "note", "stage": "awareness", "lane": "thoughts", "text": "Hello"},
    "emotions": {"stage": "awareness", "score": 1.0},
}
CHANGED_ENTITY = {
    "personas": {"name": "Someone else"},
    "channels": {"name": "Shop window"},
    "stages": {"name": "Notice"},
    "steps": {"name": "Look around"},
    "sections": {"name": "Customer"},
    "lanes": {"name": "Doing"},
    "cards": {"text": "Hello again"},
    "emotions": {"score": 0.5},
}
FIRST = {
    "personas": {"name": "Ann"},
    "channels": {"name": "Pop-up stand"},
    "steps": {"name": "Browse", "stage": "consideration"},
    "cards": {"kind": "note", "stage": "decision", "lane": "actions", "text": "Pays"},
    "emotions": {"stage": "decision", "score": -1.0},
}
SET_TITLE = {"kind": "set", "entity": "journey", "field": "title", "value": "Renamed"}
J = "/api/journeys/{journey_id}"
W = "/api/workspaces/{workspace_id}"

PUBLISHES: dict[tuple[str, str], str] = {
    ("POST", f"{W}/journeys"): "created",
    ("POST", f"{W}/journeys/import"): "created",
    ("POST", f"{J}/duplicate"): "created",
    ("POST", f"{J}/future-state"): "created",
    ("POST", f"{J}/ops"): "ops",
    ("PATCH", J): "ops",
    ("POST", f"{J}/restore"): "ops",
    ("DELETE", J): "deleted",
    ("DELETE", W): "deleted",  # its journeys go with it: each is announced
    ("PUT", f"{J}/evidence"): "evidence",
    ("POST", f"{J}/comments"): "comments",  # the live editor tells its team (not share links)
    ("PATCH", f"{J}/comments/{{comment_id}}"): "comments",
    ("DELETE", f"{J}/comments/{{comment_id}}"): "comments",
    ("POST", f"{J}/cards.xlsx"): "ops",
    **{("POST", f"{J}/{c}"): "ops" for c in COLLECTIONS},
    **{(m, f"{J}/{c}/{{entity_id}}"): "ops" for c in COLLECTIONS for m in ("PATCH", "DELETE")},
}
SILENT = {
    ("POST", "/api/setup"),
    ("POST", "/api/session"),
    ("DELETE", "/api/session"),
    ("PATCH", "/api/me"),
    ("PUT", "/api/me/password"),
    ("POST", "/api/users"),
    ("DELETE", "/api/users/{user_id}"),
    ("POST", "/api/tokens"),
    ("DELETE", "/api/tokens/{token_id}"),
    ("POST", "/api/workspaces"),
    ("PATCH", W),
    ("POST", f"{W}/invitations"),
    ("DELETE", f"{W}/invitations/{{invitation_id}}"),
    ("POST", "/api/invitations/{invitation_id}/accept"),
    ("POST", "/api/invitations/{invitation_id}/decline"),
    ("PATCH", f"{W}/members/{{user_id}}"),
    ("DELETE", f"{W}/members/{{user_id}}"),
    ("POST", f"{W}/personas"),
    ("PATCH", f"{W}/personas/{{persona_id}}"),
    ("DELETE", f"{W}/personas/{{persona_id}}"),
    ("POST", f"{J}/versions"),
    ("POST", f"{J}/share-links"),
    ("DELETE", f"{J}/share-links/{{link_id}}"),
    ("POST", f"{J}/views"),
    ("PUT", f"{J}/views/{{view_id}}"),
    ("DELETE", f"{J}/views/{{view_id}}"),
}
# Routes that need the operator's sources folder and a finished refresh, so the world here
# cannot call them: what each announces, through the service whose announcement is proved
# above (a refresh stores its evidence with put_evidence, as PUT .../evidence does; "Add to map"
# writes through apply_ops, as POST .../ops does); the routes are tested in test_sources.py.
NEEDS_SOURCES: dict[tuple[str, str], str] = {
    ("POST", f"{W}/sources"): "nothing",
    ("PUT", f"{W}/sources/{{name}}"): "nothing",
    ("DELETE", f"{W}/sources/{{name}}"): "nothing",
    ("PUT", f"{J}/sources"): "nothing",
    ("POST", f"{J}/refresh"): "evidence, when the refresh ends well",
    ("DELETE", f"{J}/refresh"): "nothing",
    ("POST", f"{J}/pain-points/{{finding}}/add"): "ops",
}


@dataclass
class Heard:
    """What a subscriber heard, and what it saw in the database when it heard it."""

    changes: list[JourneyChanged] = field(default_factory=list)
    committed: list[bool] = field(default_factory=list)


@dataclass
class World:
    site: Site
    journey: str
    viewer: dict[str, str]
    heard: Heard
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def c(self) -> Any:
        return self.site.client

    def etag(self, url: str) -> str:
        answer = self.c.get(url, headers=self.site.auth())
        assert answer.status_code == 200, answer.text
        return str(answer.headers["ETag"])


def _committed(db: Any, change: JourneyChanged) -> bool:
    """Whether a transaction of its own sees `change` in the database."""
    with db.read() as uow:
        row = uow.journeys.get(change.journey_id)
        if change.kind == "deleted":
            return row is None or row.deleted_at is not None
        if row is None or row.deleted_at is not None or row.rev != change.rev:
            return False
        if change.kind == "evidence":
            stored = uow.evidence.get(change.journey_id)
            return stored is not None and stored.data == evidence_data("2026-02-02T00:00:00Z")
        return True


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One server for the module (its set-up and migrations are most of a test's time); each
    test has an admin, a workspace and a journey of its own in it."""
    folder = tmp_path_factory.mktemp("changes")
    yield from open_site(str(folder / "server.db"), folder)


@pytest.fixture
def world(server: Site) -> Iterator[World]:
    n = next(_made)
    app: Any = server.client.app
    made = new_token()
    with app.state.db.write() as uow:
        admin = uow.accounts.add_user(f"ada{n}@example.com", "Ada", hash_password(PASSWORD), True)
        uow.access.add_token(admin.id, "tests", made.prefix, made.digest)
        uow.accounts.add_user(f"nemo{n}@example.com", "nemo")  # someone to make an account of
    own = {"Authorization": f"Bearer {made.plaintext}"}
    workspace = server.client.post("/api/workspaces", json={"name": f"W{n}"}, headers=own)
    site = Site(server.client, workspace.json()["id"], made.plaintext)
    c, auth = site.client, site.auth()
    journey = new_journey(site)
    ids: dict[str, str] = {}
    for name, body in FIRST.items():  # a framework's journey has none of these of its own
        made = c.post(f"/api/journeys/{journey}/{name}", json=body, headers=auth)
        assert made.status_code == 201, made.text
    for name in COLLECTIONS:
        listed = c.get(f"/api/journeys/{journey}/{name}", headers=auth).json()["items"]
        ids[name] = listed[0]["id"]
    measured = c.put(
        f"/api/journeys/{journey}/evidence", json={"data": evidence_data()}, headers=auth
    )
    on_stage = {"text": "Look", "target_kind": "stage", "target_id": "awareness"}
    comment = c.post(f"/api/journeys/{journey}/comments", json=on_stage, headers=auth)
    kept = c.post(f"/api/workspaces/{site.workspace}/personas", json={"id": "p"}, headers=auth)
    link = c.post(f"/api/journeys/{journey}/share-links", json={}, headers=auth)
    token = c.post("/api/tokens", json={"name": "spare"}, headers=auth)
    view = c.post(f"/api/journeys/{journey}/views", json={"name": "Kept"}, headers=auth)
    for answer in (measured, comment, kept, link, token, view):
        assert answer.status_code in (200, 201), answer.text
    ids |= {
        "comment": str(comment.json()["id"]),
        "link": link.json()["id"],
        "token": token.json()["id"],
        "view": view.json()["id"],
    }
    viewer = site.auth(site.user(f"vic{n}@example.com", "viewer"))
    mo = site.auth(site.user(f"mo{n}@example.com", None))
    ids |= {"member": join(site, site.workspace, auth, mo, "viewer"), "n": str(n)}
    # An invitation of the workspace (to withdraw), and one to the owner (to accept or decline).
    olga = site.auth(site.user(f"olga{n}@example.com", None))
    theirs = c.post("/api/workspaces", json={"name": "Theirs"}, headers=olga).json()["id"]
    invited = [
        c.post(f"/api/workspaces/{ws}/invitations", json=body, headers=by)
        for ws, body, by in (
            (site.workspace, {"email": f"ivy{n}@example.com", "role": "viewer"}, auth),
            (theirs, {"email": f"ada{n}@example.com", "role": "viewer"}, olga),
        )
    ]
    assert [i.status_code for i in invited] == [201, 201], [i.text for i in invited]
    ids |= {"invitation": invited[0].json()["id"], "to_owner": invited[1].json()["id"]}
    heard = Heard()

    def listen(change: JourneyChanged) -> None:
        heard.changes.append(change)
        heard.committed.append(_committed(app.state.db, change))

    stop = journey_changes(app.state.db).subscribe(listen)
    yield World(site, journey, viewer, heard, ids)
    stop()
    site.client.cookies.clear()  # a test that signed in leaves no session to the next


Request = tuple[str, dict[str, Any] | None, dict[str, str]]  # url, JSON body, headers
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/setup"): {
        "email": "x@y.z",
        "display_name": "X",
        "password": "long words",
        "setup_code": "any",
    },
    ("POST", "/api/session"): {"email": "ada@example.com", "password": PASSWORD},
    ("PATCH", "/api/me"): {"display_name": "Ada L"},
    ("PUT", "/api/me/password"): {
        "current_password": PASSWORD,
        "new_password": "another long password",
    },
    ("POST", "/api/users"): {
        "email": "new@example.com",
        "display_name": "New",
        "password": "long enough words",
    },
    ("POST", "/api/tokens"): {"name": "t"},
    ("POST", "/api/workspaces"): {"name": "Another"},
    ("PATCH", W): {"name": "Renamed"},
    ("POST", f"{W}/invitations"): {"email": "nemo@example.com", "role": "viewer"},
    ("PATCH", f"{W}/members/{{user_id}}"): {"role": "editor"},
    ("POST", f"{W}/personas"): {"name": "Hannah"},
    ("PATCH", f"{W}/personas/{{persona_id}}"): {"quote": "Hi"},
    ("POST", f"{W}/journeys"): {"framework": "three-stage"},
    ("POST", f"{J}/ops"): {"base_rev": 1, "ops": [{"op_id": "x", "op": SET_TITLE}]},
    ("PATCH", J): {"title": "Renamed"},
    ("POST", f"{J}/restore"): {"rev": 1},
    ("POST", f"{J}/versions"): {"name": "March"},
    ("POST", f"{J}/share-links"): {},
    ("POST", f"{J}/comments"): {"text": "Hi", "target_kind": "stage", "target_id": "awareness"},
    ("PATCH", f"{J}/comments/{{comment_id}}"): {"text": "Edited"},
    ("PUT", f"{J}/evidence"): {"data": evidence_data("2026-02-02T00:00:00Z")},
    ("POST", f"{J}/duplicate"): {},
    ("POST", f"{J}/future-state"): {},
    ("POST", f"{J}/views"): {"name": "Mine", "settings": {"hidden_lanes": ["thoughts"]}},
    ("PUT", f"{J}/views/{{view_id}}"): {"name": "Renamed", "settings": {}},
}


def _call(w: World, method: str, path: str) -> Request:
    """The route's URL, a body and the headers it needs to succeed, as the owner."""
    j, ws, auth = w.journey, w.site.workspace, w.site.auth()
    url = path.format(
        journey_id=j,
        workspace_id=ws,
        user_id=w.ids["member"],
        invitation_id=w.ids["to_owner" if path.startswith("/api/invitations") else "invitation"],
        token_id=w.ids["token"],
        persona_id="p",
        link_id=w.ids["link"],
        comment_id=w.ids["comment"],
        view_id=w.ids["view"],
        entity_id=w.ids.get(path.split("/")[4] if path.count("/") > 4 else "", ""),
    )
    headers = dict(auth)
    collection = path.split("/")[4] if path.startswith("/api/journeys/{journey_id}/") else ""
    if collection in COLLECTIONS:
        body = NEW_ENTITY[collection] if method == "POST" else CHANGED_ENTITY[collection]
        body = None if method == "DELETE" else body
    elif (method, path) == ("POST", f"{W}/journeys/import"):
        return url, None, {**headers, "Content-Type": "application/yaml", "X-Raw": "yes"}
    elif (method, path) == ("POST", f"{J}/cards.xlsx"):
        return url, None, {**headers, "X-Raw": "sheet"}
    else:
        body = BODIES.get((method, path))
        if body is not None:  # this test's own people: ada<n>@example.com, nemo<n>@...
            body = json.loads(json.dumps(body).replace("@example", f"{w.ids['n']}@example"))
    if method in ("PATCH", "DELETE", "PUT") or path.endswith("/restore"):
        headers["If-Match"] = _etag_for(w, path, url)
    return url, body, headers


def _etag_for(w: World, path: str, url: str) -> str:
    """The ETag a write names: the thing's own, as a read of it answers."""
    if path.endswith("/restore"):
        return w.etag(f"/api/journeys/{w.journey}")
    if "/comments/" in path:
        listed = w.c.get(f"/api/journeys/{w.journey}/comments", headers=w.site.auth()).json()
        return str(next(x["etag"] for x in listed if str(x["id"]) == w.ids["comment"]))
    if (
        path in (J, W)
        or path.endswith("/evidence")
        or "/personas/{" in path
        or "{entity_id}" in path
    ):
        return w.etag(url)
    return "*"


def _send(w: World, method: str, path: str, *, as_viewer: bool = False) -> Any:
    url, body, headers = _call(w, method, path)
    if as_viewer:
        headers = {**w.viewer, **{k: v for k, v in headers.items() if k == "If-Match"}}
    raw = headers.pop("X-Raw", None)
    if raw == "sheet":  # the journey's own cards, one changed: an edit to import
        sheet = w.c.get(f"/api/journeys/{w.journey}/cards.xlsx", headers=w.site.auth()).content
        return w.c.request(method, url, content=_one_text_changed(sheet), headers=headers)
    if raw:
        text = w.c.get(f"/api/journeys/{w.journey}/export", headers=w.site.auth()).text
        return w.c.request(method, url, content=text.encode(), headers=headers)
    return w.c.request(method, url, json=body, headers=headers)


def _one_text_changed(sheet: bytes) -> bytes:
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(sheet))
    rows = book.active
    assert rows is not None
    header = [c.value for c in rows[1]]
    rows.cell(row=2, column=header.index("text") + 1, value="Changed from a sheet")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _non_get_routes(site: Site) -> set[tuple[str, str]]:
    """The app's own routes and its routers', and whatever else its description lists."""
    app: Any = site.client.app
    routes = [*app.routes, *(r for module in ROUTERS for r in module.router.routes)]
    found = {
        (method, route.path)
        for route in routes
        if isinstance(route, APIRoute)
        for method in route.methods - {"GET", "HEAD"}
    }
    described = site.client.get("/api/openapi.json").json()["paths"]
    return found | {
        (method.upper(), path)
        for path, ops in described.items()
        for method in ops
        if method not in ("get", "head")
    }


def test_every_route_that_writes_says_whether_it_announces(server: Site) -> None:
    routes = _non_get_routes(server)
    assert set(PUBLISHES) & SILENT == set()
    assert (set(PUBLISHES) | SILENT) & set(NEEDS_SOURCES) == set()
    known = set(PUBLISHES) | SILENT | set(NEEDS_SOURCES)
    assert routes - known == set(), "add these to PUBLISHES or SILENT"
    assert known - routes == set(), "these routes are gone"


@pytest.mark.parametrize(("method", "path"), sorted(PUBLISHES))
def test_a_change_is_announced_once_after_its_commit(world: World, method: str, path: str) -> None:
    refused = _send(world, method, path, as_viewer=True)
    assert refused.status_code in (403, 404), refused.text  # a viewer may not
    assert world.heard.changes == []
    answer = _send(world, method, path)
    assert answer.status_code < 300, answer.text
    heard = world.heard.changes
    assert [c.kind for c in heard] == [PUBLISHES[(method, path)]], heard
    assert world.heard.committed == [True]
    change = heard[0]
    made = answer.json()["id"] if change.kind == "created" else world.journey
    assert change.journey_id == made
    assert change.actor == _owner_id(world)
    if change.kind == "ops":
        assert change.ops and all(set(o) == {"op_id", "op", "applied"} for o in change.ops)
        assert (
            change.rev
            == world.c.get(f"/api/journeys/{made}", headers=world.site.auth()).json()["rev"]
        )


@pytest.mark.parametrize(("method", "path"), sorted(SILENT))
def test_what_changes_no_journey_announces_nothing(world: World, method: str, path: str) -> None:
    answer = _send(world, method, path)
    if (method, path) == ("POST", "/api/setup"):
        assert answer.status_code == 409  # the server is set up already
    else:
        assert answer.status_code < 300, answer.text
    assert world.heard.changes == []


def test_a_refused_batch_and_a_stale_write_announce_nothing(world: World) -> None:
    c, auth, url = world.c, world.site.auth(), f"/api/journeys/{world.journey}"
    bad = {"kind": "rename", "entity": "stage", "id": "nowhere", "name": "X"}
    refused = c.post(
        f"{url}/ops", json={"base_rev": 1, "ops": [{"op_id": "y", "op": bad}]}, headers=auth
    )
    assert refused.status_code == 422, refused.text
    assert world.heard.changes == []
    batch = {"base_rev": 1, "ops": [{"op_id": "z", "op": SET_TITLE}]}
    done = c.post(f"{url}/ops", json=batch, headers=auth)
    assert done.status_code == 200 and len(world.heard.changes) == 1
    stale = c.patch(url, json={"title": "T"}, headers={**auth, "If-Match": '"r1"'})
    assert stale.status_code == 412, stale.text
    duplicate = c.post(f"{url}/ops", json=batch, headers=auth)
    assert duplicate.json()["status"] == "duplicate"
    assert len(world.heard.changes) == 1  # a refused write, or one resent, says nothing more


def test_a_write_rolled_back_at_its_commit_announces_nothing(world: World) -> None:
    c, auth = world.c, world.site.auth()
    before = c.get(f"/api/journeys/{world.journey}", headers=auth).json()["rev"]

    def refuse(session: Session) -> None:
        raise RuntimeError("the disk is full")

    event.listen(Session, "before_commit", refuse)
    try:
        answer = c.post(
            f"/api/journeys/{world.journey}/ops",
            json={"base_rev": before, "ops": [{"op_id": "w", "op": SET_TITLE}]},
            headers=auth,
        )
    finally:
        event.remove(Session, "before_commit", refuse)
    assert answer.status_code == 500
    assert world.heard.changes == []
    assert c.get(f"/api/journeys/{world.journey}", headers=auth).json()["rev"] == before


def test_a_subscriber_that_fails_neither_fails_nor_undoes_the_write(world: World) -> None:
    app: Any = world.c.app
    later: list[JourneyChanged] = []

    def broken(change: JourneyChanged) -> None:
        raise RuntimeError("a room went away")

    signal = journey_changes(app.state.db)
    stops = [signal.subscribe(broken), signal.subscribe(later.append)]
    try:
        answer = world.c.post(
            f"/api/journeys/{world.journey}/ops",
            json={"base_rev": 1, "ops": [{"op_id": "v", "op": SET_TITLE}]},
            headers=world.site.auth(),
        )
    finally:
        for stop in stops:
            stop()
    assert answer.status_code == 200, answer.text
    assert [c.rev for c in later] == [answer.json()["rev"]]
    title = world.c.get(f"/api/journeys/{world.journey}", headers=world.site.auth())
    assert title.json()["document"]["title"] == "Renamed"


def _owner_id(w: World) -> str:
    return str(w.c.get("/api/me", headers=w.site.auth()).json()["id"])
