"""Short readable ids, unique in their journey."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
ID_RULE = "ids are 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit"
_ID_RE = re.compile(ID_PATTERN)
_STOP_WORDS = {"a", "an", "the", "of", "to", "and", "or", "in", "on", "for", "at", "is", "are"}


def is_valid_id(value: str) -> bool:
    return bool(_ID_RE.match(value))


def slugify(text: str, max_words: int = 4, max_len: int = 40) -> str:
    """`"Shipping fees appear late!"` -> `shipping-fees-appear-late`; never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    meaningful = [w for w in words if w not in _STOP_WORDS] or words
    slug = "-".join(meaningful[:max_words])[:max_len].strip("-")
    return slug or "item"


def unique_id(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is free."""
    used = set(taken)
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def random_id(prefix: str) -> str:
    """A fresh id for an entity created by an editor client, e.g. `card-k3x9q2`."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return f"{prefix}-" + "".join(secrets.choice(alphabet) for _ in range(6))


_NAME_KINDS = {"persona", "channel", "stage", "step", "section", "lane"}


def id_seed(kind: str, raw: Mapping[str, Any]) -> str:
    """The readable base of a new id: from a name, a card's text, an emotion point's place."""
    if kind == "emotion":
        place = [str(raw[k]) for k in ("stage", "step", "card") if isinstance(raw.get(k), str)]
        return "feel-" + slugify("-".join(place) or "point", max_words=6, max_len=60)
    if kind == "card":
        text = raw.get("text") if isinstance(raw.get("text"), str) else raw.get("kind")
        return slugify(str(text or "card"))
    name = raw.get("name")
    return slugify(name) if isinstance(name, str) and kind in _NAME_KINDS else kind


def new_id(kind: str, raw: Mapping[str, Any], taken: set[str]) -> str:
    """A fresh id for an item of `kind` described by `raw`; it is added to `taken`."""
    ident = unique_id(id_seed(kind, raw), taken)
    taken.add(ident)
    return ident
