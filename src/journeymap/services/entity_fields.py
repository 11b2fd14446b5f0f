"""An entity's fields as a client sends them, checked against the domain's model: each wrong
field named with its fix (journey entities one at a time, and the persona library)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..domain.entities import fields_of, validate_entity
from ..domain.errors import Problem
from ..domain.messages import problems_from_error
from .errors import Conflict, Invalid, field_errors


class FieldProblems(Invalid):
    """The client's fields are wrong; each problem names its field and the fix."""

    default_title = "Invalid fields"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:3]), errors=field_errors(problems))

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)


class EntityExists(Conflict):
    """A create named an id that is taken."""

    default_title = "Already there"


def check_fields(kind: str, data: dict[str, Any]) -> None:
    """FieldProblems naming every wrong field of `data` (an entity without its parent)."""
    try:
        validate_entity(kind, data)
    except ValidationError as error:
        raise FieldProblems(
            problems_from_error(error, (), fields_of(kind, data), strip_tag=kind == "card")
        ) from None
