"""The journey file format: plain data (parsed YAML or JSON) to a checked Journey, and back.

Loading never stops at the first mistake: each stage, step, section, lane, card and emotion point
is validated on its own, then the cross-references are checked, and every problem is reported
with its path in the file. Positions (line, column) are added by the caller, which knows the text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .cards import CARD_TYPES, Card, Confidence
from .checks import check_journey
from .errors import JourneyInvalid, Path, Problem
from .ids import slugify, unique_id
from .messages import problems_from_error, yaml_type
from .migrations import migrate
from .model import (
    FORMAT_VERSION,
    Channel,
    EmotionPoint,
    Journey,
    Lane,
    Persona,
    Section,
    Stage,
    Step,
)
from .ordering import initial_keys

LIST_FIELDS = ("personas", "channels", "stages", "sections", "cards", "emotions")
_INTERNAL = frozenset({"order_key", "deleted"})
_CARD_ADAPTER: TypeAdapter[Card] = TypeAdapter(Card)


def _fields(model: type[BaseModel], *drop: str) -> list[str]:
    return [f for f in model.model_fields if f not in _INTERNAL and f not in drop]


class _Builder:
    """Validates one document piece by piece, remembering where each piece came from."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.source: dict[Path, Path] = {}  # path in the built Journey -> path in the file
        self.broken: set[str] = set()  # ids of items that failed, so references to them are quiet

    def item(
        self, model: type[BaseModel], raw: Any, path: Path, drop: tuple[str, ...] = ()
    ) -> Any | None:
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
            if model is CardBaseMarker:
                return _CARD_ADAPTER.validate_python(body)
            return model.model_validate(body)
        except ValidationError as error:
            fields = _fields(model, *drop)
            if model is CardBaseMarker:
                fields = _fields(CARD_TYPES[raw["kind"]]) if raw.get("kind") in CARD_TYPES else []
            self.problems += problems_from_error(error, path, fields, model is CardBaseMarker)
            if isinstance(raw.get("id"), str):
                self.broken.add(raw["id"])
            return None

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


class CardBaseMarker(BaseModel):
    """Stands for 'any card' in `_Builder.item` (cards are a tagged union, not one model)."""


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
    header_ok = b.item(Journey, header, ())
    if isinstance(data.get("personas"), list):  # `personas: [alex]` names a persona by id
        data["personas"] = [{"id": p} if isinstance(p, str) else p for p in data["personas"]]
    personas = _flat(b, data, "personas", Persona)
    channels = _flat(b, data, "channels", Channel)
    stages = _nested(b, data, "stages", Stage, "steps", Step)
    sections = _nested(b, data, "sections", Section, "lanes", Lane)
    cards = _flat(b, data, "cards", CardBaseMarker)
    emotions = _flat(b, data, "emotions", EmotionPoint)
    base = header_ok or Journey(id="journey", title="untitled")
    journey = base.model_copy(
        update={
            "personas": _keyed(personas),
            "channels": _keyed(channels),
            "stages": stages,
            "sections": sections,
            "cards": _ordered_cards(_canonical_channels(cards, channels)),
            "emotions": _keyed(emotions),
        }
    )
    for problem in check_journey(journey):
        if problem.ref is None or problem.ref not in b.broken:
            b.problems.append(_relocate(problem, b.source))
    if b.problems or header_ok is None:
        raise JourneyInvalid(b.problems)
    return journey


def _nested(
    b: _Builder,
    data: Mapping[str, Any],
    field: str,
    model: type[Any],
    child: str,
    child_model: type[Any],
) -> list[Any]:
    """Stages with their steps, or sections with their lanes, each child checked on its own."""
    parents: list[Any] = []
    for i, raw in b.items(data, field):
        parent = b.item(model, raw, (field, i), drop=(child,))
        if parent is None:
            continue
        b.source[(field, len(parents))] = (field, i)
        children = _flat(b, raw, child, child_model, base=(field, i), at=(field, len(parents)))
        parents.append(parent.model_copy(update={child: _keyed(children)}))
    return _keyed(parents)


def _flat(
    b: _Builder,
    data: Mapping[str, Any],
    field: str,
    model: type[Any],
    base: Path = (),
    at: Path = (),
) -> list[Any]:
    """The valid items of one list; `at` is where the list sits in the built journey."""
    items: list[Any] = []
    for i, raw in b.items(data, field, base):
        item = b.item(model, raw, (*base, field, i))
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


