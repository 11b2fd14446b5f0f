"""One table of the entity kinds: their models, their fields, and how to validate one."""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError

from .cards import CARD_TYPES, Card
from .channels import ChannelRegistry
from .model import Channel, EmotionPoint, Lane, Persona, Section, Stage, Step

# Bookkeeping fields: set by edit operations, never by a file, a sheet or a client's value.
INTERNAL = frozenset({"order_key", "deleted"})
MODELS: dict[str, type[BaseModel]] = {
    "persona": Persona,
    "channel": Channel,
    "stage": Stage,
    "step": Step,
    "section": Section,
    "lane": Lane,
    "emotion": EmotionPoint,
}
_CARD: TypeAdapter[Card] = TypeAdapter(Card)


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
    if kind == "card":
        card_kind = (data or {}).get("kind")
        model = CARD_TYPES.get(card_kind) if isinstance(card_kind, str) else None
        return [f for f in model.model_fields if f not in INTERNAL] if model else []
    return [f for f in MODELS[kind].model_fields if f not in INTERNAL]


def fields_within(kind: str, data: dict[str, Any], inner: tuple[str | int, ...]) -> list[str]:
    """The fields of the part of an entity at `inner` (a touchpoint's `events`, a persona's
    `match`), so an unknown field there is matched against its own neighbours."""
    model: Any = MODELS.get(kind) or CARD_TYPES.get(str(data.get("kind")))
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
