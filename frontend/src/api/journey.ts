// The journey document, hand-typed. TODO(issue 13, "A typed wire"): today schemas/openapi.json
// says the document is `dict[str, Any]`, so the generated client knows nothing of its stages,
// lanes or cards; this module reads it into the types below and checks what it reads. When the
// typed wire lands, the generated types replace these and this module goes.
//
// Order: the server lists every collection in its order-key order (the file format's order);
// once the wire carries `order_key`, items are sorted by it (keys compare as plain strings: they
// are ASCII, so this is the bytewise order the server uses).

export type Confidence = "assumed" | "reported" | "observed";
export type LaneKind =
  | "text"
  | "touchpoints"
  | "emotion"
  | "pain_points"
  | "opportunities"
  | "metrics"
  | "quotes";
export type CardKind = "note" | "touchpoint" | "pain_point" | "opportunity" | "quote" | "metric";

export interface EventBinding {
  names: string[];
  patterns: string[];
  channel: string | null;
  where: Record<string, string | number>;
  first_only: boolean;
}

interface CardBase {
  id: string;
  lane: string;
  stage: string;
  step: string | null;
  text: string;
  details: string | null;
  confidence: Confidence;
  evidence: string[];
  tags: string[];
}

export interface NoteCard extends CardBase {
  kind: "note";
}
export interface TouchpointCard extends CardBase {
  kind: "touchpoint";
  channel: string | null;
  mode: "digital" | "physical" | null;
  team: string | null;
  events: EventBinding | null;
}
export interface PainPointCard extends CardBase {
  kind: "pain_point";
  severity: number;
  frequency: string | null;
}
export interface OpportunityCard extends CardBase {
  kind: "opportunity";
  owner: string | null;
  status: string;
  value: number | null;
  effort: number | null;
  pain_points: string[];
  impact: string | null;
}
export interface QuoteCard extends CardBase {
  kind: "quote";
  source: string | null;
  image: string | null;
}
export interface MetricCard extends CardBase {
  kind: "metric";
  value: number | null;
  unit: string | null;
  target: number | null;
}
export type Card =
  | NoteCard
  | TouchpointCard
  | PainPointCard
  | OpportunityCard
  | QuoteCard
  | MetricCard;

export interface Step {
  id: string;
  name: string;
  description: string | null;
}
export interface Stage {
  id: string;
  name: string;
  description: string | null;
  steps: Step[];
}
export interface Lane {
  id: string;
  name: string;
  kind: LaneKind;
  description: string | null;
}
export interface Section {
  id: string;
  name: string;
  description: string | null;
  lanes: Lane[];
}
export interface Persona {
  id: string;
  name: string | null;
  segment: string | null;
  quote: string | null;
  description: string | null;
  goals: string[];
  needs: string[];
  frustrations: string[];
  behaviours: string[];
  data_sources: string[];
}
export interface EmotionPoint {
  id: string;
  stage: string;
  step: string | null;
  card: string | null;
  score: number;
  note: string | null;
  confidence: Confidence;
}
export interface Channel {
  id: string;
  name: string;
  mode: "digital" | "physical";
}

export interface JourneyDoc {
  id: string;
  title: string;
  description: string | null;
  scope: string | null;
  owner: string | null;
  status: string;
  state: "current" | "future";
  current_journey: string | null;
  review_by: string | null;
  tags: string[];
  personas: Persona[];
  channels: Channel[];
  stages: Stage[];
  sections: Section[];
  cards: Card[];
  emotions: EmotionPoint[];
}

/** The document could not be read as a journey: names the place, as the server's errors do. */
export class DocumentError extends Error {
  constructor(where: string, what: string) {
    super(`the journey from the server is not as expected: ${where}: ${what}`);
    this.name = "DocumentError";
  }
}

type Obj = Record<string, unknown>;

function obj(value: unknown, where: string): Obj {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new DocumentError(where, "expected an object");
  }
  return value as Obj;
}

function str(o: Obj, key: string, where: string): string {
  const value = o[key];
  if (typeof value !== "string") throw new DocumentError(`${where}.${key}`, "expected text");
  return value;
}

