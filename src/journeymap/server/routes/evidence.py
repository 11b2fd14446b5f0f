"""A journey's evidence: the measured figures `journeymap analyze --save` writes, kept beside
the journey on the server, drawn on its posters, and read back by scripts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from ..access import Caller, identify, journey_role, signed_in
from ..http import ProblemError
from ..schemas.evidence import EvidenceIn, EvidencePublic

router = APIRouter(prefix="/api/journeys/{journey_id}/evidence", tags=["evidence"])
Who = Annotated[Caller, Depends(identify)]


@router.get("", response_model=EvidencePublic)
def read(journey_id: str, caller: Who, request: Request) -> EvidencePublic:
    """The journey's evidence (viewers and share links); 404 when none was measured yet."""
    journey_role(request, caller, journey_id, "viewer")
    with request.app.state.db.read() as uow:
        row = uow.evidence.get(journey_id)
    if row is None:
        raise ProblemError(
            404,
            "No evidence yet",
            "measure the journey (journeymap analyze --save) and send the evidence file here",
        )
    return EvidencePublic.model_validate(row, from_attributes=True)


@router.put("", response_model=EvidencePublic)
def replace(
    journey_id: str, body: EvidenceIn, caller: Who, request: Request, response: Response
) -> EvidencePublic:
    """Store new evidence for the journey (editors), replacing what was there."""
    journey_role(request, caller, journey_id, "editor")
    if not isinstance(body.data.get("items", []), list):
        raise ProblemError(422, "Invalid evidence", "data.items: give a list of measured figures")
    with request.app.state.db.write() as uow:
        row = uow.evidence.put(journey_id, body.data, signed_in(caller))
        return EvidencePublic.model_validate(row, from_attributes=True)
