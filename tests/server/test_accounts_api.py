"""Accounts over HTTP: first-run set-up once, sign-in with a limit, the session cookie and its
CSRF token, personal tokens with their last use, revocation."""

from __future__ import annotations

from .conftest import PASSWORD, Site
from .helpers import join


def test_setup_happens_once(site: Site) -> None:
    again = site.client.post(
        "/api/setup", json={"email": "eve@example.com", "display_name": "Eve", "password": PASSWORD}
    )
    assert again.status_code == 409 and "sign in" in again.json()["detail"]


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
