"""Everything a live connection's caller check decides on, read in one query: the credential's
row (an API token's revocation and last use, or a session's expiry), the user, the journey's
deletion and workspace, and the caller's role there. services/live.py compares it with what it
read at its last full check: equal, nothing the check looks at has changed (the full check,
four ORM reads, cost a live operation about as much as its own write)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import JourneyRow, MembershipRow, SessionRow, TokenRow, UserRow


def caller_state(
    session: Session,
    journey_id: str,
    *,
    token_digest: str | None = None,
    session_digest: str | None = None,
) -> tuple[Any, ...] | None:
    """(credential..., user id, is_admin, journey deleted_at, workspace, role), or None when
    the credential is gone. A token's `last_used_at` is in it, so a noted use reads as a
    change: the full check runs then (once a minute at most) and notes it."""
    if token_digest is not None:
        cred = TokenRow
        head: tuple[Any, ...] = (TokenRow.id, TokenRow.revoked_at, TokenRow.last_used_at)
        where = TokenRow.digest == token_digest
    elif session_digest is not None:
        cred = SessionRow  # type: ignore[assignment]
        head = (SessionRow.digest, SessionRow.expires_at)
        where = SessionRow.digest == session_digest
    else:
        return None
    query = (
        select(*head, UserRow.id, UserRow.is_admin, JourneyRow.deleted_at, JourneyRow.workspace_id)
        .select_from(cred)
        .outerjoin(UserRow, UserRow.id == cred.user_id)
        .outerjoin(JourneyRow, JourneyRow.id == journey_id)
        .add_columns(MembershipRow.role)
        .outerjoin(
            MembershipRow,
            (MembershipRow.workspace_id == JourneyRow.workspace_id)
            & (MembershipRow.user_id == cred.user_id),
        )
        .where(where)
    )
    row = session.execute(query).first()
    return tuple(row) if row is not None else None
