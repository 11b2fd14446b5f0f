"""The journey on the wire: models derived from the domain's (model.py, cards.py) through its
registry (entities.py), so that the API's description, and a client generated from it, knows
every stage, lane and card kind, and a field added to a domain model is on the wire at once.

Three forms of each entity, all subclasses of the domain model:

- the API's (`Journey`, `Stage`, `NoteCard`, ... and the `Card` union on `kind`): every id, a
  persona always as an object, and two read-only fields the server keeps: `order_key`, the
  item's place among its siblings (sort by it, bytewise, as the server does; place a new item
  between two with the same fractional keys, npm `fractional-indexing` 3.2.0), and
  `updated_rev`, the revision it last changed in (the journey's own: its fields'). Tombstones
  are not sent; a field that is null is left out.
- the journey file's (`FileJourney`, `FileStage`, ...): what `schemas/journey.schema.json`
  describes and a past revision is sent as. On purpose it differs from the API's: any id but
  the journey's may be left out (one is made from the name or text), a persona may be named
  by its id alone (`personas: [alex]`, filled from the workspace's library), the file carries
  `format_version`, and no order keys or revisions: a list's order is the file's order.
- an added item's (`NewStage`, `NewCard`, ...): the value of an `add` operation and of a
  create in the API (see wire_ops.py): its fields without the bookkeeping, its id optional,
  a step naming its `stage` and a lane its `section`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce
from operator import or_
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict
from pydantic.fields import FieldInfo
from pydantic.json_schema import SkipJsonSchema
from typing_extensions import TypeAliasType

from .base import Id
from .entities import CHILD, HEADER_FIELDS, KIND, KINDS, TOP_LEVEL, Kind, live_items
from .model import FORMAT_VERSION, Journey

RevOf = Callable[[str, str], int]  # (kind, id) -> the revision it last changed in


def _left_out_when_null(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    """In answers every field is present but a null one (left out): required in the schema."""
    nullable = {
        info.alias or name for name, info in cls.model_fields.items() if info.default is None
    }
    required = [f for f in schema.get("required", []) if f not in nullable]
    if required:
        schema["required"] = required
    else:
        schema.pop("required", None)


def _subclass(base: type[BaseModel], name: str, fields: dict[str, Any], **config: Any) -> Any:
    """`base` with `fields` ({name: (annotation, FieldInfo)}) added or replaced."""
    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__qualname__": name,
        "__doc__": base.__doc__,
        "__annotations__": {k: v[0] for k, v in fields.items()},
        **{k: v[1] for k, v in fields.items()},
    }
    if config:
        namespace["model_config"] = ConfigDict(**config)  # type: ignore[typeddict-item]
    return type(name, (base,), namespace)


def named_union(name: str, models: list[Any], tag: str = "kind") -> Any:
    """A union of models told apart by `tag`, named (a component of its own in the API)."""
    return TypeAliasType(name, Annotated[reduce(or_, models), Field(discriminator=tag)])


def _list(of: Any) -> Any:
    return list.__class_getitem__(of)


def required_tag(model: type[BaseModel]) -> tuple[Any, FieldInfo]:
    """A card's `kind` with no default: the tag a union tells the kinds apart by."""
    annotation = model.model_fields["kind"].annotation
    return annotation, Field(description="the card's kind")


# ---------------------------------------------------------------- the API's journey

_READ_ONLY: JsonDict = {"readOnly": True}
_API_CONFIG: dict[str, Any] = {
    "json_schema_serialization_defaults_required": True,
    "json_schema_extra": _left_out_when_null,
}


def _kept(description: str) -> dict[str, Any]:
    """The two fields the server keeps on every item."""
    return {
        "order_key": (
            str,
            Field(
                description="its place among its siblings (its parent's, or its cell's): sort "
                "by it, comparing bytewise; set by the server",
                json_schema_extra=_READ_ONLY,
            ),
        ),
        "updated_rev": (
            int,
            Field(description=description, json_schema_extra=_READ_ONLY),
        ),
        "deleted": (SkipJsonSchema[bool], Field(default=False, exclude=True)),
    }


_ITEM_REV = "the journey's revision this item last changed in (its ETag: r<rev>)"


def _api_model(kind: Kind, model: type[BaseModel], made: dict[str, Any]) -> Any:
    fields = _kept(_ITEM_REV)
    if kind.children:
        child = made[CHILD[kind.name].name]
        fields[kind.children] = (_list(child), Field(default_factory=list))
    if kind.name == "card":
        fields["kind"] = required_tag(model)
    return _subclass(model, model.__name__, fields, **_API_CONFIG)


