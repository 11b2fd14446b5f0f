"""Storage: SQLAlchemy 2 tables, repositories and Alembic migrations (SQLite or PostgreSQL).

Importing this package imports SQLAlchemy; `import journeymap` does not import it."""

from __future__ import annotations

from .database import Database, database_url, open_database
from .repositories import UnitOfWork

__all__ = ["Database", "UnitOfWork", "database_url", "open_database"]
