"""`bind --suggest`: propose event bindings by matching event names to touchpoint titles, and
list the frequent events that no touchpoint covers yet."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.cards import TouchpointCard
from ..domain.globs import glob_match
from ..domain.model import Journey

_STOP = {
    "a",
    "an",
    "the",
    "of",
    "to",
    "and",
    "or",
    "in",
    "on",
    "for",
    "with",
    "at",
    "by",
    "is",
    "page",
    "step",
    "after",
    "before",
    "days",
    "day",
}


def _tokens(text: str) -> set[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    words = re.findall(r"[a-z0-9]+", spaced.lower())
    return {w.rstrip("s") if len(w) > 3 else w for w in words if w not in _STOP}


@dataclass(frozen=True)
class Suggestion:
    touchpoint: str
    events: list[tuple[str, float]]  # (event name, score from 0 to 1), best first


def suggest(journey: Journey, events: dict[str, int], per_touchpoint: int = 3) -> list[Suggestion]:
    """For each touchpoint, the events whose names share the most words with it."""
    names = {name: _tokens(name) for name in events}
    out = []
    for card in journey.live_cards():
        if not isinstance(card, TouchpointCard):
            continue
        words = _tokens(f"{card.text} {card.id} {card.channel}")
        scored = []
        for name, tokens in names.items():
            shared = words & tokens
            if shared:
                scored.append((name, len(shared) / len(tokens | {w for w in words if w in shared})))
        scored.sort(key=lambda pair: (-pair[1], -events[pair[0]], pair[0]))
        out.append(Suggestion(card.id, [(n, round(s, 2)) for n, s in scored[:per_touchpoint]]))
    return out


def uncovered(journey: Journey, events: dict[str, int], limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent events that no binding in the journey matches."""
    rules = [
        c.events
        for c in journey.live_cards()
        if isinstance(c, TouchpointCard) and c.events is not None
    ]
    rules += [s.entry_events for s in journey.live_stages() if s.entry_events is not None]

    def covered(name: str) -> bool:
        for rule in rules:
            if name in rule.names:
                return True
            if any(glob_match(p, name) for p in rule.patterns):
                return True
        return False

    left = [(name, n) for name, n in events.items() if not covered(name)]
    return sorted(left, key=lambda pair: (-pair[1], pair[0]))[:limit]
