"""One line a person can read for a revision in the history list: "Added card 'fee-shown'",
"Restored revision 3 (4 changes)", "Moved card 'x' and 2 more changes".

Made from the logged operations alone (no replay), so a page of fifty revisions costs nothing
to describe; the full field-by-field account is the diff (services/history.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_VERB = {
    "add": "Added",
    "set": "Changed",
    "rename": "Renamed",
    "move": "Moved",
    "delete": "Deleted",
    "restore": "Brought back",
}
_RESTORE_NOTE = re.compile(r"restore rev (\d+)")


def summarise(ops: Sequence[dict[str, Any]], note: str | None = None) -> str:
    """The revision in one line, from its operations and its note (e.g. "restore rev 3")."""
    if ops and ops[0].get("kind") == "create":
        said = note and note != "create"  # a copy's or an import's note says where from
        return f"Created the journey ({note})" if said else "Created the journey"
    more = _more(len(ops))
    if note and (m := _RESTORE_NOTE.fullmatch(note)):
        return f"Restored revision {m.group(1)}" + (f" ({_count(len(ops))})" if ops else "")
    if not ops:
        return "No change"
    return _one(ops[0]) + (f" and {more}" if more else "")


def _one(op: dict[str, Any]) -> str:
    kind = str(op.get("kind", ""))
    entity = str(op.get("entity", "item"))
    word = "emotion point" if entity == "emotion" else entity
    verb = _VERB.get(kind, kind.capitalize() or "Changed")
    if entity == "journey":
        return f"Changed the journey's {op.get('field', 'details')}"
    name = _label(op)
    head = f"{verb} {word} {_quote(name)}" if name else f"{verb} {word}"
    if kind == "set" and op.get("field"):
        return f"{head}: {op['field']}"
    if kind == "rename" and isinstance(op.get("name"), str):
        return f"{verb} {word} {_quote(str(op.get('id', '')))} to {_quote(op['name'])}"
    return head


def _label(op: dict[str, Any]) -> str | None:
    value = op.get("value")
    if op.get("kind") == "add" and isinstance(value, dict):
        for key in ("text", "name"):
            if isinstance(value.get(key), str) and value[key]:
                return str(value[key])
    ident = op.get("id")
    return str(ident) if ident else None


def _quote(text: str, limit: int = 60) -> str:
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"'{short}'"


def _count(n: int) -> str:
    return f"{n} change{'' if n == 1 else 's'}"


def _more(n: int) -> str:
    return f"{n - 1} more change{'' if n == 2 else 's'}" if n > 1 else ""