def _canonical_channels(cards: list[Any], channels: list[Channel]) -> list[Any]:
    registry = Journey(id="j", title="j", channels=channels).channel_registry()
    out = []
    for card in cards:
        resolved = registry.resolve(card.channel) if card.kind == "touchpoint" else None
        out.append(card.model_copy(update={"channel": resolved}) if resolved else card)
    return out


_ID_SOURCES: dict[str, Callable[[dict[str, Any]], str]] = {
    "personas": lambda r: str(r.get("name") or "persona"),
    "channels": lambda r: str(r.get("name") or "channel"),
    "stages": lambda r: str(r.get("name") or "stage"),
    "sections": lambda r: str(r.get("name") or "section"),
    "cards": lambda r: str(r.get("text") or r.get("kind") or "card"),
    "emotions": lambda r: (
        "-".join(str(r[k]) for k in ("stage", "step", "card") if isinstance(r.get(k), str))
        or "emotion"
    ),
}


def _with_ids(data: dict[str, Any]) -> dict[str, Any]:
    """Fill in readable ids where the file has none, unique within their kind."""
    out = dict(data)
    for field, name_of in _ID_SOURCES.items():
        items = out.get(field)
        if not isinstance(items, list):
            continue
        taken = _raw_ids(items)
        if field == "stages":
            taken |= {s for st in items if isinstance(st, dict) for s in _raw_ids(st.get("steps"))}
        if field == "sections":
            taken |= {s for se in items if isinstance(se, dict) for s in _raw_ids(se.get("lanes"))}
        filled = []
        for raw in items:
            if isinstance(raw, dict) and raw.get("id") is None:
                prefix = "feel-" if field == "emotions" else ""
                new_id = unique_id(prefix + slugify(name_of(raw)), taken)
                taken.add(new_id)
                raw = {"id": new_id, **{k: v for k, v in raw.items() if k != "id"}}
            if isinstance(raw, dict) and field in ("stages", "sections"):
                child = "steps" if field == "stages" else "lanes"
                raw = _with_child_ids(raw, child, taken)
            filled.append(raw)
        out[field] = filled
    return out


def _with_child_ids(raw: dict[str, Any], child: str, taken: set[str]) -> dict[str, Any]:
    items = raw.get(child)
    if not isinstance(items, list):
        return raw
    filled = []
    for item in items:
        if isinstance(item, dict) and item.get("id") is None:
            new_id = unique_id(slugify(str(item.get("name") or child[:-1])), taken)
            taken.add(new_id)
            item = {"id": new_id, **{k: v for k, v in item.items() if k != "id"}}
        filled.append(item)
    return {**raw, child: filled}


def _raw_ids(items: Any) -> set[str]:
    if not isinstance(items, list):
        return set()
    return {r["id"] for r in items if isinstance(r, dict) and isinstance(r.get("id"), str)}


# ---------------------------------------------------------------- Journey -> canonical data

_HEADER_ORDER = [f for f in _fields(Journey) if f not in LIST_FIELDS]
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
    return entity.model_dump(mode="json", exclude=set(_INTERNAL) | (exclude or set()))


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, [], ""):
        out[key] = value


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values and the default confidence, so files stay short."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value in (None, [], "") or (key == "confidence" and value == Confidence.assumed):
            continue
        out[key] = value
    return out


def _persona_data(persona: Persona) -> Any:
    data = _clean(_dump(persona))
    return persona.id if list(data) == ["id"] else data


def _card_data(card: Any, mode_of: Callable[[str], Any], pains: set[str]) -> dict[str, Any]:
    data = _clean(_dump(card))
    if card.kind == "touchpoint" and data.get("mode") == mode_of(card.channel):
        del data["mode"]
    if card.kind == "opportunity":
        linked = [p for p in card.pain_points if p in pains]
        if linked:
            data["pain_points"] = linked
        else:
            data.pop("pain_points", None)
    head = [k for k in _CARD_HEAD if k in data]
    tail = [k for k in _CARD_TAIL if k in data]
    middle = [k for k in data if k not in head and k not in tail]
    return {k: data[k] for k in [*head, *middle, *tail]}
