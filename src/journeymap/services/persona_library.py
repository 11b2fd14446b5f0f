"""The workspace's persona library: personas a team agreed on, kept once and copied into
journeys.

A journey holds its own copy of each persona, so its file stays whole and its history stays
true. The library comes in when a journey names a persona by its id alone: a journey file's
`personas: [hannah]` on create or import, or an added persona `{"id": "hannah"}`. Such a
persona takes the library's fields; from then on the copy is the journey's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.entities import INTERNAL
from ..domain.errors import Problem
from ..domain.ids import new_id
from ..domain.model import Journey, Persona
from ..storage.unique import AlreadyStored
from . import preconditions
from .entity_fields import EntityExists, FieldProblems, check_fields
from .errors import NotFound
from .policy import Principal, signed_in, workspace_role
from .preconditions import IfMatch, time_etag

if TYPE_CHECKING:
    from ..storage import Database, UnitOfWork
    from ..storage.models import LibraryPersonaRow

_BOOKKEEPING = {*INTERNAL, "id"}  # a library persona's id is its row's key


class PersonaExists(EntityExists):
    """The library already has a persona with that id."""


def new_library_persona(body: Mapping[str, Any], taken: set[str]) -> tuple[str, dict[str, Any]]:
    """(its id, its fields) for a new library persona; FieldProblems naming wrong fields."""
    value = dict(body)
    given = value.pop("id", None)
    if given is not None and not isinstance(given, str):
        raise FieldProblems([Problem(("id",), "expected text", "leave it out to get one made")])
    if given is not None and given in taken:
        raise PersonaExists(f"the library already has a persona '{given}'; choose another id")
    ident = given if given is not None else new_id("persona", value, set(taken))
    return ident, _checked(ident, value)


def patched(ident: str, current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The persona's fields with `changes` made (a null clears a field)."""
    if "id" in changes and changes["id"] != ident:
        raise FieldProblems(
            [Problem(("id",), "an id cannot change", "add a new persona and delete this one")]
        )
    merged = {**current, **{k: v for k, v in changes.items() if k != "id"}}
    return _checked(ident, {k: v for k, v in merged.items() if v is not None})


def named_only(persona: Persona) -> bool:
    """Whether the persona is its id and nothing else (`personas: [hannah]`)."""
    return not persona.model_dump(exclude=_BOOKKEEPING, exclude_defaults=True)


def fill_from_library(journey: Journey, library: Iterable[tuple[str, dict[str, Any]]]) -> Journey:
    """The journey with each persona named by id alone given the library's fields."""
    found = dict(library)
    personas = [
        Persona.model_validate(
            {**found[p.id], "id": p.id, "order_key": p.order_key, "deleted": p.deleted}
        )
        if named_only(p) and p.id in found
        else p
        for p in journey.personas
    ]
    if personas == journey.personas:
        return journey
    return journey.model_copy(update={"personas": personas})


def _checked(ident: str, value: dict[str, Any]) -> dict[str, Any]:
    check_fields("persona", {**value, "id": ident})
    persona = Persona.model_validate({**value, "id": ident})
    return persona.model_dump(mode="json", exclude=_BOOKKEEPING, exclude_defaults=True)


# ---------------------------------------------------------------- as a caller asks for it


@dataclass(frozen=True)
class JourneyRef:
    id: str
    title: str


@dataclass(frozen=True)
class LibraryPersonaView:
    id: str
    value: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    etag: str
    used_in: list[JourneyRef]  # the workspace's journeys with this persona


def library(db: Database, who: Principal, workspace_id: str) -> list[LibraryPersonaView]:
    """The workspace's personas, by id, each with the journeys that have it (members)."""
    workspace_role(db, who, workspace_id, "viewer")
    with db.read() as uow:
        rows = uow.personas.of(workspace_id)
        journeys = uow.journeys.persona_uses(workspace_id)
    return [_view(r, journeys) for r in rows]


def add_persona(
    db: Database, who: Principal, workspace_id: str, body: Mapping[str, Any]
) -> LibraryPersonaView:
    """A new persona in the library (editors)."""
    workspace_role(db, who, workspace_id, "editor")
    with db.write() as uow:
        taken = {r.persona_id for r in uow.personas.of(workspace_id)}
        ident, data = new_library_persona(body, taken)
        try:
            row = uow.personas.add(workspace_id, ident, data, signed_in(who))
        except AlreadyStored:  # added by someone else since `taken` was read
            raise PersonaExists(f"the library already has a persona '{ident}'") from None
        return _view(row, uow.journeys.persona_uses(workspace_id))


def persona(db: Database, who: Principal, workspace_id: str, persona_id: str) -> LibraryPersonaView:
    workspace_role(db, who, workspace_id, "viewer")
    with db.read() as uow:
        row = _found(uow, workspace_id, persona_id)
        return _view(row, uow.journeys.persona_uses(workspace_id))


def change_persona(
    db: Database,
    who: Principal,
    workspace_id: str,
    persona_id: str,
    changes: Mapping[str, Any],
    if_match: IfMatch | None,
) -> LibraryPersonaView:
    """Change some of its fields (a null clears one); editors. Journeys keep their copies."""
    workspace_role(db, who, workspace_id, "editor")
    with db.write() as uow:
        journeys = uow.journeys.persona_uses(workspace_id)
        row = _matching(uow, workspace_id, persona_id, journeys, if_match)
        uow.personas.replace(row, patched(persona_id, row.data, changes))
        return _view(row, journeys)


def remove_persona(
    db: Database, who: Principal, workspace_id: str, persona_id: str, if_match: IfMatch | None
) -> None:
    """Take it out of the library (editors); journeys keep theirs."""
    workspace_role(db, who, workspace_id, "editor")
    with db.write() as uow:
        journeys = uow.journeys.persona_uses(workspace_id)
        _matching(uow, workspace_id, persona_id, journeys, if_match)
        uow.personas.remove(workspace_id, persona_id)


def library_fields(db: Database, workspace_id: str, persona_id: str) -> dict[str, Any] | None:
    """The library's fields of a persona added to a journey by its id alone, if it has it."""
    with db.read() as uow:
        found = uow.personas.get(workspace_id, persona_id)
        return {**found.data, "id": persona_id} if found else None


def _found(
    uow: UnitOfWork, workspace_id: str, persona_id: str, *, lock: bool = False
) -> LibraryPersonaRow:
    row = uow.personas.get(workspace_id, persona_id, lock=lock)
    if row is None:
        raise NotFound(f"the library has no persona '{persona_id}' (GET the library)")
    return row


def _matching(
    uow: UnitOfWork,
    workspace_id: str,
    persona_id: str,
    journeys: list[tuple[str, str, str]],
    if_match: IfMatch | None,
) -> LibraryPersonaRow:
    """The persona's row, locked for this write, once If-Match is its ETag."""
    row = _found(uow, workspace_id, persona_id, lock=True)
    preconditions.check_at(if_match, row.updated_at, _view(row, journeys))
    return row


def _view(row: LibraryPersonaRow, journeys: list[tuple[str, str, str]]) -> LibraryPersonaView:
    """`journeys`: (id, title, persona_ids) of the workspace's, as `persona_uses` reads them."""
    wanted = f"\n{row.persona_id}\n"  # ids exactly: a name alike is another persona
    return LibraryPersonaView(
        id=row.persona_id,
        value=row.data,
        created_at=row.created_at,
        updated_at=row.updated_at,
        etag=time_etag(row.updated_at),
        used_in=[JourneyRef(i, t) for i, t, ids in journeys if wanted in ids],
    )
