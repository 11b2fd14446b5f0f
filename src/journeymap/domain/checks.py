"""Rules that span entities: unique ids and references between cards, lanes, stages and steps."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from .base import Ordered
from .cards import OpportunityCard, TouchpointCard
from .channels import normalise_channel_name, registry_of
from .errors import Path, Problem
from .model import LANE_ACCEPTS, LANE_HOME, Journey, Lane, LaneKind, State, Step
from .suggest import a_or_an, did_you_mean, one_of


def check_journey(journey: Journey) -> list[Problem]:
    """Every cross-entity problem in `journey`, with paths into its lists."""
    return [
        *_unique_ids(journey),
        *_channel_declarations(journey),
        *_one_emotion_lane(journey),
        *_card_references(journey),
        *_emotion_references(journey),
        *_journey_links(journey),
    ]


def _indexed(journey: Journey) -> Iterator[tuple[str, Path, Ordered]]:
    """(namespace, path, entity) for every entity with an id, tombstones included."""
    for i, stage in enumerate(journey.stages):
        yield "column", ("stages", i), stage
        for j, step in enumerate(stage.steps):
            yield "column", ("stages", i, "steps", j), step
    for i, section in enumerate(journey.sections):
        yield "section", ("sections", i), section
        for j, lane in enumerate(section.lanes):
            yield "lane", ("sections", i, "lanes", j), lane
    for i, card in enumerate(journey.cards):
        yield "card", ("cards", i), card
    for i, point in enumerate(journey.emotions):
        yield "emotion", ("emotions", i), point


_NAMESPACE_WORDS = {
    "column": "stage or step",
    "section": "section",
    "lane": "lane",
    "card": "card",
    "emotion": "emotion point",
}


def _unique_ids(journey: Journey) -> Iterator[Problem]:
    first: dict[tuple[str, str], Path] = {}
    for namespace, path, entity in _indexed(journey):
        key = (namespace, entity.id)
        if key in first:
            yield Problem(
                (*path, "id"),
                f"duplicate id '{entity.id}': another {_NAMESPACE_WORDS[namespace]} has it",
                "ids must be unique in a journey; rename one of them",
                code="duplicate-id",
            )
        else:
            first[key] = path
    for field, items in (("personas", journey.personas), ("channels", journey.channels)):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                yield Problem(
                    (field, i, "id"),
                    f"duplicate id '{item.id}'",
                    "rename or remove one of them",
                    code="duplicate-id",
                )
            seen.add(item.id)


def _channel_declarations(journey: Journey) -> Iterator[Problem]:
    builtin = registry_of()
    claimed: dict[str, str] = {}  # a normalised name -> the custom channel that has it
    for i, channel in enumerate(journey.channels):
        for j, name in enumerate([channel.id, *channel.aliases]):
            path: Path = ("channels", i, "id") if j == 0 else ("channels", i, "aliases", j - 1)
            taken = builtin.resolve(name)
            key = normalise_channel_name(name)
            if taken is not None:
                yield Problem(
                    path,
                    f"'{name}' is already the built-in channel '{taken}'",
                    f"use '{taken}' on touchpoints directly, or choose another name",
                    code="builtin-channel",
                )
            elif key in claimed and claimed[key] != channel.id:
                yield Problem(
                    path,
                    f"'{name}' already names the channel '{claimed[key]}'",
                    "each channel name and alias may stand for one channel only",
                    code="channel-clash",
                )
            claimed.setdefault(key, channel.id)


def _one_emotion_lane(journey: Journey) -> Iterator[Problem]:
    """The emotion curve is one line across the map: it has one lane to be drawn in."""
    first: str | None = None
    for i, section in enumerate(journey.sections):
        for j, lane in enumerate(section.lanes):
            if lane.kind is not LaneKind.emotion or lane.deleted:
                continue
            if first is None:
                first = lane.id
            else:
                yield Problem(
                    ("sections", i, "lanes", j, "kind"),
                    f"a second emotion lane (the curve is drawn in lane '{first}')",
                    "keep one emotion lane; make this one a text lane",
                    code="second-emotion-lane",
                )


ColumnIndex = tuple[dict[str, dict[str, Step]], dict[str, str]]


def _column_index(journey: Journey) -> ColumnIndex:
    """Each stage's steps, and each step's stage: built once per check, not once per card."""
    steps_by_stage = {s.id: {st.id: st for st in s.steps} for s in journey.stages}
    stage_of_step = {st: s for s, steps in steps_by_stage.items() for st in steps}
    return steps_by_stage, stage_of_step


def _column_problems(
    columns: ColumnIndex, path: Path, stage: str, step: str | None
) -> Iterator[Problem]:
    steps_by_stage, stage_of_step = columns
    if stage not in steps_by_stage:
        yield Problem(
            (*path, "stage"),
            f"unknown stage '{stage}'",
            did_you_mean(stage, steps_by_stage, f"stages are: {one_of(steps_by_stage)}"),
            code="unknown-stage",
            ref=stage,
        )
    elif step is not None and step not in steps_by_stage[stage]:
        owner = stage_of_step.get(step)
        hint: str | None
        if owner is not None:
            hint = f"it belongs to stage '{owner}'; set stage: {owner}"
        else:
            steps = list(steps_by_stage[stage])
            fallback = f"steps of '{stage}' are: {one_of(steps)}" if steps else ""
            hint = did_you_mean(step, steps, fallback or f"stage '{stage}' has no steps")
        yield Problem(
            (*path, "step"),
            f"unknown step '{step}' in stage '{stage}'",
            hint,
            code="unknown-step",
            ref=step,
        )


def _card_references(journey: Journey) -> Iterator[Problem]:
    lanes: dict[str, Lane] = {ln.id: ln for s in journey.sections for ln in s.lanes}
    registry = journey.channel_registry()
    kinds = {c.id: c.kind for c in journey.cards}
    columns = _column_index(journey)
    for i, card in enumerate(journey.cards):
        path: Path = ("cards", i)
        yield from _column_problems(columns, path, card.stage, card.step)
        lane = lanes.get(card.lane)
        if lane is None:
            yield Problem(
                (*path, "lane"),
                f"unknown lane '{card.lane}'",
                did_you_mean(card.lane, lanes, f"lanes are: {one_of(lanes)}"),
                code="unknown-lane",
                ref=card.lane,
            )
        elif card.kind not in LANE_ACCEPTS[lane.kind]:
            fits = sorted(
                (ln for ln in lanes.values() if card.kind in LANE_ACCEPTS[ln.kind]),
                key=lambda ln: ln.kind is not LANE_HOME.get(card.kind),  # its own kind first
            )
            fits_ids = [ln.id for ln in fits]
            where = f"move it to lane '{fits_ids[0]}'" if fits_ids else "add a lane for it"
            yield Problem(
                (*path, "kind"),
                f"{a_or_an(card.kind)} card cannot sit in lane '{lane.id}' "
                f"({a_or_an(lane.kind)} lane)",
                f"{where}, or change the card's kind",
                code="lane-kind",
                ref=lane.id,
            )
        if isinstance(card, TouchpointCard) and card.channel is None and card.events is None:
            # Bound to events, a touchpoint may have no channel (a log without channels).
            yield Problem(
                (*path, "channel"),
                "a touchpoint needs a channel",
                "add `channel:` (such as web, email or store), or bind it to events with "
                "`events:` when the log has no channels",
                code="missing-channel",
            )
        elif (
            isinstance(card, TouchpointCard)
            and card.channel is not None
            and registry.resolve(card.channel) is None
        ):
            hint = did_you_mean(
                normalise_channel_name(card.channel),
                registry.names(),
                "declare it under `channels:` or use one of: " + one_of(registry.ids(), 30),
            )
            yield Problem(
                (*path, "channel"),
                f"unknown channel '{card.channel}'",
                hint,
                code="unknown-channel",
            )
        about = getattr(card, "about", None)
        if about is not None and kinds.get(about) != "touchpoint":
            touchpoints = [c for c, k in kinds.items() if k == "touchpoint"]
            yield Problem(
                (*path, "about"),
                f"unknown touchpoint '{about}'"
                if about not in kinds
                else f"card '{about}' is {a_or_an(kinds[about])}, not a touchpoint",
                did_you_mean(about, touchpoints, "name the touchpoint card the quote speaks of"),
                code="unknown-card" if about not in kinds else "wrong-card-kind",
                ref=about,
            )
        if isinstance(card, OpportunityCard):
            for j, pain in enumerate(card.pain_points):
                if pain not in kinds:
                    pains = [c for c, k in kinds.items() if k == "pain_point"]
                    yield Problem(
                        (*path, "pain_points", j),
                        f"unknown pain point '{pain}'",
                        did_you_mean(pain, pains, "list the ids of pain_point cards"),
                        code="unknown-card",
                        ref=pain,
                    )
                elif kinds[pain] != "pain_point":
                    yield Problem(
                        (*path, "pain_points", j),
                        f"card '{pain}' is {a_or_an(kinds[pain])}, not a pain_point",
                        "an opportunity links only to pain_point cards",
                        code="wrong-card-kind",
                    )


def _emotion_references(journey: Journey) -> Iterator[Problem]:
    cards = {c.id: c for c in journey.cards}
    targets = Counter((e.stage, e.step, e.card) for e in journey.emotions if not e.deleted)
    reported: set[tuple[str, str | None, str | None]] = set()
    columns = _column_index(journey)
    for i, point in enumerate(journey.emotions):
        path: Path = ("emotions", i)
        yield from _column_problems(columns, path, point.stage, point.step)
        if point.card is not None:
            card = cards.get(point.card)
            if card is None:
                touchpoints = [c.id for c in cards.values() if c.kind == "touchpoint"]
                yield Problem(
                    (*path, "card"),
                    f"unknown card '{point.card}'",
                    did_you_mean(point.card, touchpoints, "name a touchpoint card's id"),
                    code="unknown-card",
                    ref=point.card,
                )
            elif card.kind != "touchpoint":
                yield Problem(
                    (*path, "card"),
                    f"card '{point.card}' is {a_or_an(card.kind)}, not a touchpoint",
                    "emotion points attach to stages, steps or touchpoints",
                    code="wrong-card-kind",
                )
            elif card.stage != point.stage:
                yield Problem(
                    (*path, "stage"),
                    f"touchpoint '{card.id}' sits in stage '{card.stage}', not '{point.stage}'",
                    f"set stage: {card.stage}",
                    code="wrong-stage",
                )
        target = (point.stage, point.step, point.card)
        if not point.deleted and targets[target] > 1 and target in reported:
            yield Problem(
                path,
                "a second emotion point for the same place",
                "keep one score per stage, step or touchpoint; merge their notes",
                code="duplicate-emotion",
            )
        reported.add(target)


def _journey_links(journey: Journey) -> Iterator[Problem]:
    if journey.state is State.future and journey.current_journey is None:
        yield Problem(
            ("state",),
            "a future-state journey must name the current journey it improves",
            "add `current_journey: <id of the current map>`",
            code="future-without-current",
        )
    if journey.state is State.current and journey.current_journey is not None:
        yield Problem(
            ("current_journey",),
            "only a future-state journey points at a current journey",
            "set `state: future`, or remove current_journey",
            code="current-with-current",
        )
    for field in ("current_journey", "parent"):
        if getattr(journey, field) == journey.id:
            yield Problem(
                (field,),
                "a journey cannot point at itself",
                "name another journey",
                code="self-link",
            )
