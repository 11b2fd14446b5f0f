"""Journeys: the library, creating (from a template, a framework or a file), reading with an
ETag, exporting, the batch of operations (the one write path), and deleting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse

from ..access import Caller, identify, journey_role, signed_in, workspace_role
from ..http import ProblemError, changed_since, etag, if_match_revs
from ..schemas.common import MAX_INT
from ..schemas.journeys import (
    JourneyCreate,
    JourneyPublic,
    JourneySummary,
    JourneyUpdate,
    Library,
    OpsBatch,
    OpsResult,
)

router = APIRouter(prefix="/api", tags=["journeys"])
Who = Annotated[Caller, Depends(identify)]


def journey_problem(error: Any) -> ProblemError:
    """A journey that breaks the rules (JourneyInvalid): every problem listed, the first few in
    the detail, each with its place and fix."""
    problems = [str(p) for p in error.problems]
    return ProblemError(422, "Invalid journey", "; ".join(problems[:5]), problems=problems)


@contextmanager
def service_errors() -> Iterator[None]:
    """The write path's refusals as problems a person can act on."""
    from ...domain.errors import JourneyInvalid, OperationError
    from ...services.journeys import BadBatch, JourneyNotFound, OpsRejected, StaleRevision

    try:
        yield
    except JourneyNotFound as error:
        raise ProblemError(404, "Not found", str(error)) from None
    except BadBatch as error:
        raise ProblemError(422, "Invalid operations", str(error)) from None
    except OpsRejected as error:  # its text already carries the hint
        raise ProblemError(422, "Operations refused", str(error)) from None
    except StaleRevision as error:
        raise ProblemError(
            412, "Changed since you read it", str(error), headers={"ETag": etag(error.rev)}
        ) from None
    except JourneyInvalid as error:
        raise journey_problem(error) from None
    except OperationError as error:
        raise ProblemError(422, "Invalid journey", str(error)) from None


