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

from pydantic import ValidationError

from ..analytics.evidence import EvidenceSet
from ..domain.model import Journey
from . import preconditions
from .errors import Invalid, NotFound, Stale
from .journey_changes import JourneyChanged, publish
from .journeys import get_journey, locked
from .policy import Principal, journey_access, sees_member_names, signed_in
from .preconditions import IfMatch, time_etag

if TYPE_CHECKING:
    from ..storage import Database
    from ..storage.models import EvidenceRow


@dataclass(frozen=True)
class StaleView:
    """What changed in the journey since its figures were measured (analytics.evidence)."""

    touchpoints: list[str]  # rebound, moved, added or unbound since: their reach is stale
    stages: list[str]  # whose entry events changed
    order: bool  # the stages changed
    funnel: bool  # the journey's funnel settings changed
    words: str  # the same, for a person


@dataclass(frozen=True)
class EvidenceView:
    data: dict[str, Any]
    updated_by: str | None
    updated_at: dt.datetime
    etag: str  # moves with every replacement
    stale: StaleView | None = None  # None: nothing changed (or the file cannot tell)


def evidence(db: Database, who: Principal, journey_id: str) -> EvidenceView:
    """404 when none was measured yet. Figures the journey has changed under since they were
    measured are named in `stale`, so no client draws them as current. A share link is not told
    who stored it."""
    journey_access(db, who, journey_id, "viewer")
    with db.read() as uow:
        row = uow.evidence.get(journey_id)
    if row is None:
        raise NotFound(
            "measure the journey (journeymap analyze --save) and send the evidence file here",
            title="No evidence yet",
        )
    view = replace(_view(row), stale=_stale(row.data, get_journey(db, journey_id).journey))
    return view if sees_member_names(who) else replace(view, updated_by=None)


def _stale(data: dict[str, Any], journey: Journey) -> StaleView | None:
    try:
        changes = EvidenceSet.model_validate(data).changes(journey)
    except ValidationError:  # not an evidence file this server reads: nothing to tell
        return None
    if not changes.any:
        return None
    names = {c.id: c.text for c in journey.live_cards()}
    names |= {s.id: s.name for s in journey.live_stages()}
    return StaleView(
        changes.touchpoints, changes.stages, changes.order, changes.funnel, changes.words(names)
    )


def replace_evidence(
    db: Database, who: Principal, journey_id: str, data: dict[str, Any], if_match: IfMatch | None
) -> EvidenceView:
    """New evidence for the journey (editors): an evidence file of any format this version
    reads (events, feedback, heatmap), checked and kept in the current format, so every poster
    and reader after it gets what it can draw."""
    journey_access(db, who, journey_id, "editor")
    return put_evidence(db, journey_id, checked_evidence(data), signed_in(who), if_match)


def checked_evidence(data: dict[str, Any]) -> dict[str, Any]:
    """The evidence in the current format, or Invalid naming the first wrong field."""
    try:
        evidence = EvidenceSet.model_validate(data)
    except ValidationError as error:
        found = error.errors()
        said = "; ".join(
            ".".join(str(p) for p in ("data", *e["loc"])) + f": {e['msg']}" for e in found[:5]
        )
        more = f" (and {len(found) - 5} more)" if len(found) > 5 else ""
        raise Invalid(
            f"{said}{more}: send the content of an evidence file as journeymap analyze --save, "
            "feedback --save or painpoints --save wrote it",
            title="Invalid evidence",
        ) from None
    return evidence.model_dump(mode="json")


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
