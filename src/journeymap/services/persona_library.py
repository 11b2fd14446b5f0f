"""The workspace's persona library: personas a team agreed on, kept once and copied into
journeys.

A journey holds its own copy of each persona, so its file stays whole and its history stays
true. The library comes in when a journey names a persona by its id alone: a journey file's
`personas: [hannah]` on create or import, or an added persona `{"id": "hannah"}`. Such a
persona takes the library's fields; from then on the copy is the journey's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..domain.entities import INTERNAL
from ..domain.errors import Problem
from ..domain.ids import new_id
from ..domain.model import Journey, Persona
from .entities import EntityExists, FieldProblems, check_fields

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
