"""Poster geometry: where every stage, lane, card and emotion point goes. No drawing here.

Columns are stages, or the steps of a stage (plus an "Overall" column when a stage with steps
also has cards or emotion points of its own). Rows are lanes, grouped in sections. A row is as
tall as its fullest cell, so long text makes the poster taller, never overlapping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from ..domain.cards import (
    Card,
    MetricCard,
    OpportunityCard,
    PainPointCard,
    QuoteCard,
    TouchpointCard,
)
from ..domain.model import EmotionPoint, Journey, Lane, LaneKind, Persona, Section
from ..units import duration
from .geometry import (
    BIG,
    BIG_LINE,
    CARD_PAD,
    COL_W,
    CURVE_H,
    CURVE_TOP,
    FONT,
    GAP,
    LABEL_W,
    LANE_MIN_H,
    LEGEND_H,
    LINE,
    MARGIN,
    MIN_WIDTH,
    NOTE_LINES,
    PERSONA_LEFT,
    SECTION_H,
    SMALL,
    SMALL_LINE,
    STAGE_H,
    STEP_H,
    TITLE,
    Box,
    column_index,
)
from .text_metrics import clip, text_width, wrap
from .voice import place_voice  # the feedback's disagreements and heatmap, under the rows

# Sizes in px.


@dataclass
class ColumnGeo:
    stage: str
    step: str | None
    label: str  # clipped to the column
    box: Box  # the step header cell; height 0 when the column has no header
    has_header: bool


@dataclass
class StageGeo:
    id: str
    name_lines: list[str]
    box: Box
    pains: int
    opportunities: int
    funnel: list[str] = field(default_factory=list)  # measured: customers, conversion, time
    stale: bool = False


@dataclass
class CardGeo:
    card: Card
    box: Box
    head: str  # the small line at the top: kind, channel, status...
    lines: list[str]  # the card's text, wrapped
    foot: list[str]  # owner, team, target...
    big: list[str] = field(default_factory=list)  # a metric's value, wrapped
    big_size: float = 24.0
    measured: list[str] = field(default_factory=list)  # evidence: reach, drop-off
    stale: bool = False  # the figures were measured before the journey changed under them


@dataclass
class LaneGeo:
    lane: Lane
    section: str
    box: Box  # the whole row, label included
    label_lines: list[str]


@dataclass
class SectionGeo:
    section: Section
    box: Box


@dataclass
class EmotionGeo:
    point: EmotionPoint
    x: float
    y: float
    note_lines: list[str]
    note_y: float  # the first line of the note
    note_x: float  # the note's centre: its column's


@dataclass
class PersonaGeo:
    persona: Persona
    box: Box
    name_lines: list[str]
    segment_lines: list[str]
    quote_lines: list[str]
    columns: list[tuple[str, list[str]]]  # (heading, wrapped bullet lines)


@dataclass
class Poster:
    journey: Journey
    width: float
    height: float
    title_lines: list[str]
    subtitle: str
    personas: list[PersonaGeo] = field(default_factory=list)
    stages: list[StageGeo] = field(default_factory=list)
    columns: list[ColumnGeo] = field(default_factory=list)
    sections: list[SectionGeo] = field(default_factory=list)
    lanes: list[LaneGeo] = field(default_factory=list)
    cards: list[CardGeo] = field(default_factory=list)
    emotion_row: Box | None = None
    emotion_mid: float = 0.0  # y of score 0
    emotion_scale: float = 0.0  # px per score unit
    emotions: list[EmotionGeo] = field(default_factory=list)
    legend: Box | None = None
    evidence: Any = None  # the EvidenceSet drawn on the poster, if any
    stale: Any = None  # its evidence.Staleness against this journey
    voice: Any = None  # voice.VoiceGeo: the feedback panel, when the evidence has feedback


def layout(journey: Journey, today: dt.date | None = None, evidence: Any = None) -> Poster:
    """The poster's geometry; `evidence` (an EvidenceSet) adds the measured figures."""
    columns = _columns(journey)
    y: float
    width = max(MIN_WIDTH, MARGIN * 2 + LABEL_W + len(columns) * (COL_W + GAP))
    title_lines = wrap(journey.title, width - 2 * MARGIN - 260, TITLE, bold=True)
    poster = Poster(journey, width, 0, title_lines, _subtitle(journey, today))
    y = MARGIN + len(title_lines) * (TITLE + 8) + 26
    y = _personas(poster, y) + 16
    poster.evidence = evidence
    poster.stale = evidence.changes(journey) if evidence is not None else None
    y = _stage_headers(poster, columns, y)
    emotion_lanes = [
        ln.id
        for s in journey.live_sections()
        for ln in journey.live_lanes(s)
        if ln.kind is LaneKind.emotion
    ]
    curve_lane = emotion_lanes[0] if emotion_lanes else None  # the checks allow one
    if curve_lane is None and journey.live_emotions():
        y = _emotion_row(poster, y, label=None) + GAP
    for section in journey.live_sections():
        band = Box(MARGIN, y, width - 2 * MARGIN, SECTION_H)
        poster.sections.append(SectionGeo(section, band))
        y += SECTION_H + 4
        for lane in journey.live_lanes(section):
            if lane.id == curve_lane:
                y = _emotion_row(poster, y, label=lane, section=section.id) + GAP
            else:
                y = _lane_row(poster, section.id, lane, y) + GAP
        y += 8
    y = place_voice(poster, y)
    note = stale_note(poster)
    poster.legend = Box(MARGIN, y + 8, width - 2 * MARGIN, LEGEND_H + (20 if note else 0))
    poster.height = poster.legend.bottom + MARGIN
    return poster