@router.get("/workspaces/{workspace_id}/journeys", response_model=Library)
def library(
    workspace_id: str,
    caller: Who,
    request: Request,
    q: Annotated[
        str | None,
        Query(max_length=200, description="words anywhere on the map: title, cards, lanes, ..."),
    ] = None,
    persona: Annotated[
        str | None, Query(max_length=200, description="a persona's id or name")
    ] = None,
    stage: Annotated[str | None, Query(max_length=200, description="a stage's id or name")] = None,
    status: Annotated[Literal["draft", "researched", "live", "retired"] | None, Query()] = None,
    state: Annotated[Literal["current", "future"] | None, Query()] = None,
    owner: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[Literal["updated", "created", "title"], Query()] = "updated",
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Library:
    """The workspace's journeys, newest change first (or by creation, or by title), that have
    every word of `q` somewhere on the live map and match the persona, stage, status, state and
    owner asked for, a page at a time; `total` counts every match."""
    from ...storage.repositories import LibraryQuery

    workspace_role(request, caller, workspace_id, "viewer")
    query = LibraryQuery(
        tuple((q or "").split()), persona, stage, status, state, owner, sort, offset, limit
    )
    with request.app.state.db.read() as uow:
        rows, total = uow.journeys.search(workspace_id, query)
    return Library(items=[_summary(r) for r in rows], total=total, offset=offset, limit=limit)


@router.post("/workspaces/{workspace_id}/journeys", status_code=201, response_model=JourneyPublic)
def create(
    workspace_id: str, body: JourneyCreate, caller: Who, request: Request, response: Response
) -> JourneyPublic:
    """A new journey: from a template, a framework, or an imported journey file."""
    from ...domain.errors import JourneyInvalid
    from ...services.documents import read_document
    from ...services.journeys import create_journey
    from ...services.templates import NewJourneyError, new_journey

    workspace_role(request, caller, workspace_id, "editor")
    try:
        if body.document is not None:
            gates = request.app.state.gates
            journey = read_document(
                body.document, "document", None, gates.parses, gates.limits.journey
            )
        else:
            journey = new_journey(template=body.template, framework=body.framework)
        if body.title:
            journey = journey.model_copy(update={"title": body.title})
    except JourneyInvalid as error:
        raise journey_problem(error) from None
    except NewJourneyError as error:
        raise ProblemError(422, "Cannot make the journey", str(error)) from None
    made = create_journey(request.app.state.db, workspace_id, journey, signed_in(caller))
    response.headers["ETag"] = etag(made.rev)
    return public_journey(made)


@router.get("/journeys/{journey_id}", response_model=JourneyPublic)
def read(journey_id: str, caller: Who, request: Request) -> Response:
    """The journey; its ETag is its revision."""
    seen = journey_role(request, caller, journey_id, "viewer")
    rev, body = _encoded(request, journey_id, seen.rev)
    return Response(body, media_type="application/json", headers={"ETag": etag(rev)})


_ENCODED_KEPT = 64  # journeys whose current JSON is kept encoded


def _encoded(request: Request, journey_id: str, rev: int) -> tuple[int, bytes]:
    """(its revision, the journey's JSON) at `rev`, or newer when it changed since the role
    check read `rev`; encoded once per revision: a revision never changes, and loading and
    encoding 300 cards is most of a read's time."""
    import json

    from ...services.journeys import get_journey

    kept, lock = request.app.state.encoded_journeys, request.app.state.encoded_lock
    with lock:
        found = kept.get(journey_id)
    if found is not None and found[0] == rev:
        return rev, bytes(found[1])
    with service_errors():
        snap = get_journey(request.app.state.db, journey_id)
    body = json.dumps(public_journey(snap).model_dump(mode="json"), separators=(",", ":")).encode()
    with lock:
        if len(kept) >= _ENCODED_KEPT:
            kept.pop(next(iter(kept)))
        kept[journey_id] = (snap.rev, body)
    return snap.rev, body


@router.get("/journeys/{journey_id}/export", response_class=PlainTextResponse)
def export(
    journey_id: str,
    caller: Who,
    request: Request,
    format: Annotated[Literal["yaml", "json"], Query()] = "yaml",
) -> PlainTextResponse:
    """The journey in the file format, ready to commit to git."""
    from ...files.journey_file import render_text
    from ...services.journeys import get_journey

    journey_role(request, caller, journey_id, "viewer")
    with service_errors():
        snap = get_journey(request.app.state.db, journey_id)
    media = "application/json" if format == "json" else "application/yaml"
    name = f"{snap.journey.id}.{format}"
    return PlainTextResponse(
        render_text(snap.journey, as_json=format == "json"),
        media_type=media,
        headers={"ETag": etag(snap.rev), "Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/journeys/{journey_id}/ops", response_model=OpsResult)
def ops(journey_id: str, body: OpsBatch, caller: Who, request: Request) -> OpsResult:
    """Apply a batch of edit operations, all or none, as one new revision. Each operation has a
    client `op_id`: sent again, it is not applied again (its first answer comes back). Fields
    others changed since `base_rev` are overwritten in server order and listed."""
    from ...services.journeys import apply_ops

    journey_role(request, caller, journey_id, "editor")
    batch = [{"op_id": o.op_id, "op": o.op} for o in body.ops]
    with service_errors():
        result = apply_ops(
            request.app.state.db, journey_id, signed_in(caller), batch, body.base_rev
        )
    return OpsResult.model_validate(result, from_attributes=True)


@router.patch("/journeys/{journey_id}", response_model=JourneyPublic)
def update(journey_id: str, body: JourneyUpdate, caller: Who, request: Request) -> Response:
    """Change the journey's own fields (title, status, owner, ...; a null clears one) as one
    new revision, editors only, with `If-Match` an ETag you read (or `*`): 412, with the
    journey now, when any of the journey's own fields changed since; edits to its stages and
    cards in between do not stand in the way."""
    import json

    from ...services.journeys import StaleRevision, apply_ops, get_journey, new_op_id

    access = journey_role(request, caller, journey_id, "editor")
    db, header = request.app.state.db, request.headers.get("if-match")
    accepted = if_match_revs(header, access.rev)  # None: `*`, whatever the journey is now

    def stale(rev: int) -> ProblemError:
        return changed_since(header, rev, json.loads(_encoded(request, journey_id, rev)[1]))

    known = sorted(r for r in accepted or () if 1 <= r <= access.rev)
    if accepted is not None and not known:  # no ETag this journey ever had
        raise stale(access.rev)
    base = known[-1] if known else access.rev
    with service_errors():
        now = get_journey(db, journey_id).journey
        wanted = body.model_dump(mode="json", include=body.model_fields_set)
        have = now.model_dump(mode="json", include=set(wanted))
        ops = [
            {
                "op_id": new_op_id(),
                "op": {"kind": "set", "entity": "journey", "field": k, "value": v},
            }
            for k, v in wanted.items()
            if have.get(k) != v
        ]
        rev = access.rev
        try:
            if ops:
                strict = accepted is not None
                rev = apply_ops(
                    db, journey_id, signed_in(caller), ops, base, if_unchanged=strict
                ).rev
        except StaleRevision as error:
            raise stale(error.rev) from None
    rev, encoded = _encoded(request, journey_id, rev)
    return Response(encoded, media_type="application/json", headers={"ETag": etag(rev)})


@router.delete("/journeys/{journey_id}", status_code=204)
def delete(journey_id: str, caller: Who, request: Request) -> None:
    """Delete the journey (editors and owners; If-Match its ETag). Its history is kept."""
    from ..http import check_if_match

    journey_role(request, caller, journey_id, "editor")
    with request.app.state.db.write() as uow:
        row = uow.journeys.lock(journey_id)
        if row is None:
            raise ProblemError(404, "Not found", f"there is no journey '{journey_id}'")
        check_if_match(request.headers.get("if-match"), row.rev, {"rev": row.rev})
        row.deleted_at = dt.datetime.now(dt.UTC)


def _summary(row: Any) -> JourneySummary:
    return JourneySummary.model_validate(row, from_attributes=True)


def public_journey(snap: Any) -> JourneyPublic:
    from ...domain.document import journey_to_data

    return JourneyPublic(
        id=snap.id,
        workspace_id=snap.workspace_id,
        rev=snap.rev,
        document=journey_to_data(snap.journey),
    )
