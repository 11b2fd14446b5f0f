"""Edit operations: the one write path for files, the CLI, the server and live collaboration.

An operation is plain data (it travels over the wire and is kept in the op log):
`{kind, entity, id, field, value, before, after, ...}`. `apply` returns a new Journey or raises
OperationError; the journey it was given is never changed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .base import Entity, Id
from .entities import EntityKind


class _Placed(Entity):
    """Where an added or moved item goes among its siblings; neither means 'at the end'."""

    before: Id | None = None
    after: Id | None = None


class AddOp(_Placed):
    """Add an entity. `value` holds its fields; a step names its `stage`, a lane its `section`."""

    kind: Literal["add"] = "add"
    entity: EntityKind
    id: Id | None = Field(default=None, description="generated from the name or text if absent")
    value: dict[str, Any]


class SetOp(Entity):
    """Set one field of an entity, or of the journey itself (`entity: journey`, no id)."""

    kind: Literal["set"] = "set"
    entity: EntityKind | Literal["journey"]
    id: Id | None = None
    field: str
    value: Any = None


class RenameOp(Entity):
    """Set the name of a stage, step, section, lane, persona or channel (a card's text)."""

    kind: Literal["rename"] = "rename"
    entity: EntityKind
    id: Id
    name: str


class MoveOp(_Placed):
    """Reorder an entity, or move it to another parent: a step to a `stage`, a lane to a
    `section`, a card to another `stage`, `step` and/or `lane` (giving a stage without a step
    puts a card at stage level)."""

    kind: Literal["move"] = "move"
    entity: EntityKind
    id: Id
    stage: Id | None = None
    step: Id | None = None
    lane: Id | None = None
    section: Id | None = None


class DeleteOp(Entity):
    """Delete an entity. It is kept as a tombstone, so that `restore` can bring it back."""

    kind: Literal["delete"] = "delete"
    entity: EntityKind
    id: Id


class RestoreOp(Entity):
    kind: Literal["restore"] = "restore"
    entity: EntityKind
    id: Id


Operation = Annotated[
    AddOp | SetOp | RenameOp | MoveOp | DeleteOp | RestoreOp, Field(discriminator="kind")
]
