"""A current map and its future state: the pair, and what changed from one to the other
(services/journey_compare.py). Anyone who reads both journeys may compare them."""

from __future__ import annotations

from fastapi import APIRouter

from ...services import journey_compare
from ...services.journey_compare import CompareView, Counterparts
from ..deps import DB, Who
from ..schemas.compare import ComparePublic, CounterpartsPublic

router = APIRouter(prefix="/api/journeys/{journey_id}", tags=["history"])


@router.get("/counterparts", response_model=CounterpartsPublic)
def counterparts(journey_id: str, caller: Who, db: DB) -> Counterparts:
    """The other half of a current/future pair: a future map's current map, or a current map's
    future states (only those you may read)."""
    return journey_compare.counterparts(db, caller, journey_id)


@router.get("/compare", response_model=ComparePublic)
def compare_pair(journey_id: str, caller: Who, db: DB) -> CompareView:
    """This journey against its counterpart, from the current map to the future one (a current
    map's future state changed last); 404 when it has none."""
    return journey_compare.compare_pair(db, caller, journey_id)


@router.get("/compare/{other_id}", response_model=ComparePublic)
def compare(journey_id: str, other_id: str, caller: Who, db: DB) -> CompareView:
    """What changed from this journey to `other_id`, as the revision diff says it, with the
    touchpoints added, removed and changed and the pain points resolved. You read both."""
    return journey_compare.compare(db, caller, journey_id, other_id)
