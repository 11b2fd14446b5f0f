"""How the CLI speaks: problems go to stderr, one a line: `file:line:col path: message (fix)`."""

from __future__ import annotations

import json
from collections.abc import Sequence

import typer
from rich.console import Console
from rich.markup import escape

from ..domain.errors import Problem, format_path

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_INVALID = 1  # the input is wrong; EXIT_USAGE (2) is Typer's own, for wrong arguments


def problem_dict(p: Problem) -> dict[str, object]:
    return {
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "path": format_path(p.path),
        "code": p.code,
        "message": p.message,
        "hint": p.hint,
    }


def print_problems(problems: Sequence[Problem]) -> None:
    for p in problems:
        err.print(f"[red]{escape(str(p))}[/red]")


def print_json(payload: object) -> None:
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))


def fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(EXIT_INVALID)
