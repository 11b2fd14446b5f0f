// The grid's edits as operations: what adding, moving and deleting a stage, step, section,
// lane or card sends. Pure functions of the journey on screen (and the grid model for the
// columns), so that the mouse, the keyboard and the menus all make the same change.
import type { Card, CardKind, JourneyDoc, LaneKind } from "../api/journey";
import { newEntityId, type AddOp, type MoveOp, type Op, type Target } from "../editing/ops";
import type { GridModel } from "./model";

/** A cell of the grid: a column (a stage, or one of its steps) in a lane. */
export interface Cell {
  stage: string;
  step: string | null;
  lane: string;
}

/** The card a lane's "+" adds: what the lane is for. */
export const CARD_FOR_LANE: Record<LaneKind, CardKind> = {
  text: "note",
  touchpoints: "touchpoint",
  emotion: "note",
  pain_points: "pain_point",
  opportunities: "opportunity",
  metrics: "metric",
  quotes: "quote",
};

/** Which card kinds each lane kind holds: the server's LANE_ACCEPTS (domain/model.py), which
 * refuses anything else (tests/web/test_frontend_rules.py keeps the two equal). */
export const LANE_ACCEPTS: Record<LaneKind, readonly CardKind[]> = {
  text: ["note", "quote"],
  touchpoints: ["touchpoint", "note"],
  emotion: [],
  pain_points: ["pain_point", "note"],
  opportunities: ["opportunity", "note"],
  metrics: ["metric", "note"],
  quotes: ["quote", "note"],
};

/** Whether a lane of this kind may hold a card of that kind. */
export function fits(lane: LaneKind, card: CardKind): boolean {
  return LANE_ACCEPTS[lane].includes(card);
}

/** A lane's kind, by its id (undefined for no such lane). */
export function laneKindOf(doc: JourneyDoc | null, laneId: string): LaneKind | undefined {
  for (const section of doc?.sections ?? []) {
    const lane = section.lanes.find((l) => l.id === laneId);
    if (lane) return lane.kind;
  }
  return undefined;
}

/** The lanes, top to bottom, a card of this kind may go to (the curve's never). */
export function cardLanes(model: GridModel, kind: CardKind) {
  return model.sections.flatMap((s) =>
    s.lanes.filter((l) => !l.isCurve && fits(l.lane.kind, kind)).map((l) => l.lane),
  );
}

/** The lanes one can add, in the words the add-lane dialog offers (a journey has at most one
 * emotion curve: the first emotion lane is the one drawn). */
export const LANE_KINDS: [LaneKind, string][] = [
  ["text", "Text: actions, thoughts, notes"],
  ["touchpoints", "Touchpoints"],
  ["emotion", "The emotion curve"],
  ["pain_points", "Pain points"],
  ["opportunities", "Opportunities"],
  ["metrics", "Metrics"],
  ["quotes", "Quotes"],
];

/** The fields a new card of a kind has before anyone sets them: the server's defaults
 * (domain/cards.py), given here so the card on screen is whole before the server answers. */
const DEFAULTS: Record<CardKind, Record<string, unknown>> = {
  note: {},
  touchpoint: { service_contact: false },
  pain_point: { severity: 3 },
  opportunity: { status: "idea", pain_points: [] },
  quote: {},
  metric: {},
};

/** A new card with this text at the end of a cell, of the kind the lane is for. */
export function addCard(doc: JourneyDoc, cell: Cell, laneKind: LaneKind, text: string): AddOp {
  const kind = CARD_FOR_LANE[laneKind];
  const here = cardsIn(doc, cell);
  const last = here.at(-1);
  const channel = kind === "touchpoint" ? newTouchpointChannel(doc, here) : undefined;
  return {
    kind: "add",
    entity: "card",
    id: newEntityId("card"),
    value: {
      kind,
      text,
      stage: cell.stage,
      step: cell.step,
      lane: cell.lane,
      confidence: "assumed",
      evidence: [],
      tags: [],
      ...DEFAULTS[kind],
      ...(channel ? { channel } : {}),
    },
    ...(last ? { after: last.id } : {}),
  };
}

/** A new touchpoint's channel (the server refuses one without): the cell's last touchpoint's,
 * else the journey's most used, else its first own channel, else the web (a built-in channel
 * every journey knows). The side panel changes it. */
export function newTouchpointChannel(doc: JourneyDoc, cell: readonly Card[]): string {
  let last: string | undefined;
  for (const c of cell) if (c.kind === "touchpoint" && c.channel) last = c.channel;
  if (last) return last;
  const used = new Map<string, number>();
  for (const c of doc.cards)
    if (c.kind === "touchpoint" && c.channel) used.set(c.channel, (used.get(c.channel) ?? 0) + 1);
  const most = [...used].sort((a, b) => b[1] - a[1])[0]?.[0];
  return most ?? doc.channels[0]?.id ?? "web";
}

