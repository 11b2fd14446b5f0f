"""`serve`, `demo`, `backup` and `restore`: running the workspace server and keeping its data."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from ..units import count
from .output import EXIT_INVALID, err, fail, out

PANEL = "Server"
DEMO_LOCK = "journeymap-demo"  # held by a demo while it serves its database
LOOPBACK = ("127.0.0.1", "localhost", "::1")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH|URL",
        help="A SQLite file or a postgresql:// URL (default: $JOURNEYMAP_DATABASE_URL, else "
        "journeymap.db in the data folder).",
    ),
]


def server_settings(db: str | None, data: Path | None = None, secure: bool = True) -> Any:
    from ..server.settings import load_settings

    try:
        settings = load_settings(db=db, data=data)
    except (ValueError, PermissionError) as error:
        raise fail(str(error)) from None
    return dataclasses.replace(settings, secure_cookies=secure)


def open_db(database: str) -> Any:
    from ..storage import open_database

    try:
        return open_database(database)
    except Exception as error:  # a bad URL, a server that is down, a file we may not write
        raise fail(f"cannot open the database {shown_db(database)}: {error}") from None


def shown_db(database: str) -> str:
    from ..storage import database_url

    try:
        return escape(database_url(database).render_as_string(hide_password=True))
    except Exception:
        return escape(database)


def listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound before anything else is done: a port someone else holds is
    told at once, with the way out, and no database is touched. uvicorn is handed this very
    socket, so nothing can take the port in between."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as error:
        raise fail(f"--host: cannot listen on '{host}' ({error.strerror})") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            other = port + 1 if port < 65535 else 8000
            raise fail(
                f"port {port} on {host} is taken (is another journeymap server running?); "
                f"stop that one, or choose another port: --port {other}"
            ) from None
        raise fail(f"cannot listen on {host}:{port} ({error.strerror})") from None
    return sock


def _run(app: Any, sock: socket.socket, proxies: str | None = None) -> None:
    """Serve `app`; with `proxies` (addresses of trusted reverse proxies), a request they pass
    on is taken to come from the address their X-Forwarded-For names (sign-in limits count
    per address), and from no one else's."""
    import uvicorn

    from ..services.live import PING_S

    # Live sockets: a ping every PING_S, and a peer that does not answer within PING_S is
    # dropped (its presence goes with it); no frame past 1 MiB is even read (the live rules
    # refuse a message past 256 KiB).
    config = uvicorn.Config(
        app,
        log_level="info",
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or "",
        ws_ping_interval=PING_S,
        ws_ping_timeout=PING_S,
        ws_max_size=1024 * 1024,
        # No per-message compression: each socket compressed every broadcast on its own (the
        # same `op` 49 times for 50 editors), a fifth of the event loop's busy time under
        # bench/collab.py, for messages of a few hundred bytes.
        ws_per_message_deflate=False,
    )
    uvicorn.Server(config).run(sockets=[sock])


