"""Shared set-up for the route tests: a journey, members of each role, and an outsider (the
owner of a workspace of their own, so a member of another workspace)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, Site

SETUP_CODE = "TEST-CODE-FOR-SETS"


@dataclass
class Cast:
    owner: dict[str, str]  # the site's admin, owner of the workspace
    editor: dict[str, str]
    commenter: dict[str, str]
    viewer: dict[str, str]
    outsider: dict[str, str]  # owns another workspace, not a member of this one

    def as_role(self, role: str) -> dict[str, str]:
        return dict(getattr(self, role))


def cast(site: Site) -> Cast:
    c = site.client
    outsider = site.auth(site.user("olga@example.com", None))
    made = c.post("/api/workspaces", json={"name": "Elsewhere"}, headers=outsider)
    assert made.status_code == 201, made.text
    return Cast(
        owner=site.auth(),
        editor=site.auth(site.user("eve@example.com", "editor")),
        commenter=site.auth(site.user("carl@example.com", "commenter")),
        viewer=site.auth(site.user("vic@example.com", "viewer")),
        outsider=outsider,
    )


def new_journey(site: Site, framework: str = "three-stage", **extra: Any) -> str:
    made = site.client.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"framework": framework, **extra},
        headers=site.auth(),
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def edit(site: Site, jid: str, base_rev: int, op_id: str, op: dict[str, Any]) -> int:
    done = site.client.post(
        f"/api/journeys/{jid}/ops",
        json={"base_rev": base_rev, "ops": [{"op_id": op_id, "op": op}]},
        headers=site.auth(),
    )
    assert done.status_code == 200, done.text
    return int(done.json()["rev"])


def join(site: Site, workspace: str, owner: dict[str, str], who: dict[str, str], role: str) -> str:
    """`who` joins the workspace with `role`, invited by `owner`, as people do: an invitation
    to their email, accepted. Their user id."""
    c = site.client
    me = c.get("/api/me", headers=who).json()
    url = f"/api/workspaces/{workspace}/invitations"
    made = c.post(url, json={"email": me["email"], "role": role}, headers=owner)
    assert made.status_code == 201, made.text
    accepted = c.post(f"/api/invitations/{made.json()['id']}/accept", headers=who)
    assert accepted.status_code == 200 and accepted.json()["role"] == role, accepted.text
    return str(me["id"])


def user_id(site: Site, headers: dict[str, str]) -> str:
    return str(site.client.get("/api/me", headers=headers).json()["id"])


LOWER = {"commenter": "viewer", "editor": "commenter", "owner": "editor"}


def check_access(
    site: Site, people: Cast, method: str, path: str, least: str, json: Any = None
) -> None:
    """No credentials: 401; a member of another workspace: 404; the role just below `least`:
    403 (viewer is the lowest role, so a viewer route has no such check)."""
    c = site.client
    answer = c.request(method, path, json=json)
    assert answer.status_code == 401, (method, path, answer.text)
    assert answer.headers["content-type"] == "application/problem+json"
    answer = c.request(method, path, json=json, headers=people.outsider)
    assert answer.status_code == 404, (method, path, answer.text)
    if least in LOWER:
        answer = c.request(method, path, json=json, headers=people.as_role(LOWER[least]))
        assert answer.status_code == 403, (method, path, answer.text)
        assert f"this needs an {least}" in answer.json()["detail"] or (
            f"this needs a {least}" in answer.json()["detail"]
        )


def open_site(
    database: str,
    data: Path,
    *,
    sources_dir: Path | None = None,
    raise_server_exceptions: bool = False,
) -> Iterator[Site]:
    """What the `site` fixture makes, on any database (a SQLite path or a PostgreSQL URL);
    `sources_dir`: the operator's folder of data sources (`serve --sources-dir`)."""
    from fastapi.testclient import TestClient

    from journeymap.server.app import create_app
    from journeymap.server.settings import Settings
    from journeymap.storage import open_database

    settings = Settings(
        database=database,
        data=data,
        secret=b"s" * 64,
        secure_cookies=False,
        sources_dir=sources_dir,
    )
    db = open_database(settings.database)
    app = create_app(settings, db, setup_code=SETUP_CODE)
    client = TestClient(app, raise_server_exceptions=raise_server_exceptions)
    made = client.post(
        "/api/setup",
        json={
            "email": "ada@example.com",
            "display_name": "Ada",
            "password": PASSWORD,
            "setup_code": SETUP_CODE,
        },
    )
    assert made.status_code == 201, made.text
    signed = client.post("/api/session", json={"email": "ada@example.com", "password": PASSWORD})
    csrf = {"X-CSRF-Token": signed.json()["csrf_token"]}
    token = client.post("/api/tokens", json={"name": "tests"}, headers=csrf).json()["token"]
    client.cookies.clear()
    workspace = client.get("/api/workspaces", headers={"Authorization": f"Bearer {token}"})
    yield Site(client, workspace.json()[0]["id"], token)
    db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    """The `site`, on SQLite and on a real PostgreSQL server (skipped, saying why, without
    its binaries)."""
    database = str(tmp_path / "server.db")
    if request.param == "postgresql":
        from tests.db_fixtures import pg_url

        database = pg_url(request.getfixturevalue("pg_server"))
    yield from open_site(database, tmp_path)


def evidence_data(when: str = "2026-01-01T00:00:00Z", **fields: Any) -> dict[str, Any]:
    """The content of a small evidence file, as `analyze --save` writes one (`when`: its
    computed_at, which tells two apart)."""
    from journeymap.analytics.evidence import EvidenceSet

    made = EvidenceSet(
        journey="j", source=None, period=(None, None), computed_at=when, query_hash=None, **fields
    )
    return made.model_dump(mode="json")
