"""Source files are committed, so anyone who can push writes them: a credentials entry goes to
its own host, port and database only; a url reads only the variables the operator allowed;
PostgreSQL logins are SCRAM or nothing; a binding pattern cannot make matching explode."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.analytics.credentials import resolve
from journeymap.analytics.errors import SourceError
from journeymap.analytics.remote_source import connect
from journeymap.analytics.source_spec import Source
from journeymap.domain import globs
from journeymap.domain.errors import JourneyInvalid
from journeymap.files.journey_file import journey_from_text
from journeymap.services.templates import template_text
from tests.pg_server import PgDatabase, running_server

from .conftest import linear

SECRET = "Pa55-word-of-prod"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty credentials file outside the project, owner-only."""
    folder = tmp_path / "home"
    folder.mkdir()
    path = folder / "credentials.yaml"
    path.write_text("")
    path.chmod(0o600)
    monkeypatch.setenv("JOURNEYMAP_CREDENTIALS", str(path))
    (tmp_path / "project").mkdir()
    return path


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A port on this machine standing for an attacker's host: what reaches it is recorded."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                peer, _ = server.accept()
            except OSError:
                continue
            with peer:
                peer.settimeout(1)
                try:
                    received.append(peer.recv(4096))
                except OSError:
                    received.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(timeout=5)
    server.close()


def entry(name: str, host: str, port: int, database: str) -> str:
    return (
        f"{name}: {{host: {host}, port: {port}, database: {database}, "
        f"user: analyst, password: {SECRET}}}\n"
    )


def test_a_named_entry_is_never_sent_to_another_host(
    home: Path, tmp_path: Path, listener: tuple[int, list[bytes]]
) -> None:
    port, received = listener
    home.write_text(entry("prod-db", "db.example.com", 5432, "analytics"))
    source = Source(url=f"postgres://analyst@127.0.0.1:{port}/db", table="t", credentials="prod-db")
    with pytest.raises(SourceError) as refused:
        connect(source, tmp_path / "project")
    assert str(refused.value) == (
        f"source.credentials: the entry 'prod-db' of {home} is for db.example.com:5432/analytics"
        f", but source.url points at 127.0.0.1:{port}/db; its password goes to "
        "db.example.com:5432/analytics only: fix source.url, or use (or add) an entry for that "
        "database"
    )
    assert received == []  # no connection was even tried
    for other in ("db.example.com:5433/analytics", "db.example.com/other", "evil.com/analytics"):
        moved = Source(url=f"postgres://{other}", table="t", credentials="prod-db")
        with pytest.raises(SourceError, match=r"is for db\.example\.com:5432/analytics"):
            resolve(moved, tmp_path / "project")


def test_an_entry_goes_only_to_the_database_it_names(home: Path, tmp_path: Path) -> None:
    home.write_text(entry("shop", "db.example.com", 5432, "shop"))
    project = tmp_path / "project"
    same = resolve(Source(url="postgres://db.example.com/shop", table="t"), project)
    assert same.password == SECRET and same.url == "postgres://analyst@db.example.com/shop"
    for elsewhere in ("evil.com/shop", "db.example.com:6543/shop", "db.example.com/other"):
        found = resolve(Source(url=f"postgres://{elsewhere}", table="t"), project)
        assert found.password is None, elsewhere


def test_an_old_entry_without_its_place_is_refused(home: Path, tmp_path: Path) -> None:
    home.write_text(f"db.example.com: {{password: {SECRET}}}\n")
    with pytest.raises(SourceError) as old:
        resolve(Source(url="postgres://db.example.com/shop", table="t"), tmp_path / "project")
    assert "does not say the host, port, database it is for" in str(old.value)
    assert SECRET not in str(old.value)


@pytest.mark.parametrize("query", ["host=evil.com", "hostaddr=10.0.0.1", "port=1", "dbname=x"])
def test_the_query_may_not_move_the_connection(home: Path, tmp_path: Path, query: str) -> None:
    home.write_text(entry("shop", "db.example.com", 5432, "shop"))
    source = Source(url=f"postgres://db.example.com/shop?{query}", table="t")
    with pytest.raises(SourceError, match=r"is not allowed in a url: it would send"):
        resolve(source, tmp_path / "project")


