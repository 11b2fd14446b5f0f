"""Alembic migrations, shipped in the package and run by `open_database` on start.

A new revision: `alembic -c <(python -m journeymap.storage.migrations) revision -m "..."` is not
needed; write it by hand in versions/ (or autogenerate with `alembic_config` and review it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def alembic_config(connection: Any | None = None) -> Any:
    """An Alembic Config for the packaged migrations; `connection` is used by env.py when
    given (it is then already inside the transaction that holds the migration lock)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = connection
    return config
