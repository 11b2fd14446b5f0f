"""The entities of a journey one at a time: personas, channels, stages, steps, sections, lanes,
cards and emotion points, each at /api/journeys/{journey_id}/{collection}[/{entity_id}].

Reading needs a viewer (or the journey's share link); writing an editor. Every write is a batch
of domain operations through the one write path. An entity's ETag is its `updated_rev`; PATCH
and DELETE need `If-Match`: 428 without it, 412 with a stale one, with the current
representation in the 412 body (services/journey_entities.py has the rules).
"""

# No `from __future__ import annotations`: the routes are made in a loop, and FastAPI reads
# their annotations (which name loop variables) when they are registered.

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Response

from ...domain.ids import ID_PATTERN
from ...services import journey_entities
from ...services.entities import COLLECTIONS, PARENT, WORD, EntityView
from ...services.journey_entities import EntityListView
from ...services.preconditions import etag
from ..deps import DB, Bounds, Expect, Who
from ..schemas.entities import EntityList, EntityPublic

router = APIRouter(prefix="/api", tags=["entities"])
EntityId = Annotated[str, Path(min_length=1, max_length=64)]
Place = Annotated[
    str | None,
    Query(
        pattern=ID_PATTERN,
        description="put it before or after this sibling (its id); by default it goes last",
    ),
]


def _register(collection: str, kind: str) -> None:
    word = WORD.get(kind, kind)
    base = f"/journeys/{{journey_id}}/{collection}"
    one = base + "/{entity_id}"
    parent = PARENT.get(kind)
    body_help = f"the {word}'s fields" + (f", with its `{parent}`" if parent else "")

    def list_(journey_id: str, caller: Who, db: DB) -> EntityListView:
        return journey_entities.entity_list(db, caller, journey_id, kind)

    def get(
        journey_id: str, entity_id: EntityId, caller: Who, response: Response, db: DB
    ) -> EntityView:
        found = journey_entities.entity(db, caller, journey_id, kind, entity_id)
        response.headers["ETag"] = etag(found.rev)
        return found

    def create(
        journey_id: str,
        body: Annotated[dict[str, Any], Body(description=body_help)],
        caller: Who,
        response: Response,
        db: DB,
        bounds: Bounds,
        before: Place = None,
        after: Place = None,
    ) -> EntityView:
        made = journey_entities.add_entity(
            db, caller, journey_id, kind, body, before, after, bounds.limits.journey
        )
        response.headers["ETag"] = etag(made.rev)
        response.headers["Location"] = f"/api/journeys/{journey_id}/{collection}/{made.id}"
        return made

    def patch(
        journey_id: str,
        entity_id: EntityId,
        body: Annotated[dict[str, Any], Body(description=f"the fields to change; {body_help}")],
        caller: Who,
        response: Response,
        db: DB,
        if_match: Expect,
        bounds: Bounds,
        before: Place = None,
        after: Place = None,
    ) -> EntityView:
        done = journey_entities.change_entity(
            db,
            caller,
            journey_id,
            kind,
            entity_id,
            body,
            if_match,
            before,
            after,
            bounds.limits.journey,
        )
        response.headers["ETag"] = etag(done.rev)
        return done

    def delete(
        journey_id: str, entity_id: EntityId, caller: Who, db: DB, if_match: Expect, bounds: Bounds
    ) -> None:
        journey_entities.delete_entity(
            db, caller, journey_id, kind, entity_id, if_match, bounds.limits.journey
        )

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
