"""The domain stays pure: no I/O, web, storage or heavy libraries, so every face can use it."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import journeymap.domain
from tests.fresh_imports import loaded_by

DOMAIN = Path(journeymap.domain.__file__).parent
# typing_extensions: pydantic's own dependency, for TypeAliasType (named unions in the typed
# wire, domain/wire.py) until Python 3.12 is the least supported.
ALLOWED_THIRD_PARTY = {"pydantic", "pydantic_core", "fractional_indexing", "typing_extensions"}
FORBIDDEN_STDLIB = {"io", "os", "pathlib", "shutil", "socket", "subprocess", "sqlite3", "tempfile"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_domain_modules_import_only_pure_libraries() -> None:
    offenders = {}
    for path in DOMAIN.glob("*.py"):
        bad = {
            name
            for name in _imports(path)
            if name in FORBIDDEN_STDLIB
            or (name not in sys.stdlib_module_names and name not in ALLOWED_THIRD_PARTY)
        }
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}


def test_importing_journeymap_loads_no_yaml_cli_or_io_layer() -> None:
    loaded = loaded_by(
        ["journeymap", "journeymap.domain.apply", "journeymap.domain.document"],
        ["ruamel", "typer", "rich", "sqlalchemy", "duckdb", "httpx"],
        ["journeymap.files", "journeymap.cli"],
    )
    assert loaded == []
