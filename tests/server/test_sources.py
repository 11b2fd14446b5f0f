"""Workspace data sources through the API: what the operator's folder allows and refuses, who
may register and read them, a journey's choice of them, Refresh in the background, and the pain
points it finds added to the map."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import free_port

from .conftest import Site
from .helpers import cast
from .sources_helpers import demo_files, finished, open_sourced_site, refreshed


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    return folder


@pytest.fixture
def sourced(tmp_path: Path, sources: Path) -> Iterator[Site]:
    yield from open_sourced_site(tmp_path, sources)


def _events(path: str = "demo/events.parquet") -> dict[str, Any]:
    return {
        "source": {"path": path},
        "columns": {"customer": "customer_id", "timestamp": "ts", "event": "event"},
    }


def _register(site: Site, name: str, definition: dict[str, Any], kind: str = "events") -> Any:
    return site.client.post(
        f"/api/workspaces/{site.workspace}/sources",
        json={"name": name, "kind": kind, "definition": definition},
        headers=site.auth(),
    )


def _refused(answer: Any, field: str, words: str) -> None:
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["errors"][0]["field"] == field, body
    assert words in body["detail"], body


def _journey(site: Site) -> str:
    made = site.client.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"template": "online-store-checkout"},
        headers=site.auth(),
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _choose(site: Site, journey: str, events: str, **rest: Any) -> Any:
    return site.client.put(
        f"/api/journeys/{journey}/sources", json={"events": events, **rest}, headers=site.auth()
    )


# ------------------------------------------------------------------ what is refused


def test_an_absolute_path_is_refused(sourced: Site, sources: Path) -> None:
    (sources / "events.csv").write_text("a\n1\n")
    answer = _register(sourced, "abs", _events(str(sources / "events.csv")))
    _refused(answer, "definition.source.path", "relative to the server's sources folder")


def test_a_dotdot_path_is_refused(sourced: Site) -> None:
    answer = _register(sourced, "up", _events("demo/../../data/server.db"))
    _refused(answer, "definition.source.path", "may not leave the sources folder")


def test_a_symbolic_link_out_of_the_folder_is_refused(
    sourced: Site, sources: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("customer_id,ts,event\n1,2026-01-01,a\n")
    (sources / "link.csv").symlink_to(outside)
    answer = _register(sourced, "link", _events("link.csv"))
    _refused(answer, "definition.source.path", "leads out of the sources folder")
    (sources / "up").symlink_to(tmp_path)  # a folder link, then a name inside it
    _refused(
        _register(sourced, "up", _events("up/elsewhere.csv")), "definition.source.path", "leads out"
    )


def test_the_data_folder_is_refused_even_inside_the_sources_folder(tmp_path: Path) -> None:
    # The operator named a folder holding the server's own data folder.
    sites = open_sourced_site(tmp_path, tmp_path)
    site = next(sites)
    answer = _register(site, "db", _events("data/server.db"))
    _refused(answer, "definition.source.path", "data folder is never read")
    customers = {
        **_events("ok.csv"),
        "customers": {"path": "data/secret.key", "customer": "id", "attributes": ["x"]},
    }
    _refused(_register(site, "key", customers), "definition.customers.path", "data folder")


def test_no_sources_folder_refuses_files_saying_how_to_enable(tmp_path: Path) -> None:
    site = next(open_sourced_site(tmp_path, None))
    answer = _register(site, "any", _events("events.csv"))
    _refused(answer, "definition.source.path", "--sources-dir")


def test_a_password_in_the_url_is_refused_and_not_repeated(sourced: Site) -> None:
    secret = "hunter2-very-secret"
    for url in (
        f"postgres://analyst:{secret}@db.example.com:5432/shop",
        f"postgres://analyst@db.example.com/shop?password={secret}",
    ):
        definition = {**_events(), "source": {"url": url, "table": "events"}}
        answer = _register(sourced, "db", definition)
        _refused(answer, "definition.source.url", "holds no password")
        assert secret not in answer.text
    placeholder = {
        **_events(),
        "source": {"url": "postgres://a:${JOURNEYMAP_SECRET}@h/db", "table": "t"},
    }
    answer = _register(sourced, "db", placeholder)
    _refused(answer, "definition.source.url", "holds no ${NAME}")


def test_a_bad_definition_names_its_field(sourced: Site) -> None:
    answer = _register(sourced, "bad", {"source": {"path": "x.csv"}, "columns": {"customer": "c"}})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == "definition.columns.timestamp"
    _refused(_register(sourced, "Bad Name", _events()), "name", "lower-case letters")


# ------------------------------------------------------------------ who may do what


def test_owners_register_editors_read_others_may_not(sourced: Site, sources: Path) -> None:
    people = cast(sourced)
    spec, _ = demo_files(sources, 500)
    c, base = sourced.client, f"/api/workspaces/{sourced.workspace}/sources"
    body = {"name": "shop", "kind": "events", "definition": spec}
    assert c.post(base, json=body, headers=people.editor).status_code == 403
    made = c.post(base, json=body, headers=people.owner)
    assert made.status_code == 201, made.text
    assert made.json()["password_variable"] == "JOURNEYMAP_SOURCE_SHOP_PASSWORD"
    assert c.post(base, json=body, headers=people.owner).status_code == 409
    assert [s["name"] for s in c.get(base, headers=people.editor).json()] == ["shop"]
    assert c.get(base, headers=people.commenter).status_code == 403
    assert c.get(base, headers=people.outsider).status_code == 404
    changed = c.put(
        f"{base}/shop", json={"kind": "events", "definition": spec}, headers=people.editor
    )
    assert changed.status_code == 403
    journey = _journey(sourced)
    assert _choose(sourced, journey, "shop").status_code == 200
    in_use = c.delete(f"{base}/shop", headers=people.owner)
    assert in_use.status_code == 409 and journey in in_use.json()["detail"]
    assert c.post(f"/api/journeys/{journey}/refresh", headers=people.viewer).status_code == 403


def test_a_journey_names_sources_of_the_right_kind(sourced: Site, sources: Path) -> None:
    spec, said = demo_files(sources, 500)
    assert _register(sourced, "shop", spec).status_code == 201
    assert _register(sourced, "survey", said, "feedback").status_code == 201
    journey = _journey(sourced)
    _refused(_choose(sourced, journey, "nope"), "events", "its events sources: shop")
    _refused(_choose(sourced, journey, "survey"), "events", "is a feedback source")
    bad = _choose(
        sourced,
        journey,
        "shop",
        options={"periods": [["2026-02-01", "2026-01-01"], ["2026-03-01", "2026-04-01"]]},
    )
    _refused(bad, "options.periods", "start comes before its end")
    ok = _choose(
        sourced, journey, "shop", feedback="survey", options={"min_count": 5, "split_by": "persona"}
    )
    assert ok.status_code == 200, ok.text
    got = sourced.client.get(f"/api/journeys/{journey}/sources", headers=sourced.auth()).json()
    assert got["feedback"] == "survey" and got["options"]["split_by"] == "persona"


# ------------------------------------------------------------------ refresh


def test_refresh_stores_evidence_and_pain_points_then_adds_one_to_the_map(
    sourced: Site, sources: Path
) -> None:
    spec, said = demo_files(sources, 3_000)
    assert _register(sourced, "shop", spec).status_code == 201
    assert _register(sourced, "survey", said, "feedback").status_code == 201
    journey = _journey(sourced)
    assert (
        _choose(
            sourced, journey, "shop", feedback="survey", options={"split_by": "persona"}
        ).status_code
        == 200
    )
    done = refreshed(sourced, journey)
    assert done["state"] == "done", done
    assert done["fraction"] == 1.0 and done["findings"] >= 1
    c = sourced.client
    evidence = c.get(f"/api/journeys/{journey}/evidence", headers=sourced.auth()).json()["data"]
    assert evidence["items"] and evidence["split"] and evidence["feedback"]
    # Again, comparing two periods: the evidence is replaced, with the periods' change.
    periods = [["2026-01-01", "2026-02-15"], ["2026-02-15", "2026-12-31"]]
    assert _choose(sourced, journey, "shop", options={"periods": periods}).status_code == 200
    assert refreshed(sourced, journey)["state"] == "done"
    again = c.get(f"/api/journeys/{journey}/evidence", headers=sourced.auth()).json()["data"]
    assert again["periods"] and again["computed_at"] >= evidence["computed_at"]
    found = c.get(f"/api/journeys/{journey}/pain-points", headers=sourced.auth()).json()
    first = found["findings"][0]
    assert first["explanation"] and first["signals"] and first["card"] is None
    added = c.post(f"/api/journeys/{journey}/pain-points/{first['id']}/add", headers=sourced.auth())
    assert added.status_code == 200, added.text
    card = added.json()["findings"][0]["card"]
    doc = c.get(f"/api/journeys/{journey}", headers=sourced.auth()).json()["document"]
    made = next(x for x in doc["cards"] if x["id"] == card)
    assert made["kind"] == "pain_point" and made["confidence"] == "observed" and made["evidence"]
    again = c.post(f"/api/journeys/{journey}/pain-points/{first['id']}/add", headers=sourced.auth())
    assert again.json()["findings"][0]["card"] == card  # not added twice


def test_one_refresh_at_a_time_and_cancel(sourced: Site, sources: Path) -> None:
    spec, _ = demo_files(sources, 20_000)
    assert _register(sourced, "shop", spec).status_code == 201
    journey = _journey(sourced)
    assert _choose(sourced, journey, "shop").status_code == 200
    c = sourced.client
    first = c.post(f"/api/journeys/{journey}/refresh", headers=sourced.auth())
    assert first.status_code == 202
    second = c.post(f"/api/journeys/{journey}/refresh", headers=sourced.auth())
    assert second.status_code == 409, second.text
    assert second.json()["job"]["state"] == "running"
    cancelled = c.delete(f"/api/journeys/{journey}/refresh", headers=sourced.auth())
    assert cancelled.status_code == 200
    ended = finished(sourced, journey)
    assert ended["state"] == "cancelled", ended
    assert c.get(f"/api/journeys/{journey}/evidence", headers=sourced.auth()).status_code == 404


def test_a_failing_source_shows_the_ingest_report_words(sourced: Site, sources: Path) -> None:
    (sources / "bad.csv").write_text("who,when,what\n1,2026-01-01T00:00:00Z,a\n")
    assert _register(sourced, "bad", _events("bad.csv")).status_code == 201
    journey = _journey(sourced)
    assert _choose(sourced, journey, "bad").status_code == 200
    ended = refreshed(sourced, journey)
    assert ended["state"] == "failed"
    assert "customer_id" in ended["message"], ended


def test_a_database_password_never_appears_in_answers_or_logs(
    sourced: Site, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "pw-that-must-never-be-seen-4711"
    port = free_port()  # nothing listens there
    url = f"postgres://analyst@127.0.0.1:{port}/shop"
    monkeypatch.setenv("JOURNEYMAP_SOURCE_SHOP_DB_PASSWORD", secret)
    monkeypatch.setenv("JOURNEYMAP_SOURCE_SHOP_DB_URL", url)
    answers = [
        _register(sourced, "shop-db", {**_events(), "source": {"url": url, "table": "events"}})
    ]
    assert answers[0].status_code == 201, answers[0].text
    journey = _journey(sourced)
    answers.append(_choose(sourced, journey, "shop-db"))
    caplog.set_level(logging.DEBUG)
    ended = refreshed(sourced, journey)
    c, base = sourced.client, f"/api/workspaces/{sourced.workspace}/sources"
    answers += [
        c.get(base, headers=sourced.auth()),
        c.get(f"/api/journeys/{journey}/refresh", headers=sourced.auth()),
    ]
    assert ended["state"] == "failed"
    assert "cannot connect" in ended["message"], ended
    for answer in answers:
        assert secret not in answer.text
    assert secret not in str(ended)
    assert caplog.records, "the failed refresh is logged"
    assert all(secret not in r.getMessage() for r in caplog.records)
    assert secret not in caplog.text


def test_a_wrong_database_password_is_masked_in_the_refusal(
    sourced: Site,
    pg_server: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A real PostgreSQL (SCRAM) refusing the server's password: the refusal is told, the
    password is not."""
    made = pg_server.create_database()
    secret = "wrong-" + made.password[::-1]
    url = f"postgres://{made.user}@{made.host}:{made.port}/{made.name}"
    monkeypatch.setenv("JOURNEYMAP_SOURCE_WAREHOUSE_PASSWORD", secret)
    monkeypatch.setenv("JOURNEYMAP_SOURCE_WAREHOUSE_URL", url)
    answer = _register(sourced, "warehouse", {**_events(), "source": {"url": url, "table": "ev"}})
    assert answer.status_code == 201, answer.text
    journey = _journey(sourced)
    assert _choose(sourced, journey, "warehouse").status_code == 200
    caplog.set_level(logging.DEBUG)
    ended = refreshed(sourced, journey)
    assert ended["state"] == "failed"
    assert "refused the login" in ended["message"], ended
    assert secret not in str(ended) and secret not in caplog.text
    # Pointed elsewhere, the server's password is not sent at all.
    other = f"postgres://{made.user}@127.0.0.1:{free_port()}/other"
    changed = sourced.client.put(
        f"/api/workspaces/{sourced.workspace}/sources/warehouse",
        json={
            "kind": "events",
            "definition": {**_events(), "source": {"url": other, "table": "ev"}},
        },
        headers=sourced.auth(),
    )
    assert changed.status_code == 200, changed.text
    again = refreshed(sourced, journey)
    assert "given only to the database" in again["message"], again


def test_serve_refuses_a_sources_folder_that_is_missing_or_inside_the_data_folder(
    tmp_path: Path,
) -> None:
    import os
    import subprocess

    from tests.live_server import BIN

    data = tmp_path / "data"
    (data / "inside").mkdir(parents=True)
    env = {**os.environ, "JOURNEYMAP_DATA": str(data), "COLUMNS": "200"}
    env.pop("JOURNEYMAP_DATABASE_URL", None)
    for folder, words in ((tmp_path / "nope", "is not a folder"), (data / "inside", "data folder")):
        done = subprocess.run(
            [
                str(BIN),
                "serve",
                "--db",
                str(tmp_path / "t.db"),
                "--port",
                str(free_port()),
                "--sources-dir",
                str(folder),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert done.returncode == 1, done.stdout + done.stderr
        assert words in done.stderr and "Traceback" not in done.stderr
