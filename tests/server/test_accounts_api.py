"""Accounts over HTTP: first-run set-up once, sign-in with a limit, the session cookie and its
CSRF token, personal tokens with their last use, revocation."""

from __future__ import annotations

from .conftest import PASSWORD, Site


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
