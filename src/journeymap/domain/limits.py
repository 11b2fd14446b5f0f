"""How big one journey may grow: cards, characters per card, and bytes of the whole document.

One object, one check, applied the same way wherever a journey is made or changed, so that every
journey a server holds can be drawn in bounded time and exported and imported back (its export
fits the import's 5 MB).

The document's size is the larger of its JSON export (`json.dumps(indent=2)`, as the export
writes it) and a bound on its YAML export, which writes a few things longer than JSON does: each
line of a multi-line text is indented (up to 16 spaces), a `'` is doubled inside single quotes,
and characters YAML cannot print raw are escaped (`\\x7F`, `\\u2028`: up to 4 bytes more).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .cards import Card
from .document import journey_to_data
from .model import Journey

# A card's ids, place and choices, which are not its text.
_NOT_TEXT = {"id", "order_key", "deleted", "kind", "lane", "stage", "step", "pain_points"}
_YAML_INDENT = 16  # the deepest indentation of a text line in a YAML export
_YAML_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class JourneyLimits:
    cards: int = 2_000  # live cards
    card_chars: int = 20_000  # characters in all of one card's text fields together
    document_bytes: int = 4 * 1024 * 1024  # the export's size (see the module's note)


DEFAULT_LIMITS = JourneyLimits()


class JourneyTooLarge(ValueError):
    """A journey past one of its limits; `what` names the limit (cards, card_chars,
    document_bytes), and the message says the size, the limit and what to do."""

    def __init__(self, what: str, actual: int, limit: int, message: str) -> None:
        super().__init__(message)
        self.what, self.actual, self.limit, self.message = what, actual, limit, message


def check_size(journey: Journey, limits: JourneyLimits = DEFAULT_LIMITS) -> None:
    """JourneyTooLarge when `journey` is past a limit; linear in the journey's size."""
    check_count(journey, limits)
    check_cards(journey.live_cards(), limits)
    check_document(journey, limits)


def check_count(journey: Journey, limits: JourneyLimits = DEFAULT_LIMITS) -> None:
    """JourneyTooLarge when the journey has more live cards than allowed."""
    cards = len(journey.live_cards())
    if cards > limits.cards:
        raise JourneyTooLarge(
            "cards",
            cards,
            limits.cards,
            f"the journey has {cards:,} cards; a journey may have {limits.cards:,}: "
            "split it into several journeys (one per persona or per part of the journey)",
        )


def check_cards(cards: Iterable[Card], limits: JourneyLimits = DEFAULT_LIMITS) -> None:
    """JourneyTooLarge when one of `cards` holds more characters of text than allowed."""
    for card in cards:
        fields = card.model_dump(exclude=_NOT_TEXT)
        chars = sum(_chars(value) for value in fields.values())
        if chars > limits.card_chars:
            raise JourneyTooLarge(
                "card_chars",
                chars,
                limits.card_chars,
                f"card '{card.id}' holds {chars:,} characters of text; a card may hold "
                f"{limits.card_chars:,}: move the long text into a linked document "
                "(the card's evidence) and keep the card short",
            )


def check_document(journey: Journey, limits: JourneyLimits = DEFAULT_LIMITS) -> int:
    """The journey's document size (`document_size`); JourneyTooLarge when past the limit."""
    size = document_size(journey)
    if size > limits.document_bytes:
        raise JourneyTooLarge(
            "document_bytes",
            size,
            limits.document_bytes,
            f"the journey's document is {size:,} bytes; a journey may be "
            f"{limits.document_bytes:,}: split it into several journeys",
        )
    return size


def document_size(journey: Journey) -> int:
    """The larger of the JSON export's size and a bound on the YAML export's, in bytes."""
    data = journey_to_data(journey)
    # json.dumps(indent=2) is the export, but with an indent Python's encoder runs in Python,
    # three times slower: the compact text comes from the C encoder, and the line breaks and
    # indentation the export adds are counted from the structure (`_indentation`).
    text = json.dumps(data, ensure_ascii=False, separators=(",", ": "), default=str)
    size = len(text.encode("utf-8", "surrogatepass")) + _indentation(data, 0) + 1
    return size + yaml_extra(text)


def yaml_extra(text: str) -> int:
    """How many bytes more than the JSON `text` its YAML export can take (the module's note)."""
    return _YAML_INDENT * text.count("\\n") + text.count("'") + 4 * len(_YAML_ESCAPED.findall(text))


def _indentation(value: Any, depth: int) -> int:
    """The bytes `json.dumps(value, indent=2)` adds to the compact text at `depth`: a line
    break and indentation before each item and before the closing bracket."""
    if isinstance(value, dict):
        items: Iterable[Any] = value.values()
    elif isinstance(value, list | tuple):
        items = value
    else:
        return 0
    count = extra = 0
    for item in items:
        count += 1
        extra += _indentation(item, depth + 1)
    return extra + (count * (1 + 2 * (depth + 1)) + 1 + 2 * depth if count else 0)


def _chars(value: Any) -> int:
    if isinstance(value, Enum):
        return 0  # a choice (confidence, status), not text
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_chars(k) + _chars(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return sum(_chars(v) for v in value)
    return 0
