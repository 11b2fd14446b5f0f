"""Many independent edits at once (a spreadsheet's rows): each group of operations all or
nothing; the groups that fail are reported and left out, and the rest applied as one batch.

One batch: the card index (card_index.py) keeps each operation's cost flat, and the whole
journey is checked once at the end, not once a group, so n groups take linear time. Only when
that final check finds a broken reference (which no single operation had refused) are the groups
applied again one by one, each checked, to tell which group broke it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .apply import apply_all, apply_unchecked, guard
from .card_index import batch
from .errors import OperationError
from .model import Journey
from .operations import Operation


def apply_groups(
    journey: Journey, groups: Sequence[Sequence[Operation]]
) -> tuple[Journey, dict[int, OperationError]]:
    """(the journey with every group that applies, {group's index: why it did not})."""
    failed: dict[int, OperationError] = {}
    result = journey
    with batch():
        for i, group in enumerate(groups):
            try:
                result = apply_unchecked(result, list(group))
            except OperationError as error:
                failed[i] = error
    try:
        guard(journey, result)
    except OperationError:
        return _one_by_one(journey, groups)
    return result, failed


def _one_by_one(
    journey: Journey, groups: Sequence[Sequence[Operation]]
) -> tuple[Journey, dict[int, OperationError]]:
    failed: dict[int, OperationError] = {}
    result = journey
    for i, group in enumerate(groups):
        try:
            result = apply_all(result, group)
        except OperationError as error:
            failed[i] = error
    return result, failed
