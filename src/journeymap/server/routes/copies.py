"""New journeys from others: a duplicate, a future-state copy linked to its current map, and an
import of a journey file sent as an upload (multipart) or as the raw body
(services/journey_library.py).

(Creating from a journey file's text inside JSON is `POST /api/workspaces/{id}/journeys` with
`document`; this import takes the file itself, as a browser's file picker or `curl -T` sends it.)
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from ...services import journey_library
from ...services.journey_library import JourneyView
from ...services.preconditions import etag
from ..deps import DB, Bounds, Who
from ..schemas.copies import CopyRequest
from ..schemas.journeys import JourneyPublic
from ..uploads import journey_upload

router = APIRouter(prefix="/api", tags=["journeys"])
_UPLOAD_DOC = {
    "requestBody": {
        "required": True,
        "description": "a journey file (YAML or JSON, up to 5 MB): as the form field `file`, "
        "or as the whole body",
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}


@router.post("/journeys/{journey_id}/duplicate", status_code=201, response_model=JourneyPublic)
def duplicate(
    journey_id: str,
    caller: Who,
    response: Response,
    db: DB,
    bounds: Bounds,
    body: Annotated[CopyRequest | None, Body()] = None,
) -> JourneyView:
    """A copy of the journey, as a new journey titled '... (copy)' (editors of the workspace
    it goes to; a viewer of the journey may copy it into a workspace they edit)."""
    return _copy(db, caller, journey_id, response, body or CopyRequest(), False, bounds)


@router.post("/journeys/{journey_id}/future-state", status_code=201, response_model=JourneyPublic)
def future_state(
    journey_id: str,
    caller: Who,
    response: Response,
    db: DB,
    bounds: Bounds,
    body: Annotated[CopyRequest | None, Body()] = None,
) -> JourneyView:
    """A future-state map of this current one: a draft copy with `state: future` whose
    `current_journey` is this journey's id, to design the improved experience beside it."""
    return _copy(db, caller, journey_id, response, body or CopyRequest(), True, bounds)


def _copy(
    db: DB,
    caller: Who,
    journey_id: str,
    response: Response,
    body: CopyRequest,
    future: bool,
    bounds: Bounds,
) -> JourneyView:
    made = journey_library.copy_journey(
        db,
        caller,
        journey_id,
        future=future,
        title=body.title,
        workspace_id=body.workspace_id,
        limits=bounds.limits.journey,
    )
    return _made(made, response)


@router.post(
    "/workspaces/{workspace_id}/journeys/import",
    status_code=201,
    response_model=JourneyPublic,
    openapi_extra=_UPLOAD_DOC,
)
async def import_file(
    workspace_id: str,
    caller: Who,
    request: Request,
    response: Response,
    db: DB,
    bounds: Bounds,
    title: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
) -> JourneyView:
    """Import a journey file (YAML or JSON, up to 5 MB) as a new journey (editors): upload it
    as the form field `file`, or send it as the body (`curl -T checkout.yaml`). Every problem
    in the file is listed with its line and column."""
    raw = await request.body()  # at most the body limit
    content_type = request.headers.get("content-type", "")
    # One thread for the whole import, in one of the process's few parse slots (waited for
    # without a thread): a flood of imports keeps a few threads busy, not all of them.
    async with bounds.parses.hold_async():
        made = await run_in_threadpool(
            journey_library.import_file,
            db,
            caller,
            workspace_id,
            lambda: journey_upload(content_type, raw),
            title,
            bounds.limits.journey,
        )
    return _made(made, response)


def _made(made: JourneyView, response: Response) -> JourneyView:
    response.headers["ETag"] = etag(made.rev)
    response.headers["Location"] = f"/api/journeys/{made.id}"
    return made
