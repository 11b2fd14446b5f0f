"""The workspace's persona library at /api/workspaces/{workspace_id}/personas: the personas a
team agreed on, read by every member, kept by editors. A journey takes a copy of one when it
names the persona by its id alone (see services/persona_library.py). Each persona's ETag moves
with every change; PATCH and DELETE need If-Match (428 without, 412 when stale, with the
current persona in the body)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request, Response

from ..access import Caller, identify, signed_in, workspace_role
from ..http import ProblemError, check_if_match_at, time_etag
from ..schemas.personas import JourneyRef, LibraryPersonaPublic
from .entities import entity_errors

router = APIRouter(prefix="/api/workspaces/{workspace_id}/personas", tags=["personas"])
Who = Annotated[Caller, Depends(identify)]
PersonaId = Annotated[str, Path(min_length=1, max_length=64)]
Fields = Annotated[
    dict[str, Any],
    Body(
        description="a persona's fields as a journey file holds them: name, segment, quote, "
        "goals, needs, frustrations, behaviours, data_sources, match (and an id, or one is made "
        "from the name)"
    ),
]


@router.get("", response_model=list[LibraryPersonaPublic])
def library(workspace_id: str, caller: Who, request: Request) -> list[LibraryPersonaPublic]:
    """The workspace's personas, by id, each with the journeys that have it."""
    workspace_role(request, caller, workspace_id, "viewer")
    with request.app.state.db.read() as uow:
        rows = uow.personas.of(workspace_id)
        journeys = uow.journeys.persona_uses(workspace_id)
    return [_public(r, journeys) for r in rows]


@router.post("", status_code=201, response_model=LibraryPersonaPublic)
def add(
    workspace_id: str, body: Fields, caller: Who, request: Request, response: Response
) -> LibraryPersonaPublic:
    """A new persona in the library (editors)."""
    from ...services.persona_library import PersonaExists, new_library_persona
    from ...storage.unique import AlreadyStored

    workspace_role(request, caller, workspace_id, "editor")
    with request.app.state.db.write() as uow, entity_errors():
        taken = {r.persona_id for r in uow.personas.of(workspace_id)}
        ident, data = new_library_persona(body, taken)
        try:
            row = uow.personas.add(workspace_id, ident, data, signed_in(caller))
        except AlreadyStored:  # added by someone else since `taken` was read
            raise PersonaExists(f"the library already has a persona '{ident}'") from None
        public = _public(row, uow.journeys.persona_uses(workspace_id))
    response.headers["ETag"] = public.etag
    return public


@router.get("/{persona_id}", response_model=LibraryPersonaPublic)
def read(
    workspace_id: str, persona_id: PersonaId, caller: Who, request: Request, response: Response
) -> LibraryPersonaPublic:
    workspace_role(request, caller, workspace_id, "viewer")
    with request.app.state.db.read() as uow:
        public = _public(
            _found(uow, workspace_id, persona_id), uow.journeys.persona_uses(workspace_id)
        )
    response.headers["ETag"] = public.etag
    return public


@router.patch("/{persona_id}", response_model=LibraryPersonaPublic)
def change(
    workspace_id: str,
    persona_id: PersonaId,
    body: Fields,
    caller: Who,
    request: Request,
    response: Response,
) -> LibraryPersonaPublic:
    """Change some of the persona's fields (a null clears one); editors, with If-Match. The
    journeys that have it keep their own copies."""
    from ...services.persona_library import patched

    workspace_role(request, caller, workspace_id, "editor")
    with request.app.state.db.write() as uow, entity_errors():
        journeys = uow.journeys.persona_uses(workspace_id)
        row = _matching(request, uow, workspace_id, persona_id, journeys)
        uow.personas.replace(row, patched(persona_id, row.data, body))
        public = _public(row, journeys)
    response.headers["ETag"] = public.etag
    return public


@router.delete("/{persona_id}", status_code=204)
def remove(workspace_id: str, persona_id: PersonaId, caller: Who, request: Request) -> None:
    """Take the persona out of the library (editors, with If-Match); journeys keep theirs."""
    workspace_role(request, caller, workspace_id, "editor")
    with request.app.state.db.write() as uow:
        journeys = uow.journeys.persona_uses(workspace_id)
        _matching(request, uow, workspace_id, persona_id, journeys)
        uow.personas.remove(workspace_id, persona_id)


def _found(uow: Any, workspace_id: str, persona_id: str, *, lock: bool = False) -> Any:
    row = uow.personas.get(workspace_id, persona_id, lock=lock)
    if row is None:
        raise ProblemError(
            404, "Not found", f"the library has no persona '{persona_id}' (GET the library)"
        )
    return row


def _matching(request: Request, uow: Any, workspace_id: str, persona_id: str, journeys: Any) -> Any:
    """The persona's row, locked for this write, once If-Match is its ETag."""
    row = _found(uow, workspace_id, persona_id, lock=True)
    check_if_match_at(request.headers.get("if-match"), row.updated_at, _public(row, journeys))
    return row


def _public(row: Any, journeys: list[tuple[str, str, str]]) -> LibraryPersonaPublic:
    """`journeys`: (id, title, persona_ids) of the workspace's, as `persona_uses` reads them."""
    wanted = f"\n{row.persona_id}\n"  # ids exactly: a name alike is another persona
    return LibraryPersonaPublic(
        id=row.persona_id,
        value=row.data,
        created_at=row.created_at,
        updated_at=row.updated_at,
        etag=time_etag(row.updated_at),
        used_in=[JourneyRef(id=i, title=t) for i, t, ids in journeys if wanted in ids],
    )