def _api_models() -> tuple[dict[str, Any], Any]:
    made: dict[str, Any] = {}
    for kind in sorted(KINDS, key=lambda k: k.parent is None):  # children first
        if kind.name != "card":
            made[kind.name] = _api_model(kind, kind.models[0], made)
    card = named_union("Card", [_api_model(KIND["card"], m, made) for m in KIND["card"].models])
    made["card"] = card
    lists: dict[str, Any] = {
        k.collection: (_list(made[k.name]), Field(default_factory=list)) for k in TOP_LEVEL
    }
    header = _kept("the revision the journey's own fields (title, status, ...) last changed in")
    header.pop("order_key")
    journey = _subclass(Journey, "Journey", {**header, **lists}, **_API_CONFIG)
    return made, journey


API_MODELS, JourneyDoc = _api_models()
Card = API_MODELS["card"]


def journey_document(journey: Journey, rev_of: RevOf) -> dict[str, Any]:
    """The journey as the API sends it (`JourneyDoc`): what the map shows, in map order, each
    item with its order key and the revision it last changed in."""
    out: dict[str, Any] = journey.model_dump(
        mode="json", include=set(HEADER_FIELDS), exclude_none=True
    )
    out["updated_rev"] = rev_of("journey", "")
    pains = {c.id for c in journey.live_cards() if c.kind == "pain_point"}

    def item(kind: str, entity: Any) -> dict[str, Any]:
        skip = {"deleted", *(c.collection for c in CHILD.values())}
        data: dict[str, Any] = entity.model_dump(mode="json", exclude=skip, exclude_none=True)
        data["updated_rev"] = rev_of(kind, entity.id)
        if kind == "card" and entity.kind == "opportunity":  # only the pains the map shows
            data["pain_points"] = [p for p in entity.pain_points if p in pains]
        return data

    children = {
        parent: [(p, item(child.name, x)) for p, x in live_items(journey, child.name)]
        for parent, child in CHILD.items()
    }
    for kind in TOP_LEVEL:
        shown = []
        for _, entity in live_items(journey, kind.name):
            data = item(kind.name, entity)
            if kind.children:
                data[kind.children] = [x for p, x in children[kind.name] if p == entity.id]
            shown.append(data)
        out[kind.collection] = shown
    return out


# ---------------------------------------------------------------- the journey file's

_OPTIONAL_ID = (
    Id | None,
    Field(default=None, description="made from its name or text if left out"),
)
PersonaById = Annotated[
    Id, Field(description="the id of a persona in the workspace's library, which fills it in")
]


def _file_models() -> tuple[dict[str, Any], Any]:
    """{model name: its file form}, and the file's Journey."""
    made: dict[str, Any] = {}
    for kind in sorted(KINDS, key=lambda k: k.parent is None):  # children first
        for model in kind.models:
            fields: dict[str, Any] = {"id": _OPTIONAL_ID}
            if kind.children:
                child = made[CHILD[kind.name].models[0].__name__]
                fields[kind.children] = (_list(child), Field(default_factory=list))
            if kind.name == "card":
                fields["kind"] = required_tag(model)
            name = model.__name__
            made[name] = _subclass(model, f"File{name}", fields, title=name)
    card = named_union("FileCard", [made[m.__name__] for m in KIND["card"].models])
    lists: dict[str, Any] = {}
    for kind in TOP_LEVEL:
        item = card if kind.name == "card" else made[kind.models[0].__name__]
        if kind.name == "persona":
            item = PersonaById | item
        lists[kind.collection] = (_list(item), Field(default_factory=list))
    version = (Literal[FORMAT_VERSION], Field(description="the journey file format"))
    header = {"format_version": version, **lists}
    return made, _subclass(Journey, "FileJourney", header, title="journeymap journey file")


FILE_MODELS, FileJourney = _file_models()


def journey_from_document(document: dict[str, Any]) -> Journey:
    """The domain journey an API document holds (`JourneyDoc`), its order keys kept: checked
    against the document's own model first, so a document that is not one is refused."""
    JourneyDoc.model_validate(document)

    def bare(item: dict[str, Any], children: str | None = None) -> dict[str, Any]:
        out = {k: v for k, v in item.items() if k != "updated_rev"}
        if children:
            out[children] = [bare(c) for c in item.get(children, [])]
        return out

    data = bare(document)
    for kind in TOP_LEVEL:
        data[kind.collection] = [bare(i, kind.children) for i in document.get(kind.collection, [])]
    return Journey.model_validate(data)
