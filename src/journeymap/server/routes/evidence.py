"""A journey's evidence: the measured figures `journeymap analyze --save` writes, kept beside
the journey on the server, drawn on its posters, and read back by scripts
(services/evidence.py)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ...services import evidence as evidence_service
from ...services.evidence import EvidenceView
from ..deps import DB, Expect, Who
from ..schemas.evidence import EvidenceIn, EvidencePublic

router = APIRouter(prefix="/api/journeys/{journey_id}/evidence", tags=["evidence"])


@router.get("", response_model=EvidencePublic)
def read(journey_id: str, caller: Who, response: Response, db: DB) -> EvidenceView:
    """The journey's evidence (viewers and share links); 404 when none was measured yet. Its
    ETag moves with every replacement."""
    found = evidence_service.evidence(db, caller, journey_id)
    response.headers["ETag"] = found.etag
    return found


@router.put("", response_model=EvidencePublic)
def replace(
    journey_id: str, body: EvidenceIn, caller: Who, response: Response, db: DB, if_match: Expect
) -> EvidenceView:
    """Store new evidence for the journey (editors). The first needs no If-Match; replacing
    evidence needs its ETag (428 without, 412 with a stale one and the current evidence),
    or `If-Match: *` to replace whatever is there."""
    done = evidence_service.replace_evidence(db, caller, journey_id, body.data, if_match)
    response.headers["ETag"] = done.etag
    return done
