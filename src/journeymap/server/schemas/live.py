"""The live socket's messages (`/api/journeys/{id}/live`, protocol 1), each with a `type`:
what a client sends (`ClientMessage`) and what the server sends (`ServerMessage`), exported
as schemas/live.schema.json (`journeymap schema --live`)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from ...domain.operations import Operation
from .common import MAX_INT, Shaped
from .journeys import OpItem


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- client -> server


class Hello(_Message):
    """The first message: the protocol, the last revision the client holds (null: none, send
    the journey), and, when neither the session cookie nor `Authorization` signed the socket
    in, an API token or a share link's token (never in the URL)."""

    type: Literal["hello"]
    proto: int = Field(description="the protocol version: 1")
    since_rev: int | None = Field(default=None, ge=0, le=MAX_INT)
    token: str | None = Field(default=None, max_length=200)


class Ops(_Message):
    """Operations to apply, the same items as POST /api/journeys/{id}/ops; each is applied or
    rejected on its own, as its own revision, and answered with an `ack`."""

    type: Literal["ops"]
    base_rev: int = Field(ge=0, le=MAX_INT, description="the revision the client last saw")
    ops: list[OpItem] = Field(min_length=1, max_length=200)


class PresenceIn(_Message):
    """Where the sender is (the card it edits or drags, its cursor, ...): relayed to the
    others on the journey, never stored or logged; at most 2 KiB."""

    type: Literal["presence"]
    data: dict[str, Any]


ClientMessage = Annotated[Hello | Ops | PresenceIn, Field(discriminator="type")]


# ---------------------------------------------------------------- server -> client


class OpOut(_Message):
    """An operation as it was applied, in revision order (the sender's own too, before its
    `ack`)."""

    type: Literal["op"]
    rev: int
    op_id: str
    actor: str | None = Field(description="the user who made it (null: the system)")
    op: Annotated[dict[str, Any], Shaped(Operation)] = Field(
        description="the operation as applied and logged (an add's generated id filled in)"
    )
    order_key: str | None = Field(
        default=None,
        description="where an add or a move put its item among its siblings (its `order_key`); "
        "null for other operations, in `welcome`'s catch-up, and for an item the same revision "
        "places again later (its last add or move carries the key)",
    )
    last: bool = Field(
        description="true on the final operation of its revision (a revision may hold several: "
        "a REST batch): a client holds revision `rev` only once this came, so the `since_rev` "
        "of its next `hello` is the last revision whose `last` operation it received"
    )


class Welcome(_Message):
    """The answer to `hello`: the operations after `since_rev` (`ops`), or, when the client is
    too far behind or sent no revision, the journey as GET /api/journeys/{id} answers it
    (`snapshot`)."""

    type: Literal["welcome"]
    rev: int
    ops: list[OpOut] | None
    snapshot: dict[str, Any] | None


class OverwriteOut(_Message):
    """A field this operation wrote that someone else wrote after the client's base_rev: who
    (`actor`, in `rev` by `by_op_id`) and the value that was replaced (`old_value`)."""

    entity: str
    id: str | None
    field: str
    rev: int
    actor: str | None
    by_op_id: str
    old_value: Any = None


class Ack(_Message):
    """One operation's answer, after its commit: `applied` (in `rev`), `duplicate` (this
    op_id was applied before, in `rev`; nothing applied now) or `rejected` (nothing applied;
    `detail` says why)."""

    type: Literal["ack"]
    op_id: str
    rev: int
    status: Literal["applied", "duplicate", "rejected"]
    detail: str | None = None
    overwrites: list[OverwriteOut] | None = None


class PresenceOut(_Message):
    """Another connection's presence (`left`: it has gone)."""

    type: Literal["presence"]
    conn: str
    actor: str | None
    data: dict[str, Any] | None = None
    left: bool = False


class Reload(_Message):
    """Read the journey again (`reason`: e.g. `deleted`)."""

    type: Literal["reload"]
    reason: str


class Notice(_Message):
    """Something beside the journey changed: its evidence, or its comments (a comment added,
    changed or deleted; not sent to share links): read it again."""

    type: Literal["notice"]
    about: Literal["evidence", "comments"]
    rev: int


ServerMessage = Annotated[
    Welcome | OpOut | Ack | PresenceOut | Reload | Notice, Field(discriminator="type")
]

CLIENT: TypeAdapter[Hello | Ops | PresenceIn] = TypeAdapter(ClientMessage)
SERVER: TypeAdapter[Any] = TypeAdapter(ServerMessage)


class LiveProtocol(BaseModel):
    client: ClientMessage
    server: ServerMessage


def live_schema() -> dict[str, Any]:
    schema = LiveProtocol.model_json_schema(mode="serialization")
    defs = schema.pop("$defs", {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:journeymap:schema:live:1",
        "title": "journeymap live socket, protocol 1",
        "description": "The messages of /api/journeys/{id}/live: `client` is what a client "
        "sends, `server` what the server sends; each has a `type`.",
        "type": "object",
        "properties": schema["properties"],
        "$defs": dict(sorted(defs.items())),
    }


def live_schema_text() -> str:
    return json.dumps(live_schema(), indent=2, ensure_ascii=False) + "\n"
