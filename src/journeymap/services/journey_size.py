"""The journey size limits (domain/limits.py) on the one write path: every batch of operations,
whoever sends it (an ops batch, a PATCH, an entity's route, a restore), leaves the journey within
them or is refused with JourneyTooLarge (413, naming the limit) before anything is written.

What `check_size` measures, at the cost of the batch rather than of the whole journey (the
document's size takes about 20 ms for 300 cards, three times what the rest of a write takes):
- cards: counted after every batch (cheap);
- characters per card: of the cards the batch changed or added (the others did not change);
- the document's bytes: measured exactly when this process knows no size for the revision the
  batch starts from (its first write of the journey, or another process wrote since), and when
  the batch does more than edit, add or move live cards that are no pain points (other edits
  can change what the export writes of other cards: a channel's mode is written on its
  touchpoints, a pain point's id in the opportunities that link it, a restored stage brings its
  cards back). Otherwise the size is bounded from above: the known size plus, for each
  operation, its own JSON text with the line breaks, indentation and YAML escapes it can add,
  and 1 KB for the ids and order key made for it. Only when that bound passes the limit is the
  document measured again. Bounds only overestimate, so a journey the server holds always
  fits its limits, and its export the import.

Sizes are kept per database in this process, keyed by the revision's stamp (as the journey
cache's states are): a rolled-back write or another process's leaves no stamp that matches.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..domain.limits import (
    JourneyLimits,
    check_cards,
    check_count,
    check_document,
    yaml_extra,
)
from ..domain.model import Journey
from ..domain.operations import AddOp, MoveOp, RenameOp, SetOp
from ..per_pool import PerPool

if TYPE_CHECKING:
    from ..domain.operations import Operation
    from ..storage.journey_cache import JourneyCache, Stamp

KEPT = 256  # journeys whose size bound is kept, per database
PER_OP = 1024  # bytes an operation may add besides its own text: the id, order key, kind


class _Sizes:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: OrderedDict[str, tuple[Stamp, int]] = OrderedDict()
        self.measured = 0  # how many batches had the document measured (tests, benchmarks)


# Kept beside the journey cache of the same database (one per connection pool).
_sizes_for = PerPool(_Sizes)


def sizes_measured(cache: JourneyCache) -> int:
    return _sizes_for(cache).measured


def check_batch(
    cache: JourneyCache,
    journey_id: str,
    stamp: Stamp,
    before: Journey,
    after: Journey,
    ops: Sequence[Operation],
    dumped: Sequence[dict[str, Any]],
    limits: JourneyLimits,
) -> int:
    """JourneyTooLarge when `after` (the journey at `stamp`, changed by `ops`) is past a
    limit; otherwise a bound of its document's size, to `remember` once it is written."""
    check_count(after, limits)
    unchanged = {id(c) for c in before.cards}
    check_cards((c for c in after.cards if id(c) not in unchanged and not c.deleted), limits)
    sizes = _sizes_for(cache)
    with sizes.lock:
        found = sizes.kept.get(journey_id)
    if found is not None and found[0] == stamp and _only_local(before, ops):
        bound = found[1] + sum(_growth(op) for op in dumped)
        if bound <= limits.document_bytes:
            return bound
    with sizes.lock:
        sizes.measured += 1
    return check_document(after, limits)


def remember(cache: JourneyCache, journey_id: str, stamp: Stamp, bound: int) -> None:
    """The journey at `stamp` (just written) is at most `bound` bytes."""
    sizes = _sizes_for(cache)
    with sizes.lock:
        sizes.kept[journey_id] = (stamp, bound)
        sizes.kept.move_to_end(journey_id)
        while len(sizes.kept) > KEPT:
            sizes.kept.popitem(last=False)


def _only_local(before: Journey, ops: Sequence[Operation]) -> bool:
    """Whether every operation changes what the export writes of its own card only."""
    live: dict[str, str] | None = None
    for op in ops:
        if op.entity != "card":
            return False
        if isinstance(op, AddOp):
            if op.value.get("kind") == "pain_point":
                return False
            continue
        if not isinstance(op, SetOp | RenameOp | MoveOp):
            return False  # a delete or restore: linked and derived text may change
        if isinstance(op, SetOp) and op.field == "kind":
            return False
        if live is None:
            live = {c.id: c.kind for c in before.live_cards()}
        if live.get(op.id or "") in (None, "pain_point"):
            return False  # not live before (its whole card may appear), or linked to
    return True


def _growth(op: dict[str, Any]) -> int:
    """At most how many bytes `op` adds to the export of its own card: its JSON text, a line
    break and indentation (up to 16) before each of its values, YAML's extra, and PER_OP."""
    text = json.dumps(op, ensure_ascii=False, separators=(",", ":"), default=str)
    return len(text.encode("utf-8", "surrogatepass")) + 18 * _values(op) + yaml_extra(text) + PER_OP


def _values(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(_values(v) for v in value.values())
    if isinstance(value, list | tuple):
        return 1 + sum(_values(v) for v in value)
    return 1
