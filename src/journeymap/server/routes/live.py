"""The live socket of a journey, `/api/journeys/{id}/live`: the transport only. Who may do
what, applying, catching up, the hub and the limits are services/live.py's, the steps of a
connection services/live_session.py's (a simulated transport drives the same steps in
tests/server/test_live_sim.py); the messages are schemas/live.py's (docs/api.md, "Live")."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from anyio import to_thread
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from ...services import live as rules
from ...services.live import LiveCaller, LiveClosed
from ...services.live_session import LiveSession
from .. import deps
from ..deps import SESSION_COOKIE
from ..handoff import handoff
from ..schemas.common import MAX_INT
from ..schemas.journeys import OpItem
from ..schemas.live import Hello, PresenceIn

router = APIRouter(prefix="/api", tags=["live"])
T = TypeVar("T")
OVERFLOW = "(overflow)"  # in a connection's queue only, never sent
TEXT = "(text)"  # a hub message's JSON, made by the first of its connections to send it

_ITEM: TypeAdapter[OpItem] = TypeAdapter(OpItem)


class _Envelope(BaseModel):
    """An `ops` message before its items are read one by one (a bad item is rejected on its
    own, the others applied)."""

    type: str
    base_rev: int = Field(ge=0, le=MAX_INT)
    ops: list[dict[str, Any]] = Field(min_length=1, max_length=rules.MAX_OPS_PER_MESSAGE)


@router.websocket("/journeys/{journey_id}/live")
async def live(websocket: WebSocket, journey_id: str) -> None:
    db, settings = deps.database(websocket), deps.settings(websocket)
    try:
        rules.refuse_url_token(websocket.query_params)
        bearer = _bearer(websocket.headers.get("authorization"))
        session = None if bearer else websocket.cookies.get(SESSION_COOKIE)
        if session and not rules.origin_ok(
            websocket.headers.get("origin"),
            settings.public_url,
            websocket.headers.get("host"),
            websocket.url.scheme,
        ):
            raise LiveClosed(
                rules.CLOSE_FORBIDDEN, "a session may only be used from this server's pages"
            )
    except LiveClosed as refused:  # before accepting: the handshake is answered 403
        await websocket.close(code=refused.code, reason=refused.reason)
        return
    await websocket.accept()
    try:
        limits = deps.gates(websocket).limits.journey
        await _serve(websocket, db, journey_id, bearer, session, limits)
    except LiveClosed as closed:
        with contextlib.suppress(Exception):
            await websocket.close(code=closed.code, reason=closed.reason)
    except WebSocketDisconnect:
        pass


async def _blocking(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The services' (blocking) work in the thread pool sync routes use too, so sockets and
    REST calls share one bound."""
    return await to_thread.run_sync(partial(call, *args, **kwargs))


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise LiveClosed(rules.CLOSE_NOT_SIGNED_IN, "send `Authorization: Bearer <token>`")
    return token.strip()


async def _receive(websocket: WebSocket) -> dict[str, Any]:
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    text = message.get("text")
    raw = text if text is not None else message.get("bytes") or b""
    rules.check_size(raw)
    try:
        data = json.loads(raw)
    except ValueError:
        raise LiveClosed(rules.CLOSE_PROTOCOL, "each message is a JSON object") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise LiveClosed(rules.CLOSE_PROTOCOL, "each message is a JSON object with a `type`")
    return data


def _invalid(error: ValidationError) -> LiveClosed:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return LiveClosed(rules.CLOSE_PROTOCOL, f"{where}: {first['msg']}")


