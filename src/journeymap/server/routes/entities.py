"""The entities of a journey one at a time: personas, channels, stages, steps, sections, lanes,
cards and emotion points, each at /api/journeys/{journey_id}/{collection}[/{entity_id}].

Reading needs a viewer (or the journey's share link); writing an editor. Every write is a batch
of domain operations through the one write path (`services.journeys.apply_ops`) with op_ids
made here. An entity's ETag is its `updated_rev`; PATCH and DELETE need `If-Match`: 428
without it, 412 with a stale one, with the current representation in the 412 body. Two
writers holding the same ETag: the first wins, the second gets 412 (the check is made again
under the journey's lock, so it holds between the read and the write).
"""

# No `from __future__ import annotations`: the routes are made in a loop, and FastAPI reads
# their annotations (which name loop variables) when they are registered.

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response

from ...domain.ids import ID_PATTERN
from ...services.entities import COLLECTIONS, PARENT, WORD, EntityView
from ..access import Caller, identify, journey_role, signed_in
from ..http import ProblemError, check_if_match, etag
from ..schemas.entities import EntityList, EntityPublic
from .journeys import service_errors

router = APIRouter(prefix="/api", tags=["entities"])
Who = Annotated[Caller, Depends(identify)]
EntityId = Annotated[str, Path(min_length=1, max_length=64)]
Place = Annotated[
    str | None,
    Query(
        pattern=ID_PATTERN,
        description="put it before or after this sibling (its id); by default it goes last",
    ),
]


def public(view: EntityView) -> EntityPublic:
    return EntityPublic(entity=view.entity, id=view.id, rev=view.rev, value=view.value)


@contextmanager
def entity_errors() -> Iterator[None]:
    """The client's fields, or a taken id, as problems naming the field and the fix."""
    from ...domain.errors import format_path
    from ...services.entities import EntityExists, FieldProblems

    with service_errors():
        try:
            yield
        except FieldProblems as error:
            errors = [
                {"field": format_path(p.path), "message": p.message, "hint": p.hint}
                for p in error.problems
            ]
            detail = "; ".join(str(p) for p in error.problems[:3])
            raise ProblemError(422, "Invalid fields", detail, errors=errors) from None
        except EntityExists as error:
            raise ProblemError(409, "Already there", str(error)) from None


def _found(state: Any, kind: str, ident: str) -> EntityView:
    from ...services.entities import find

    view = find(state, kind, ident)
    if view is None:
        word = WORD.get(kind, kind)
        raise ProblemError(404, "Not found", f"this journey has no {word} '{ident}'")
    return view


def _stale(request: Request, journey_id: str, kind: str, ident: str) -> ProblemError:
    """412 for a write that lost the race after its If-Match check, with what won."""
    from ...services.entities import find, read_state

    with service_errors():
        state = read_state(request.app.state.db, journey_id)
    view = find(state, kind, ident)
    if view is None:
        return ProblemError(
            412,
            "Changed since you read it",
            f"someone deleted {WORD.get(kind, kind)} '{ident}' since you read it",
            current=None,
        )
    return ProblemError(
        412,
        "Changed since you read it",
        f"someone changed it since you read it; it is now {etag(view.rev)}: merge your change "
        "into the current version below and send it again with the new ETag",
        headers={"ETag": etag(view.rev)},
        current=public(view).model_dump(),
    )


def _guarded_write(
    request: Request,
    caller: Caller,
    journey_id: str,
    kind: str,
    ident: str,
    build: Callable[[EntityView], list[Any]],
) -> Any:
    """Read, check If-Match against the entity's ETag, build the operations, write them (the
    check repeated under the lock); the journey's state afterwards."""
    from ...services.entities import read_state, write
    from ...services.journeys import StaleRevision

    db = request.app.state.db
    with service_errors():
        state = read_state(db, journey_id)
    current = _found(state, kind, ident)
    check_if_match(request.headers.get("if-match"), current.rev, public(current).model_dump())
    with entity_errors():
        ops = build(current)
        try:
            return write(db, journey_id, signed_in(caller), state, ops)
        except StaleRevision:
            raise _stale(request, journey_id, kind, ident) from None


