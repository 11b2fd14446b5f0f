"""The server's side of the web app: the built app at /, page paths falling back to it, the API
keeping its problem+json answers, the app's own Content-Security-Policy, and a page saying how
to build the app when it is missing. (The real build is served in tests/e2e.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from journeymap.server import webapp

INDEX = '<!doctype html><title>app</title><script type="module" src="/assets/app-1a2b.js"></script>'


def _client(tmp_path: Path) -> Iterator[TestClient]:
    from journeymap.server.app import create_app
    from journeymap.server.settings import Settings
    from journeymap.storage import open_database

    settings = Settings(str(tmp_path / "s.db"), tmp_path, b"s" * 64, secure_cookies=False)
    db = open_database(settings.database)
    yield TestClient(create_app(settings, db), raise_server_exceptions=False)
    db.dispose()


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    folder = tmp_path / "static"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text(INDEX)
    (folder / "assets" / "app-1a2b.js").write_text("console.log('app')")
    (folder / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("not for the web")
    monkeypatch.setattr(webapp, "STATIC_DIR", folder)
    yield from _client(tmp_path)


@pytest.fixture
def unbuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr(webapp, "STATIC_DIR", tmp_path / "no-build-here")
    yield from _client(tmp_path)


@pytest.mark.parametrize("path", ["/", "/sign-in", "/w/demo", "/j/online-store", "/shared/jm_x"])
def test_every_page_path_gets_the_app(built: TestClient, path: str) -> None:
    answer = built.get(path)
    assert answer.status_code == 200
    assert answer.text == INDEX
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["cache-control"] == "no-cache"


def test_the_apps_policy_allows_nothing_inline_and_nothing_from_elsewhere(
    built: TestClient,
) -> None:
    policy = built.get("/j/x").headers["content-security-policy"]
    rules = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert rules["default-src"] == ["'none'"]
    assert rules["script-src"] == ["'self'"] and rules["style-src"] == ["'self'"]
    assert rules["connect-src"] == ["'self'"] and rules["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "http" not in policy and "*" not in policy  # no other origin, no wildcard
    assert built.get("/").headers["x-frame-options"] == "DENY"


def test_assets_are_served_and_cached_for_good(built: TestClient) -> None:
    js = built.get("/assets/app-1a2b.js")
    assert js.status_code == 200 and js.text == "console.log('app')"
    assert "immutable" in js.headers["cache-control"]
    assert built.get("/favicon.svg").headers["content-type"].startswith("image/svg")
    missing = built.get("/assets/gone.js")
    assert missing.status_code == 404 and not missing.text.startswith("<!doctype")
    for sneaky in ("/assets/../secret.txt", "/assets/%2e%2e/secret.txt", "/..%2fsecret.txt"):
        assert "not for the web" not in built.get(sneaky).text, sneaky


def test_the_api_keeps_its_own_answers(built: TestClient) -> None:
    for method, path in (("GET", "/api/nothing"), ("GET", "/api"), ("POST", "/api/nothing")):
        answer = built.request(method, path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["detail"].startswith("there is nothing at this address")
    wrong_method = built.post("/api/health")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "GET, HEAD"
    assert built.get("/api/health").json()["status"] == "ok"
    assert built.get("/api/docs").status_code == 200  # its own page, its own policy


def test_only_a_browsers_get_falls_back_to_the_app(built: TestClient) -> None:
    posted = built.post("/j/x")
    assert posted.status_code == 404
    assert posted.headers["content-type"] == "application/problem+json"
    head = built.head("/w/demo")
    assert head.status_code == 200 and head.text == ""


def test_without_a_build_the_page_says_how_to_build_it(unbuilt: TestClient) -> None:
    for path in ("/", "/j/online-store"):
        answer = unbuilt.get(path)
        assert answer.status_code == 503
        assert "The web app is not built" in answer.text
        assert "make frontend" in answer.text and "npm ci" in answer.text
        assert "script" not in answer.headers["content-security-policy"]
    assert unbuilt.get("/api/health").status_code == 200
    assert unbuilt.get("/api/nothing").headers["content-type"] == "application/problem+json"
