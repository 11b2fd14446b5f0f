"""New journeys from others: a duplicate, a future-state copy linked to its current map, and an
import of a journey file sent as an upload (multipart) or as the raw body.

(Creating from a journey file's text inside JSON is `POST /api/workspaces/{id}/journeys` with
`document`; this import takes the file itself, as a browser's file picker or `curl -T` sends it.)
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from ..access import Caller, identify, journey_role, signed_in, workspace_role
from ..http import ProblemError, etag
from ..schemas.copies import CopyRequest
from ..schemas.journeys import JourneyPublic
from .journeys import journey_problem, public_journey, service_errors

router = APIRouter(prefix="/api", tags=["journeys"])
Who = Annotated[Caller, Depends(identify)]
MAX_UPLOAD = 5 * 1024 * 1024
_JSON_TYPES = ("application/json", "text/json")
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
    request: Request,
    response: Response,
    body: Annotated[CopyRequest | None, Body()] = None,
) -> JourneyPublic:
    """A copy of the journey, as a new journey titled '... (copy)' (editors of the workspace
    it goes to; a viewer of the journey may copy it into a workspace they edit)."""
    return _copy(journey_id, caller, request, response, body or CopyRequest(), future=False)


@router.post("/journeys/{journey_id}/future-state", status_code=201, response_model=JourneyPublic)
def future_state(
    journey_id: str,
    caller: Who,
    request: Request,
    response: Response,
    body: Annotated[CopyRequest | None, Body()] = None,
) -> JourneyPublic:
    """A future-state map of this current one: a draft copy with `state: future` whose
    `current_journey` is this journey's id, to design the improved experience beside it."""
    return _copy(journey_id, caller, request, response, body or CopyRequest(), future=True)


def _copy(
    journey_id: str,
    caller: Caller,
    request: Request,
    response: Response,
    body: CopyRequest,
    future: bool,
) -> JourneyPublic:
    from ...domain.model import State, Status
    from ...services.journeys import create_journey, get_journey

    source_ws = journey_role(request, caller, journey_id, "viewer").workspace
    target_ws = body.workspace_id or source_ws
    workspace_role(request, caller, target_ws, "editor")
    with service_errors():
        source = get_journey(request.app.state.db, journey_id).journey
    if future and source.state is State.future:
        hint = f", or make one from its current map '{source.current_journey}'"
        raise ProblemError(
            422,
            "Already a future state",
            f"journey '{journey_id}' is a future-state map; duplicate it instead" + hint,
        )
    suffix = " (future state)" if future else " (copy)"
    update: dict[str, Any] = {
        "id": _id_with(source.id, "future" if future else "copy"),
        "title": body.title or (source.title[: 200 - len(suffix)] + suffix),
    }
    if future:
        update |= {"state": State.future, "current_journey": journey_id, "status": Status.draft}
    journey = _live_copy(source).model_copy(update=update)
    note = f"{'future state' if future else 'copy'} of {journey_id}"
    made = create_journey(request.app.state.db, target_ws, journey, signed_in(caller), note=note)
    response.headers["ETag"] = etag(made.rev)
    response.headers["Location"] = f"/api/journeys/{made.id}"
    return public_journey(made)


def _live_copy(journey: Any) -> Any:
    """The journey as its file holds it: deleted items are left behind, order keys fresh
    (as it is, tombstones and all, should its file not load back)."""
    from ...domain.document import journey_from_data, journey_to_data
    from ...domain.errors import JourneyInvalid

    try:
        return journey_from_data(journey_to_data(journey))
    except JourneyInvalid:  # pragma: no cover - a saved journey always loads back
        return journey


def _id_with(ident: str, word: str) -> str:
    return f"{ident[: 63 - len(word)]}-{word}"


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
    title: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
) -> JourneyPublic:
    """Import a journey file (YAML or JSON, up to 5 MB) as a new journey (editors): upload it
    as the form field `file`, or send it as the body (`curl -T checkout.yaml`). Every problem
    in the file is listed with its line and column."""
    raw = await request.body()  # at most the body limit
    # One thread for the whole import, in one of the process's few parse slots (waited for
    # without a thread): a flood of imports keeps a few threads busy, not all of them.
    async with request.app.state.gates.parses.hold_async():
        made = await run_in_threadpool(_import, request, workspace_id, caller, raw, title)
    response.headers["ETag"] = etag(made.rev)
    response.headers["Location"] = f"/api/journeys/{made.id}"
    return public_journey(made)


def _upload(content_type: str, raw: bytes) -> tuple[str, bytes]:
    """(a file name, the file's bytes) from a multipart form or a raw body."""
    if content_type.lower().startswith("multipart/"):
        name, raw = _form_file(content_type, raw)
    else:
        media = content_type.split(";")[0].strip().lower()
        name = "upload.json" if media in _JSON_TYPES else "upload.yaml"
    if not raw.strip():
        raise ProblemError(
            422, "Empty file", "the journey file is empty; send a YAML or JSON journey file"
        )
    if len(raw) > MAX_UPLOAD:
        raise ProblemError(
            413,
            "File too large",
            f"the file is {len(raw):,} bytes; journey files are limited to {MAX_UPLOAD:,} "
            "(split the journey into several)",
        )
    return name, raw


def _form_file(content_type: str, raw: bytes) -> tuple[str, bytes]:
    from email.parser import BytesParser
    from email.policy import HTTP

    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message: Any = BytesParser(policy=HTTP).parsebytes(head + raw)
    parts = list(message.iter_parts()) if message.is_multipart() else []
    chosen = next(
        (p for p in parts if p.get_param("name", header="content-disposition") == "file"), None
    )
    if chosen is None:
        chosen = next((p for p in parts if p.get_filename()), None)
    if chosen is None:
        raise ProblemError(
            422,
            "No file",
            "the form has no file; send the journey file as the form field `file`",
        )
    data = chosen.get_payload(decode=True)
    return str(chosen.get_filename() or "upload.yaml"), data if isinstance(data, bytes) else b""


def _import(
    request: Request, workspace_id: str, caller: Caller, raw: bytes, title: str | None
) -> Any:
    from ...domain.errors import JourneyInvalid
    from ...services.documents import read_document
    from ...services.journeys import create_journey

    workspace_role(request, caller, workspace_id, "editor")
    name, data = _upload(request.headers.get("content-type", ""), raw)
    actor = signed_in(caller)
    try:  # in the parse slot the route holds
        journey = read_document(data, name, None, limits=request.app.state.limits.journey)
    except JourneyInvalid as error:
        raise journey_problem(error) from None
    if title:
        journey = journey.model_copy(update={"title": title})
    return create_journey(request.app.state.db, workspace_id, journey, actor, note="import")
