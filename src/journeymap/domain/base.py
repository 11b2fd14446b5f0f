"""Shared pieces of the journey model: the entity base class and bounded field types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from .ids import ID_PATTERN

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


def _not_bool(value: object) -> object:
    # YAML's `yes`/`true` would otherwise count as 1: a number must be written as one.
    if isinstance(value, bool):
        raise PydanticCustomError(
            "bool_not_number", "expected a number, got {value}", {"value": value}
        )
    return value


NotBool = BeforeValidator(_not_bool)
Rating = Annotated[int, Field(ge=1, le=5), NotBool]
Number = Annotated[int | float, NotBool]


@dataclass(frozen=True)
class Marker:
    """Says what a field holds where its type cannot (see field_traits.py); put it in the
    field's `Annotated[...]`."""

    name: str


NOT_WORDS = Marker("not words")  # text, but no one's words: the library does not search it
ONE_PER_LINE = Marker("one per line")  # a list a spreadsheet writes one item a line

# Internal bookkeeping: never written to journey files and not part of the file schema.
OrderKey = SkipJsonSchema[str]
Deleted = SkipJsonSchema[bool]


class Entity(BaseModel):
    """An immutable model: edits build new objects, so a failed edit changes nothing."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False
    )


class Ordered(Entity):
    """An entity with an id, a fractional order key among its siblings, and a tombstone."""

    id: Id
    order_key: OrderKey = Field(default="", description="internal: position among siblings")
    deleted: Deleted = Field(default=False, description="internal: tombstone")
