"""What a library page shows beside each journey's own columns: its personas' names and who
changed it last. Two queries for a whole page, whatever its size; the last change is found
through the op log's (journey, rev, seq) index, not by reading a journey's history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import EntityRow, JourneyRow, OpRow, UserRow


@dataclass
class Details:
    personas: list[str] = field(default_factory=list)
    last_editor: str | None = None  # a display name; None for the CLI or a deleted account


def library_details(session: Session, journey_ids: Sequence[str]) -> dict[str, Details]:
    found = {ident: Details() for ident in journey_ids}
    if not found:
        return found
    personas = (
        select(EntityRow.journey_id, EntityRow.data)
        .where(
            EntityRow.journey_id.in_(found),
            EntityRow.kind == "persona",
            EntityRow.deleted_rev.is_(None),
        )
        .order_by(EntityRow.journey_id, EntityRow.order_key)
    )
    for journey_id, data in session.execute(personas):
        name = data.get("name") if isinstance(data, dict) else None
        if name:
            found[journey_id].personas.append(str(name))
    last_actor = (
        select(OpRow.actor)
        .where(OpRow.journey_id == JourneyRow.id)
        .order_by(OpRow.rev.desc(), OpRow.seq.desc())
        .limit(1)
        .correlate(JourneyRow)
        .scalar_subquery()
    )
    editors = (
        select(JourneyRow.id, UserRow.display_name)
        .select_from(JourneyRow)
        .outerjoin(UserRow, UserRow.id == last_actor)
        .where(JourneyRow.id.in_(found))
    )
    for journey_id, name in session.execute(editors):
        found[journey_id].last_editor = name
    return found