def _subtitle(journey: Journey, today: dt.date | None) -> str:
    parts = [journey.status.value.capitalize()]
    if journey.owner:
        parts.append(f"Owner: {journey.owner}")
    if journey.review_by:
        parts.append(f"Review by {journey.review_by.isoformat()}")
    parts.append(f"Drawn {(today or dt.date.today()).isoformat()}")
    return "  ·  ".join(parts)


OVERALL = "Overall"


def _columns(journey: Journey) -> list[tuple[str, str | None, str]]:
    """(stage id, step id or None, label) for every column, left to right."""
    stage_level = {c.stage for c in journey.live_cards() if c.step is None}
    stage_level |= {e.stage for e in journey.live_emotions() if e.step is None}
    out: list[tuple[str, str | None, str]] = []
    for stage in journey.live_stages():
        steps = journey.live_steps(stage)
        if not steps or stage.id in stage_level:
            out.append((stage.id, None, OVERALL if steps else stage.name))
        out += [(stage.id, st.id, st.name) for st in steps]
    return out


def _x(i: int) -> float:
    return MARGIN + LABEL_W + i * (COL_W + GAP)


def _personas(poster: Poster, y: float) -> float:
    width = poster.width - 2 * MARGIN
    left = PERSONA_LEFT - 32
    for persona in poster.journey.live_personas():
        lists = [
            ("Goals", persona.goals),
            ("Needs", persona.needs),
            ("Frustrations", persona.frustrations),
            ("Behaviours", persona.behaviours),
        ]
        lists = [(h, items) for h, items in lists if items]
        col_w = (width - PERSONA_LEFT) / max(len(lists), 1) - 16
        columns = [(h, [ln for item in items for ln in _bullet(item, col_w)]) for h, items in lists]
        name = wrap(persona.display_name, left, FONT + 4, bold=True)
        segment = wrap(persona.segment, left, SMALL + 1) if persona.segment else []
        quote = wrap(f"“{persona.quote}”", left, FONT) if persona.quote else []
        left_h = len(name) * 22 + len(segment) * 16 + (8 + len(quote) * LINE if quote else 0)
        lists_h = 24 + max([len(c[1]) for c in columns] + [0]) * SMALL_LINE
        box = Box(MARGIN, y, width, max(left_h, lists_h) + 34)
        poster.personas.append(PersonaGeo(persona, box, name, segment, quote, columns))
        y = box.bottom + GAP
    return y


def _bullet(item: str, width: float) -> list[str]:
    lines = wrap(item, width - 12, SMALL)
    return ["• " + lines[0]] + ["  " + ln for ln in lines[1:]]


def _stage_headers(poster: Poster, columns: list[tuple[str, str | None, str]], y: float) -> float:
    journey = poster.journey
    has_steps = any(step is not None for _, step, _ in columns)
    cards = journey.live_cards()
    stages = []
    for stage in journey.live_stages():
        indexes = [i for i, (s, _, _) in enumerate(columns) if s == stage.id]
        w = len(indexes) * (COL_W + GAP) - GAP
        lines = wrap(stage.name, w - 28, FONT + 3, bold=True)
        if len(lines) > 2:
            lines = [lines[0], clip(" ".join(lines[1:]), w - 28, FONT + 3, bold=True)]
        stages.append((stage, indexes, w, lines))
    name_lines = max([len(lines) for *_, lines in stages] + [1])
    height = STAGE_H + (name_lines - 1) * 20
    for stage, indexes, w, lines in stages:
        pains = sum(1 for c in cards if c.stage == stage.id and c.kind == "pain_point")
        ideas = sum(1 for c in cards if c.stage == stage.id and c.kind == "opportunity")
        box = Box(_x(indexes[0]), y, w, height)
        poster.stages.append(StageGeo(stage.id, lines, box, pains, ideas))
    if poster.evidence is not None:
        whole = _whole_stale(poster.stale)
        for stage_geo in poster.stages:
            stage_geo.funnel = _funnel_lines(poster.evidence, stage_geo.id)
            stage_geo.stale = bool(stage_geo.funnel) and whole
            if stage_geo.stale:
                stage_geo.funnel.append("stale: changed since measured")
        if any(s.funnel for s in poster.stages):
            height += 34 + (17 if whole else 0)
            poster.stages[:] = [replace(s, box=replace(s.box, h=height)) for s in poster.stages]
    row_y = y + height + 4
    for i, (stage_id, step, label) in enumerate(columns):
        header = has_steps and (step is not None or label == OVERALL)
        text = clip(label, COL_W - 20, FONT - 1, bold=True) if header else label
        box = Box(_x(i), row_y, COL_W, STEP_H if header else 0)
        poster.columns.append(ColumnGeo(stage_id, step, text, box, header))
    return row_y + (STEP_H + 8 if has_steps else 4)


