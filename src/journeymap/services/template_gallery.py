"""The gallery a new journey starts from: the bundled templates, each with what a preview
shows (its persona, stages, lanes and how many cards), the whole template as a journey document
to draw, and the stage frameworks with their stages. Any signed-in person may look.

Templates are parsed once per process: they ship with the package and do not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ..domain.frameworks import FRAMEWORKS
from ..domain.model import Journey
from ..domain.wire import journey_document
from ..files.journey_file import journey_from_text
from .errors import NotFound
from .policy import Principal, signed_in
from .templates import DEFAULT_SECTIONS, template_names, template_text


@dataclass(frozen=True)
class TemplateCard:
    name: str
    title: str
    description: str
    personas: list[str]
    stages: list[str]
    lanes: list[str]
    cards: int


@dataclass(frozen=True)
class StageView:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class FrameworkView:
    name: str
    description: str
    stages: list[StageView]
    lanes: list[str]  # the lanes every journey started from a framework gets


def templates(who: Principal) -> list[TemplateCard]:
    signed_in(who)
    return [_card(name, _parsed(name)) for name in template_names()]


def template_document(who: Principal, name: str) -> dict[str, Any]:
    """The template as the API sends a journey (`JourneyDoc`: map order, order keys), so the
    app previews it with the very grid it draws journeys with."""
    signed_in(who)
    if name not in template_names():
        raise NotFound(f"there is no template '{name}' (GET /api/templates lists them)")
    return journey_document(_parsed(name), lambda kind, ident: 0)


def frameworks(who: Principal) -> list[FrameworkView]:
    signed_in(who)
    lanes = [name for _, _, section in DEFAULT_SECTIONS for _, name, _ in section]
    return [
        FrameworkView(
            f.id,
            f.description,
            [StageView(s.id, s.name, s.description) for s in f.stages],
            lanes,
        )
        for f in FRAMEWORKS.values()
    ]


@cache
def _parsed(name: str) -> Journey:
    return journey_from_text(template_text(name), f"{name}.yaml")


def _card(name: str, journey: Journey) -> TemplateCard:
    return TemplateCard(
        name,
        journey.title,
        journey.description or "",
        [p.name or p.id for p in journey.live_personas()],
        [s.name for s in journey.live_stages()],
        [ln.name for s in journey.live_sections() for ln in journey.live_lanes(s)],
        len(journey.live_cards()),
    )
