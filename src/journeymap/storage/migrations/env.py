"""Alembic's environment: migrations run on the connection `open_database` hands over."""

from __future__ import annotations

from alembic import context

from journeymap.storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through journeymap.storage.upgrade
    raise RuntimeError("run migrations through journeymap.storage.open_database or upgrade()")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
