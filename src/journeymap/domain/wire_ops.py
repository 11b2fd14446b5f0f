"""The edit operations on the wire, typed, derived from the domain's operations and registry:
what `POST /api/journeys/{id}/ops` takes, the live editor sends and the history lists.

`Operation` is a union on `kind` of the six operations. An `add` is itself a union on `entity`
whose `value` is the added item's fields, typed per entity (a card's: the `NewCard` union on
its `kind`); a `set` is a union on `entity` whose `field` names one of that entity's fields.
The domain's own operations (operations.py) stay plain data, checked by `apply` with messages
that name the fix; these models say the same rules to a client (a test holds them to it).

Also here: a logged operation (the history's: these, or the journey's creation) and a diff.
"""

from __future__ import annotations

from copy import copy
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from .base import Entity, Id
from .entities import CHILD, HEADER_FIELDS, INTERNAL, KINDS, EntityKind, Kind
from .snapshot import PLURAL
from .wire import named_union, required_tag

_STRICT = ConfigDict(extra="forbid")


def _literal(values: list[str] | tuple[str, ...]) -> Any:
    return Literal.__getitem__(tuple(values))


def _tag(value: str, description: str = "") -> tuple[Any, Any]:
    return _literal([value]), Field(description=description or None)


# ---------------------------------------------------------------- an added item's fields

_NEW_ID = (
    Id | None,
    Field(default=None, description="its id; made from its name or text when left out"),
)


def _new_model(kind: Kind, model: type[BaseModel]) -> Any:
    """The model's fields but its bookkeeping and children (added as items of their own),
    its id optional, a step's `stage` or a lane's `section` required."""
    skip = {"id", *INTERNAL, *(c.collection for c in CHILD.values())}
    fields: dict[str, Any] = {"id": _NEW_ID}
    if kind.parent:
        fields[kind.parent] = (Id, Field(description=f"the {kind.parent} it goes in"))
    for name, info in model.model_fields.items():
        if name not in skip:
            fields[name] = (info.rebuild_annotation(), copy(info))
    if kind.name == "card":
        fields["kind"] = required_tag(model)
    name = f"New{model.__name__}"
    doc = model.__doc__ if model.__doc__ and not model.__doc__.startswith(model.__name__) else None
    return create_model(name, __base__=Entity, __doc__=doc, **fields)


def _new_models() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in KINDS:
        if kind.name == "card":
            cards = [_new_model(kind, m) for m in kind.models]
            out["card"] = named_union("NewCard", cards)
        else:
            out[kind.name] = _new_model(kind, kind.models[0])
    return out


NEW_MODELS = _new_models()


# ---------------------------------------------------------------- the operations

_PLACED = {
    "before": (Id | None, Field(default=None, description="put it before this sibling")),
    "after": (Id | None, Field(default=None, description="put it after this sibling")),
}


def _settable(kind: Kind) -> list[str]:
    """The fields a `set` may name: all but its id, kind, bookkeeping and children, and a
    card's place (a move changes that)."""
    fixed = {"id", "kind", *INTERNAL, *(c.collection for c in CHILD.values())}
    if kind.name == "card":
        fixed |= set(kind.place)
    names: dict[str, None] = {}
    for model in kind.models:
        names |= dict.fromkeys(f for f in model.model_fields if f not in fixed)
    return list(names)


def _op(model_name: str, description: str, **fields: Any) -> Any:
    return create_model(model_name, __config__=_STRICT, __doc__=description, **fields)


def _add_ops() -> Any:
    ops = [
        _op(
            f"Add{kind.name.title()}Op",
            f"Add {kind.word}: `value` holds its fields.",
            kind=_tag("add"),
            entity=_tag(kind.name),
            id=_NEW_ID,
            value=(NEW_MODELS[kind.name], Field(description=f"the new {kind.word}'s fields")),
            **_PLACED,
        )
        for kind in KINDS
    ]
    return named_union("AddOp", ops, tag="entity")