export function cardsIn(doc: JourneyDoc, cell: Cell) {
  return doc.cards.filter(
    (c) => c.stage === cell.stage && (c.step ?? null) === cell.step && c.lane === cell.lane,
  );
}

export type Structure = "stage" | "step" | "section" | "lane";

/** What a deletion takes with it, in words: "3 cards and 1 emotion point", or "". */
export function goesWith(doc: JourneyDoc, kind: Structure, id: string): string {
  const lanes =
    kind === "section"
      ? new Set(doc.sections.find((s) => s.id === id)?.lanes.map((l) => l.id) ?? [])
      : new Set([id]);
  const cards = doc.cards.filter((c) =>
    kind === "stage" ? c.stage === id : kind === "step" ? c.step === id : lanes.has(c.lane),
  ).length;
  const points =
    kind === "stage" || kind === "step"
      ? doc.emotions.filter((e) => (kind === "stage" ? e.stage === id : e.step === id)).length
      : 0;
  const parts = [];
  if (cards) parts.push(`${cards} card${cards === 1 ? "" : "s"}`);
  if (points) parts.push(`${points} emotion point${points === 1 ? "" : "s"}`);
  if (kind === "section" && lanes.size)
    parts.unshift(`${lanes.size} lane${lanes.size === 1 ? "" : "s"}`);
  return parts.join(" and ");
}

/** The ids of an item's siblings, in order (its own included). */
export function siblingIds(doc: JourneyDoc, kind: Structure, id: string): string[] {
  switch (kind) {
    case "stage":
      return doc.stages.map((s) => s.id);
    case "section":
      return doc.sections.map((s) => s.id);
    case "step":
      return doc.stages.find((s) => s.steps.some((st) => st.id === id))?.steps.map((s) => s.id) ?? [];
    case "lane":
      return doc.sections.find((s) => s.lanes.some((l) => l.id === id))?.lanes.map((l) => l.id) ?? [];
  }
}

/** Move an item one place earlier (-1) or later (+1) among its siblings; null at the end. */
export function moveBy(doc: JourneyDoc, kind: Structure, id: string, by: -1 | 1): MoveOp | null {
  const ids = siblingIds(doc, kind, id);
  const at = ids.indexOf(id);
  const neighbour = ids[at + by];
  if (at >= 0 && neighbour === undefined && kind === "lane") return laneAcross(doc, id, by);
  if (at < 0 || neighbour === undefined) return null;
  return by < 0
    ? { kind: "move", entity: kind, id, before: neighbour }
    : { kind: "move", entity: kind, id, after: neighbour };
}

/** A lane at its section's edge goes on to the next section (first there) or the one before
 * (last there), as dragging it there would; null past the first or last section. */
function laneAcross(doc: JourneyDoc, id: string, by: -1 | 1): MoveOp | null {
  const at = doc.sections.findIndex((s) => s.lanes.some((l) => l.id === id));
  const to = doc.sections[at + by];
  if (at < 0 || !to) return null;
  const op: MoveOp = { kind: "move", entity: "lane", id, section: to.id };
  const edge = by > 0 ? to.lanes[0] : to.lanes.at(-1);
  if (edge) op[by > 0 ? "before" : "after"] = edge.id;
  return op;
}

/** Put a dragged stage or lane before or after another one (a lane may change section). */
export function dropBeside(
  doc: JourneyDoc,
  kind: "stage" | "lane",
  id: string,
  target: string,
  edge: "before" | "after",
): MoveOp | null {
  if (id === target) return null;
  const op: MoveOp = { kind: "move", entity: kind, id, [edge]: target };
  if (kind === "lane") {
    const from = doc.sections.find((s) => s.lanes.some((l) => l.id === id));
    const to = doc.sections.find((s) => s.lanes.some((l) => l.id === target));
    if (!to) return null;
    if (from?.id !== to.id) op.section = to.id;
  }
  return op;
}

/** A new stage, step, section or lane after `after` (or at the end), named `name`. */
export function addStructure(
  kind: Structure,
  name: string,
  where: { after?: string | null; parent?: string },
  laneKind: LaneKind = "text",
): AddOp {
  const value: Record<string, unknown> = { name };
  if (kind === "step") value.stage = where.parent;
  if (kind === "lane") {
    value.section = where.parent;
    value.kind = laneKind;
  }
  return {
    kind: "add",
    entity: kind,
    id: newEntityId(kind),
    value,
    ...(where.after ? { after: where.after } : {}),
  };
}

/** Where the next card move by keyboard takes a card: Alt+Left/Right to the previous or next
 * column (same lane, at the end), Alt+Up/Down one place in its cell, and past the cell's top or
 * bottom to the lane above or below (card lanes only). Null where there is nowhere to go. */
