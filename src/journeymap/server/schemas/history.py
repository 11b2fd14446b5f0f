"""A journey's history: revisions, a past revision, a diff, restoring, named versions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from ...domain.wire import FileJourney, JourneyDoc
from ...domain.wire_ops import JourneyDiff, LoggedOp
from .common import MAX_INT, Shaped


class RevisionPublic(BaseModel):
    rev: int
    actor: str | None = Field(
        description="the user id of who made it (kept when the account is deleted; null for "
        "changes made by the server itself, and for a share link, which is not told who)"
    )
    actor_name: str | None = Field(
        description="their display name; null once deleted, and for a share link"
    )
    ts: dt.datetime
    note: str | None = Field(description='e.g. "restore rev 3"')
    op_ids: list[str]
    ops: list[Annotated[dict[str, Any], Shaped(LoggedOp)]] = Field(
        description="the operations applied, as logged (revision 1: the journey's creation)"
    )
    summary: str = Field(description="the revision in one line a person can read")


class HistoryPublic(BaseModel):
    items: list[RevisionPublic] = Field(description="newest first")
    next_before: int | None = Field(
        description="pass as `before` for the next, older page; null on the last page"
    )


class RevisionDocument(BaseModel):
    id: str
    rev: int
    current_rev: int
    document: Annotated[dict[str, Any], Shaped(FileJourney)] = Field(
        description="the journey at `rev`, in the file format"
    )


class RevisionMap(BaseModel):
    id: str
    rev: int
    current_rev: int
    document: Annotated[dict[str, Any], Shaped(JourneyDoc)] = Field(
        description="the journey at `rev` as `GET /api/journeys/{id}` sends a journey (every "
        "item's `updated_rev` is `rev`)"
    )


class DiffPublic(BaseModel):
    from_rev: int
    to_rev: int
    changed: bool
    diff: Annotated[dict[str, Any], Shaped(JourneyDiff)] = Field(
        description="the journey's own fields, then each kind: added, moved, renamed, ..."
    )
    summary: list[str] = Field(description="one line a person can read per change")


class RestoreIn(BaseModel):
    rev: int = Field(ge=1, le=MAX_INT, description="the revision to bring back")
    op_id: str | None = Field(
        default=None, min_length=1, max_length=100, description="send again to retry safely"
    )


class RestoreResult(BaseModel):
    rev: int = Field(description="the journey's revision now")
    restored: int = Field(description="the revision that was brought back")
    status: Literal["applied", "duplicate", "unchanged"]


VersionName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class VersionIn(BaseModel):
    name: VersionName = Field(description='e.g. "Workshop March"')
    rev: int | None = Field(
        default=None, ge=1, le=MAX_INT, description="the current revision when left out"
    )


class VersionPublic(BaseModel):
    name: str
    rev: int
    actor: str | None = Field(description="the user id of who named it; null for a share link")
    ts: dt.datetime