def _whole_stale(stale: Any) -> bool:
    """The funnel, drop-off and paths rest on every binding, the stages and the settings."""
    return stale is not None and stale.any


def stale_note(poster: Poster) -> str | None:
    """The legend's line on stale figures, naming what changed."""
    if poster.stale is None or not poster.stale.any:
        return None
    names = {c.id: c.text for c in poster.journey.live_cards()}
    names |= {s.id: s.name for s in poster.journey.live_stages()}
    return (
        f"Figures in grey marked 'stale' were measured {poster.evidence.computed_at[:10]}, before "
        f"the journey changed ({poster.stale.words(names)}): run journeymap analyze again."
    )


def _funnel_lines(evidence: Any, stage: str) -> list[str]:
    customers = evidence.count("stage_customers", stage)
    if customers is None:
        return []
    detail = []
    conversion = evidence.share("stage_conversion", stage)
    if conversion is not None:
        detail.append(f"{conversion} from previous")
    median = evidence.get("stage_median_s", stage)
    if median is not None and median.value is not None:
        detail.append(f"median {duration(median.value * 1000)}")
    return [f"{customers} customers", " · ".join(detail)] if detail else [f"{customers} customers"]


def _lane_row(poster: Poster, section: str, lane: Lane, y: float) -> float:
    cells: dict[int, list[CardGeo]] = {}
    for card in poster.journey.live_cards():
        if card.lane != lane.id:
            continue
        i = column_index(poster, card.stage, card.step)
        if i is None:  # pragma: no cover - every live card has a column
            continue
        cells.setdefault(i, []).append(_card(card, _x(i), poster.evidence, poster.stale))
    label = wrap(lane.name, LABEL_W - 28, FONT, bold=True)
    tallest = max([sum(c.box.h + GAP for c in cell) for cell in cells.values()] + [0])
    h = max(LANE_MIN_H, tallest + GAP, len(label) * LINE + 36)
    for cell in cells.values():
        top = y + GAP
        for i, geo in enumerate(cell):
            cell[i] = replace(geo, box=Box(geo.box.x, top, geo.box.w, geo.box.h))
            top += geo.box.h + GAP
        poster.cards.extend(cell)
    poster.lanes.append(LaneGeo(lane, section, Box(MARGIN, y, poster.width - 2 * MARGIN, h), label))
    return y + h


def _card(card: Card, x: float, evidence: Any = None, stale: Any = None) -> CardGeo:
    inner = COL_W - 2 * CARD_PAD
    head, foot, big = _card_parts(card)
    head = clip(head, inner - 24 - (58 if card.kind == "pain_point" else 0), SMALL - 1, bold=True)
    text = f"“{card.text}”" if isinstance(card, QuoteCard) else card.text
    lines = wrap(text, inner, FONT, bold=isinstance(card, MetricCard))
    big_size = _fitting_size(big, inner) if big else BIG
    big_lines = wrap(big, inner, big_size, bold=True) if big else []
    foot_lines = [ln for f in foot for ln in wrap(f, inner, SMALL)]
    h = CARD_PAD + SMALL_LINE + len(lines) * LINE + CARD_PAD
    h += len(big_lines) * BIG_LINE
    h += len(foot_lines) * SMALL_LINE + (4 if foot_lines else 0)
    figures = _measured(card, evidence)
    left_here = evidence is not None and evidence.share("drop_off_share", card.id) is not None
    own = stale is not None and stale.reach_stale(card.id)
    is_stale = bool(figures) and (own or (left_here and _whole_stale(stale)))
    if is_stale:
        figures.append("stale: changed since measured")
    measured = [ln for m in figures for ln in wrap(m, inner, SMALL, bold=True)]
    h += len(measured) * SMALL_LINE + (6 if measured else 0)
    geo = CardGeo(card, Box(x, 0, COL_W, h), head, lines, foot_lines, big_lines, big_size)
    geo.measured = measured
    geo.stale = is_stale
    return geo