function optStr(o: Obj, key: string, where: string): string | null {
  const value = o[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new DocumentError(`${where}.${key}`, "expected text");
  return value;
}

function optNum(o: Obj, key: string, where: string): number | null {
  const value = o[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number") throw new DocumentError(`${where}.${key}`, "expected a number");
  return value;
}

function list(o: Obj, key: string, where: string): unknown[] {
  const value = o[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new DocumentError(`${where}.${key}`, "expected a list");
  return value;
}

function texts(o: Obj, key: string, where: string): string[] {
  return list(o, key, where).map((v, i) => {
    if (typeof v !== "string") throw new DocumentError(`${where}.${key}[${i}]`, "expected text");
    return v;
  });
}

function oneOf<T extends string>(
  o: Obj,
  key: string,
  allowed: readonly T[],
  fallback: T,
  where: string,
): T {
  const value = o[key] ?? fallback;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new DocumentError(`${where}.${key}`, `expected one of ${allowed.join(", ")}`);
  }
  return value as T;
}

/** Items in the server's order: by `order_key` when the wire carries it, else as listed. */
function ordered<T>(items: unknown[], read: (item: Obj, where: string) => T, where: string): T[] {
  const read_ = items.map((item, i) => {
    const o = obj(item, `${where}[${i}]`);
    const key = typeof o.order_key === "string" ? o.order_key : null;
    return { value: read(o, `${where}[${i}]`), key, i };
  });
  if (read_.every((r) => r.key !== null)) {
    read_.sort((a, b) => (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : a.i - b.i));
  }
  return read_.map((r) => r.value);
}

const CONFIDENCE = ["assumed", "reported", "observed"] as const;
const LANE_KINDS = [
  "text",
  "touchpoints",
  "emotion",
  "pain_points",
  "opportunities",
  "metrics",
  "quotes",
] as const;
const MODES = ["digital", "physical"] as const;

function events(value: unknown, where: string): EventBinding | null {
  if (value === undefined || value === null) return null;
  const o = obj(value, where);
  const whereValues = o.where === undefined ? {} : obj(o.where, `${where}.where`);
  const kept: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(whereValues)) {
    if (typeof v === "string" || typeof v === "number") kept[k] = v;
  }
  return {
    names: texts(o, "names", where),
    patterns: texts(o, "patterns", where),
    channel: optStr(o, "channel", where),
    where: kept,
    first_only: o.first_only === true,
  };
}

function card(o: Obj, where: string): Card {
  const base: CardBase = {
    id: str(o, "id", where),
    lane: str(o, "lane", where),
    stage: str(o, "stage", where),
    step: optStr(o, "step", where),
    text: str(o, "text", where),
    details: optStr(o, "details", where),
    confidence: oneOf(o, "confidence", CONFIDENCE, "assumed", where),
    evidence: texts(o, "evidence", where),
    tags: texts(o, "tags", where),
  };
  const kind = str(o, "kind", where);
  switch (kind) {
    case "note":
      return { ...base, kind };
    case "touchpoint":
      return {
        ...base,
        kind,
        channel: optStr(o, "channel", where),
        mode: o.mode == null ? null : oneOf(o, "mode", MODES, "digital", where),
        team: optStr(o, "team", where),
        events: events(o.events, `${where}.events`),
      };
    case "pain_point":
      return {
        ...base,
        kind,
        severity: optNum(o, "severity", where) ?? 3,
        frequency: optStr(o, "frequency", where),
      };
    case "opportunity":
      return {
        ...base,
        kind,
        owner: optStr(o, "owner", where),
        status: optStr(o, "status", where) ?? "idea",
        value: optNum(o, "value", where),
        effort: optNum(o, "effort", where),
        pain_points: texts(o, "pain_points", where),
        impact: optStr(o, "impact", where),
      };
    case "quote":
      return {
        ...base,
        kind,
        source: optStr(o, "source", where),
        image: optStr(o, "image", where),
      };
    case "metric":
      return {
        ...base,
        kind,
        value: optNum(o, "value", where),
        unit: optStr(o, "unit", where),
        target: optNum(o, "target", where),
      };
    default:
      throw new DocumentError(`${where}.kind`, `unknown card kind '${kind}'`);
  }
}

function persona(o: Obj, where: string): Persona {
  return {
    id: str(o, "id", where),
    name: optStr(o, "name", where),
    segment: optStr(o, "segment", where),
    quote: optStr(o, "quote", where),
    description: optStr(o, "description", where),
    goals: texts(o, "goals", where),
    needs: texts(o, "needs", where),
    frustrations: texts(o, "frustrations", where),
    behaviours: texts(o, "behaviours", where),
    data_sources: texts(o, "data_sources", where),
  };
}

function stage(o: Obj, where: string): Stage {
  return {
    id: str(o, "id", where),
    name: str(o, "name", where),
    description: optStr(o, "description", where),
    steps: ordered(
      list(o, "steps", where),
      (s, w) => ({
        id: str(s, "id", w),
        name: str(s, "name", w),
        description: optStr(s, "description", w),
      }),
      `${where}.steps`,
    ),
  };
}

function section(o: Obj, where: string): Section {
  return {
    id: str(o, "id", where),
    name: str(o, "name", where),
    description: optStr(o, "description", where),
    lanes: ordered(
      list(o, "lanes", where),
      (l, w) => ({
        id: str(l, "id", w),
        name: str(l, "name", w),
        kind: oneOf(l, "kind", LANE_KINDS, "text", w),
        description: optStr(l, "description", w),
      }),
      `${where}.lanes`,
    ),
  };
}

function emotion(o: Obj, where: string): EmotionPoint {
  const score = optNum(o, "score", where);
  if (score === null) throw new DocumentError(`${where}.score`, "expected a number");
  return {
    id: str(o, "id", where),
    stage: str(o, "stage", where),
    step: optStr(o, "step", where),
    card: optStr(o, "card", where),
    score,
    note: optStr(o, "note", where),
    confidence: oneOf(o, "confidence", CONFIDENCE, "assumed", where),
  };
}

/** The journey document of `GET /api/journeys/{id}`, read and checked. */
export function readJourney(document: unknown): JourneyDoc {
  const o = obj(document, "document");
  const w = "document";
  return {
    id: str(o, "id", w),
    title: str(o, "title", w),
    description: optStr(o, "description", w),
    scope: optStr(o, "scope", w),
    owner: optStr(o, "owner", w),
    status: optStr(o, "status", w) ?? "draft",
    state: oneOf(o, "state", ["current", "future"] as const, "current", w),
    current_journey: optStr(o, "current_journey", w),
    review_by: optStr(o, "review_by", w),
    tags: texts(o, "tags", w),
    personas: ordered(list(o, "personas", w), persona, "personas"),
    channels: ordered(
      list(o, "channels", w),
      (c, cw) => ({
        id: str(c, "id", cw),
        name: str(c, "name", cw),
        mode: oneOf(c, "mode", MODES, "digital", cw),
      }),
      "channels",
    ),
    stages: ordered(list(o, "stages", w), stage, "stages"),
    sections: ordered(list(o, "sections", w), section, "sections"),
    cards: ordered(list(o, "cards", w), card, "cards"),
    emotions: ordered(list(o, "emotions", w), emotion, "emotions"),
  };
}