async def _serve(
    websocket: WebSocket,
    db: Any,
    journey_id: str,
    bearer: str | None,
    session: str | None,
    limits: Any,
) -> None:
    try:
        first = await asyncio.wait_for(_receive(websocket), rules.HELLO_TIMEOUT_S)
    except TimeoutError:
        raise LiveClosed(rules.CLOSE_PROTOCOL, "send `hello` first") from None
    if first.get("type") != "hello":
        raise LiveClosed(rules.CLOSE_PROTOCOL, "send `hello` first")
    try:
        hello = Hello.model_validate(first)
    except ValidationError as error:
        raise _invalid(error) from None
    if hello.proto != rules.PROTO:
        raise LiveClosed(rules.CLOSE_OUTDATED, f"this server speaks proto {rules.PROTO}")
    caller: LiveCaller = await _blocking(
        rules.sign_in, db, journey_id, bearer=bearer, session=session, hello_token=hello.token
    )
    to_loop = handoff(asyncio.get_running_loop())
    out: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    def put(message: dict[str, Any]) -> None:
        if out.qsize() < rules.MAX_QUEUED:
            out.put_nowait(message)
        elif not overflowed:  # what follows is dropped: the client catches up on reconnecting
            overflowed.append(True)
            out.put_nowait({"type": OVERFLOW})

    def deliver(message: dict[str, Any]) -> None:
        to_loop.call(put, message)

    overflowed: list[bool] = []

    live_session = LiveSession(db, caller, deliver, uuid.uuid4().hex[:12], limits)
    try:
        welcome = await _blocking(live_session.welcome, hello.since_rev)
        await websocket.send_text(json.dumps(welcome))
        waiting: asyncio.Queue[_Envelope] = asyncio.Queue()  # `ops` read, not yet applied
        tasks = [
            asyncio.create_task(_read(websocket, live_session, waiting)),
            asyncio.create_task(_apply(live_session, waiting, out)),
            asyncio.create_task(_write(websocket, live_session, out)),
            asyncio.create_task(_watch(caller)),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for task in done:
            task.result()  # LiveClosed or WebSocketDisconnect, as it ended
    finally:
        live_session.leave()


async def _read(
    websocket: WebSocket, live_session: LiveSession, waiting: asyncio.Queue[_Envelope]
) -> None:
    """Read every message as it comes, and queue `ops` for `_apply`: a socket is read even
    while its operations wait for the write path, so the client's answers to the keepalive
    pings are seen (uvicorn reads a socket no further until its last message is taken, and
    a socket unread for PING_S was dropped as dead while its edits merely queued)."""
    while True:
        data = await _receive(websocket)
        kind = data["type"]
        recheck = live_session.received(kind)
        if kind == "ops":
            try:
                envelope = _Envelope.model_validate(data)
            except ValidationError as error:
                raise _invalid(error) from None
            if waiting.qsize() >= rules.MAX_WAITING_OPS:
                raise LiveClosed(rules.CLOSE_BEHIND, "too many operations waiting: send fewer")
            waiting.put_nowait(envelope)
        elif kind == "presence":
            if recheck:
                await _blocking(live_session.caller.recheck)
            try:
                presence = PresenceIn.model_validate(data)
            except ValidationError as error:
                raise _invalid(error) from None
            live_session.presence(presence.data)
        else:
            raise LiveClosed(rules.CLOSE_PROTOCOL, f"unknown message type '{kind[:40]}'")


async def _apply(
    live_session: LiveSession, waiting: asyncio.Queue[_Envelope], out: asyncio.Queue[dict[str, Any]]
) -> None:
    """The `ops` messages read, in order: who is calling checked again, then each operation
    applied or rejected on its own and answered."""
    while True:
        envelope = await waiting.get()
        steps: list[dict[str, Any]] = []  # an item to apply, or the `ack` refusing it
        for raw in envelope.ops:
            try:
                item = _ITEM.validate_python(raw)
            except ValidationError as error:
                op_id = raw.get("op_id")
                detail = str(_invalid(error).reason)
                steps.append(rules.rejected(str(op_id or ""), envelope.base_rev, detail))
                continue
            steps.append({"op_id": item.op_id, "op": item.op})
        # one hand-off to a thread for the message, not one per operation and the check
        acks, closed = await _blocking(_checked_and_applied, live_session, steps, envelope.base_rev)
        for ack in acks:
            out.put_nowait(ack)
        if closed is not None:
            raise closed


def _checked_and_applied(
    live_session: LiveSession, steps: list[dict[str, Any]], base_rev: int
) -> tuple[list[dict[str, Any]], LiveClosed | None]:
    """Who is calling checked again, then each operation applied on its own: the acks, in
    order, and what ends the connection (the acks before it are still sent)."""
    acks: list[dict[str, Any]] = []
    try:
        live_session.caller.recheck()
        for step in steps:
            acks.append(step if step.get("type") == "ack" else live_session.apply(step, base_rev))
    except LiveClosed as closed:
        return acks, closed
    return acks, None


async def _write(
    websocket: WebSocket, live_session: LiveSession, out: asyncio.Queue[dict[str, Any]]
) -> None:
    """Send what the hub and the reader queue, in the session's order (SendOrder)."""
    while True:
        message = await out.get()
        if message["type"] == OVERFLOW:
            raise LiveClosed(rules.CLOSE_BEHIND, "too far behind: connect again with since_rev")
        assert live_session.order is not None
        if live_session.order.needs_read(message):
            to_send = await _blocking(live_session.outgoing, message)
        else:
            to_send = live_session.outgoing(message)
        for m in to_send:
            await websocket.send_text(_text(m))
        if message["type"] == "reload" and message.get("reason") == "deleted":
            raise LiveClosed(rules.CLOSE_GONE, "the journey was deleted")


def _text(message: dict[str, Any]) -> str:
    """The JSON of an `op` the hub handed to every connection of the journey (one dict for
    all of them, never changed once handed over): encoded once, not once per connection."""
    text = message.get(TEXT)
    if text is None:
        text = message[TEXT] = json.dumps(message)
    return str(text)


async def _watch(caller: LiveCaller) -> None:
    """Who is calling, checked again on a timer even when they send nothing."""
    while True:
        await asyncio.sleep(rules.RECHECK_S)
        await _blocking(caller.recheck)
