"""Bounds every schema shares."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import GetJsonSchemaHandler, TypeAdapter
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

# The largest whole number a client may send: what a JavaScript number holds exactly, and far
# inside a 64-bit database column (a larger one would fail in SQL, as a 500).
MAX_INT = 2**53 - 1


@dataclass(frozen=True)
class Shaped:
    """Put in `Annotated[dict[str, Any], Shaped(X)]`: the field holds plain JSON at run time
    (a service checks it, after the caller's role: a viewer's bad body is a 403, not a 422,
    and a domain document passes through as the server encoded it), and the API's
    description gives it the typed shape `X` (a model, or a named union)."""

    shape: Any

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Through a list, so that a named union (a TypeAliasType) keeps its name as a $ref.
        wrapped = handler(_core_schema(list[self.shape]))  # type: ignore[name-defined]
        found: JsonSchemaValue = wrapped["items"]
        return found


@cache
def _core_schema(shape: Any) -> CoreSchema:
    return TypeAdapter(shape).core_schema
