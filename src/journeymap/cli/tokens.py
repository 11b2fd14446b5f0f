"""`journeymap token`: personal API tokens for accounts on the server's database, made from the
machine it runs on, so a script or a notebook can use the API without signing in through it
first. The rules are the tokens service's, asked as the machine (services/policy.py).

The services are imported in the command: they load SQLAlchemy, which every other command
would pay for at start-up (cli/app.py registers every command module)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from .output import err, fail, out
from .server import PANEL, DbOption, open_db, server_settings, shown_db

tokens = typer.Typer(
    name="token",
    help="Personal API tokens: make one for an account (shown once).",
    no_args_is_help=True,
)


@tokens.command("create")
def create_token(
    user: Annotated[str, typer.Option("--user", help="The account's email.")],
    name: Annotated[
        str, typer.Option("--name", help="What the token is for, to tell it apart in lists.")
    ] = "cli",
    db: DbOption = None,
) -> None:
    """Make a personal API token for an account and print it, once: it is stored only as a
    digest. Send it as `Authorization: Bearer <token>`, or give it to journeymap.Client.

    [b]Examples:[/b]
      journeymap token create --db team.db --user ann@example.com
      export JOURNEYMAP_TOKEN=$(journeymap token create --db team.db --user ann@example.com)
    """
    from ..services import tokens as personal_tokens
    from ..services.errors import ServiceError
    from ..services.policy import MACHINE

    if not 1 <= len(name) <= 200:
        raise fail("--name: give 1 to 200 characters")
    settings = server_settings(db)
    database = open_db(settings.database)
    try:
        made = personal_tokens.make_token_for(database, MACHINE, user, name)
    except ServiceError as error:
        raise fail(error.detail) from None
    finally:
        database.dispose()
    err.print(
        f"a new API token '{escape(name)}' for {escape(user.strip().lower())} on "
        f"{shown_db(settings.database)} (shown once; revoke it with DELETE /api/tokens/{made.id}):"
    )
    out.print(made.token, markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(tokens, rich_help_panel=PANEL)
