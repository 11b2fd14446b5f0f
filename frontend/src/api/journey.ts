// The journey document of `GET /api/journeys/{id}`, typed by the API's own description: every
// type here is generated from schemas/openapi.json (`npm run api` writes schema.d.ts), which the
// server makes from the domain's models, so a field or card kind added there is here at once.
//
// On the wire a field that is null is left out (`details?: string | null`): test such fields
// with `== null`. `order_key` and `updated_rev` are the server's (read-only): siblings sort by
// `order_key`, compared as plain strings (the keys are ASCII, so this is the server's bytewise
// order), and `readJourney` puts every list in that order.

import type { components } from "./schema";

type Schemas = components["schemas"];

export type Confidence = Schemas["Confidence"];
export type LaneKind = Schemas["LaneKind"];
export type ChannelMode = Schemas["ChannelMode"];
export type EventBinding = Schemas["EventBinding"];
export type Card = Schemas["Card"];
export type CardKind = Card["kind"];
export type NoteCard = Schemas["NoteCard"];
export type TouchpointCard = Schemas["TouchpointCard"];
export type PainPointCard = Schemas["PainPointCard"];
export type OpportunityCard = Schemas["OpportunityCard"];
export type QuoteCard = Schemas["QuoteCard"];
export type MetricCard = Schemas["MetricCard"];
export type Step = Schemas["Step"];
export type Stage = Schemas["Stage"];
export type Lane = Schemas["Lane"];
export type Section = Schemas["Section"];
export type Persona = Schemas["Persona"];
export type EmotionPoint = Schemas["EmotionPoint"];
export type Channel = Schemas["Channel"];
export type JourneyDoc = Schemas["Journey"];
export type Operation = Schemas["Operation"];

// Every card kind, checked against the generated union both ways: a kind added on the server
// fails `tsc` here until it is listed (and the map learns to draw it).
const CARD_KINDS = {
  note: true,
  touchpoint: true,
  pain_point: true,
  opportunity: true,
  quote: true,
  metric: true,
} as const satisfies Record<CardKind, true>;

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

function text(o: Obj, key: string, where: string): void {
  if (typeof o[key] !== "string") throw new DocumentError(`${where}.${key}`, "expected text");
}

/** A list of objects, each with its id, in order-key order (as listed when keys are absent). */
function items(o: Obj, key: string, where: string, check?: (item: Obj, at: string) => void): Obj[] {
  const value = o[key] ?? [];
  if (!Array.isArray(value)) throw new DocumentError(`${where}.${key}`, "expected a list");
  const read = value.map((item, i) => {
    const at = `${key}[${i}]`;
    const found = obj(item, at);
    text(found, "id", at);
    check?.(found, at);
    return { found, key: typeof found.order_key === "string" ? found.order_key : null, i };
  });
  if (read.every((r) => r.key !== null)) {
    read.sort((a, b) => (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : a.i - b.i));
  }
  return read.map((r) => r.found);
}

function card(o: Obj, where: string): void {
  const kind = o.kind;
  if (typeof kind !== "string" || !Object.hasOwn(CARD_KINDS, kind)) {
    throw new DocumentError(`${where}.kind`, `unknown card kind '${String(kind)}'`);
  }
  for (const key of ["stage", "lane", "text"]) text(o, key, where);
}

/** The journey document of `GET /api/journeys/{id}`: checked where the map relies on it (ids,
 * names, card kinds), every list in the server's order. */
export function readJourney(document: unknown): JourneyDoc {
  const o = obj(document, "document");
  text(o, "id", "document");
  text(o, "title", "document");
  const named = (item: Obj, at: string) => text(item, "name", at);
  const stages = items(o, "stages", "document", named).map((s) => ({
    ...s,
    steps: items(s, "steps", "stages", named),
  }));
  const sections = items(o, "sections", "document", named).map((s) => ({
    ...s,
    lanes: items(s, "lanes", "sections", named),
  }));
  return {
    ...o,
    tags: o.tags ?? [],
    personas: items(o, "personas", "document"),
    channels: items(o, "channels", "document", named),
    stages,
    sections,
    cards: items(o, "cards", "document", card),
    emotions: items(o, "emotions", "document"),
  } as unknown as JourneyDoc;
}
