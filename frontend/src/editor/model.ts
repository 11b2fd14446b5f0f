// The map's structure as the poster draws it (src/journeymap/render/layout.py), so that the
// browser and the print agree: columns are stages, or the steps of a stage (with an "Overall"
// column when a stage with steps also has cards or emotion points of its own); rows are lanes
// grouped in sections; each cell holds its cards in order; the first emotion lane draws the curve
// (a map with points but no emotion lane gets a curve row above the sections).
import type { Card, EmotionPoint, JourneyDoc, Lane, Section, Stage } from "../api/journey";

export const OVERALL = "Overall";

export interface Column {
  index: number;
  stage: Stage;
  stepId: string | null;
  label: string;
  hasHeader: boolean; // a step's (or "Overall") header under the stage
}

export interface StageHead {
  stage: Stage;
  first: number; // its first column
  span: number;
  pains: number;
  opportunities: number;
}

export interface LaneRow {
  lane: Lane;
  section: Section;
  isCurve: boolean;
  cells: Card[][]; // one list per column, in order
}

export interface SectionRows {
  section: Section;
  lanes: LaneRow[];
}

export interface PlacedPoint {
  point: EmotionPoint;
  column: number;
  onTouchpoint: boolean; // a touchpoint's point sits right of its stage's, as on the poster
}

export interface GridModel {
  columns: Column[];
  stages: StageHead[];
  hasSteps: boolean;
  sections: SectionRows[];
  curveRowFirst: boolean; // points but no emotion lane: a curve row above the sections
  points: PlacedPoint[];
  cardCount: number;
  cardsById: Map<string, Card>;
  laneById: Map<string, Lane>;
  columnOf: (stage: string, step?: string | null) => number | undefined;
}

function key(stage: string, step?: string | null): string {
  return step == null ? stage : `${stage}\u0000${step}`;
}

export function gridModel(doc: JourneyDoc): GridModel {
  const stageIds = new Set(doc.stages.map((s) => s.id));
  const stepKeys = new Set(doc.stages.flatMap((s) => s.steps.map((st) => key(s.id, st.id))));
  const laneIds = new Set(doc.sections.flatMap((s) => s.lanes.map((l) => l.id)));
  const placed = (stage: string, step?: string | null): boolean =>
    stageIds.has(stage) && (step == null || stepKeys.has(key(stage, step)));
  const cards = doc.cards.filter((c) => placed(c.stage, c.step) && laneIds.has(c.lane));
  const liveCards = new Set(cards.map((c) => c.id));
  const emotions = doc.emotions.filter(
    (e) => placed(e.stage, e.step) && (e.card == null || liveCards.has(e.card)),
  );

  const stageLevel = new Set([
    ...cards.filter((c) => c.step == null).map((c) => c.stage),
    ...emotions.filter((e) => e.step == null).map((e) => e.stage),
  ]);
  const columns: Column[] = [];
  const stages: StageHead[] = [];
  for (const stage of doc.stages) {
    const first = columns.length;
    if (stage.steps.length === 0 || stageLevel.has(stage.id)) {
      const label = stage.steps.length ? OVERALL : stage.name;
      columns.push({ index: columns.length, stage, stepId: null, label, hasHeader: false });
    }
    for (const step of stage.steps) {
      columns.push({ index: columns.length, stage, stepId: step.id, label: step.name, hasHeader: true });
    }
    const own = cards.filter((c) => c.stage === stage.id);
    stages.push({
      stage,
      first,
      span: columns.length - first,
      pains: own.filter((c) => c.kind === "pain_point").length,
      opportunities: own.filter((c) => c.kind === "opportunity").length,
    });
  }
  const hasSteps = columns.some((c) => c.stepId !== null);
  for (const c of columns) c.hasHeader = hasSteps && (c.stepId !== null || c.label === OVERALL);

  const columnIndex = new Map(columns.map((c) => [key(c.stage.id, c.stepId), c.index]));
  const columnOf = (stage: string, step?: string | null): number | undefined =>
    columnIndex.get(key(stage, step));

  const curveLane = doc.sections.flatMap((s) => s.lanes).find((l) => l.kind === "emotion");
  const byLane = new Map<string, Card[][]>();
  for (const lane of laneIds) byLane.set(lane, columns.map(() => []));
  for (const c of cards) {
    const i = columnOf(c.stage, c.step);
    if (i !== undefined) byLane.get(c.lane)?.[i]?.push(c);
  }
  const sections = doc.sections.map((section) => ({
    section,
    lanes: section.lanes.map((lane) => ({
      lane,
      section,
      isCurve: lane.id === curveLane?.id,
      cells: byLane.get(lane.id) ?? [],
    })),
  }));
  const touchpoints = new Set(cards.filter((c) => c.kind === "touchpoint").map((c) => c.id));
  const points = emotions
    .map((point) => ({
      point,
      column: columnOf(point.stage, point.step) ?? -1,
      onTouchpoint: point.card != null && touchpoints.has(point.card),
    }))
    .filter((p) => p.column >= 0)
    .sort((a, b) => a.column + (a.onTouchpoint ? 0.5 : 0) - (b.column + (b.onTouchpoint ? 0.5 : 0)));
  return {
    columns,
    stages,
    hasSteps,
    sections,
    curveRowFirst: curveLane === undefined && points.length > 0,
    points,
    cardCount: cards.length,
    cardsById: new Map(cards.map((c) => [c.id, c])),
    laneById: new Map(doc.sections.flatMap((s) => s.lanes).map((l) => [l.id, l])),
    columnOf,
  };
}

/** Where a column is: "Checkout", or "Checkout · Delivery options" for a step's. */
export function columnWords(column: Column): string {
  return column.stepId ? `${column.stage.name} · ${column.label}` : column.stage.name;
}
