"""What the journey library searches, kept on each journey's row and rewritten on every save.

Text columns, lower-cased (so `LIKE` matches alike on SQLite and PostgreSQL):
- `search_text`: every word a person wrote on the live map (title, description, scope, owner,
  tags, personas, stages, steps, sections, lanes, channels, cards, emotion notes), one entity a
  line; a free-text query matches when each of its words is in it.
- `persona_terms` and `stage_terms`: the live personas' (stages') ids and names, each on a line
  of its own between newlines, so a filter matches a whole id or name (`\\nalex\\n`), not part
  of one.

Why columns and not a query over the entity rows: a library page over a workspace of many
300-card maps then reads one row per journey, with no JSON searched at query time, and the
same SQL runs on both engines.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from ..domain.field_traits import words_fields
from ..domain.model import Journey


@dataclass(frozen=True)
class SearchTerms:
    """The search columns' values, named as the columns of `journeys` are."""

    search_text: str
    persona_terms: str
    stage_terms: str
    persona_ids: str  # the live personas' ids exactly, one a line: which journeys have one
    owner_key: str  # lower-cased here (SQL's lower() knows ASCII only on SQLite)
    title_key: str  # the sort key for titles: see sort_key

    def columns(self) -> dict[str, str]:
        return dataclasses.asdict(self)


def terms_of(journey: Journey) -> SearchTerms:
    """The journey's search terms. Order does not matter here, so nothing is sorted: live
    means not deleted and not under a deleted stage, step, section or lane (as on the map)."""
    stages = [s for s in journey.stages if not s.deleted]
    steps = [(s.id, st) for s in stages for st in s.steps if not st.deleted]
    sections = [s for s in journey.sections if not s.deleted]
    lanes = [ln for s in sections for ln in s.lanes if not ln.deleted]
    live_stages = {s.id for s in stages}
    live_steps = {(stage, st.id) for stage, st in steps}
    live_lanes = {ln.id for ln in lanes}

    def placed(stage: str, step: str | None) -> bool:
        return stage in live_stages and (step is None or (stage, step) in live_steps)

    cards = [
        c
        for c in journey.cards
        if not c.deleted and c.lane in live_lanes and placed(c.stage, c.step)
    ]
    personas = [p for p in journey.personas if not p.deleted]
    entities: list[BaseModel] = [*personas, *(c for c in journey.channels if not c.deleted)]
    entities += [*stages, *(st for _, st in steps), *sections, *lanes, *cards]
    lines = [_words(journey.id, *_strings(journey))]
    lines += [_entity_words(e) for e in entities]
    lines += [
        _words(e.note)
        for e in journey.emotions
        if not e.deleted and e.note and placed(e.stage, e.step)
    ]
    return SearchTerms(
        "\n".join(x for x in lines if x),
        _listed(t for p in personas for t in (p.id, p.name)),
        _listed(t for s in stages for t in (s.id, s.name)),
        "\n" + "".join(f"{p.id}\n" for p in personas) if personas else "",
        term(journey.owner or ""),
        sort_key(journey.title),
    )


def sort_key(value: str) -> str:
    """A title as the library sorts it, alike on both engines: lower-cased with accents
    folded ("Ábc" beside "abc", not after "zeta"), then the rest as written."""
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c)
    )
    return f"{term(folded)}\n{value}"


def term(value: str) -> str:
    """A filter value as it stands in `persona_terms`/`stage_terms`."""
    return " ".join(value.lower().split())


def _listed(values: Iterable[str | None]) -> str:
    kept = dict.fromkeys(term(v) for v in values if v and v.strip())
    return "\n" + "".join(f"{v}\n" for v in kept) if kept else ""


def _words(*values: str | None) -> str:
    return " ".join(" ".join(v.lower().split()) for v in values if v)


# An entity's line, by the entity object: entities are immutable (domain/base.py: an edit
# builds a new object), so a journey saved after one operation re-reads only what it changed
# (the live write path saves per operation). The entry holds its entity, so its id is never
# reused while cached; the whole cache is dropped past _WORDS_MAX.
_WORDS: dict[int, tuple[BaseModel, str]] = {}
_WORDS_MAX = 50_000


def _entity_words(entity: BaseModel) -> str:
    found = _WORDS.get(id(entity))
    if found is not None and found[0] is entity:
        return found[1]
    line = _words(*_strings(entity))
    if len(_WORDS) >= _WORDS_MAX:
        _WORDS.clear()
    _WORDS[id(entity)] = (entity, line)
    return line


def _strings(entity: BaseModel) -> Iterator[str]:
    """The words of an entity: its fields that hold a person's words, as its model's types
    say (domain/field_traits.py): text and lists of text, not ids, choices or bindings."""
    for name in words_fields(type(entity)):
        value = getattr(entity, name)
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, str))
