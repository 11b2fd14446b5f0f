"""Repositories for workspaces, users and memberships, comments and evidence."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased

from .models import (
    ROLES,
    CommentRow,
    EvidenceRow,
    JourneyRow,
    MembershipRow,
    MentionRow,
    UserRow,
    WorkspaceRow,
    later_than,
    utcnow,
)
from .unique import insert_new


def new_key() -> str:
    """A random id for a workspace, user or journey: 16 url-safe characters."""
    return secrets.token_hex(8)


class AccountRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_workspace(self, name: str, workspace_id: str | None = None) -> WorkspaceRow:
        ts = utcnow()
        row = WorkspaceRow(id=workspace_id or new_key(), name=name, created_at=ts, updated_at=ts)
        self.session.add(row)
        self.session.flush()
        return row

    def workspace(self, workspace_id: str, *, lock: bool = False) -> WorkspaceRow | None:
        """The workspace; `lock` holds its row until the transaction ends (PostgreSQL's
        `FOR UPDATE`; a SQLite write transaction holds the whole database already)."""
        return self.session.get(WorkspaceRow, workspace_id, with_for_update=lock or None)

    def rename_workspace(self, row: WorkspaceRow, name: str) -> None:
        row.name = name
        row.updated_at = later_than(row.updated_at)
        self.session.flush()

    def delete_workspace(self, workspace_id: str) -> None:
        """The workspace and all it holds: journeys, their entities, op log, versions,
        comments, evidence and share links, and memberships go with it (ON DELETE CASCADE)."""
        self.session.execute(delete(WorkspaceRow).where(WorkspaceRow.id == workspace_id))

    def add_user(
        self,
        email: str,
        display_name: str,
        password_hash: str | None = None,
        is_admin: bool = False,
        user_id: str | None = None,
    ) -> UserRow:
        row = UserRow(
            id=user_id or new_key(),
            email=email.strip().lower(),
            display_name=display_name,
            password_hash=password_hash,
            is_admin=is_admin,
            created_at=utcnow(),
        )
        insert_new(self.session, row)  # AlreadyStored when the email is taken meanwhile
        return row

    def users(self) -> list[UserRow]:
        return list(self.session.scalars(select(UserRow).order_by(UserRow.email)))

    def delete_user(self, user_id: str) -> None:
        """The account, its memberships, tokens and sessions (ON DELETE CASCADE); comments
        stay, without an author, and the op log keeps the id it wrote as the actor."""
        self.session.execute(delete(UserRow).where(UserRow.id == user_id))

    def sole_owner_of(self, user_id: str) -> list[WorkspaceRow]:
        """The workspaces whose only owner is this user."""
        owners = (
            select(MembershipRow.workspace_id)
            .where(MembershipRow.role == "owner")
            .group_by(MembershipRow.workspace_id)
            .having(func.count() == 1)
        )
        query = (
            select(WorkspaceRow)
            .join(MembershipRow, MembershipRow.workspace_id == WorkspaceRow.id)
            .where(
                MembershipRow.user_id == user_id,
                MembershipRow.role == "owner",
                WorkspaceRow.id.in_(owners),
            )
            .order_by(WorkspaceRow.name)
        )
        return list(self.session.scalars(query))

    def user_count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(UserRow)) or 0)

    def user(self, user_id: str) -> UserRow | None:
        return self.session.get(UserRow, user_id)

    def user_by_email(self, email: str) -> UserRow | None:
        query = select(UserRow).where(UserRow.email == email.strip().lower())
        return self.session.scalars(query).first()

    def set_role(self, workspace_id: str, user_id: str, role: str) -> MembershipRow:
        if role not in ROLES:
            raise ValueError(f"unknown role '{role}' (roles: {', '.join(ROLES)})")
        row = self.session.get(MembershipRow, (workspace_id, user_id))
        if row is None:
            row = MembershipRow(
                workspace_id=workspace_id, user_id=user_id, role=role, created_at=utcnow()
            )
            self.session.add(row)
        else:
            row.role = role
        self.session.flush()
        return row

    def role(self, workspace_id: str, user_id: str) -> str | None:
        row = self.session.get(MembershipRow, (workspace_id, user_id))
        return row.role if row else None

    def members(self, workspace_id: str) -> list[tuple[MembershipRow, UserRow]]:
        query = (
            select(MembershipRow, UserRow)
            .join(UserRow, UserRow.id == MembershipRow.user_id)
            .where(MembershipRow.workspace_id == workspace_id)
            .order_by(UserRow.display_name, UserRow.id)
        )
        return [(m, u) for m, u in self.session.execute(query).tuples()]

    def remove_member(self, workspace_id: str, user_id: str) -> bool:
        done = self.session.execute(
            delete(MembershipRow).where(
                MembershipRow.workspace_id == workspace_id, MembershipRow.user_id == user_id
            )
        )
        return bool(getattr(done, "rowcount", 0))

    def workspaces_of(self, user_id: str) -> list[tuple[WorkspaceRow, str]]:
        query = (
            select(WorkspaceRow, MembershipRow.role)
            .join(MembershipRow, MembershipRow.workspace_id == WorkspaceRow.id)
            .where(MembershipRow.user_id == user_id)
            .order_by(WorkspaceRow.name)
        )
        return [(w, r) for w, r in self.session.execute(query).tuples()]


class CommentRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        journey_id: str,
        target_kind: str,
        target_id: str,
        body: str,
        author_id: str | None,
        parent_id: int | None = None,
        mentions: Sequence[str] = (),
    ) -> CommentRow:
        """A comment, or a reply (`parent_id`); `mentions` are user ids, already resolved to
        members of the workspace by the caller."""
        now = utcnow()
        row = CommentRow(
            journey_id=journey_id,
            target_kind=target_kind,
            target_id=target_id,
            parent_id=parent_id,
            author_id=author_id,
            body=body,
            created_at=now,
            updated_at=now,
        )
        self.session.add(row)
        self.session.flush()
        self.session.add_all(
            MentionRow(comment_id=row.id, user_id=u) for u in dict.fromkeys(mentions)
        )
        self.session.flush()
        return row

    def get(self, comment_id: int, *, lock: bool = False) -> CommentRow | None:
        """The comment; `lock` holds its row for this write (PostgreSQL's FOR UPDATE), so an
        If-Match checked on it still holds when the change is written."""
        return self.session.get(CommentRow, comment_id, with_for_update=lock or None)

    def of_journey(
        self, journey_id: str, target_kind: str | None = None, target_id: str | None = None
    ) -> list[CommentRow]:
        """Comments in creation order (a thread's replies follow their parent's id)."""
        query = select(CommentRow).where(
            CommentRow.journey_id == journey_id, CommentRow.deleted_at.is_(None)
        )
        if target_kind is not None:
            query = query.where(CommentRow.target_kind == target_kind)
        if target_id is not None:
            query = query.where(CommentRow.target_id == target_id)
        return list(self.session.scalars(query.order_by(CommentRow.created_at, CommentRow.id)))

    def mentions(self, comment_ids: Sequence[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {i: [] for i in comment_ids}
        if not comment_ids:
            return out
        query = select(MentionRow).where(MentionRow.comment_id.in_(list(comment_ids)))
        for m in self.session.scalars(query.order_by(MentionRow.comment_id, MentionRow.user_id)):
            out[m.comment_id].append(m.user_id)
        return out

    def mentioning(self, user_id: str) -> list[CommentRow]:
        query = (
            select(CommentRow)
            .join(MentionRow, MentionRow.comment_id == CommentRow.id)
            .where(MentionRow.user_id == user_id, CommentRow.deleted_at.is_(None))
        )
        return list(self.session.scalars(query.order_by(CommentRow.created_at.desc())))

    def mentions_page(
        self,
        user_id: str,
        workspace_id: str | None,
        open_only: bool,
        limit: int,
        offset: int,
    ) -> tuple[list[tuple[CommentRow, JourneyRow, dt.datetime | None]], int, int]:
        """Comments mentioning `user_id` on live journeys of workspaces they are a member of
        (a member who left reads none of it), newest first: one page (each with its thread's
        resolved time: a reply's is its parent's), the total, and how many are unresolved."""
        parent = aliased(CommentRow)
        resolved = func.coalesce(parent.resolved_at, CommentRow.resolved_at)
        query = (
            select(CommentRow, JourneyRow, resolved)
            .join(MentionRow, MentionRow.comment_id == CommentRow.id)
            .join(JourneyRow, JourneyRow.id == CommentRow.journey_id)
            .join(
                MembershipRow,
                (MembershipRow.workspace_id == JourneyRow.workspace_id)
                & (MembershipRow.user_id == user_id),
            )
            .outerjoin(parent, parent.id == CommentRow.parent_id)
            .where(
                MentionRow.user_id == user_id,
                CommentRow.deleted_at.is_(None),
                JourneyRow.deleted_at.is_(None),
            )
        )
        if workspace_id is not None:
            query = query.where(JourneyRow.workspace_id == workspace_id)
        counted = query.with_only_columns(
            func.count(), func.count(CommentRow.id).filter(resolved.is_(None))
        ).order_by(None)
        total, unresolved = self.session.execute(counted).one()
        if open_only:
            query = query.where(resolved.is_(None))
        page = query.order_by(CommentRow.created_at.desc(), CommentRow.id.desc())
        rows = self.session.execute(page.limit(limit).offset(offset)).tuples()
        return [(c, j, r) for c, j, r in rows], int(total), int(unresolved)

    def edit(self, comment_id: int, body: str, mentions: Sequence[str]) -> None:
        """New text; its `mentions` (user ids, resolved by the caller) replace the old ones."""
        row = self.session.get(CommentRow, comment_id)
        if row is None:
            return
        row.body, row.updated_at = body, later_than(row.updated_at)
        wanted = list(dict.fromkeys(mentions))
        old = set(self.mentions([comment_id])[comment_id])
        if gone := old - set(wanted):
            self.session.execute(
                delete(MentionRow).where(
                    MentionRow.comment_id == comment_id, MentionRow.user_id.in_(gone)
                )
            )
        self.session.add_all(
            MentionRow(comment_id=comment_id, user_id=u) for u in wanted if u not in old
        )
        self.session.flush()

    def resolve(self, comment_id: int, resolved: bool = True) -> None:
        row = self.session.get(CommentRow, comment_id)
        if row is not None:
            row.resolved_at = utcnow() if resolved else None
            row.updated_at = later_than(row.updated_at)
            self.session.flush()

    def soft_delete(self, comment_id: int) -> None:
        row = self.session.get(CommentRow, comment_id)
        if row is not None:
            row.deleted_at = utcnow()
            self.session.flush()


class EvidenceRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, journey_id: str, data: dict[str, Any], actor: str | None) -> EvidenceRow:
        row = self.session.get(EvidenceRow, journey_id)
        if row is None:
            row = EvidenceRow(journey_id=journey_id, data=data)
            self.session.add(row)
        row.data = data
        row.updated_by = actor
        row.updated_at = later_than(row.updated_at)
        self.session.flush()
        return row

    def get(self, journey_id: str) -> EvidenceRow | None:
        return self.session.get(EvidenceRow, journey_id)
