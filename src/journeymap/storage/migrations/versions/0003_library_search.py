"""The journey library's search columns on journeys, and workspaces' updated_at (their ETag).

Revision ID: 0003
Revises: 0002

The search columns are derived from the journey's live entities (storage/search_index.py), so
existing journeys are indexed here, from their rows, in the migration's transaction. Columns
are added and dropped with plain ALTER TABLE (SQLite 3.35 or newer): a batch migration would
copy the tables, and on SQLite dropping the old copy cascades to every journey.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from journeymap.storage.mapping import Flat, assemble
from journeymap.storage.search_index import terms_of

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_COLUMNS = (
    "search_text",
    "persona_terms",
    "stage_terms",
    "persona_ids",
    "owner_key",
    "title_key",
)


def upgrade() -> None:
    for name in _COLUMNS:
        bytewise = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")  # title_key sorts
        kind = bytewise if name == "title_key" else sa.Text()
        op.add_column("journeys", sa.Column(name, kind, nullable=False, server_default=""))
    # NOT NULL with a constant default, then set: altering the column afterwards would copy
    # the table on SQLite.
    op.add_column(
        "workspaces",
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default="1970-01-01 00:00:00+00:00",
        ),
    )
    op.execute("UPDATE workspaces SET updated_at = created_at")
    _index_existing(op.get_bind())


def downgrade() -> None:
    for table, name in (("workspaces", "updated_at"), *(("journeys", c) for c in _COLUMNS)):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")


def _index_existing(connection: sa.Connection) -> None:
    journeys = sa.table(
        "journeys", sa.column("id"), sa.column("header", sa.JSON()), *map(sa.column, _COLUMNS)
    )
    entities = sa.table(
        "journey_entities",
        *(sa.column(c) for c in ("journey_id", "kind", "entity_id", "parent_id", "order_key")),
        sa.column("deleted_rev"),
        sa.column("data", sa.JSON()),
    )
    for journey_id, header in connection.execute(sa.select(journeys.c.id, journeys.c.header)):
        rows = connection.execute(
            sa.select(entities).where(entities.c.journey_id == journey_id)
        ).mappings()
        flats = [
            Flat(
                r["kind"],
                r["entity_id"],
                r["parent_id"],
                r["order_key"],
                r["deleted_rev"] is not None,
                r["data"],
            )
            for r in rows
        ]
        terms = terms_of(assemble(header, flats))
        connection.execute(
            sa.update(journeys).where(journeys.c.id == journey_id).values(**terms.columns())
        )
