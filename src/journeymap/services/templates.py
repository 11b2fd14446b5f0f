"""Templates and stage frameworks: where new journeys come from."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from ..domain.apply import apply_all
from ..domain.checks import check_journey
from ..domain.errors import OperationError, format_path
from ..domain.frameworks import FRAMEWORKS
from ..domain.ids import is_valid_id, slugify
from ..domain.model import Journey, LaneKind
from ..domain.operations import AddOp, Operation, SetOp
from ..domain.suggest import did_you_mean
from ..files.journey_file import journey_from_text, render_text

_PACKAGE = "journeymap.templates"

# The lanes a journey started from a framework gets: the persona's side, then the business's.
DEFAULT_SECTIONS: tuple[tuple[str, str, tuple[tuple[str, str, LaneKind], ...]], ...] = (
    (
        "persona",
        "Persona",
        (
            ("actions", "Actions", LaneKind.text),
            ("touchpoints", "Touchpoints", LaneKind.touchpoints),
            ("thoughts", "Thoughts", LaneKind.text),
            ("feelings", "Emotion curve", LaneKind.emotion),
            ("pains", "Pain points", LaneKind.pain_points),
        ),
    ),
    (
        "business",
        "Business",
        (
            ("opportunities", "Opportunities", LaneKind.opportunities),
            ("metrics", "Metrics", LaneKind.metrics),
        ),
    ),
)


class NewJourneyError(ValueError):
    """A new journey cannot be made: an unknown template or framework, or a bad field."""


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    title: str
    description: str


def template_names() -> list[str]:
    root = files(_PACKAGE)
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def template_text(name: str) -> str:
    if name not in template_names():
        hint = did_you_mean(name, template_names(), "run `journeymap templates` to list them")
        raise NewJourneyError(f"no template named '{name}' ({hint})")
    return files(_PACKAGE).joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def list_templates() -> list[TemplateInfo]:
    out = []
    for name in template_names():
        journey = journey_from_text(template_text(name), f"{name}.yaml")
        out.append(TemplateInfo(name, journey.title, journey.description or ""))
    return out


def new_journey(
    template: str | None = None,
    framework: str | None = None,
    title: str | None = None,
    id: str | None = None,
    **fields: Any,
) -> Journey:
    """A journey from a template or a framework (blank five-stage map when neither is given)."""
    return _new(template, framework, title, id, fields)[0]


def new_journey_text(
    template: str | None = None,
    framework: str | None = None,
    title: str | None = None,
    id: str | None = None,
    as_json: bool = False,
) -> str:
    """The file text of a new journey; a template's comments are kept."""
    journey, source = _new(template, framework, title, id, {})
    return render_text(journey, as_json=as_json, previous=source)


def _new(
    template: str | None,
    framework: str | None,
    title: str | None,
    ident: str | None,
    fields: dict[str, Any],
) -> tuple[Journey, str | None]:
    if template and framework:
        raise NewJourneyError("give a template or a framework, not both")
    source = None
    if template:
        source = template_text(template)
        journey = journey_from_text(source, f"{template}.yaml")
    else:
        journey = _blank(framework or "five-stage")
    if ident is None and title:
        ident = slugify(title, max_words=6)
    if ident is not None and not is_valid_id(ident):
        raise NewJourneyError(f"'{ident}' is not a valid journey id (try '{slugify(ident)}')")
    updates: dict[str, Any] = {**fields}
    if title:
        updates["title"] = title
    try:
        journey = apply_all(
            journey, [SetOp(entity="journey", field=k, value=v) for k, v in updates.items()]
        )
    except OperationError as error:
        raise NewJourneyError(str(error)) from None
    if ident is not None:
        journey = Journey.model_validate({**journey.model_dump(), "id": ident})
        self_links = [p for p in check_journey(journey) if p.code == "self-link"]
        if self_links:
            raise NewJourneyError(f"{format_path(self_links[0].path)}: {self_links[0].message}")
    return journey, source


def _blank(framework: str) -> Journey:
    preset = FRAMEWORKS.get(framework)
    if preset is None:
        hint = did_you_mean(framework, FRAMEWORKS, f"frameworks are: {', '.join(FRAMEWORKS)}")
        raise NewJourneyError(f"no framework named '{framework}' ({hint})")
    ops: list[Operation] = [
        AddOp(entity="stage", id=s.id, value={"name": s.name, "description": s.description})
        for s in preset.stages
    ]
    for section_id, section_name, lanes in DEFAULT_SECTIONS:
        ops.append(AddOp(entity="section", id=section_id, value={"name": section_name}))
        ops += [
            AddOp(entity="lane", id=lid, value={"section": section_id, "name": n, "kind": kind})
            for lid, n, kind in lanes
        ]
    start = Journey(id="new-journey", title="New journey", framework=framework)
    return apply_all(start, ops)
