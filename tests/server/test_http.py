"""The HTTP conventions every route shares: problem+json, size limits, ETags and If-Match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Header
from fastapi.testclient import TestClient
from pydantic import BaseModel

from journeymap.server.app import create_app
from journeymap.server.http import PROBLEM, ProblemError, check_if_match, install
from journeymap.services.preconditions import etag

from .helpers import new_journey


class Card(BaseModel):
    text: str
    severity: int


def demo_app() -> TestClient:
    """A small app on the shared conventions: one entity at rev 7, writable with If-Match."""
    app = FastAPI()
    install(app, max_body=1000)
    state: dict[str, Any] = {"rev": 7, "card": {"text": "Fee shown late", "severity": 4}}

    @app.put("/card")
    def put(card: Card, if_match: str | None = Header(default=None)) -> dict[str, Any]:
        check_if_match(if_match, state["rev"], state["card"])
        state["rev"] += 1
        state["card"] = card.model_dump()
        return state

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def own_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default settings, on a data folder of the test's own: never the user's database
    (another checkout's newer schema there would fail the test, and tests write nothing there)."""
    monkeypatch.setenv("JOURNEYMAP_DATA", str(tmp_path))
    monkeypatch.delenv("JOURNEYMAP_DATABASE_URL", raising=False)


@pytest.mark.usefixtures("own_data")
def test_openapi_and_docs_are_served() -> None:
    client = TestClient(create_app())
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.1") and "/api/health" in spec["paths"]
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/health").json()["status"] == "ok"


@pytest.mark.usefixtures("own_data")
def test_unknown_addresses_get_a_problem() -> None:
    answer = TestClient(create_app()).get("/api/nothing")
    assert answer.status_code == 404 and answer.headers["content-type"] == PROBLEM
    assert answer.json()["detail"].endswith("/api/docs")


def test_writes_need_if_match_and_a_stale_one_gets_the_current_version() -> None:
    client = demo_app()
    body = {"text": "Fee in the cart", "severity": 2}
    missing = client.put("/card", json=body)
    assert missing.status_code == 428 and '"r7"' in missing.json()["detail"]
    stale = client.put("/card", json=body, headers={"If-Match": etag(6)})
    assert stale.status_code == 412 and stale.headers["etag"] == etag(7)
    assert stale.json()["current"] == {"text": "Fee shown late", "severity": 4}
    done = client.put("/card", json=body, headers={"If-Match": etag(7)})
    assert done.status_code == 200 and done.json()["rev"] == 8
    again = client.put("/card", json=body, headers={"If-Match": etag(7)})  # the second writer
    assert again.status_code == 412 and again.json()["current"] == body


def test_invalid_bodies_name_the_field() -> None:
    answer = demo_app().put(
        "/card", json={"text": "x", "severity": "high"}, headers={"If-Match": "*"}
    )
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert (
        problem["detail"].startswith("severity: ") and problem["errors"][0]["field"] == "severity"
    )


@pytest.mark.parametrize("chunked", [False, True])
def test_bodies_over_the_limit_are_refused(chunked: bool) -> None:
    big = b'{"text": "' + b"x" * 2000 + b'", "severity": 1}'
    client = demo_app()
    if chunked:  # no Content-Length: the stream is counted
        answer = client.put(
            "/card", content=iter([big[:600], big[600:]]), headers={"If-Match": "*"}
        )
    else:
        answer = client.put("/card", content=big, headers={"If-Match": "*"})
    assert answer.status_code == 413 and "over 1,000 bytes" in answer.json()["detail"]


def test_a_crash_is_a_problem_without_internals() -> None:
    answer = demo_app().get("/boom")
    assert answer.status_code == 500 and "secret" not in answer.text
    assert answer.headers["content-type"] == PROBLEM


def test_problem_error_carries_extra_fields() -> None:
    error = ProblemError(409, "Conflict", "the id is taken", id="fee")
    assert (error.status, error.extra) == (409, {"id": "fee"})


@pytest.mark.usefixtures("own_data")
def test_the_docs_page_needs_no_cdn() -> None:
    """Everything the docs page loads comes from this server, and its policy says so."""
    import re

    client = TestClient(create_app())
    page = client.get("/api/docs")
    assert (
        page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    )
    sources = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    sources += re.findall(r"""url: ?["']([^"']+)["']""", page.text)
    assert sources and all(s.startswith("/api/") for s in sources), sources
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        got = client.get(f"/api/docs/assets/{asset}")
        assert got.status_code == 200 and len(got.content) > 100_000


@pytest.mark.usefixtures("own_data")
def test_every_answer_carries_the_security_headers_and_head_works() -> None:
    client = TestClient(create_app())
    for answer in (client.get("/api/health"), client.get("/api/nothing"), client.get("/api/me")):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    head = client.head("/api/health")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(client.get("/api/health").content)
    refused = client.post("/api/health")
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD"


def test_numbers_too_large_for_the_database_are_refused_by_name(site: Any) -> None:
    """A whole number past what the database holds is a 422 naming it, never a 500."""
    c, auth, huge = site.client, site.auth(), str(2**63)
    jid = new_journey(site)
    for url, name in (
        (f"/api/workspaces/{site.workspace}/journeys?offset={huge}", "offset"),
        (f"/api/journeys/{jid}/history?before={huge}", "before"),
        (f"/api/journeys/{jid}/revisions/{huge}", "rev"),
        (f"/api/journeys/{jid}/diff?from={huge}", "from"),
    ):
        answer = c.get(url, headers=auth)
        assert answer.status_code == 422 and name in answer.json()["detail"], (url, answer.text)
    answer = c.patch(f"/api/journeys/{jid}/comments/{huge}", json={"text": "x"}, headers=auth)
    assert answer.status_code == 422 and "comment_id" in answer.json()["detail"]
    batch = {"base_rev": 2**63, "ops": [{"op_id": "a", "op": {"kind": "delete"}}]}
    answer = c.post(f"/api/journeys/{jid}/ops", json=batch, headers=auth)
    assert answer.status_code == 422 and "base_rev" in answer.json()["detail"]


def test_a_405_lists_the_methods_of_a_routers_address(site: Any) -> None:
    answer = site.client.put(f"/api/workspaces/{site.workspace}", headers=site.auth())
    assert answer.status_code == 405
    assert answer.headers["allow"] == "DELETE, GET, HEAD, PATCH"
    assert answer.json()["detail"] == "this address answers DELETE, GET, HEAD, PATCH only"
