"""`journeymap user`: accounts on the workspace server's database, from the machine it runs on
(the first admin of a server set up by script, a forgotten admin password). The rules are the
accounts service's, asked as the machine (services/policy.py's MACHINE).

The services are imported in each command: they load SQLAlchemy (0.8 s), which every other
command would pay for at start-up (cli/app.py registers every command module)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .output import fail, out
from .server import PANEL, DbOption, open_db, server_settings, shown_db

users = typer.Typer(
    name="user",
    help="Accounts on the server's database: list them, add one, set a password.",
    no_args_is_help=True,
)

Email = Annotated[str, typer.Argument(help="The account's email.")]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from standard input (for scripts) instead of asking twice.",
    ),
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        import sys

        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@users.command("list")
def list_users(db: DbOption = None) -> None:
    """Every account, with its workspaces and roles."""
    from ..services import accounts
    from ..services.policy import MACHINE

    database = open_db(server_settings(db).database)
    table = Table("email", "name", "admin", "workspaces", box=None)
    try:
        listed = accounts.directory(database, MACHINE)
    finally:
        database.dispose()
    for user, places in listed:
        table.add_row(
            escape(user.email),
            escape(user.display_name),
            "yes" if user.is_admin else "",
            escape(", ".join(f"{name} ({role})" for name, role in places)),
        )
    out.print(table)


@users.command("add")
def add_user(
    email: Email,
    name: Annotated[str, typer.Option("--name", help="The display name.")],
    admin: Annotated[bool, typer.Option("--admin", help="A server admin.")] = False,
    workspace: Annotated[
        str | None,
        typer.Option("--workspace", help="Also make them a member of this workspace (its id)."),
    ] = None,
    role: Annotated[str, typer.Option(help="Their role in --workspace.")] = "editor",
    password_stdin: PasswordStdin = False,
    db: DbOption = None,
) -> None:
    """Make a local account; with --workspace, a member of it too.

    [b]Examples:[/b]
      journeymap user add ann@example.com --name "Ann Lee" --admin --db team.db
      echo "$PASS" | journeymap user add bo@example.com --name Bo --password-stdin
    """
    from ..services import accounts
    from ..services.errors import ServiceError
    from ..services.policy import MACHINE, ROLES

    if role not in ROLES:
        raise fail(f"--role: use one of {', '.join(reversed(ROLES))}, not '{role}'")
    settings = server_settings(db)
    password = _password(password_stdin)
    database = open_db(settings.database)
    try:
        user = accounts.add_user(
            database, MACHINE, email, name, password, is_admin=admin, workspace=workspace, role=role
        )
    except ServiceError as error:
        raise fail(error.detail) from None
    finally:
        database.dispose()
    where = f", {role} of workspace {workspace}" if workspace else ""
    out.print(
        f"added {escape(user.email)}{' (admin)' if admin else ''}{escape(where)} "
        f"on {shown_db(settings.database)}"
    )


@users.command("password")
def set_user_password(
    email: Email, password_stdin: PasswordStdin = False, db: DbOption = None
) -> None:
    """Set an account's password (it is signed out of every browser; API tokens go on).

    [b]Example:[/b]
      journeymap user password ann@example.com --db team.db
    """
    from ..services import accounts
    from ..services.errors import ServiceError
    from ..services.policy import MACHINE

    settings = server_settings(db)
    password = _password(password_stdin)
    database = open_db(settings.database)
    try:
        accounts.reset_password(database, MACHINE, email, password)
    except ServiceError as error:
        raise fail(error.detail) from None
    finally:
        database.dispose()
    out.print(f"new password set for {escape(email.strip().lower())}")


def register(app: typer.Typer) -> None:
    app.add_typer(users, rich_help_panel=PANEL)
