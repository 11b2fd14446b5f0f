"""Writes that say which version they change: ETags and If-Match, the rule every write keeps.

A thing's ETag is its revision, `"r<rev>"`: a journey's or an entity's `rev`, or, for things
kept without one (comments, workspaces, evidence, library personas), `updated_at` in
microseconds, which every change moves. A write names the ETag it read (`If-Match`); a write
without one is refused (428), one naming an older ETag too (412, with the thing as it is now),
so no one's change is lost. `*` writes whatever is there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .errors import PreconditionRequired, Stale

_ETAG = re.compile(r'"r(?:0|[1-9][0-9]{0,19})"')  # as etag() writes them


def etag(rev: int) -> str:
    return f'"r{rev}"'


def time_rev(updated_at: dt.datetime) -> int:
    """A revision for things kept without one: `updated_at` in microseconds."""
    return int(updated_at.timestamp() * 1_000_000)


def time_etag(updated_at: dt.datetime) -> str:
    return etag(time_rev(updated_at))


@dataclass(frozen=True)
class IfMatch:
    """An If-Match as sent (`header`, for messages) and the revisions it names (`revs`; None
    for `*`, any)."""

    header: str
    revs: frozenset[int] | None

    @classmethod
    def parse(cls, header: str | None) -> IfMatch | None:
        """None when there is no header; ETags not of our form name no revision."""
        if header is None:
            return None
        wanted = [t.strip().removeprefix("W/") for t in header.split(",")]
        if "*" in wanted:
            return cls(header, None)
        return cls(header, frozenset(int(t[2:-1]) for t in wanted if _ETAG.fullmatch(t)))

    def names(self, rev: int) -> bool:
        return self.revs is None or rev in self.revs


def required(if_match: IfMatch | None, rev: int) -> IfMatch:
    """`if_match`, or 428 naming the current ETag (`rev`)."""
    if if_match is None:
        raise PreconditionRequired(
            "send If-Match with the ETag you last read, so that no one's change is lost; "
            f"the current one is {etag(rev)}"
        )
    return if_match


def check(if_match: IfMatch | None, rev: int, current: Any) -> None:
    """Refuse a write without `If-Match` (428) or with a stale one (412, with `current`)."""
    if not required(if_match, rev).names(rev):
        raise changed_since(if_match, rev, current)


def check_at(if_match: IfMatch | None, updated_at: dt.datetime, current: Any) -> None:
    """`check` for things whose ETag is their `updated_at`."""
    check(if_match, time_rev(updated_at), current)


def changed_since(if_match: IfMatch | None, rev: int, current: Any) -> Stale:
    """412 for an `If-Match` that is not the current ETag, with the current representation."""
    header = if_match.header if if_match is not None else None
    return Stale(
        f"someone changed this since {header}; it is now {etag(rev)}: merge your change into "
        "the current version below and send it again with the new ETag",
        rev=rev,
        current=current,
        headers={"ETag": etag(rev)},
    )