def _measured(card: Card, evidence: Any) -> list[str]:
    """The evidence lines of a touchpoint: how many customers it reached, how many left here."""
    if evidence is None or not isinstance(card, TouchpointCard):
        return []
    out = []
    reach = evidence.count("reach", card.id)
    if reach is not None:
        out.append(f"Reached {reach} customers")
    share = evidence.share("drop_off_share", card.id)
    if share is not None:
        out.append(f"{share} of leavers left here")
    return out


def _card_parts(card: Card) -> tuple[str, list[str], str | None]:
    """The head label, footer lines and big number of a card, by kind."""
    if isinstance(card, TouchpointCard):
        mode = card.mode.value if card.mode else ""
        return (
            f"{(card.channel or 'no channel').upper()} {mode}".strip(),
            [f"Owner: {card.team}"] if card.team else [],
            None,
        )
    if isinstance(card, PainPointCard):
        foot = [card.frequency.value.capitalize()] if card.frequency else []
        return f"PAIN POINT · severity {card.severity}", foot, None
    if isinstance(card, OpportunityCard):
        foot = []
        if card.owner:
            foot.append(f"Owner: {card.owner}")
        if card.value or card.effort:
            foot.append(f"Value {card.value or '-'} · Effort {card.effort or '-'}")
        if card.impact:
            foot.append(f"Impact: {card.impact}")
        return f"OPPORTUNITY · {card.status.value.replace('_', ' ')}", foot, None
    if isinstance(card, QuoteCard):
        said = ", ".join(x for x in (card.source, card.date and card.date.isoformat()) if x)
        return "QUOTE", [f"— {said}"] if said else [], None
    if isinstance(card, MetricCard):
        unit = _unit(card.unit)
        big = f"{_number(card.value)}{unit}" if card.value is not None else None
        foot = [f"Target: {_number(card.target)}{unit}"] if card.target is not None else []
        return "METRIC", foot, big
    return "NOTE", [], None


def _unit(unit: str | None) -> str:
    """`%` sticks to the number; a word unit (`people`, `minutes`) gets a space."""
    if not unit:
        return ""
    return f" {unit}" if unit[0].isalpha() else unit


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def _emotion_row(poster: Poster, y: float, label: Lane | None, section: str = "") -> float:
    """The row of the emotion curve: the points in the upper band, their notes under it (a
    touchpoint's note a tier lower than its stage's, so that they never overlap)."""
    cards = {c.id for c in poster.journey.live_cards()}
    points = [
        (e, i)
        for e in poster.journey.live_emotions()
        if (i := column_index(poster, e.stage, e.step)) is not None
    ]
    tiers = 2 if any(e.card in cards for e, _ in points) else 1
    notes_h = tiers * NOTE_LINES * SMALL_LINE + 14
    box = Box(MARGIN, y, poster.width - 2 * MARGIN, CURVE_TOP + CURVE_H + notes_h + 10)
    poster.emotion_row = box
    if label is not None:
        lines = wrap(label.name, LABEL_W - 28, FONT, bold=True)
        poster.lanes.append(LaneGeo(label, section, box, lines))
    mid = y + CURVE_TOP + CURVE_H / 2
    scale = (CURVE_H / 2 - 10) / 2
    poster.emotion_mid, poster.emotion_scale = mid, scale
    notes_y = y + CURVE_TOP + CURVE_H + 14
    for point, i in points:
        touchpoint = point.card is not None and point.card in cards
        x = _x(i) + (COL_W * 0.75 if touchpoint else COL_W / 2)
        note = _note_lines(point.note) if point.note else []
        tier_y = notes_y + (NOTE_LINES * SMALL_LINE if touchpoint else 0)
        poster.emotions.append(
            EmotionGeo(point, x, mid - point.score * scale, note, tier_y, _x(i) + COL_W / 2)
        )
    poster.emotions.sort(key=lambda e: e.x)
    return box.bottom


def _fitting_size(text: str, width: float) -> float:
    """The largest size, down to 14 px, at which a number fits on one line."""
    size = float(BIG)
    while size > 14 and text_width(text, size, bold=True) > width:
        size -= 1
    return size


def _note_lines(note: str) -> list[str]:
    lines = wrap(note, COL_W - 24, SMALL)
    if len(lines) <= NOTE_LINES:
        return lines
    return [*lines[: NOTE_LINES - 1], clip(" ".join(lines[NOTE_LINES - 1 :]), COL_W - 24, SMALL)]
