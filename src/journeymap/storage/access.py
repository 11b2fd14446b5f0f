"""Repositories for API tokens, browser sessions and share links: everything is looked up by
the digest of the secret, never by the secret itself."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .accounts import new_key
from .models import SessionRow, ShareLinkRow, TokenRow, utcnow

_Revocable = TypeVar("_Revocable", TokenRow, ShareLinkRow)


class AccessRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ---------------------------------------------------------------- personal API tokens
    def add_token(self, user_id: str, name: str, prefix: str, digest: str) -> TokenRow:
        row = TokenRow(
            id=new_key(),
            user_id=user_id,
            name=name,
            prefix=prefix,
            digest=digest,
            created_at=utcnow(),
        )
        self.session.add(row)
        self.session.flush()
        return row

    def token(self, digest: str) -> TokenRow | None:
        """A live token by its digest."""
        row = self.session.scalars(select(TokenRow).where(TokenRow.digest == digest)).first()
        if row is None or row.revoked_at is not None:
            return None
        return row

    def note_token_use(self, token_id: str) -> None:
        row = self.session.get(TokenRow, token_id)
        if row is not None:
            row.last_used_at = utcnow()

    def tokens_of(self, user_id: str) -> list[TokenRow]:
        query = select(TokenRow).where(TokenRow.user_id == user_id).order_by(TokenRow.created_at)
        return list(self.session.scalars(query))

    def revoke_token(self, user_id: str, token_id: str) -> bool:
        return self._revoke(TokenRow, token_id, user_id=user_id)

    # ---------------------------------------------------------------- browser sessions
    def add_session(self, user_id: str, digest: str, lifetime: dt.timedelta) -> SessionRow:
        now = utcnow()
        row = SessionRow(digest=digest, user_id=user_id, created_at=now, expires_at=now + lifetime)
        self.session.add(row)
        self.session.flush()
        return row

    def session_user(self, digest: str) -> str | None:
        row = self.session.get(SessionRow, digest)
        if row is None or row.expires_at <= utcnow():
            return None
        return row.user_id

    def end_session(self, digest: str) -> None:
        self.session.execute(delete(SessionRow).where(SessionRow.digest == digest))

    def end_sessions_of(self, user_id: str, keep: str | None = None) -> None:
        """Sign the user out everywhere (but the session whose digest is `keep`)."""
        query = delete(SessionRow).where(SessionRow.user_id == user_id)
        if keep is not None:
            query = query.where(SessionRow.digest != keep)
        self.session.execute(query)

    # ---------------------------------------------------------------- share links
    def add_share_link(
        self,
        journey_id: str,
        prefix: str,
        digest: str,
        created_by: str,
        expires_at: dt.datetime | None,
    ) -> ShareLinkRow:
        row = ShareLinkRow(
            id=new_key(),
            journey_id=journey_id,
            prefix=prefix,
            digest=digest,
            created_by=created_by,
            created_at=utcnow(),
            expires_at=expires_at,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def share_link(self, digest: str) -> ShareLinkRow | None:
        """A live link: not revoked, not expired."""
        row = self.session.scalars(
            select(ShareLinkRow).where(ShareLinkRow.digest == digest)
        ).first()
        if row is None or row.revoked_at is not None:
            return None
        if row.expires_at is not None and row.expires_at <= utcnow():
            return None
        return row

    def share_link_row(self, digest: str) -> ShareLinkRow | None:
        """The link with this digest, live or not (to say why it no longer opens)."""
        return self.session.scalars(
            select(ShareLinkRow).where(ShareLinkRow.digest == digest)
        ).first()

    def share_links_of(self, journey_id: str) -> list[ShareLinkRow]:
        query = (
            select(ShareLinkRow)
            .where(ShareLinkRow.journey_id == journey_id)
            .order_by(ShareLinkRow.created_at)
        )
        return list(self.session.scalars(query))

    def revoke_share_link(self, journey_id: str, link_id: str) -> bool:
        return self._revoke(ShareLinkRow, link_id, journey_id=journey_id)

    def _revoke(self, table: type[_Revocable], row_id: str, **owner: str) -> bool:
        """Revoke a live token or link whose columns match `owner` (its user, its journey);
        False when there is none, so no one learns of another's."""
        row = self.session.get(table, row_id)
        if row is None or row.revoked_at is not None:
            return False
        if any(getattr(row, column) != value for column, value in owner.items()):
            return False
        row.revoked_at = utcnow()
        return True
