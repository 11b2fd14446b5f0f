"""The journey library's search columns on journeys, and workspaces' updated_at (their ETag).

Revision ID: 0003
Revises: 0002

The search columns are derived from the journey's live entities (storage/search_index.py), so
existing journeys are indexed here, from their rows, in the migration's transaction.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_COLUMNS = ("search_text", "persona_terms", "stage_terms")


def upgrade() -> None:
    for name in _COLUMNS:
        op.add_column("journeys", sa.Column(name, sa.Text(), nullable=False, server_default=""))
    # Added NOT NULL with a constant default, then set: altering the column afterwards would
    # make SQLite copy the table, and dropping the old copy cascades to every journey.
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
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
    with op.batch_alter_table("journeys", schema=None) as batch_op:
        for name in _COLUMNS:
            batch_op.drop_column(name)


def _index_existing(connection: sa.Connection) -> None:
    from journeymap.storage.mapping import Flat, assemble
    from journeymap.storage.search_index import terms_of

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
            sa.update(journeys)
            .where(journeys.c.id == journey_id)
            .values(search_text=terms.text, persona_terms=terms.personas, stage_terms=terms.stages)
        )
