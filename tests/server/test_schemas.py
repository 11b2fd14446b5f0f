"""The API schemas stand alone: pydantic only, so `journeymap.Client` can use them without the
server's dependencies."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import journeymap.server.schemas

SCHEMAS = Path(journeymap.server.schemas.__file__).parent
ALLOWED_THIRD_PARTY = {"pydantic", "pydantic_core"}
SERVER_LIBRARIES = {"fastapi", "starlette", "sqlalchemy", "alembic", "uvicorn", "argon2"}


def test_schema_modules_import_only_pydantic_and_the_standard_library() -> None:
    offenders = {}
    for path in SCHEMAS.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.level > 1:
                found.add("." * node.level + (node.module or ""))  # outside schemas/
        bad = {n for n in found if n not in sys.stdlib_module_names | ALLOWED_THIRD_PARTY}
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}


def test_importing_the_schemas_loads_no_server_library() -> None:
    code = (
        "import sys, journeymap.server.schemas;"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {SERVER_LIBRARIES!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
