"""An index of a journey's cards, kept during a batch of operations, so that each card operation
costs about the same however many cards the journey has (a batch of n cards: linear, not n^2).

Outside a batch there is no index, and operations look things up by scanning, as they always
did. Inside one (`batch()`), the index describes one `cards` list, compared by identity: when an
operation made the list the index describes (`put`), the index follows it; when anything else
changed the cards, the lists differ and the index is built again. So it is never stale.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from .channels import ChannelRegistry

Cell = tuple[str, str | None, str]  # stage, step, lane


def _cell(card: Any) -> Cell:
    return (card.stage, card.step, card.lane)


class CardIndex:
    def __init__(self, cards: list[Any]) -> None:
        self.cards = cards
        self.at = {card.id: i for i, card in enumerate(cards)}  # id -> position
        # Each cell's live cards, as sorted (order key, id).
        self.cells: dict[Cell, list[tuple[str, str]]] = {}
        for card in cards:
            if not card.deleted:
                self.cells.setdefault(_cell(card), []).append((card.order_key, card.id))
        for entries in self.cells.values():
            entries.sort()
        self.hints: dict[str, int] = {}  # id base -> the first `-n` worth trying
        self._channels: tuple[Any, ChannelRegistry] | None = None

    def get(self, ident: str | None) -> Any | None:
        at = self.at.get(ident) if ident is not None else None
        return None if at is None else self.cards[at]

    def last_key(self, cell: Cell, leaving: str) -> str | None:
        """The last order key among the cell's live cards, `leaving` aside."""
        for key, ident in reversed(self.cells.get(cell, ())):
            if ident != leaving:
                return key
        return None

    def fresh_id(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`, ... whichever no card has (as ids.unique_id), without
        trying again the numbers this batch has found taken."""
        if base not in self.at:
            return base
        n = self.hints.get(base, 2)
        while f"{base}-{n}" in self.at:
            n += 1
        self.hints[base] = n
        return f"{base}-{n}"

    def registry(self, journey: Any) -> ChannelRegistry:
        """The journey's channel registry, made again only when its channels change."""
        if self._channels is None or self._channels[0] is not journey.channels:
            self._channels = (journey.channels, journey.channel_registry())
        return self._channels[1]

    def put(self, cards: list[Any], at: int, old: Any | None, new: Any) -> None:
        """`cards` (a new list) holds `new` at `at`, where `old` was (None: appended)."""
        if old is not None and not old.deleted:
            entries = self.cells.get(_cell(old), [])
            i = bisect.bisect_left(entries, (old.order_key, old.id))
            if i == len(entries) or entries[i] != (old.order_key, old.id):
                self.__init__(cards)  # type: ignore[misc]  # out of step: start again
                return
            entries.pop(i)
        self.cards = cards
        self.at[new.id] = at
        if not new.deleted:
            bisect.insort(self.cells.setdefault(_cell(new), []), (new.order_key, new.id))


_BATCH: ContextVar[list[CardIndex | None] | None] = ContextVar("card_index", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Keep a card index while the block applies operations (nested batches share it)."""
    if _BATCH.get() is not None:
        yield
        return
    token = _BATCH.set([None])
    try:
        yield
    finally:
        _BATCH.reset(token)


def index_for(cards: list[Any]) -> CardIndex | None:
    """The batch's index of `cards` (built now if it describes another list); None outside
    a batch."""
    holder = _BATCH.get()
    if holder is None:
        return None
    index = holder[0]
    if index is None or index.cards is not cards:
        index = holder[0] = CardIndex(cards)
    return index
