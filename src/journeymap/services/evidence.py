"""A journey's evidence: the measured figures `journeymap analyze --save` writes, kept beside
the journey on the server, drawn on its posters, and read back by scripts.

Viewers (and the journey's share link) read it; editors replace it, under the journey's lock
like every other write to a journey, and the change is announced once committed. The first
evidence needs no If-Match; replacing it names its ETag (or `*`, whatever is there).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from . import preconditions
from .errors import Invalid, NotFound, Stale
from .journey_changes import JourneyChanged, publish
from .journeys import locked
from .policy import Principal, journey_access, sees_member_names, signed_in
from .preconditions import IfMatch, time_etag

if TYPE_CHECKING:
    from ..storage import Database
    from ..storage.models import EvidenceRow


@dataclass(frozen=True)
class EvidenceView:
    data: dict[str, Any]
    updated_by: str | None
    updated_at: dt.datetime
    etag: str  # moves with every replacement


def evidence(db: Database, who: Principal, journey_id: str) -> EvidenceView:
    """404 when none was measured yet. A share link is not told who stored it."""
    journey_access(db, who, journey_id, "viewer")
    with db.read() as uow:
        row = uow.evidence.get(journey_id)
    if row is None:
        raise NotFound(
            "measure the journey (journeymap analyze --save) and send the evidence file here",
            title="No evidence yet",
        )
    found = _view(row)
    return found if sees_member_names(who) else replace(found, updated_by=None)


def replace_evidence(
    db: Database, who: Principal, journey_id: str, data: dict[str, Any], if_match: IfMatch | None
) -> EvidenceView:
    """New evidence for the journey (editors)."""
    journey_access(db, who, journey_id, "editor")
    if not isinstance(data.get("items", []), list):
        raise Invalid("data.items: give a list of measured figures", title="Invalid evidence")
    return put_evidence(db, journey_id, data, signed_in(who), if_match)


def put_evidence(
    db: Database, journey_id: str, data: dict[str, Any], actor: str | None, if_match: IfMatch | None
) -> EvidenceView:
    """Store `data` as the journey's evidence: the first needs no If-Match, a replacement its
    ETag (or `*`). Announced as a change of the journey once committed."""
    with locked(db, journey_id) as (uow, row):  # two first writes must not both insert
        rev = row.rev
        found = uow.evidence.get(journey_id)
        if found is not None:
            preconditions.check_at(if_match, found.updated_at, _view(found))
        elif if_match is not None and if_match.revs is not None:
            raise Stale(
                "the journey has no evidence now (it never had, or it was replaced by none); "
                "send it again without If-Match",
                with_current=False,
            )
        view = _view(uow.evidence.put(journey_id, data, actor))
    publish(db, JourneyChanged(journey_id, rev, actor, "evidence"))
    return view


def _view(row: EvidenceRow) -> EvidenceView:
    return EvidenceView(row.data, row.updated_by, row.updated_at, time_etag(row.updated_at))