def _set_ops() -> Any:
    ops = []
    for kind in KINDS:
        ops.append(
            _op(
                f"Set{kind.name.title()}Op",
                f"Set one field of {kind.word}.",
                kind=_tag("set"),
                entity=_tag(kind.name),
                id=(Id, Field()),
                field=(_literal(_settable(kind)), Field(description="the field to set")),
                value=(Any, Field(default=None, description="its new value; null clears it")),
            )
        )
    header = [f for f in HEADER_FIELDS if f != "id"]
    ops.append(
        _op(
            "SetJourneyOp",
            "Set one of the journey's own fields (title, status, owner, ...).",
            kind=_tag("set"),
            entity=_tag("journey"),
            field=(_literal(header), Field(description="the field to set")),
            value=(Any, Field(default=None, description="its new value; null clears it")),
        )
    )
    return named_union("SetOp", ops, tag="entity")


def _kinds_with(test: Any) -> Any:
    return _literal([k.name for k in KINDS if test(k)])


def _plain_ops() -> list[Any]:
    any_kind = (_literal([k.name for k in KINDS]), Field())
    movable = {f for k in KINDS for f in k.place}
    return [
        _op(
            "RenameOp",
            "Set the name of an item (a card's text).",
            kind=_tag("rename"),
            entity=(_kinds_with(lambda k: k.name_field), Field()),
            id=(Id, Field()),
            name=(str, Field(min_length=1, description="its new name (a card: its text)")),
        ),
        _op(
            "MoveOp",
            "Reorder an item among its siblings (`before`, `after`), or move it to another "
            "parent or cell: a step to a `stage`, a lane to a `section`, a card to another "
            "`stage`, `step` and/or `lane`, an emotion point to another `stage` or `step`.",
            kind=_tag("move"),
            entity=any_kind,
            id=(Id, Field()),
            **_PLACED,
            **{f: (Id | None, Field(default=None)) for f in sorted(movable)},
        ),
        _op(
            "DeleteOp",
            "Delete an item; it is kept as a tombstone, so a restore brings it back.",
            kind=_tag("delete"),
            entity=any_kind,
            id=(Id, Field()),
        ),
        _op(
            "RestoreOp",
            "Bring back a deleted item.",
            kind=_tag("restore"),
            entity=any_kind,
            id=(Id, Field()),
        ),
    ]


AddOp = _add_ops()
SetOp = _set_ops()
_SIX = [AddOp, SetOp, *_plain_ops()]
Operation = named_union("Operation", _SIX)

JourneyCreated = _op(
    "JourneyCreated",
    "The journey's creation: the first revision of every journey.",
    kind=_tag("create"),
    journey=(
        dict[str, Any],
        Field(description="the whole journey as created, its order keys and tombstones too"),
    ),
)
# The six again, not `Operation`: a union inside a union on the same tag would map every
# operation kind to one schema, which a client generator cannot tell apart.
LoggedOp = named_union("LoggedOp", [*_SIX, JourneyCreated])


# ---------------------------------------------------------------- a diff

ChangeKind = Literal["added", "removed", "restored", "moved", "renamed", "changed"]


class FieldChange(BaseModel):
    field: str = Field(description="the field; `position` for a change of order (1-based)")
    before: Any = Field(description="its value before (null: none)")
    after: Any = Field(description="its value after")


class Change(BaseModel):
    """One change to one item; an item moved and edited has one of each."""

    entity: EntityKind
    id: str
    change: ChangeKind
    label: str = Field(description="its name (a card's text), after or, if removed, before")
    fields: list[FieldChange]


_DIFF_FIELDS: dict[str, Any] = {
    "journey": (list[FieldChange], Field(description="the journey's own fields")),
    **{PLURAL[k.name]: (list[Change], Field()) for k in KINDS},
}
JourneyDiff = create_model(
    "JourneyDiff",
    __doc__="What changed, kind by kind in map order (every kind present, maybe empty).",
    **_DIFF_FIELDS,
)

__all__ = [
    "AddOp",
    "Change",
    "ChangeKind",
    "FieldChange",
    "JourneyCreated",
    "JourneyDiff",
    "LoggedOp",
    "Operation",
    "SetOp",
]
