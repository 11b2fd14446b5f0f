"""The tables, as SQLAlchemy 2 typed ORM classes. These are storage types only: repositories turn
them into domain objects (`journeymap.domain`) and back, and API schemas are separate again.

Journey entities live in ONE table, `journey_entities`, keyed (journey_id, kind, entity_id), with
the entity's own fields as JSON beside the columns the server needs to query or compare:
`parent_id` (a step's stage, a lane's section), `order_key` (bytewise), `updated_rev` (the
entity's ETag) and `deleted_rev` (its tombstone). Why one table rather than one per kind: the
domain already treats every kind alike (operations name `entity` and `id`; the op log, ETags and
tombstones are the same for all), so one table gives one code path for loading, diffing and
writing changed rows; a field added to a card kind in the domain needs no migration; and a
journey loads in one indexed query. The price is that card fields are not SQL columns; what the
journey library searches (title, status, owner, and the search columns kept from the live map)
is on the `journeys` row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..domain import entities, roles

# Most first, as the first migration wrote the check.
ROLES: tuple[str, ...] = tuple(reversed(roles.ROLES))
ENTITY_KINDS: tuple[str, ...] = tuple(k.name for k in entities.KINDS)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every engine (SQLite keeps no offset: it is added back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one (UTC)")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# JSONB on PostgreSQL (indexable, compact), JSON text on SQLite.
Json = JSON().with_variant(JSONB(), "postgresql")
# Order keys compare bytewise: SQLite's default BINARY collation does; PostgreSQL needs "C".
OrderKey = String(200).with_variant(String(200, collation="C"), "postgresql")
BytewiseText = Text().with_variant(Text(collation="C"), "postgresql")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def later_than(was: dt.datetime | None) -> dt.datetime:
    """Now, but strictly after `was`: an ETag made from `updated_at` then moves with every
    change, even two within one clock tick."""
    now = utcnow()
    return now if was is None else max(now, was + dt.timedelta(microseconds=1))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class WorkspaceRow(Base):
    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)  # its ETag


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(500), default=None)
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MembershipRow(Base):
    __tablename__ = "memberships"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role"),)

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class InvitationRow(Base):
    """An invitation to join a workspace with a role, addressed to an email: the person with
    that email accepts or declines it from their account. Until then the workspace knows the
    email only."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES!r}", name="role"),
        UniqueConstraint("workspace_id", "email", name="uq_invitations_workspace_email"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320), index=True)  # lower-case
    role: Mapped[str] = mapped_column(String(20))
    invited_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class JourneyRow(Base):
    """A journey: its header fields (the domain Journey less its lists) as JSON, and the ones the
    library searches and sorts by as columns. `rev` is bumped once per applied batch."""

    __tablename__ = "journeys"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(64))  # the domain Journey's own id
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(200), default=None)
    header: Mapped[dict[str, Any]] = mapped_column(Json)
    rev: Mapped[int] = mapped_column(Integer)
    header_rev: Mapped[int] = mapped_column(Integer)  # the header's ETag
    created_by: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    # What the library searches (storage/search_index.py), rewritten with every save.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    persona_terms: Mapped[str] = mapped_column(Text, default="", server_default="")
    stage_terms: Mapped[str] = mapped_column(Text, default="", server_default="")
    persona_ids: Mapped[str] = mapped_column(Text, default="", server_default="")
    owner_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    title_key: Mapped[str] = mapped_column(BytewiseText, default="", server_default="")


class LibraryPersonaRow(Base):
    """A persona of the workspace's persona library: its fields as a journey file holds them.
    Journeys take a copy (a map stays whole in its file); the library is where teams keep the
    one they agreed on."""

    __tablename__ = "workspace_personas"

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    persona_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(Json)
    created_by: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)  # its ETag


class EntityRow(Base):
    """One persona, channel, stage, step, section, lane, card or emotion point of a journey."""

    __tablename__ = "journey_entities"
    __table_args__ = (CheckConstraint(f"kind IN {ENTITY_KINDS!r}", name="kind"),)

    journey_id: Mapped[str] = mapped_column(
        ForeignKey("journeys.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(String(64), default=None)
    order_key: Mapped[str] = mapped_column(OrderKey)
    data: Mapped[dict[str, Any]] = mapped_column(Json)
    updated_rev: Mapped[int] = mapped_column(Integer)
    deleted_rev: Mapped[int | None] = mapped_column(Integer, default=None)


class OpRow(Base):
    """The op log, kept for good: it is the history. One row per operation; the ops of one
    batch share a `rev` and keep their order in `seq`. Rev 1 is the journey's creation, its `op`
    the whole document (`{"kind": "create", "journey": ...}`)."""

    __tablename__ = "op_log"
    __table_args__ = (
        UniqueConstraint("journey_id", "op_id", name="uq_op_log_journey_op_id"),
        UniqueConstraint("journey_id", "rev", "seq", name="uq_op_log_journey_rev_seq"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    rev: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    op_id: Mapped[str] = mapped_column(String(100))
    actor: Mapped[str | None] = mapped_column(String(64))
    op: Mapped[dict[str, Any]] = mapped_column(Json)
    note: Mapped[str | None] = mapped_column(String(200), default=None)
    ts: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class VersionRow(Base):
    """A named version ("Workshop March"): a name for one revision of a journey."""

    __tablename__ = "named_versions"
    __table_args__ = (UniqueConstraint("journey_id", "name", name="uq_named_versions_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(
        ForeignKey("journeys.id", ondelete="CASCADE"), index=True
    )
    rev: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    actor: Mapped[str | None] = mapped_column(String(64))
    ts: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CommentRow(Base):
    """A comment on a card or a stage; replies name their `parent_id` (threads)."""

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("target_kind IN ('card', 'stage')", name="target_kind"),
        Index("ix_comments_target", "journey_id", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), default=None, index=True
    )
    author_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)


class MentionRow(Base):
    """An @mention in a comment, resolved to a user (a member of the workspace)."""

    __tablename__ = "comment_mentions"
    __table_args__ = (
        ForeignKeyConstraint(["comment_id"], ["comments.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
    )

    comment_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class EvidenceRow(Base):
    """The evidence of a journey (what `journeymap analyze --save` writes), one JSON blob."""

    __tablename__ = "evidence"

    journey_id: Mapped[str] = mapped_column(
        ForeignKey("journeys.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(Json)
    updated_by: Mapped[str | None] = mapped_column(String(64), default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class TokenRow(Base):
    """A personal API token: stored as a SHA-256 digest (the token itself is shown once), with
    a short public prefix to tell tokens apart, its last use, and its revocation."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(20))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)


class SessionRow(Base):
    """A browser session: the cookie's value is never stored, only its SHA-256 digest."""

    __tablename__ = "browser_sessions"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ShareLinkRow(Base):
    """A read-only link to one journey: its token stored as a digest; revocable; may expire."""

    __tablename__ = "share_links"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    journey_id: Mapped[str] = mapped_column(
        ForeignKey("journeys.id", ondelete="CASCADE"), index=True
    )
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)


class SavedViewRow(Base):
    """A named way of looking at one journey (lanes and sections hidden, card filters, zoom):
    its owner's own, or shared with the journey's team (services/saved_views.py)."""

    __tablename__ = "saved_views"
    __table_args__ = (
        UniqueConstraint("journey_id", "owner_id", "name", name="uq_saved_views_owner_name"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    journey_id: Mapped[str] = mapped_column(
        ForeignKey("journeys.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    shared: Mapped[bool] = mapped_column(default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(Json)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)  # its ETag