def print_setup_code(database: Any, host: str, port: int) -> str | None:
    """A database with no account gets a one-time set-up code, printed here only."""
    from ..services.setup_code import code_for_start

    code = code_for_start(database)
    if code is not None:
        err.print(
            f"no account yet: open http://{host}:{port}/setup and give the set-up code {code}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    return code


def register(app: typer.Typer) -> None:
    @app.command(rich_help_panel=PANEL)
    def serve(
        db: DbOption = None,
        host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="The port.")] = 8000,
        insecure_cookies: Annotated[
            bool,
            typer.Option(
                "--insecure-cookies",
                help="Send session cookies over plain HTTP too (development on localhost only; "
                "behind HTTPS leave this off).",
            ),
        ] = False,
        trusted_proxies: Annotated[
            str | None,
            typer.Option(
                "--trusted-proxies",
                envvar="JOURNEYMAP_TRUSTED_PROXIES",
                metavar="ADDRESSES",
                help="The reverse proxies in front of the server (comma-separated addresses): "
                "their X-Forwarded-For says who is calling, so sign-in limits count per "
                "client, not per proxy.",
            ),
        ] = None,
        public_url: Annotated[
            str | None,
            typer.Option(
                "--public-url",
                envvar="JOURNEYMAP_PUBLIC_URL",
                metavar="URL",
                help="The address people open the server at behind a proxy (e.g. "
                "https://maps.example.com): the live editor's socket, signed in by the session "
                "cookie, must come from a page there. Default: the request's own address.",
            ),
        ] = None,
        sources_dir: Annotated[
            Path | None,
            typer.Option(
                "--sources-dir",
                envvar="JOURNEYMAP_SOURCES_DIR",
                metavar="DIR",
                help="The folder workspace owners' data sources may read files from (paths "
                "relative to it; nothing outside it, nor the server's data folder). Without "
                "it, file sources are refused.",
            ),
        ] = None,
    ) -> None:
        """Run the workspace server: the web app at /, the REST API under /api, its docs at
        /api/docs.

        Migrates the database on start (several servers may start at once).

        [b]Examples:[/b]
          journeymap serve --db team.db
          JOURNEYMAP_DATABASE_URL=postgresql://jm@db/jm journeymap serve --host 0.0.0.0
        """
        from ..server.app import create_app

        sock = listen(host, port)
        settings = server_settings(db, secure=not insecure_cookies)
        if public_url:
            settings = dataclasses.replace(settings, public_url=public_url.rstrip("/"))
        if sources_dir is not None:
            if not sources_dir.is_dir():
                raise fail(f"--sources-dir: {escape(str(sources_dir))} is not a folder")
            if sources_dir.resolve().is_relative_to(settings.data.resolve()):
                raise fail(
                    f"--sources-dir: {escape(str(sources_dir))} is inside the server's data "
                    f"folder ({escape(str(settings.data))}), which is never read as a source: "
                    "choose a folder outside it"
                )
            settings = dataclasses.replace(settings, sources_dir=sources_dir.resolve())
            err.print(f"data sources: files in {escape(str(sources_dir.resolve()))}")
        if insecure_cookies and host not in LOOPBACK:
            err.print(
                "[yellow]warning: --insecure-cookies on a non-loopback address sends session "
                "cookies in clear text[/yellow]"
            )
        database = open_db(settings.database)
        err.print(f"database: {shown_db(settings.database)}")
        err.print(
            f"serving on http://{escape(host)}:{port}  (the app at /, API docs at /api/docs; "
            "Ctrl-C stops)"
        )
        code = print_setup_code(database, host, port)
        _run(create_app(settings, database, setup_code=code), sock, trusted_proxies)

    @app.command(rich_help_panel=PANEL)
    def demo(
        db: Annotated[
            str | None,
            typer.Option(
                "--db",
                metavar="PATH|URL",
                help="The demo database (default: demo.db in the data folder; with --check, a "
                "temporary one).",
            ),
        ] = None,
        host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="The port.")] = 8000,
        check: Annotated[
            bool,
            typer.Option(
                "--check",
                help="Set up, start the server on a free port, check that the API answers, "
                "print a report and exit (0 when all is well).",
            ),
        ] = False,
    ) -> None:
        """A demo workspace holding every template, with measured evidence on the online-store
        journey, and a demo login and API token (new each run, printed once); then serve.

        A second demo on the same database is refused while the first serves (its login
        stands), as is a port another server holds.

        [b]Examples:[/b]
          journeymap demo
          journeymap demo --port 8001 --db other-demo.db
          journeymap demo --check
        """
        if check:
            raise typer.Exit(_demo_check(db))
        from ..server.app import create_app
        from ..server.demo import set_up
        from ..server.settings import data_folder

        sock = listen(host, port)
        database = db or str(data_folder() / "demo.db")
        # Plain HTTP on this machine: browsers would drop Secure cookies elsewhere.
        settings = server_settings(database, secure=host not in LOOPBACK)
        opened = open_db(settings.database)
        with only_demo(opened, settings.database):
            with err.status("setting up the demo workspace (and measuring the demo events)"):
                login = set_up(opened)
            url = f"http://{'localhost' if host in LOOPBACK else host}:{port}"
            out.print(f"[bold]journeymap demo[/bold] on {shown_db(settings.database)}")
            out.print(
                f"  {count(len(login.journeys), 'journey')}, one per template; "
                f"evidence: {count(login.evidence, 'item')}"
            )
            out.print(f"  open:     {url}/  (sign in below; the API's docs: {url}/api/docs)")
            out.print(f"  email:    [cyan]{login.email}[/cyan]")
            out.print(
                f"  password: [cyan]{escape(login.password)}[/cyan]  (new each run; shown once)"
            )
            out.print(f"  token:    [cyan]{login.token}[/cyan]  (an API token; new each run)")
            out.print(f"  for scripts: export JOURNEYMAP_TOKEN={login.token}", markup=False)
            _run(create_app(settings, opened), sock)

    @app.command(rich_help_panel=PANEL)
    def backup(
        out_file: Annotated[Path, typer.Argument(metavar="OUT", help="The backup file to write.")],
        db: DbOption = None,
        force: Annotated[bool, typer.Option("--force", "-f", help="Overwrite OUT.")] = False,
    ) -> None:
        """Write a consistent snapshot of the whole database, safe while the server runs.

        SQLite: a copy of the database file (SQLite's backup API). PostgreSQL: every table in
        one snapshot, as gzip-compressed JSON lines.

        [b]Examples:[/b]
          journeymap backup --db team.db team-2026-03-01.db
          journeymap backup --db postgresql://jm@db/jm team-2026-03-01.jsonl.gz
        """
        from ..storage.backup import BackupError
        from ..storage.backup import backup as run_backup

        if out_file.exists() and not force:
            raise fail(f"{out_file} exists; pass --force to overwrite it")
        settings = server_settings(db)
        try:
            summary = run_backup(settings.database, out_file)
        except BackupError as error:
            raise fail(str(error)) from None
        out.print(
            f"backed up {shown_db(settings.database)} to [bold]{escape(str(out_file))}[/bold]: "
            f"{count(summary.total, 'row')} in {count(len(summary.rows), 'table')} "
            f"(schema {summary.revision})"
        )

    @app.command(rich_help_panel=PANEL)
    def restore(
        in_file: Annotated[Path, typer.Argument(metavar="IN", help="A file `backup` wrote.")],
        db: DbOption = None,
    ) -> None:
        """Load a backup into an EMPTY database (a new SQLite file, or a new PostgreSQL
        database); a database with any data in it is refused. Either kind of backup loads
        into either engine.

        [b]Examples:[/b]
          journeymap restore --db restored.db team-2026-03-01.db
          journeymap restore --db postgresql://jm@db/jm_new team-2026-03-01.jsonl.gz
        """
        from ..storage.backup import BackupError
        from ..storage.backup import restore as run_restore

        settings = server_settings(db)
        try:
            summary = run_restore(in_file, settings.database)
        except BackupError as error:
            raise fail(str(error)) from None
        out.print(
            f"restored [bold]{escape(str(in_file))}[/bold] into {shown_db(settings.database)}: "
            f"{count(summary.total, 'row')} in {count(len(summary.rows), 'table')}"
        )


