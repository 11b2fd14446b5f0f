"""A journey's evidence: the measured figures `journeymap analyze --save` writes, kept beside
the journey on the server, drawn on its posters, and read back by scripts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from ..access import Caller, identify, journey_role, signed_in
from ..http import ProblemError, check_if_match_at, time_etag
from ..schemas.evidence import EvidenceIn, EvidencePublic

router = APIRouter(prefix="/api/journeys/{journey_id}/evidence", tags=["evidence"])
Who = Annotated[Caller, Depends(identify)]


@router.get("", response_model=EvidencePublic)
def read(journey_id: str, caller: Who, request: Request, response: Response) -> EvidencePublic:
    """The journey's evidence (viewers and share links); 404 when none was measured yet. Its
    ETag moves with every replacement."""
    journey_role(request, caller, journey_id, "viewer")
    with request.app.state.db.read() as uow:
        row = uow.evidence.get(journey_id)
    if row is None:
        raise ProblemError(
            404,
            "No evidence yet",
            "measure the journey (journeymap analyze --save) and send the evidence file here",
        )
    public = _public(row)
    response.headers["ETag"] = public.etag
    return public


@router.put("", response_model=EvidencePublic)
def replace(
    journey_id: str, body: EvidenceIn, caller: Who, request: Request, response: Response
) -> EvidencePublic:
    """Store new evidence for the journey (editors). The first needs no If-Match; replacing
    evidence needs its ETag (428 without, 412 with a stale one and the current evidence),
    or `If-Match: *` to replace whatever is there."""
    journey_role(request, caller, journey_id, "editor")
    if not isinstance(body.data.get("items", []), list):
        raise ProblemError(422, "Invalid evidence", "data.items: give a list of measured figures")
    header = request.headers.get("if-match")
    with request.app.state.db.write() as uow:
        if uow.journeys.lock(journey_id) is None:  # two first PUTs must not both insert
            raise ProblemError(404, "Not found", f"there is no journey '{journey_id}' of yours")
        row = uow.evidence.get(journey_id)
        if row is not None:
            check_if_match_at(header, row.updated_at, _public(row))
        elif header is not None and header.strip() != "*":
            raise ProblemError(
                412,
                "Changed since you read it",
                "the journey has no evidence now (it never had, or it was replaced by none); "
                "send it again without If-Match",
            )
        public = _public(uow.evidence.put(journey_id, body.data, signed_in(caller)))
    response.headers["ETag"] = public.etag
    return public


def _public(row: Any) -> EvidencePublic:
    return EvidencePublic(
        data=row.data,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
        etag=time_etag(row.updated_at),
    )
