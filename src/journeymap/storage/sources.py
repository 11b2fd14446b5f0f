"""Workspace data sources and each journey's choice of them: their rows and their repository.

A source is a named definition (events or feedback: the same fields as the CLI's source files,
as JSON) kept per workspace; a journey's link names the sources it is measured on, the analysis
options, and the pain points its last refresh found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .models import Base, JourneyRow, Json, UTCDateTime, later_than, utcnow
from .unique import insert_new

SOURCE_KINDS = ("events", "feedback")


class DataSourceRow(Base):
    __tablename__ = "data_sources"
    __table_args__ = (CheckConstraint(f"kind IN {SOURCE_KINDS!r}", name="kind"),)

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    definition: Mapped[dict[str, Any]] = mapped_column(Json)
    created_by: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class JourneySourceRow(Base):
    """The sources a journey is measured on (by name, in its workspace), the analysis options,
    and what its last refresh found (`findings`: pain points, each with its evidence)."""

    __tablename__ = "journey_sources"

    journey_id: Mapped[str] = mapped_column(
        ForeignKey("journeys.id", ondelete="CASCADE"), primary_key=True
    )
    events_source: Mapped[str] = mapped_column(String(64))
    feedback_source: Mapped[str | None] = mapped_column(String(64), default=None)
    options: Mapped[dict[str, Any]] = mapped_column(Json)
    findings: Mapped[list[Any] | None] = mapped_column(Json, default=None)
    findings_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    updated_by: Mapped[str | None] = mapped_column(String(64), default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SourceRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of(self, workspace_id: str) -> list[DataSourceRow]:
        query = select(DataSourceRow).where(DataSourceRow.workspace_id == workspace_id)
        return list(self.session.scalars(query.order_by(DataSourceRow.name)))

    def get(self, workspace_id: str, name: str) -> DataSourceRow | None:
        return self.session.get(DataSourceRow, (workspace_id, name))

    def add(
        self, workspace_id: str, name: str, kind: str, definition: dict[str, Any], actor: str | None
    ) -> DataSourceRow:
        ts = utcnow()
        row = DataSourceRow(
            workspace_id=workspace_id,
            name=name,
            kind=kind,
            definition=definition,
            created_by=actor,
            created_at=ts,
            updated_at=ts,
        )
        insert_new(self.session, row)  # AlreadyStored when the name is taken meanwhile
        return row

    def replace(self, row: DataSourceRow, kind: str, definition: dict[str, Any]) -> None:
        row.kind, row.definition = kind, definition
        row.updated_at = later_than(row.updated_at)
        self.session.flush()

    def remove(self, workspace_id: str, name: str) -> None:
        self.session.execute(
            delete(DataSourceRow).where(
                DataSourceRow.workspace_id == workspace_id, DataSourceRow.name == name
            )
        )

    def users(self, workspace_id: str, name: str) -> list[str]:
        """The live journeys of the workspace whose link names the source."""
        query = (
            select(JourneyRow.id)
            .join(JourneySourceRow, JourneySourceRow.journey_id == JourneyRow.id)
            .where(
                JourneyRow.workspace_id == workspace_id,
                JourneyRow.deleted_at.is_(None),
                (JourneySourceRow.events_source == name)
                | (JourneySourceRow.feedback_source == name),
            )
        )
        return list(self.session.scalars(query.order_by(JourneyRow.id)))

    def link(self, journey_id: str) -> JourneySourceRow | None:
        return self.session.get(JourneySourceRow, journey_id)

    def put_link(
        self,
        journey_id: str,
        events: str,
        feedback: str | None,
        options: dict[str, Any],
        actor: str | None,
    ) -> JourneySourceRow:
        row = self.link(journey_id)
        if row is None:
            row = JourneySourceRow(journey_id=journey_id, events_source=events, options=options)
            self.session.add(row)
        row.events_source, row.feedback_source, row.options = events, feedback, options
        row.updated_by = actor
        row.updated_at = later_than(row.updated_at)
        self.session.flush()
        return row

    def put_findings(self, journey_id: str, findings: list[Any], found: bool = True) -> None:
        """Keep the findings (`found`: newly found now; else the same, marked)."""
        row = self.link(journey_id)
        if row is not None:
            row.findings = findings
            if found:
                row.findings_at = utcnow()
            self.session.flush()