export function keyboardMove(
  doc: JourneyDoc,
  model: GridModel,
  cardId: string,
  direction: "left" | "right" | "up" | "down",
): { op: MoveOp; cell: Cell } | null {
  const card = doc.cards.find((c) => c.id === cardId);
  if (!card) return null;
  const here: Cell = { stage: card.stage, step: card.step ?? null, lane: card.lane };
  const column = model.columnOf(here.stage, here.step);
  if (column === undefined) return null;
  const inCell = cardsIn(doc, here);
  const at = inCell.findIndex((c) => c.id === cardId);
  if (direction === "left" || direction === "right") {
    const next = model.columns[column + (direction === "left" ? -1 : 1)];
    if (!next) return null;
    const cell = { stage: next.stage.id, step: next.stepId, lane: here.lane };
    return { op: { kind: "move", entity: "card", id: cardId, ...cell }, cell };
  }
  const by = direction === "up" ? -1 : 1;
  const neighbour = inCell[at + by];
  if (neighbour) {
    const op: MoveOp =
      by < 0
        ? { kind: "move", entity: "card", id: cardId, before: neighbour.id }
        : { kind: "move", entity: "card", id: cardId, after: neighbour.id };
    return { op, cell: here };
  }
  const lanes = cardLanes(model, card.kind);
  const laneAt = lanes.findIndex((l) => l.id === here.lane);
  const lane = lanes[laneAt + by];
  if (!lane) return null;
  const cell = { ...here, lane: lane.id };
  const there = cardsIn(doc, cell);
  const op: MoveOp = { kind: "move", entity: "card", id: cardId, ...cell };
  // Coming from above it goes first in the cell; from below, last.
  if (by > 0 && there[0]) op.before = there[0].id;
  return { op, cell };
}

/** A card dropped on a cell (at its end) or beside a card in it. Null when nothing moves. */
export function dropCard(
  doc: JourneyDoc,
  cardId: string,
  cell: Cell,
  beside?: { id: string; edge: "before" | "after" },
): MoveOp | null {
  if (beside?.id === cardId) return null;
  const op: MoveOp = { kind: "move", entity: "card", id: cardId, ...cell };
  if (beside) op[beside.edge] = beside.id;
  else {
    const last = cardsIn(doc, cell).filter((c) => c.id !== cardId).at(-1);
    if (last) op.after = last.id;
  }
  const card = doc.cards.find((c) => c.id === cardId);
  const same =
    card &&
    card.stage === cell.stage &&
    (card.step ?? null) === cell.step &&
    card.lane === cell.lane;
  if (same) {
    // Within its own cell: nothing to do if it lands where it already is.
    const ids = cardsIn(doc, cell).map((c) => c.id);
    const at = ids.indexOf(cardId);
    const anchor = op.after ?? op.before;
    if (anchor == null) return null; // alone in its cell
    const target = ids.indexOf(anchor);
    if ((op.after && target === at - 1) || (op.before && target === at + 1)) return null;
  }
  return op;
}

/** Words for where a card went, for screen readers: "Moved to Decision · Payment, Pain points". */
export function placeWords(doc: JourneyDoc, cell: Cell): string {
  const stage = doc.stages.find((s) => s.id === cell.stage);
  const step = stage?.steps.find((s) => s.id === cell.step);
  const lane = doc.sections.flatMap((s) => s.lanes).find((l) => l.id === cell.lane);
  return `${stage?.name ?? cell.stage}${step ? ` · ${step.name}` : ""}, ${lane?.name ?? cell.lane}`;
}

export type { Op };

/** Whether a refused edit's thing is on screen to carry its message (a refused add is not:
 * the edit bar says it instead). */
export function isShown(doc: JourneyDoc, target: Target): boolean {
  const id = target.id;
  switch (target.entity) {
    case "journey":
      return true;
    case "card":
      return doc.cards.some((c) => c.id === id);
    case "stage":
      return doc.stages.some((s) => s.id === id);
    case "step":
      return doc.stages.some((s) => s.steps.some((t) => t.id === id));
    case "section":
      return doc.sections.some((s) => s.id === id);
    case "lane":
      return doc.sections.some((s) => s.lanes.some((l) => l.id === id));
    case "persona":
      return doc.personas.some((p) => p.id === id);
    case "channel":
      return doc.channels.some((c) => c.id === id);
    case "emotion":
      return doc.emotions.some((e) => e.id === id);
  }
}

/** A card's text cut for a name or a message: "Shipping fee added to the order…". */
export function shortText(text: string, max = 40): string {
  const t = text.trim() || "empty card";
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** The card to put the focus on when this one goes: the next in its cell, else the one before. */
export function neighbourOf(doc: JourneyDoc, cardId: string): string | null {
  const card = doc.cards.find((c) => c.id === cardId);
  if (!card) return null;
  const ids = cardsIn(doc, { stage: card.stage, step: card.step ?? null, lane: card.lane }).map((c) => c.id);
  const at = ids.indexOf(cardId);
  return ids[at + 1] ?? ids[at - 1] ?? null;
}