def _register(collection: str, kind: str) -> None:
    word = WORD.get(kind, kind)
    base = f"/journeys/{{journey_id}}/{collection}"
    one = base + "/{entity_id}"
    parent = PARENT.get(kind)
    body_help = f"the {word}'s fields" + (f", with its `{parent}`" if parent else "")

    def list_(journey_id: str, caller: Who, request: Request) -> EntityList:
        from ...services.entities import read_state, views

        journey_role(request, caller, journey_id, "viewer")
        with service_errors():
            state = read_state(request.app.state.db, journey_id)
        return EntityList(rev=state.snapshot.rev, items=[public(v) for v in views(state, kind)])

    def get(
        journey_id: str, entity_id: EntityId, caller: Who, request: Request, response: Response
    ) -> EntityPublic:
        from ...services.entities import read_state

        journey_role(request, caller, journey_id, "viewer")
        with service_errors():
            state = read_state(request.app.state.db, journey_id)
        view = _found(state, kind, entity_id)
        response.headers["ETag"] = etag(view.rev)
        return public(view)

    def create(
        journey_id: str,
        body: Annotated[dict[str, Any], Body(description=body_help)],
        caller: Who,
        request: Request,
        response: Response,
        before: Place = None,
        after: Place = None,
    ) -> EntityPublic:
        from ...services.entities import create_entity

        journey_role(request, caller, journey_id, "editor")
        db = request.app.state.db
        with entity_errors():
            view = create_entity(db, journey_id, signed_in(caller), kind, body, before, after)
        response.headers["ETag"] = etag(view.rev)
        response.headers["Location"] = f"/api/journeys/{journey_id}/{collection}/{view.id}"
        return public(view)

    def patch(
        journey_id: str,
        entity_id: EntityId,
        body: Annotated[dict[str, Any], Body(description=f"the fields to change; {body_help}")],
        caller: Who,
        request: Request,
        response: Response,
        before: Place = None,
        after: Place = None,
    ) -> EntityPublic:
        from ...services.entities import patch_ops

        journey_role(request, caller, journey_id, "editor")
        state = _guarded_write(
            request,
            caller,
            journey_id,
            kind,
            entity_id,
            lambda current: patch_ops(current, body, before, after),
        )
        view = _found(state, kind, entity_id)
        response.headers["ETag"] = etag(view.rev)
        return public(view)

    def delete(journey_id: str, entity_id: EntityId, caller: Who, request: Request) -> None:
        from ...services.entities import delete_ops

        journey_role(request, caller, journey_id, "editor")
        _guarded_write(request, caller, journey_id, kind, entity_id, delete_ops)

    plural = collection.replace("emotions", "emotion points")
    router.add_api_route(
        base,
        list_,
        methods=["GET"],
        response_model=EntityList,
        name=f"list_{collection}",
        summary=f"The journey's {plural}, in map order",
    )
    router.add_api_route(
        one,
        get,
        methods=["GET"],
        response_model=EntityPublic,
        name=f"get_{kind}",
        summary=f"One {word}; its ETag is its revision",
    )
    router.add_api_route(
        base,
        create,
        methods=["POST"],
        status_code=201,
        response_model=EntityPublic,
        name=f"create_{kind}",
        summary=f"Add {_a(word)} (editors); give an `id` or get one made from its "
        + ("text" if kind == "card" else "name"),
    )
    router.add_api_route(
        one,
        patch,
        methods=["PATCH"],
        response_model=EntityPublic,
        name=f"update_{kind}",
        summary=f"Change {_a(word)}'s fields, or move it (editors; If-Match its ETag)",
    )
    router.add_api_route(
        one,
        delete,
        methods=["DELETE"],
        status_code=204,
        name=f"delete_{kind}",
        summary=f"Delete {_a(word)} (editors; If-Match its ETag); its history is kept",
    )


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


for _collection, _kind in COLLECTIONS.items():
    _register(_collection, _kind)
