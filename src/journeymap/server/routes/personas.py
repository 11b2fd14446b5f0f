"""The workspace's persona library at /api/workspaces/{workspace_id}/personas: the personas a
team agreed on, read by every member, kept by editors. A journey takes a copy of one when it
names the persona by its id alone (see services/persona_library.py). Each persona's ETag moves
with every change; PATCH and DELETE need If-Match (428 without, 412 when stale, with the
current persona in the body)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Response

from ...services import persona_library
from ...services.persona_library import LibraryPersonaView
from ..deps import DB, Expect, Who
from ..schemas.personas import LibraryPersonaPublic

router = APIRouter(prefix="/api/workspaces/{workspace_id}/personas", tags=["personas"])
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
def library(workspace_id: str, caller: Who, db: DB) -> list[LibraryPersonaView]:
    """The workspace's personas, by id, each with the journeys that have it."""
    return persona_library.library(db, caller, workspace_id)


@router.post("", status_code=201, response_model=LibraryPersonaPublic)
def add(
    workspace_id: str, body: Fields, caller: Who, response: Response, db: DB
) -> LibraryPersonaView:
    """A new persona in the library (editors)."""
    made = persona_library.add_persona(db, caller, workspace_id, body)
    response.headers["ETag"] = made.etag
    return made


@router.get("/{persona_id}", response_model=LibraryPersonaPublic)
def read(
    workspace_id: str, persona_id: PersonaId, caller: Who, response: Response, db: DB
) -> LibraryPersonaView:
    found = persona_library.persona(db, caller, workspace_id, persona_id)
    response.headers["ETag"] = found.etag
    return found


@router.patch("/{persona_id}", response_model=LibraryPersonaPublic)
def change(
    workspace_id: str,
    persona_id: PersonaId,
    body: Fields,
    caller: Who,
    response: Response,
    db: DB,
    if_match: Expect,
) -> LibraryPersonaView:
    """Change some of the persona's fields (a null clears one); editors, with If-Match. The
    journeys that have it keep their own copies."""
    done = persona_library.change_persona(db, caller, workspace_id, persona_id, body, if_match)
    response.headers["ETag"] = done.etag
    return done


@router.delete("/{persona_id}", status_code=204)
def remove(workspace_id: str, persona_id: PersonaId, caller: Who, db: DB, if_match: Expect) -> None:
    """Take the persona out of the library (editors, with If-Match); journeys keep theirs."""
    persona_library.remove_persona(db, caller, workspace_id, persona_id, if_match)
