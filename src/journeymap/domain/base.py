"""Shared pieces of the journey model: the entity base class and bounded field types."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from .ids import ID_PATTERN

# What YAML can hold (its printable set): a journey must save and load back, so text with
# anything else (U+FFFF, a C0 or C1 control other than tab and line breaks) is refused.
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _printable(value: str) -> str:
    found = _UNPRINTABLE.search(value)
    if found:
        raise PydanticCustomError(
            "unprintable",
            "holds a character a journey file cannot keep (U+{code}); remove it",
            {"code": f"{ord(found.group()):04X}"},
        )
    return value


Printable = AfterValidator(_printable)
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Printable
]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000), Printable
]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), Printable
]
Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), Printable
]


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
