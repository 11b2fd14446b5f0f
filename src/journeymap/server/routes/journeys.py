"""Journeys: the library, creating (from a template, a framework or a file), reading with an
ETag, exporting, the batch of operations (the one write path), and deleting. The rules are
services/journey_library.py's and services/journey_documents.py's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import PlainTextResponse

from ...services import journey_documents, journey_library
from ...services.batches import ApplyResult
from ...services.journey_library import JourneyView, LibraryPage
from ...services.preconditions import etag
from ..deps import DB, Bounds, Expect, Who
from ..schemas.common import MAX_INT
from ..schemas.journeys import (
    JourneyCreate,
    JourneyPublic,
    JourneyUpdate,
    Library,
    OpsBatch,
    OpsRefused,
    OpsResult,
)

router = APIRouter(prefix="/api", tags=["journeys"])


@dataclass
class LibraryQuery:
    """What the library is asked for: words anywhere on the map, filters, an order, a page."""

    q: Annotated[
        str | None,
        Query(max_length=200, description="words anywhere on the map: title, cards, lanes, ..."),
    ] = None
    persona: Annotated[str | None, Query(max_length=200, description="a persona's id or name")] = (
        None
    )
    stage: Annotated[str | None, Query(max_length=200, description="a stage's id or name")] = None
    status: Annotated[Literal["draft", "researched", "live", "retired"] | None, Query()] = None
    state: Annotated[Literal["current", "future"] | None, Query()] = None
    owner: Annotated[str | None, Query(max_length=200)] = None
    sort: Annotated[Literal["updated", "created", "title"], Query()] = "updated"
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0
    limit: Annotated[int, Query(ge=1, le=200)] = 50


@router.get("/workspaces/{workspace_id}/journeys", response_model=Library)
def library(
    workspace_id: str, caller: Who, db: DB, asked: Annotated[LibraryQuery, Depends()]
) -> LibraryPage:
    """The workspace's journeys, newest change first (or by creation, or by title), that have
    every word of `q` somewhere on the live map and match the persona, stage, status, state and
    owner asked for, a page at a time; `total` counts every match."""
    fields = {k: v for k, v in vars(asked).items() if k != "q"}
    words = tuple((asked.q or "").split())
    return journey_library.search(db, caller, workspace_id, words=words, **fields)


@router.post("/workspaces/{workspace_id}/journeys", status_code=201, response_model=JourneyPublic)
def create(
    workspace_id: str,
    body: JourneyCreate,
    caller: Who,
    response: Response,
    db: DB,
    bounds: Bounds,
) -> JourneyView:
    """A new journey: from a template, a framework, or an imported journey file."""
    made = journey_library.make_journey(
        db,
        caller,
        workspace_id,
        template=body.template,
        framework=body.framework,
        document=body.document,
        title=body.title,
        slots=bounds.parses,
        limits=bounds.limits.journey,
    )
    response.headers["ETag"] = etag(made.rev)
    return made


@router.get("/journeys/{journey_id}", response_model=JourneyPublic)
def read(journey_id: str, caller: Who, db: DB) -> Response:
    """The journey; its ETag is its revision."""
    found = journey_documents.read_journey(db, caller, journey_id)
    return _json(found)


@router.get("/journeys/{journey_id}/export", response_class=PlainTextResponse)
def export(
    journey_id: str,
    caller: Who,
    db: DB,
    format: Annotated[Literal["yaml", "json"], Query()] = "yaml",
) -> PlainTextResponse:
    """The journey in the file format, ready to commit to git."""
    file = journey_documents.export_journey(db, caller, journey_id, as_json=format == "json")
    return PlainTextResponse(
        file.text,
        media_type="application/json" if format == "json" else "application/yaml",
        headers={
            "ETag": etag(file.rev),
            "Content-Disposition": f'attachment; filename="{file.name}"',
        },
    )


@router.post(
    "/journeys/{journey_id}/ops",
    response_model=OpsResult,
    responses={
        422: {
            "model": OpsRefused,
            "description": "The batch was refused: nothing of it "
            "was applied; `op_id` names the operation at fault",
        }
    },
)
def ops(journey_id: str, body: OpsBatch, caller: Who, db: DB, bounds: Bounds) -> ApplyResult:
    """Apply a batch of edit operations, all or none, as one new revision. Each operation has a
    client `op_id`: sent again, it is not applied again (its first answer comes back). Fields
    others changed since `base_rev` are overwritten in server order and listed. A batch that
    would take the journey past a size limit is refused (413, naming the limit)."""
    batch = [{"op_id": o.op_id, "op": o.op} for o in body.ops]
    return journey_documents.edit_journey(
        db, caller, journey_id, batch, body.base_rev, bounds.limits.journey
    )


@router.patch("/journeys/{journey_id}", response_model=JourneyPublic)
def update(
    journey_id: str, body: JourneyUpdate, caller: Who, db: DB, if_match: Expect, bounds: Bounds
) -> Response:
    """Change the journey's own fields (title, status, owner, ...; a null clears one) as one
    new revision, editors only, with `If-Match` an ETag you read (or `*`): 412, with the
    journey now, when any of the journey's own fields changed since; edits to its stages and
    cards in between do not stand in the way."""
    fields = body.model_dump(mode="json", include=body.model_fields_set)
    limits = bounds.limits.journey
    return _json(journey_documents.update_journey(db, caller, journey_id, fields, if_match, limits))


@router.delete("/journeys/{journey_id}", status_code=204)
def delete(journey_id: str, caller: Who, db: DB, if_match: Expect) -> None:
    """Delete the journey (editors and owners; If-Match its ETag). Its history is kept."""
    journey_documents.remove_journey(db, caller, journey_id, if_match)


def _json(found: journey_documents.Encoded) -> Response:
    return Response(found.body, media_type="application/json", headers={"ETag": etag(found.rev)})