@contextlib.contextmanager
def only_demo(database: Any, shown: str) -> Iterator[None]:
    """While a demo serves a database, no second one sets it up again (which would change
    the first one's login)."""
    with database.held(DEMO_LOCK) as mine:
        if not mine:
            raise fail(
                f"another journeymap demo is serving {shown_db(shown)}; its login still works. "
                "Use that one, or give this demo a database of its own: --db other-demo.db"
            )
        yield


def _demo_check(db: str | None) -> int:
    """`demo --check`: the set-up, then the checks against a server on a free port."""
    from ..server.app import create_app
    from ..server.demo import run_checks, serving, set_up

    with tempfile.TemporaryDirectory(prefix="journeymap-demo-check-") as folder:
        settings = server_settings(
            db or str(Path(folder) / "demo.db"), data=None if db else Path(folder), secure=False
        )
        opened = open_db(settings.database)
        try:
            with only_demo(opened, settings.database):
                with err.status("setting up the demo workspace"):
                    login = set_up(opened)
                journeys = count(len(login.journeys), "journey")
                items = count(login.evidence, "evidence item")
                made = ", ".join(login.made) or "nothing new"
                out.print(
                    f"demo set up on {shown_db(settings.database)}: {journeys}, {items}; "
                    f"made: {made}"
                )
                with serving(create_app(settings, opened)) as url:
                    out.print(f"server on {url}")
                    results = run_checks(url, login)
        finally:
            opened.dispose()
    for r in results:
        mark = "[green]✓[/green]" if r.ok else "[red]✗[/red]"
        out.print(f"  {mark} {escape(r.name)}: {escape(r.detail)} ({r.ms:.0f} ms)")
    failed = [r for r in results if not r.ok]
    if failed:
        err.print(f"[red]demo check failed: {len(failed)} of {count(len(results), 'check')}[/red]")
        return EXIT_INVALID
    out.print(f"[green]demo check passed: {count(len(results), 'check')}[/green]")
    return 0
