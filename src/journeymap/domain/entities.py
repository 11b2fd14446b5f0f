"""The registry of a journey's entity kinds: each declared once, here.

A kind's declaration says where its items live (its list in the journey file and the `Journey`
model, which is also its URL segment in the API), its model (a card's: one per card kind, from
the `Card` union), its parent and children, the fields that say where it sits (what a move
changes), which field is its name (what a rename sets), and which kinds share its ids. What a
kind's *fields* hold (text, numbers, lists, mappings; searchable or not; a sheet's columns; how
the CLI reads `field=value`) is read from the models' own types (field_traits.py), so adding a
field to a model is a change to that model alone.

The file format, the edit operations, diffs and snapshots, the stored rows, the REST routes,
the spreadsheet bridge, the search index, the CLI and the typed wire (wire.py) all derive from
this table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError

from .cards import CARD_TYPES, Card
from .channels import ChannelRegistry
from .model import Channel, EmotionPoint, Journey, Lane, Persona, Section, Stage, Step

EntityKind = Literal["persona", "channel", "stage", "step", "section", "lane", "card", "emotion"]


@dataclass(frozen=True)
class Kind:
    """One entity kind of a journey."""

    name: EntityKind
    collection: str  # its list in the file and the Journey model; its segment in the API's URLs
    word: str  # as a sentence names one
    models: tuple[type[BaseModel], ...]  # a card's: one per card kind, in the union's order
    parent: EntityKind | None = None  # a step is held by a stage, a lane by a section
    children: str | None = None  # the list that holds its child kind (a stage's `steps`)
    place: tuple[str, ...] = ()  # the fields that say where it sits: a move changes them
    name_field: str | None = "name"  # what a rename sets (a card's text); None: it has none
    id_group: str | None = None  # kinds with the same group share one set of ids

    @property
    def plural(self) -> str:
        return self.collection.replace("emotions", "emotion points")

    def model_for(self, data: Any = None) -> type[BaseModel] | None:
        """The model of an item of this kind (a card's from its `kind` in `data`)."""
        if self.name != "card":
            return self.models[0]
        card_kind = data.get("kind") if isinstance(data, dict) else getattr(data, "kind", None)
        return CARD_TYPES.get(card_kind) if isinstance(card_kind, str) else None


_PLACE_OF_CARD = ("stage", "step", "lane")

# In map order: the order diffs list them, `ops_to` builds them, the API lists its routes.
KINDS: tuple[Kind, ...] = (
    Kind("persona", "personas", "persona", (Persona,)),
    Kind("channel", "channels", "channel", (Channel,)),
    Kind("stage", "stages", "stage", (Stage,), children="steps", id_group="column"),
    Kind("step", "steps", "step", (Step,), parent="stage", place=("stage",), id_group="column"),
    Kind("section", "sections", "section", (Section,), children="lanes"),
    Kind("lane", "lanes", "lane", (Lane,), parent="section", place=("section",)),
    Kind(
        "card", "cards", "card", tuple(CARD_TYPES.values()), place=_PLACE_OF_CARD, name_field="text"
    ),
    Kind(
        "emotion",
        "emotions",
        "emotion point",
        (EmotionPoint,),
        place=("stage", "step"),
        name_field=None,
    ),
)
KIND: dict[str, Kind] = {k.name: k for k in KINDS}
BY_COLLECTION: dict[str, Kind] = {k.collection: k for k in KINDS}
# The kinds the journey holds in lists of its own (steps and lanes sit in their parents').
TOP_LEVEL: tuple[Kind, ...] = tuple(k for k in KINDS if k.parent is None)
# The journey's lists: everything in a journey that is not one of its own fields.
LIST_FIELDS: tuple[str, ...] = tuple(k.collection for k in TOP_LEVEL)
CHILD: dict[str, Kind] = {k.parent: k for k in KINDS if k.parent is not None}
# Bookkeeping fields: set by edit operations, never by a file, a sheet or a client's value.
INTERNAL = frozenset({"order_key", "deleted"})
MODELS: dict[str, type[BaseModel]] = {k.name: k.models[0] for k in KINDS if k.name != "card"}
HEADER_FIELDS: tuple[str, ...] = tuple(f for f in Journey.model_fields if f not in LIST_FIELDS)

_CARD: TypeAdapter[Card] = TypeAdapter(Card)

assert tuple(k.name for k in KINDS) == get_args(EntityKind), "EntityKind lists every kind"
assert set(Journey.model_fields) >= set(LIST_FIELDS), "the Journey model holds every list"


def word(kind: str) -> str:
    """How a sentence names an entity of `kind` ("emotion point")."""
    found = KIND.get(kind)
    return found.word if found else kind


def same_ids(kind: str) -> tuple[str, ...]:
    """The kinds whose ids a new `kind` must not take (stages and steps share theirs)."""
    group = KIND[kind].id_group
    return tuple(k.name for k in KINDS if group and k.id_group == group) or (kind,)


def items(journey: Journey, kind: str) -> list[tuple[str | None, Any]]:
    """(parent id, item) of every item of a kind, tombstones included, as the lists hold them."""
    found = KIND[kind]
    if found.parent is None:
        return [(None, it) for it in getattr(journey, found.collection)]
    parent = KIND[found.parent]
    return [
        (p.id, c) for p in getattr(journey, parent.collection) for c in getattr(p, found.collection)
    ]


def live_items(journey: Journey, kind: str) -> list[tuple[str | None, Any]]:
    """(parent id, item) of the items the map shows, in map order."""
    if kind == "step":
        return [(s.id, st) for s in journey.live_stages() for st in journey.live_steps(s)]
    if kind == "lane":
        return [(s.id, ln) for s in journey.live_sections() for ln in journey.live_lanes(s)]
    listing: dict[str, Callable[[], Sequence[Any]]] = {
        "persona": journey.live_personas,
        "channel": journey.live_channels,
        "stage": journey.live_stages,
        "section": journey.live_sections,
        "card": journey.live_cards,
        "emotion": journey.live_emotions,
    }
    return [(None, it) for it in listing[kind]()]


def validate_entity(kind: str, data: dict[str, Any]) -> Any:
    """The entity of `kind` built from `data`; pydantic's ValidationError if it is wrong.
    Internal fields in `data` are refused like any unknown field."""
    internal = [k for k in data if k in INTERNAL]
    if internal:
        # A card's errors carry its kind first (pydantic's tagged union does); keep that shape.
        head: tuple[str, ...] = (str(data.get("kind")),) if kind == "card" else ()
        raise ValidationError.from_exception_data(
            kind,
            [{"type": "extra_forbidden", "loc": (*head, k), "input": data[k]} for k in internal],
        )
    if kind == "card":
        return _CARD.validate_python(data)
    return MODELS[kind].model_validate(data)


def fields_of(kind: str, data: dict[str, Any] | None = None) -> list[str]:
    """The fields a file or a client may write for this kind (of card, when `data` says)."""
    model = KIND[kind].model_for(data or {})
    return [f for f in model.model_fields if f not in INTERNAL] if model else []


def fields_within(kind: str, data: dict[str, Any], inner: tuple[str | int, ...]) -> list[str]:
    """The fields of the part of an entity at `inner` (a touchpoint's `events`, a persona's
    `match`), so an unknown field there is matched against its own neighbours."""
    model: Any = KIND[kind].model_for(data)
    for part in inner:
        info = model.model_fields.get(part) if model and isinstance(part, str) else None
        if info is None:
            return []
        kinds = (info.annotation, *get_args(info.annotation))
        model = next((k for k in kinds if isinstance(k, type) and issubclass(k, BaseModel)), None)
    return [f for f in model.model_fields if f not in INTERNAL] if model else []


def canonical_card(card: Card, registry: ChannelRegistry) -> Card:
    """A touchpoint names its channel by id, and its mode only where it differs from the
    channel's, so a saved file reloads to an equal journey."""
    if card.kind != "touchpoint" or card.channel is None:
        return card
    channel = registry.resolve(card.channel) or card.channel
    mode = None if card.mode == registry.mode_of(channel) else card.mode
    if (channel, mode) == (card.channel, card.mode):
        return card
    return card.model_copy(update={"channel": channel, "mode": mode})
