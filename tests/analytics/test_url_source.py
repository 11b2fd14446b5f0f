"""URL sources on a real PostgreSQL server: ingest through Ibis, credentials kept out of files,
and every mistake a clear message that never shows the password."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.analytics.ingest import SourceError, ingest
from journeymap.analytics.measures import (
    FunnelStep,
    Reach,
    bind,
    funnel,
    open_store,
    stage_entries,
    touchpoint_reach,
)
from journeymap.analytics.source_spec import SourceSpec
from journeymap.cli.app import app
from journeymap.domain.apply import apply_all
from journeymap.domain.model import Journey
from journeymap.domain.operations import SetOp
from tests.pg_server import PgDatabase

from .helpers import touchpoint

PASSWORD = "Pa55-word-4-analyst"
WRONG = "not-the-Pa55-word"
VAR = "JOURNEYMAP_TEST_SHOP_PASSWORD"  # a source may read JOURNEYMAP_* variables
# Naive times, read in Europe/Paris (UTC+1 in March). Problems: a missing customer id, a
# missing timestamp, an exact duplicate, a missing event.
ROWS = [
    ("u1", "2024-03-01 10:00:00", "visit", "web", None),
    ("u2", "2024-03-01 08:00:00", "visit", "app", None),
    ("u1", "2024-03-01 10:00:00", "add_to_cart", "web", 12.5),
    (None, "2024-03-01 11:00:00", "visit", "web", None),
    ("u3", None, "visit", "web", None),
    ("u1", "2024-03-01 10:05:00", "checkout", "web", 12.5),
    ("u1", "2024-03-01 10:05:00", "checkout", "web", 12.5),
    ("u2", "2024-03-02 08:00:00", "checkout", None, 20),
    ("u3", "2024-03-03 12:00:00", None, "store", None),
]


@pytest.fixture
def shop(pg_database: PgDatabase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> PgDatabase:
    """The events in `shop.events`, readable by `analyst`, whose password is in $VAR; no
    credentials file (so that one on this machine cannot interfere)."""
    with pg_database.connect() as con:
        exists = con.execute("SELECT 1 FROM pg_roles WHERE rolname = 'analyst'").fetchone()
        if not exists:  # roles belong to the whole server, which the tests share
            con.execute(f"CREATE ROLE analyst LOGIN PASSWORD '{PASSWORD}'")
        con.execute("CREATE SCHEMA shop")
        con.execute(
            "CREATE TABLE shop.events (user_id text, happened_at timestamp, action text, "
            "via text, amount numeric(8, 2), note jsonb)"
        )
        with con.cursor() as cur:
            cur.executemany("INSERT INTO shop.events VALUES (%s, %s, %s, %s, %s, '{}')", ROWS)
        con.execute("GRANT USAGE ON SCHEMA shop TO analyst")
        con.execute("GRANT SELECT ON shop.events TO analyst")
    monkeypatch.setenv(VAR, PASSWORD)
    monkeypatch.setenv("JOURNEYMAP_CREDENTIALS", str(tmp_path / "nowhere" / "credentials.yaml"))
    return pg_database


def definition(db: PgDatabase, url: str | None = None, **source: str) -> dict[str, object]:
    host = f"{db.host}:{db.port}/{db.name}"
    return {
        "source": {"url": url or f"postgres://analyst:${{{VAR}}}@{host}", "table": "shop.events"}
        | source,
        "columns": {
            "customer": "user_id",
            "timestamp": "happened_at",
            "event": "action",
            "channel": "via",
            "properties": ["amount"],
        },
        "timezone": "Europe/Paris",
    }


def write(folder: Path, data: dict[str, object]) -> Path:
    import json

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "shop.source.yaml"
    path.write_text(json.dumps(data))  # JSON is YAML
    return path


def bound(small: Journey) -> Journey:
    return apply_all(
        small,
        [
            SetOp(entity="card", id="ad", field="events", value={"names": ["visit"]}),
            touchpoint("checkout", "decision", {"names": ["checkout"]}, step="cart"),
        ],
    )


def test_ingest_a_table_through_its_url(shop: PgDatabase, tmp_path: Path, small: Journey) -> None:
    spec = SourceSpec.model_validate(definition(shop))
    result = ingest(spec, tmp_path, tmp_path / "data")
    r = result.report
    assert (r.rows_read, r.rows_kept, r.customers) == (9, 5, 2)
    assert r.dropped == {
        "missing customer id": 1,
        "missing timestamp": 1,
        "exact duplicate": 1,
        "missing event": 1,
    }
    assert r.events == {"checkout": 2, "visit": 2, "add_to_cart": 1}
    assert (r.first_event, r.last_event) == ("2024-03-01T07:00:00Z", "2024-03-02T07:00:00Z")
    assert r.properties == {"amount": "number"}
    assert (
        r.source
        == f"shop.events at postgres://analyst:${{{VAR}}}@{shop.host}:{shop.port}/{shop.name}"
    )
    assert PASSWORD not in result.store.parent.joinpath("report.json").read_text()
    assert not list((tmp_path / "data" / "remote").glob("*.parquet")), "staging file left"

    events = open_store(result.store)
    journey = bound(small)
    hits = bind(events, journey)
    reach = {r.id: r for r in touchpoint_reach(hits, journey)}
    assert (reach["ad"], reach["checkout"]) == (Reach("ad", 2, 2), Reach("checkout", 2, 2))
    # u1: visit 09:00Z, checkout 09:05Z; u2: visit 07:00Z, checkout a day later.
    assert funnel(stage_entries(events, hits, journey), journey) == [
        FunnelStep("awareness", 2, None, 1.0, None, None),
        FunnelStep("decision", 2, 1.0, 1.0, (5 * 60_000 + 86_400_000) / 2, 77_790_000.0),
    ]


def test_the_store_is_reused_until_the_table_changes(shop: PgDatabase, tmp_path: Path) -> None:
    spec = SourceSpec.model_validate(definition(shop))
    first = ingest(spec, tmp_path, tmp_path / "data")
    again = ingest(spec, tmp_path, tmp_path / "data")
    assert again.reused and again.store == first.store and again.report == first.report
    with shop.connect() as con:
        con.execute("INSERT INTO shop.events VALUES ('u4', '2024-03-04 09:00', 'visit', 'web')")
    changed = ingest(spec, tmp_path, tmp_path / "data")
    assert not changed.reused and changed.report.customers == 3


def credentials(folder: Path, text: str, mode: int = 0o600) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "credentials.yaml"
    path.write_text(text)
    path.chmod(mode)
    return path


def test_the_password_from_a_credentials_file(
    shop: PgDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    monkeypatch.delenv(VAR)
    url = shop.url("analyst")
    place = f"host: {shop.host}, port: {shop.port}, database: {shop.name}"
    by_place = credentials(tmp_path / "home", f"any-name: {{{place}, password: {PASSWORD}}}")
    monkeypatch.setenv("JOURNEYMAP_CREDENTIALS", str(by_place))
    spec = SourceSpec.model_validate(definition(shop, url))
    assert ingest(spec, project, tmp_path / "data").report.rows_kept == 5

    named = credentials(
        tmp_path / "home", f"shop: {{{place}, user: analyst, password: {PASSWORD}}}"
    )
    no_user = f"postgres://{shop.host}:{shop.port}/{shop.name}"
    spec = SourceSpec.model_validate(definition(shop, no_user, credentials="shop"))
    assert ingest(spec, project, tmp_path / "data2").report.rows_kept == 5

    named.chmod(0o644)
    with pytest.raises(SourceError, match=r"can be read by other users.*chmod 600"):
        ingest(spec, project, tmp_path / "data3")
    inside = credentials(project / "secrets", f"shop: {{{place}, password: {PASSWORD}}}")
    monkeypatch.setenv("JOURNEYMAP_CREDENTIALS", str(inside))
    with pytest.raises(SourceError, match=r"inside the project.*move it out"):
        ingest(spec, project, tmp_path / "data4")


def run(source: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["ingest", str(source), *args])
    text = " ".join((result.stdout + result.stderr).split())  # undo Rich's line wrapping
    return result.exit_code, text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"env": WRONG}, "source.url: postgres://analyst:${JOURNEYMAP_TEST_SHOP_PASSWORD}@"),
        ({"env": WRONG}, "refused the login (the password came from the url's placeholder)"),
        ({"env": None}, "source.url uses ${JOURNEYMAP_TEST_SHOP_PASSWORD}, which is not set"),
        ({"table": "shop.event"}, "source.table: "),
        ({"table": "shop.event"}, "has no table 'shop.event' (did you mean 'shop.events'?)"),
        ({"column": "userid"}, "columns.customer: shop.events at postgres://analyst:"),
        ({"column": "userid"}, "has no column 'userid' (did you mean 'user_id'?); fix the name"),
        ({"port": True}, "source.url: cannot connect to postgres://analyst:"),
    ],
)
def test_mistakes_get_a_clear_message_without_the_password(
    shop: PgDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: dict[str, object],
    expected: str,
) -> None:
    data = definition(shop)
    if "env" in change:
        if change["env"] is None:
            monkeypatch.delenv(VAR)
        else:
            monkeypatch.setenv(VAR, str(change["env"]))
    if "table" in change:
        data["source"] = {**data["source"], "table": change["table"]}  # type: ignore[dict-item]
    if "column" in change:
        data["columns"] = {**data["columns"], "customer": change["column"]}  # type: ignore[dict-item]
    if "port" in change:  # nothing listens on the port after the server's
        url = f"postgres://analyst:${{{VAR}}}@{shop.host}:{shop.port + 1}/{shop.name}"
        data["source"] = {**data["source"], "url": url}  # type: ignore[dict-item]
    code, text = run(write(tmp_path / "project", data), "--data-dir", str(tmp_path / "data"))
    assert code == 1, text
    assert expected in text
    assert "Traceback" not in text
    assert PASSWORD not in text and WRONG not in text


def test_a_password_written_in_the_url_is_refused_and_not_repeated(
    shop: PgDatabase, tmp_path: Path
) -> None:
    written = f"postgres://analyst:{PASSWORD}@{shop.host}:{shop.port}/{shop.name}"
    code, text = run(write(tmp_path, definition(shop, written)))
    assert code == 1
    assert "source.url: the url holds a password; a password never goes in the source file" in text
    assert "${NAME}" in text and "credentials.yaml" in text
    assert PASSWORD not in text


def test_ingest_on_the_command_line(shop: PgDatabase, tmp_path: Path) -> None:
    code, text = run(
        write(tmp_path / "project", definition(shop)), "--data-dir", str(tmp_path / "d")
    )
    assert code == 0, text
    assert f"ingested shop.events at postgres://analyst:${{{VAR}}}@" in text
    assert "9 rows read, 5 kept, 2 customers" in text
    assert PASSWORD not in text
