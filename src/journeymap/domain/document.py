"""The journey file format: plain data (parsed YAML or JSON) to a checked Journey, and back.

Loading never stops at the first mistake: each stage, step, section, lane, card and emotion point
is validated on its own, then the cross-references are checked, and every problem is reported
with its path in the file. Positions (line, column) are added by the caller, which knows the text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ValidationError

from .cards import Confidence
from .checks import check_journey
from .entities import INTERNAL, canonical_card, fields_of, fields_within, validate_entity
from .errors import JourneyInvalid, Path, Problem
from .ids import new_id, slugify
from .messages import problems_from_error, yaml_type
from .migrations import migrate
from .model import FORMAT_VERSION, Journey, Persona
from .ordering import initial_keys
from .suggest import did_you_mean, one_of

LIST_FIELDS = ("personas", "channels", "stages", "sections", "cards", "emotions")
_LIST_KINDS = {
    "personas": "persona",
    "channels": "channel",
    "stages": "stage",
    "sections": "section",
    "cards": "card",
    "emotions": "emotion",
}
_CHILDREN = {"stages": ("steps", "step"), "sections": ("lanes", "lane")}


class _Builder:
    """Validates one document piece by piece, remembering where each piece came from."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.source: dict[Path, Path] = {}  # path in the built Journey -> path in the file
        self.broken: set[str] = set()  # ids of items that failed, so references to them are quiet

    def item(self, kind: str, raw: Any, path: Path, drop: tuple[str, ...] = ()) -> Any | None:
        if not isinstance(raw, dict):
            self.problems.append(
                Problem(
                    path,
                    f"expected a mapping of `key: value` lines, got {yaml_type(raw)}",
                    code="wrong-type",
                )
            )
            return None
        body = {k: v for k, v in raw.items() if k not in drop}
        try:
            return validate_entity(kind, body)
        except ValidationError as error:
            fields = [f for f in fields_of(kind, body) if f not in drop]
            found = problems_from_error(error, path, fields, strip_tag=kind == "card")
            self.problems += [self._nested_hint(p, kind, body, len(path)) for p in found]
            self.break_ids(raw)
            return None

    @staticmethod
    def _nested_hint(problem: Problem, kind: str, body: dict[str, Any], depth: int) -> Problem:
        """An unknown field inside a part (`match: {wher: ...}`): suggest that part's fields."""
        inner = problem.path[depth:-1]
        if problem.code != "unknown-field" or not inner:
            return problem
        allowed = fields_within(kind, body, inner)
        if not allowed:
            return problem
        hint = did_you_mean(str(problem.path[-1]), allowed, f"allowed here: {one_of(allowed)}")
        return replace(problem, hint=hint)

    def break_ids(self, raw: dict[str, Any], child: str | None = None) -> None:
        if isinstance(raw.get("id"), str):
            self.broken.add(raw["id"])
        for item in raw.get(child, []) if child and isinstance(raw.get(child), list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                self.broken.add(item["id"])

    def items(self, data: Mapping[str, Any], field: str, base: Path = ()) -> list[tuple[int, Any]]:
        raw = data.get(field)
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problems.append(
                Problem(
                    (*base, field),
                    f"expected a list, got {yaml_type(raw)}",
                    "write one `- item` per line",
                    code="wrong-type",
                )
            )
            return []
        return list(enumerate(raw))


def journey_from_data(data: Any) -> Journey:
    """A checked Journey from parsed file content; raises JourneyInvalid listing every problem."""
    if not isinstance(data, dict):
        raise JourneyInvalid(
            [
                Problem(
                    (),
                    f"a journey file holds a mapping of `key: value` lines, got {yaml_type(data)}",
                    "start from `journeymap new`",
                    code="wrong-type",
                )
            ]
        )
    data, problems = migrate(data)
    if problems:
        raise JourneyInvalid(problems)
    data = _with_ids(data)
    b = _Builder()
    header = {k: v for k, v in data.items() if k not in LIST_FIELDS and k != "format_version"}
    if header.get("id") is None:
        title = header.get("title")
        header["id"] = slugify(title, max_words=6) if isinstance(title, str) else "journey"
    header_ok = None
    try:
        header_ok = Journey.model_validate(header)
    except ValidationError as error:
        b.problems += problems_from_error(
            error, (), [f for f in Journey.model_fields if f not in LIST_FIELDS]
        )
    personas = _flat(b, data, "personas", "persona")
    channels = _flat(b, data, "channels", "channel")
    stages = _nested(b, data, "stages")
    sections = _nested(b, data, "sections")
    cards = _flat(b, data, "cards", "card")
    emotions = _flat(b, data, "emotions", "emotion")
    base = header_ok or Journey(id="journey", title="untitled")
    journey = base.model_copy(
        update={
            "personas": _keyed(personas),
            "channels": _keyed(channels),
            "stages": stages,
            "sections": sections,
        }
    )
    registry = journey.channel_registry()
    journey = journey.model_copy(
        update={
            "cards": _ordered_cards([canonical_card(c, registry) for c in cards]),
            "emotions": _keyed(emotions),
        }
    )
    for problem in check_journey(journey):
        if problem.ref is None or problem.ref not in b.broken:
            b.problems.append(_relocate(problem, b.source))
    if b.problems or header_ok is None:
        raise JourneyInvalid(b.problems)
    return journey


def _nested(b: _Builder, data: Mapping[str, Any], field: str) -> list[Any]:
    """Stages with their steps, or sections with their lanes, each child checked on its own."""
    child, child_kind = _CHILDREN[field]
    parents: list[Any] = []
    for i, raw in b.items(data, field):
        parent = b.item(_LIST_KINDS[field], raw, (field, i), drop=(child,))
        if parent is None:
            if isinstance(raw, dict):
                b.break_ids(raw, child)  # its children are unusable too: no follow-on errors
            continue
        b.source[(field, len(parents))] = (field, i)
        children = _flat(b, raw, child, child_kind, base=(field, i), at=(field, len(parents)))
        parents.append(parent.model_copy(update={child: _keyed(children)}))
    return _keyed(parents)


def _flat(
    b: _Builder, data: Mapping[str, Any], field: str, kind: str, base: Path = (), at: Path = ()
) -> list[Any]:
    """The valid items of one list; `at` is where the list sits in the built journey."""
    items: list[Any] = []
    for i, raw in b.items(data, field, base):
        item = b.item(kind, raw, (*base, field, i))
        if item is not None:
            b.source[(*at, field, len(items))] = (*base, field, i)
            items.append(item)
    return items


def _relocate(problem: Problem, source: Mapping[Path, Path]) -> Problem:
    for size in (4, 2):
        head = problem.path[:size]
        if head in source:
            return Problem(
                (*source[head], *problem.path[size:]),
                problem.message,
                problem.hint,
                code=problem.code,
                ref=problem.ref,
            )
    return problem


def _keyed(items: list[Any]) -> list[Any]:
    """Order keys for items in the order the file lists them."""
    keys = initial_keys(len(items))
    return [it.model_copy(update={"order_key": k}) for it, k in zip(items, keys, strict=True)]


def _ordered_cards(cards: list[Any]) -> list[Any]:
    """Order keys per cell (stage, step, lane), following the file's order within each cell."""
    cells: dict[tuple[str, str | None, str], list[int]] = defaultdict(list)
    for i, card in enumerate(cards):
        cells[(card.stage, card.step, card.lane)].append(i)
    out = list(cards)
    for members in cells.values():
        for i, key in zip(members, initial_keys(len(members)), strict=True):
            out[i] = cards[i].model_copy(update={"order_key": key})
    return out


def _with_ids(data: dict[str, Any]) -> dict[str, Any]:
    """Fill in readable ids where the file has none, unique within their kind; `personas:
    [alex]` is shorthand for `{id: alex}`."""
    out = dict(data)
    if isinstance(out.get("personas"), list):
        out["personas"] = [{"id": p} if isinstance(p, str) else p for p in out["personas"]]
    for field, kind in _LIST_KINDS.items():
        items = out.get(field)
        if not isinstance(items, list):
            continue
        child, child_kind = _CHILDREN.get(field, ("", ""))
        kids = [
            k
            for it in items
            if isinstance(it, dict) and isinstance(it.get(child), list)
            for k in it[child]
        ]
        taken = _raw_ids(items) | _raw_ids(kids) if field == "stages" else _raw_ids(items)
        filled = _fill_ids(items, kind, taken)
        if child:
            child_taken = taken if field == "stages" else _raw_ids(kids)  # steps share with stages
            filled = [
                {**it, child: _fill_ids(it[child], child_kind, child_taken)}
                if isinstance(it, dict) and isinstance(it.get(child), list)
                else it
                for it in filled
            ]
        out[field] = filled
    return out


def _fill_ids(items: list[Any], kind: str, taken: set[str]) -> list[Any]:
    return [
        {"id": new_id(kind, raw, taken), **{k: v for k, v in raw.items() if k != "id"}}
        if isinstance(raw, dict) and raw.get("id") is None
        else raw
        for raw in items
    ]


def _raw_ids(items: Any) -> set[str]:
    if not isinstance(items, list):
        return set()
    return {r["id"] for r in items if isinstance(r, dict) and isinstance(r.get("id"), str)}


# ---------------------------------------------------------------- Journey -> canonical data

_HEADER_ORDER = [f for f in Journey.model_fields if f not in LIST_FIELDS]
_CARD_HEAD = ["id", "kind", "stage", "step", "lane", "text", "details"]
_CARD_TAIL = ["confidence", "evidence", "tags"]


def journey_to_data(journey: Journey) -> dict[str, Any]:
    """The canonical file content: live items only, fixed key order, empty values left out."""
    out: dict[str, Any] = {"format_version": FORMAT_VERSION}
    header = journey.model_dump(mode="json", include=set(_HEADER_ORDER))
    for key in _HEADER_ORDER:
        _put(out, key, header.get(key))
    if journey.review_by is not None:
        out["review_by"] = journey.review_by  # a date, written unquoted in YAML
    if journey.funnel is not None:  # only what differs from the defaults
        out["funnel"] = journey.funnel.model_dump(mode="json", exclude_defaults=True)
    out["personas"] = [_persona_data(p) for p in journey.live_personas()]
    out["channels"] = [_clean(_dump(c)) for c in journey.live_channels()]
    out["stages"] = [
        _clean(
            {
                **_dump(s, exclude={"steps"}),
                "steps": [_clean(_dump(x)) for x in journey.live_steps(s)],
            }
        )
        for s in journey.live_stages()
    ]
    out["sections"] = [
        _clean(
            {
                **_dump(s, exclude={"lanes"}),
                "lanes": [_clean(_dump(x)) for x in journey.live_lanes(s)],
            }
        )
        for s in journey.live_sections()
    ]
    registry = journey.channel_registry()
    live = journey.live_cards()
    pains = {c.id for c in live if c.kind == "pain_point"}
    out["cards"] = [_card_data(c, registry.mode_of, pains) for c in live]
    out["emotions"] = [_clean(_dump(e)) for e in journey.live_emotions()]
    return {k: v for k, v in out.items() if v not in ([], None)}


def _dump(entity: BaseModel, exclude: set[str] | None = None) -> dict[str, Any]:
    return entity.model_dump(mode="json", exclude=set(INTERNAL) | (exclude or set()))


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, [], ""):
        out[key] = value


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values and the default confidence, so files stay short."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):  # an event binding: left out where empty or false
            value = {k: v for k, v in value.items() if v not in (None, [], {}, "", False)}
        if value in (None, [], "", {}) or (key == "confidence" and value == Confidence.assumed):
            continue
        if key == "service_contact" and value is False:  # the default, left out
            continue
        out[key] = value
    return out


def _persona_data(persona: Persona) -> Any:
    data = _clean(_dump(persona))
    return persona.id if list(data) == ["id"] else data


def _card_data(card: Any, mode_of: Callable[[str], Any], pains: set[str]) -> dict[str, Any]:
    data = _clean(_dump(card))
    if card.kind == "touchpoint" and card.channel and data.get("mode") == mode_of(card.channel):
        del data["mode"]
    if card.kind == "opportunity":
        linked = [p for p in card.pain_points if p in pains]
        if linked:
            data["pain_points"] = linked
        else:
            data.pop("pain_points", None)
    if card.kind == "quote" and card.date is not None:
        data["date"] = card.date  # a date, written unquoted in YAML
    head = [k for k in _CARD_HEAD if k in data]
    tail = [k for k in _CARD_TAIL if k in data]
    middle = [k for k in data if k not in head and k not in tail]
    return {k: data[k] for k in [*head, *middle, *tail]}
