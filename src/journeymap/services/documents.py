"""Journey files a person sends (an import, or a document to create a journey from): read
within the process's parse slots, and checked against the journey size limits.

Parsing YAML is slow (seconds for a large file) and holds the interpreter, so a few parses at a
time keep the server answering everyone else; the text's nesting is checked before parsing
(files/nesting.py), so a small file cannot cost much either.
"""

from __future__ import annotations

from ..domain.limits import DEFAULT_LIMITS, JourneyLimits, check_size
from ..domain.model import Journey
from ..files.journey_file import decode, journey_from_text
from .limits import Slots


def read_document(
    data: bytes | str,
    name: str,
    as_json: bool | None,
    slots: Slots | None = None,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> Journey:
    """The journey in `data` (bytes as UTF-8); `as_json` None: JSON when it looks like it.
    JourneyInvalid lists every problem with its place; Busy when no parse slot came free in
    time; JourneyTooLarge when the journey is past a limit."""
    text = decode(data, name) if isinstance(data, bytes) else data
    if as_json is None:
        as_json = name.lower().endswith(".json") or text.lstrip().startswith("{")
    if slots is None:
        journey = journey_from_text(text, name, as_json=as_json)
    else:
        with slots.hold():
            journey = journey_from_text(text, name, as_json=as_json)
    check_size(journey, limits)
    return journey