def test_placeholders_read_only_allowed_variables(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-secret")
    monkeypatch.setenv("SHOP_DB_PASSWORD", "shop-secret")
    monkeypatch.setenv("JOURNEYMAP_SHOP_PASSWORD", "mine")
    stolen = Source(url="postgres://a:${AWS_SECRET_ACCESS_KEY}@evil.com/db", table="t")
    with pytest.raises(SourceError) as refused:
        resolve(stolen, project)
    assert "uses ${AWS_SECRET_ACCESS_KEY}, which journeymap may not read" in str(refused.value)
    assert "aws-secret" not in str(refused.value)
    in_host = Source(url="postgres://a@${AWS_SECRET_ACCESS_KEY}.evil.com/db", table="t")
    with pytest.raises(SourceError, match="may not read"):
        resolve(in_host, project)
    ours = resolve(Source(url="postgres://a:${JOURNEYMAP_SHOP_PASSWORD}@h/db", table="t"), project)
    assert ours.password == "mine"
    listed = Source(url="postgres://a:${SHOP_DB_PASSWORD}@h/db", table="t")
    with pytest.raises(SourceError, match="may not read"):
        resolve(listed, project)
    home.write_text("allowed_variables: [SHOP_DB_PASSWORD]\n")
    assert resolve(listed, project).password == "shop-secret"


def test_postgresql_logins_are_scram_or_nothing(tmp_path: Path, home: Path) -> None:
    """A server that asks for the password in clear text gets nothing: libpq refuses before
    sending it (the same password logs in when a client allows clear text)."""
    hba = ("host all clear_analyst 127.0.0.1/32 password",)
    with running_server(hba=hba) as server:
        db = server.create_database()
        with db.connect() as con:
            con.execute(f"CREATE ROLE clear_analyst LOGIN PASSWORD '{SECRET}'")
            con.execute(f"CREATE ROLE scram_analyst LOGIN PASSWORD '{SECRET}'")
        clear = PgDatabase(db.host, db.port, db.name, "clear_analyst", SECRET)
        with clear.connect() as con:  # an ordinary client sends it in clear, and gets in
            assert con.execute("SELECT current_user").fetchone() == ("clear_analyst",)
        place = f"host: {db.host}, port: {db.port}, database: {db.name}"
        home.write_text(f"shop: {{{place}, password: {SECRET}}}\n")
        source = Source(url=db.url("clear_analyst"), table="t", credentials="shop")
        with pytest.raises(SourceError) as refused:
            connect(source, tmp_path / "project")
        assert "asked for the password in clear text" in str(refused.value)
        assert "scram-sha-256" in str(refused.value) and SECRET not in str(refused.value)
        scram = Source(url=db.url("scram_analyst"), table="t", credentials="shop")
        con, target = connect(scram, tmp_path / "project")
        assert target.origin == f"the entry 'shop' of {home}"
        con.disconnect()


def test_a_pattern_with_too_many_stars_is_refused_where_it_is_written() -> None:
    text = template_text("online-store-checkout").replace(
        "      names: [social_ad_click]",
        '      names: [social_ad_click]\n      patterns: ["' + "*?" * 20 + '#"]',
        1,
    )
    with pytest.raises(JourneyInvalid) as refused:
        journey_from_text(text, "store.yaml")
    (problem,) = refused.value.problems
    line = text.splitlines().index('      patterns: ["' + "*?" * 20 + '#"]') + 1
    assert str(problem).startswith(f"store.yaml:{line}:17 cards[1].events.patterns: the pattern ")
    assert "has 20 `*`; a pattern may have 3: name the events, or split the pattern" in str(problem)


def test_patterns_are_matched_in_linear_steps() -> None:
    assert globs.glob_match("checkout_*", "checkout_start")
    assert globs.glob_match("*_v?", "page_v2") and not globs.glob_match("*_v?", "page_v10")
    assert globs.glob_match("a*b*c", "a-b-b-c") and not globs.glob_match("a*b*c", "a-c-b")
    assert globs.glob_match("*?*?*#", "ab#") and not globs.glob_match("*?*?*#", "#")
    for attack in ("*?*?*?#", "*a?*?a*#", "*ab*ab*ab"):  # each a miss on a long name
        ratio = linear(
            globs.__file__, lambda n, p=attack: lambda: globs.glob_match(p, "a" * n), 3000
        )
        assert ratio < 2.2, (attack, ratio)


_glob_text = st.text(alphabet="ab_", max_size=12)
_globs = st.text(alphabet="ab_*?", max_size=8)


@settings(max_examples=500, deadline=None)
@given(_globs, _glob_text)
def test_the_regex_and_the_matcher_agree_with_fnmatch(pattern: str, text: str) -> None:
    import fnmatch
    import re

    expected = fnmatch.fnmatchcase(text, pattern)
    assert globs.glob_match(pattern, text) == expected
    assert (re.match(globs.glob_regex(pattern), text) is not None) == expected


def test_the_regex_does_not_backtrack() -> None:
    """The pattern that took 25 s as a plain regex (20 `*`, more than a journey may hold),
    on a name far longer than 55 characters: answered at once (waited for generously)."""
    import re

    pattern = re.compile(globs.glob_regex("*?" * 20 + "#"))
    answer: list[bool] = []
    worker = threading.Thread(target=lambda: answer.append(pattern.match("a" * 2000) is None))
    worker.start()
    worker.join(timeout=60)
    assert answer == [True]
