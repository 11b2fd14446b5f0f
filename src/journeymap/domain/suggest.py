"""'Did you mean' suggestions for misspelt names."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The best close match for `word`, or None when nothing is close enough."""
    pool = list(dict.fromkeys(candidates))
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    if found:
        return lowered[found[0]]
    # A cut-short name (`pain` for `pain_point`) is close even when difflib thinks not.
    prefixed = [c for low, c in lowered.items() if len(word) >= 3 and low.startswith(word.lower())]
    if len(prefixed) == 1:
        return prefixed[0]
    # So is a name that starts with the same word (`online-shop` for `online-store-checkout`).
    head = re.split(r"[-_ ]", word.lower())[0]
    same_head = [c for low, c in lowered.items() if len(head) >= 4 and low.startswith(head)]
    return same_head[0] if len(same_head) == 1 else None


def did_you_mean(word: str, candidates: Iterable[str], fallback: str | None = None) -> str | None:
    """A hint such as "did you mean 'email'?", else `fallback`."""
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match else fallback


def one_of(candidates: Iterable[str], limit: int = 12) -> str:
    """`a, b, c` (or the first few and a count) for listing the allowed values."""
    items = list(candidates)
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown}, ... ({len(items)} in all)"


def a_or_an(word: str) -> str:
    """`an opportunity`, `a touchpoint`."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"
