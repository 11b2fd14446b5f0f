"""Event name patterns (globs): `*` stands for any run of characters, `?` for any one.

`glob_match` matches in steps linear in the text for each piece of the pattern (text length x
pattern length at worst): between two `*`, a piece is taken at its first place and never tried
again, which is right for globs, since a piece's first match leaves the most room for the rest.
`glob_regex` is the same as a regular expression for Python's engine (an atomic group a piece).

A plain translation (`*` as `.*`) backtracks: `"*?" * 20 + "#"` took 25 s on a 55-character
name. So that such translations, and engines without atomic groups, stay fast too, a pattern
may hold at most MAX_STARS `*` (about 0.03 s on a 200-character name at worst).
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_STARS = 3


def check_glob(pattern: str) -> str:
    """`pattern`, or ValueError saying how many `*` it may hold."""
    stars = pattern.count("*")
    if stars > MAX_STARS:
        hint = " (`**` means what `*` means)" if "**" in pattern else ""
        raise ValueError(
            f"the pattern '{pattern[:60]}' has {stars} `*`; a pattern may have {MAX_STARS}"
            f"{hint}: name the events, or split the pattern into several"
        )
    return pattern


def _piece(text: str) -> str:
    return "".join("." if c == "?" else re.escape(c) for c in text)


@lru_cache(maxsize=1024)
def glob_regex(pattern: str) -> str:
    """An anchored regular expression for `pattern` that does not backtrack (Python's `re`,
    3.11 or later: it uses atomic groups)."""
    pieces = pattern.split("*")
    if len(pieces) == 1:
        return rf"(?s)\A{_piece(pattern)}\Z"
    head, *middle, tail = pieces
    inner = "".join(f"(?>.*?{_piece(p)})" for p in middle if p)
    return rf"(?s)\A{_piece(head)}{inner}.*{_piece(tail)}\Z"


def glob_match(pattern: str, text: str) -> bool:
    """Whether `text` matches `pattern` as a whole: each piece between two `*` is found at its
    first place after the one before, in steps linear in the text (times the piece's length)."""
    pieces = pattern.split("*")
    if len(pieces) == 1:
        return len(text) == len(pattern) and _fits(pattern, text, 0)
    head, *middle, tail = pieces
    end = len(text) - len(tail)
    if end < len(head) or not _fits(head, text, 0) or not _fits(tail, text, end):
        return False
    at = len(head)
    for piece in middle:
        found = _find(piece, text, at, end)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def _fits(piece: str, text: str, at: int) -> bool:
    """Whether `piece` (with `?`) matches `text` at `at`."""
    if at + len(piece) > len(text):
        return False
    return all(p in ("?", c) for p, c in zip(piece, text[at : at + len(piece)], strict=True))


def _find(piece: str, text: str, start: int, end: int) -> int:
    """The first place at or after `start` where `piece` matches, ending by `end`; or -1."""
    if "?" not in piece:
        return text.find(piece, start, end)
    for at in range(start, end - len(piece) + 1):
        if _fits(piece, text, at):
            return at
    return -1
