"""Accounts over HTTP: first-run set-up once, sign-in with a limit, the session cookie and its
CSRF token, personal tokens with their last use, revocation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, Site
from .helpers import SETUP_CODE, join


def test_setup_happens_once(site: Site) -> None:
    eve = {"email": "eve@example.com", "display_name": "Eve", "password": PASSWORD}
    for code in (SETUP_CODE, "WRONG-CODE"):  # the right code or not: it is set up
        again = site.client.post("/api/setup", json={**eve, "setup_code": code})
        assert again.status_code == 409 and "sign in" in again.json()["detail"]


def test_setup_needs_the_printed_code(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from journeymap.server.app import create_app
    from journeymap.server.settings import Settings
    from journeymap.storage import open_database

    settings = Settings(str(tmp_path / "new.db"), tmp_path, b"s" * 64, secure_cookies=False)
    db = open_database(settings.database)
    first = {"email": "mallory@example.com", "display_name": "M", "password": PASSWORD}
    try:
        client = TestClient(create_app(settings, db, setup_code="K7QM-2XDA-PP3R-W9TZ"))
        for wrong in ("K7QM-2XDA-PP3R-W9TY", "", "K7QM"):
            refused = client.post("/api/setup", json={**first, "setup_code": wrong})
            assert refused.status_code in (403, 422), refused.text
        refused = client.post("/api/setup", json={**first, "setup_code": "nope"})
        assert refused.status_code == 403
        assert refused.json()["title"] == "Wrong set-up code"
        assert "journeymap serve" in refused.json()["detail"]
        with db.read() as uow:
            assert uow.accounts.user_count() == 0  # nothing was made
        # As a person copies it off the console: lower case, spaces for dashes.
        made = client.post("/api/setup", json={**first, "setup_code": "k7qm 2xda pp3r w9tz"})
        assert made.status_code == 201, made.text
        # An app made without a code (no `serve` printed one) refuses set-up outright.
        other = Settings(str(tmp_path / "other.db"), tmp_path, b"s" * 64, secure_cookies=False)
        other_db = open_database(other.database)
        bare = TestClient(create_app(other, other_db))
        refused = bare.post("/api/setup", json={**first, "setup_code": "K7QM-2XDA-PP3R-W9TZ"})
        assert refused.status_code == 403
        other_db.dispose()
    finally:
        db.dispose()


def test_the_setup_code_is_kept_hashed() -> None:
    from journeymap.services.setup_code import SetupCode, new_code

    code = new_code()
    kept = SetupCode.of(code)
    assert code.encode() not in kept.digest and len(kept.digest) == 32
    assert kept.matches(code) and not kept.matches(new_code())
    assert len({new_code() for _ in range(50)}) == 50


def test_the_current_session_after_a_reload(site: Site) -> None:
    c = site.client
    assert c.get("/api/session").status_code == 401  # no cookie: signed out
    signed = c.post("/api/session", json={"email": "ada@example.com", "password": PASSWORD})
    again = c.get("/api/session")
    assert again.status_code == 200
    assert again.json() == signed.json()  # the same user and the same CSRF token
    csrf = {"X-CSRF-Token": again.json()["csrf_token"]}
    assert c.post("/api/workspaces", json={"name": "Team"}, headers=csrf).status_code == 201
    by_token = c.get("/api/session", headers={"Authorization": f"Bearer {site.token}"})
    assert by_token.status_code == 401 and "POST /api/session" in by_token.json()["detail"]
    assert c.delete("/api/session", headers=csrf).status_code == 204
    assert c.get("/api/session").status_code == 401


def test_the_session_cookie_and_csrf(site: Site) -> None:
    c = site.client
    signed = c.post("/api/session", json={"email": "ADA@example.com ", "password": PASSWORD})
    assert signed.status_code == 200
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "jm_session=" in cookie
    csrf = signed.json()["csrf_token"]
    assert c.get("/api/me").json()["email"] == "ada@example.com"  # reads need no CSRF token
    refused = c.post("/api/workspaces", json={"name": "Team"})
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["detail"]
    forged = c.post("/api/workspaces", json={"name": "Team"}, headers={"X-CSRF-Token": "0" * 64})
    assert forged.status_code == 403
    made = c.post("/api/workspaces", json={"name": "Team"}, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201
    assert c.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert c.get("/api/me").status_code == 401


def test_failed_sign_ins_are_limited(site: Site) -> None:
    c = site.client
    wrong = {"email": "ada@example.com", "password": "not the password"}
    codes = [c.post("/api/session", json=wrong).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    blocked = c.post("/api/session", json={"email": "ada@example.com", "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


def test_tokens_note_their_last_use_and_can_be_revoked(site: Site) -> None:
    c, auth = site.client, site.auth()
    (mine,) = c.get("/api/tokens", headers=auth).json()
    assert mine["last_used_at"] is not None and "token" not in mine
    assert mine["prefix"] == site.token[: len(mine["prefix"])]
    assert c.delete(f"/api/tokens/{mine['id']}", headers=auth).status_code == 204
    gone = c.get("/api/me", headers=auth)
    assert gone.status_code == 401 and "revoked" in gone.json()["detail"]


def test_an_admin_makes_and_deletes_accounts(site: Site) -> None:
    c, auth = site.client, site.auth()
    body = {"email": "Bea@Example.com", "display_name": "Bea", "password": "short"}
    weak = c.post("/api/users", json=body, headers=auth)
    assert weak.status_code == 422 and weak.json()["detail"].startswith("password:")
    made = c.post("/api/users", json={**body, "password": PASSWORD}, headers=auth)
    assert made.status_code == 201 and made.json()["email"] == "bea@example.com"
    assert not made.json()["is_admin"]
    assert (
        c.post("/api/users", json={**body, "password": PASSWORD}, headers=auth).status_code == 409
    )
    assert [u["email"] for u in c.get("/api/users", headers=auth).json()] == [
        "ada@example.com",
        "bea@example.com",
    ]
    # Bea signs in with the password the admin gave, and is no admin.
    signed = c.post("/api/session", json={"email": "bea@example.com", "password": PASSWORD})
    assert signed.status_code == 200
    assert c.get("/api/users").status_code == 403
    # Once she owns a workspace alone, she cannot be deleted; then she can.
    bea = made.json()["id"]
    bea_auth = {"X-CSRF-Token": signed.json()["csrf_token"]}  # her browser session
    join(site, site.workspace, auth, bea_auth, "owner")
    token = site.user("cy@example.com", None)
    mine = c.post("/api/workspaces", json={"name": "Bea's"}, headers=site.auth(token)).json()
    join(site, mine["id"], site.auth(token), bea_auth, "owner")
    cy = c.get("/api/me", headers=site.auth(token)).json()["id"]
    c.cookies.clear()
    assert c.delete(f"/api/users/{cy}", headers=auth).status_code == 204
    sole = c.delete(f"/api/users/{bea}", headers=auth)
    assert sole.status_code == 409 and "Bea's" in sole.json()["detail"]
    assert "'My workspace'" not in sole.json()["detail"]  # Ada owns that one too
    ada = c.get("/api/me", headers=auth).json()["id"]
    assert c.delete(f"/api/users/{ada}", headers=auth).status_code == 409
    assert c.delete("/api/users/nobody", headers=auth).status_code == 404


def test_changing_your_password_ends_your_other_sessions(site: Site) -> None:
    from fastapi.testclient import TestClient

    c, auth = site.client, site.auth()
    other = TestClient(c.app)
    assert other.post("/api/session", json={"email": "ada@example.com", "password": PASSWORD})
    assert other.get("/api/me").status_code == 200
    wrong = {"current_password": "not it", "new_password": "a brand new password"}
    refused = c.put("/api/me/password", json=wrong, headers=auth)
    assert refused.status_code == 403 and "current_password" in refused.json()["detail"]
    weak = {"current_password": PASSWORD, "new_password": "ada@example.com"}
    assert c.put("/api/me/password", json=weak, headers=auth).status_code == 422
    good = {"current_password": PASSWORD, "new_password": "a brand new password"}
    assert c.put("/api/me/password", json=good, headers=auth).status_code == 204
    assert other.get("/api/me").status_code == 401  # that browser is signed out
    assert c.get("/api/me", headers=auth).status_code == 200  # tokens go on
    old = c.post("/api/session", json={"email": "ada@example.com", "password": PASSWORD})
    assert old.status_code == 401
    new = {"email": "ada@example.com", "password": "a brand new password"}
    assert c.post("/api/session", json=new).status_code == 200
    renamed = c.patch("/api/me", json={"display_name": "Ada L."}, headers=auth)
    assert renamed.status_code == 200 and renamed.json()["display_name"] == "Ada L."


def test_wrong_current_passwords_are_limited(site: Site) -> None:
    c, auth = site.client, site.auth()
    wrong = {"current_password": "not it", "new_password": "a brand new password"}
    codes = [c.put("/api/me/password", json=wrong, headers=auth).status_code for _ in range(3)]
    assert codes == [403] * 3
    # One budget with signing in: two wrong sign-ins more, and both are stopped.
    for _ in range(2):
        c.post("/api/session", json={"email": "ada@example.com", "password": "not it"})
    assert c.put("/api/me/password", json=wrong, headers=auth).status_code == 429
    signing_in = c.post("/api/session", json={"email": "ada@example.com", "password": PASSWORD})
    assert signing_in.status_code == 429


def test_a_code_is_printed_only_while_there_is_no_account(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeymap.services.setup_code import ENV, code_for_start
    from journeymap.storage import open_database

    app: Any = site.client.app
    assert code_for_start(app.state.db) is None  # set up already: nothing to print
    fresh = open_database(str(tmp_path / "fresh.db"))
    try:
        made = code_for_start(fresh)
        assert made is not None and re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", made)
        monkeypatch.setenv(ENV, "CHOSEN-BY-THE-INSTALLER")
        assert code_for_start(fresh) == "CHOSEN-BY-THE-INSTALLER"
    finally:
        fresh.dispose()
