"""What an entity's fields hold, read from the models' own types, so a field added to a model
is found everywhere without a list to update: whether a person's words are in it (the library
searches those), how the CLI reads `field=value`, and the card spreadsheet's columns, how a
cell is read and which values a column offers.

Types say most of it: an id (`Id`), an enum or a fixed value is structure, not words; a number
is read as one; a list, a mapping. Two markers, put in a field's `Annotated[...]`, say the
rest: `NOT_WORDS` (text that is no one's words, such as an image's path) and `ONE_PER_LINE` (a
list a sheet writes one item a line, since its items may hold commas).
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .base import NOT_WORDS, ONE_PER_LINE, Marker
from .cards import CARD_TYPES
from .entities import INTERNAL, KIND, KINDS
from .ids import ID_PATTERN
from .model import Journey

Shape = Literal["text", "number", "whole", "flag", "list", "mapping"]


@dataclass(frozen=True)
class Trait:
    """What one field of one model holds."""

    shape: Shape  # how a value is written as text: "whole" is a number without a fraction
    words: bool  # text a person wrote, which the library searches
    reference: bool  # an id of another item (or a list of them)
    choices: tuple[str, ...]  # the values it may take, when they are few and fixed
    one_per_line: bool  # a list a sheet writes one item a line


def _leaves(annotation: Any, meta: tuple[Any, ...] = ()) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """(type, its Annotated metadata) for each alternative of a type, None left out; a list's
    items are reached through `list_of`."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        yield from _leaves(base, (*meta, *extra))
    elif origin in (Union, types.UnionType):
        for arg in get_args(annotation):
            if arg is not type(None):
                yield from _leaves(arg, meta)
    else:
        yield annotation, meta


def _is_id(meta: tuple[Any, ...]) -> bool:
    return any(getattr(m, "pattern", None) == ID_PATTERN for m in meta)


def _bounds(meta: tuple[Any, ...]) -> tuple[int | None, int | None]:
    meta = tuple(x for m in meta for x in (m.metadata if isinstance(m, FieldInfo) else [m]))
    low = next((m.ge for m in meta if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in meta if getattr(m, "le", None) is not None), None)
    return (low if isinstance(low, int) else None), (high if isinstance(high, int) else None)


def trait(info: FieldInfo) -> Trait:
    """What a field holds, from its type and markers."""
    meta: tuple[Any, ...] = tuple(info.metadata)
    markers = {m for m in meta if isinstance(m, Marker)}
    leaves = list(_leaves(info.annotation, meta))
    markers |= {m for _, extra in leaves for m in extra if isinstance(m, Marker)}
    kinds = [t for t, _ in leaves]
    if any(get_origin(t) is list or t is list for t in kinds):
        items = [a for t in kinds for a in get_args(t)]
        inner = [leaf for a in items for leaf in _leaves(a)]
        words = all(_is_words(t, m) for t, m in inner) and NOT_WORDS not in markers
        reference = any(_is_id(m) for _, m in inner)
        return Trait("list", words, reference, (), ONE_PER_LINE in markers)
    if any(_is_model(t) or get_origin(t) is dict or t is dict for t in kinds):
        return Trait("mapping", False, False, (), False)
    choices = tuple(v for t in kinds for v in _choices(t))
    if kinds and all(t is bool for t in kinds):
        return Trait("flag", False, False, ("true", "false"), False)
    if kinds and all(t in (int, float) for t in kinds):
        low, high = _bounds(meta + tuple(m for _, extra in leaves for m in extra))
        whole = all(t is int for t in kinds)
        few = whole and low is not None and high is not None and high - low < 10
        listed = tuple(str(n) for n in range(low or 0, (high or 0) + 1)) if few else ()
        return Trait("whole" if whole else "number", False, False, listed, False)
    words = all(_is_words(t, m) for t, m in leaves) and NOT_WORDS not in markers and not choices
    reference = any(_is_id(m) for _, m in leaves)
    return Trait("text", words, reference, choices, False)


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def _is_words(kind: Any, meta: tuple[Any, ...]) -> bool:
    return kind is str and not _is_id(meta)


def _choices(kind: Any) -> tuple[str, ...]:
    if isinstance(kind, type) and issubclass(kind, Enum):
        return tuple(str(m.value) for m in kind)
    if get_origin(kind) is Literal:
        return tuple(str(a) for a in get_args(kind))
    return ()


# ---------------------------------------------------------------- per model, per kind


@cache
def traits(model: type[BaseModel]) -> dict[str, Trait]:
    """Every field of a model a file or a client writes, with what it holds."""
    return {name: trait(info) for name, info in model.model_fields.items() if name not in INTERNAL}


@cache
def words_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields that hold a person's words: what the library's search reads. An item's own
    children (a stage's steps) are items of their own, searched on their own."""
    return tuple(name for name, t in traits(model).items() if t.words)


def value_shape(entity: str, field: str, card_kind: str | None = None) -> Shape:
    """How the CLI reads `field=value` for an entity (`journey` for the journey's own
    fields): its shape in the entity's model; of any card kind when the kind is not known.
    An unknown field is read as text, and its model then says what is wrong."""
    if entity == "journey":
        models: tuple[type[BaseModel], ...] = (Journey,)
    elif entity == "card" and card_kind in CARD_TYPES:
        models = (CARD_TYPES[card_kind],)
    elif entity in KIND:
        models = KIND[entity].models
    else:
        models = tuple(m for k in KINDS for m in k.models)
    shapes = {traits(m)[field].shape for m in models if field in traits(m)}
    if not shapes:
        return "text"
    if len(shapes) == 1:
        return shapes.pop()
    return "number" if shapes <= {"number", "whole"} else "text"


# ---------------------------------------------------------------- the card spreadsheet

# The columns that say which card it is and where it sits (a lane's section, to check the
# lane), and the ones kept last; every other card field of every card kind is in between, in
# the order the card models declare them.
SHEET_HEAD = ("id", "kind", "stage", "step", "section", "lane")
SHEET_TAIL = ("evidence", "tags")


@cache
def sheet_columns() -> tuple[str, ...]:
    """The card spreadsheet's columns: every card field a cell can hold (a nested part, such
    as a touchpoint's event binding, is not one)."""
    middle: dict[str, None] = {}
    for model in CARD_TYPES.values():
        for name, t in traits(model).items():
            if name not in SHEET_HEAD and name not in SHEET_TAIL and t.shape != "mapping":
                middle[name] = None
    return (*SHEET_HEAD, *middle, *SHEET_TAIL)


def sheet_trait(column: str, card_kind: Any) -> Trait | None:
    """How a cell of `column` is read for a card of `card_kind`: as that kind's field, else
    as the card kinds that have it agree (a row of no known kind is refused later anyway)."""
    if card_kind in CARD_TYPES and column in traits(CARD_TYPES[card_kind]):
        return traits(CARD_TYPES[card_kind])[column]
    found = [traits(m)[column] for m in CARD_TYPES.values() if column in traits(m)]
    if not found:
        return None
    if all(t.shape == "whole" for t in found):
        return found[0]
    if all(t.shape in ("whole", "number") for t in found):
        return Trait("number", False, False, (), False)
    return found[0]


@cache
def sheet_choices() -> dict[str, tuple[str, ...]]:
    """The fixed values of each column that has them, where every card kind with it agrees."""
    out: dict[str, tuple[str, ...]] = {}
    for column in sheet_columns():
        found = {traits(m)[column].choices for m in CARD_TYPES.values() if column in traits(m)}
        if len(found) == 1 and (only := found.pop()):
            out[column] = only
    return out
