// The side panel's rules, apart from React: which fields each card kind has (and the journey,
// a persona, a channel), how a control shows a field's value and turns what was typed or
// chosen back into the value the server takes, and the one `set` operation that carries it.
// Field names are the server's (`_settable` in src/journeymap/domain/wire_ops.py); value
// shapes are what src/journeymap/domain/apply.py validates (cards.py, model.py).
// The choices the controls offer (severity words, the map's channels, ...) are in choices.ts.
import type { Card, CardKind, JourneyDoc } from "../../api/journey";
import type { EntityKind, Op, SetOp } from "../../editing/ops";
import {
  CONFIDENCE_OPTIONS,
  FREQUENCY_OPTIONS,
  JOURNEY_STATE_OPTIONS,
  JOURNEY_STATUS_OPTIONS,
  MODE_OPTIONS,
  NONE,
  type OptionGroup,
  RATING_WORDS,
  SEVERITY_WORDS,
  STATUS_OPTIONS,
  channelMode,
  opts,
  ratings,
} from "./choices";

export type { Option, OptionGroup } from "./choices";

export type Control = "text" | "textarea" | "lines" | "select" | "date" | "checkbox" | "pains";

/** What turns the control's text into the field's value. */
export type Shape =
  | "text" // required text
  | "optional-text" // text, or null when left empty
  | "rating" // 1 to 5, required
  | "optional-rating" // 1 to 5, or null
  | "number" // any number, or null
  | "date" // YYYY-MM-DD, or null
  | "choice" // one of the options, required
  | "optional-choice" // one of the options, or null
  | "comma-list" // a list typed as "a, b, c"
  | "line-list" // a list typed one item a line
  | "events" // an event binding: its names typed as "a, b, c"
  | "bool"
  | "ids"; // the ids checked (an opportunity's pain points)

export interface FieldSpec {
  field: string; // the server's name for it
  label: string;
  control: Control;
  shape: Shape;
  help?: string; // a line under the label (what to type)
  options?: OptionGroup[]; // fixed choices; a select whose choices depend on the map has none
}

/** A control's text made into a value: the value, or what is wrong with the text. */
export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

// ------------------------------------------------------------------ which fields

const TEXT: FieldSpec = { field: "text", label: "Text", control: "textarea", shape: "text" };
const DETAILS: FieldSpec = {
  field: "details",
  label: "Details",
  control: "textarea",
  shape: "optional-text",
};
const COMMON_AFTER: FieldSpec[] = [
  {
    field: "confidence",
    label: "Confidence",
    control: "select",
    shape: "choice",
    help: "Assumed in a workshop, reported by customers, or observed in data",
    options: CONFIDENCE_OPTIONS,
  },
  {
    field: "tags",
    label: "Tags",
    control: "text",
    shape: "comma-list",
    help: "Separated by commas",
  },
  {
    field: "evidence",
    label: "Evidence",
    control: "lines",
    shape: "line-list",
    help: "Links or references, one per line",
  },
];

const BY_KIND: Record<CardKind, FieldSpec[]> = {
  note: [],
  touchpoint: [
    { field: "channel", label: "Channel", control: "select", shape: "optional-choice" },
    {
      field: "mode",
      label: "Digital or physical",
      control: "select",
      shape: "optional-choice",
      options: MODE_OPTIONS,
    },
    { field: "team", label: "Owning team", control: "text", shape: "optional-text" },
    {
      field: "events",
      label: "Events",
      control: "text",
      shape: "events",
      help: "The event names that mean this touchpoint, separated by commas",
    },
    {
      field: "service_contact",
      label: "A contact with customer service",
      control: "checkbox",
      shape: "bool",
    },
  ],
  pain_point: [
    {
      field: "severity",
      label: "Severity",
      control: "select",
      shape: "rating",
      options: opts(ratings(SEVERITY_WORDS)),
    },
    {
      field: "frequency",
      label: "Frequency",
      control: "select",
      shape: "optional-choice",
      options: FREQUENCY_OPTIONS,
    },
  ],
  opportunity: [
    { field: "owner", label: "Owner", control: "text", shape: "optional-text" },
    { field: "status", label: "Status", control: "select", shape: "choice", options: STATUS_OPTIONS },
    {
      field: "value",
      label: "Value",
      control: "select",
      shape: "optional-rating",
      options: opts([NONE, ...ratings(RATING_WORDS)]),
    },
    {
      field: "effort",
      label: "Effort",
      control: "select",
      shape: "optional-rating",
      options: opts([NONE, ...ratings(RATING_WORDS)]),
    },
    { field: "pain_points", label: "Eases the pain points", control: "pains", shape: "ids" },
    { field: "impact", label: "Expected impact", control: "textarea", shape: "optional-text" },
  ],
  quote: [
    { field: "source", label: "Said by", control: "text", shape: "optional-text" },
    { field: "date", label: "Said on", control: "date", shape: "date" },
    { field: "about", label: "About the touchpoint", control: "select", shape: "optional-choice" },
    {
      field: "image",
      label: "Image",
      control: "text",
      shape: "optional-text",
      help: "An image path or URL",
    },
  ],
  metric: [
    { field: "value", label: "Value", control: "text", shape: "number" },
    { field: "unit", label: "Unit", control: "text", shape: "optional-text" },
    { field: "target", label: "Target", control: "text", shape: "number" },
  ],
};

/** Every field a card of this kind has, in the panel's order. */
export function cardFields(kind: CardKind): FieldSpec[] {
  return [TEXT, DETAILS, ...BY_KIND[kind], ...COMMON_AFTER];
}

/** A channel's fields in the journey's details (`set`/`rename` on entity "channel"). */
export const CHANNEL_NAME: FieldSpec = { field: "name", label: "Name", control: "text", shape: "text" };
export const CHANNEL_MODE: FieldSpec = {
  field: "mode",
  label: "Digital or physical",
  control: "select",
  shape: "choice",
  options: MODE_OPTIONS,
};

/** The journey's own fields the details panel edits (`set` on entity "journey"). */
export const JOURNEY_FIELDS: FieldSpec[] = [
  { field: "title", label: "Title", control: "text", shape: "text" },
  { field: "owner", label: "Owner", control: "text", shape: "optional-text" },
  {
    field: "status",
    label: "Status",
    control: "select",
    shape: "choice",
    options: JOURNEY_STATUS_OPTIONS,
  },
  {
    field: "state",
    label: "State",
    control: "select",
    shape: "choice",
    options: JOURNEY_STATE_OPTIONS,
  },
  { field: "review_by", label: "Review by", control: "date", shape: "date" },
  { field: "description", label: "Description", control: "textarea", shape: "optional-text" },
  { field: "scope", label: "Scope", control: "textarea", shape: "optional-text" },
];

const ONE_PER_LINE = "One per line";
export const PERSONA_FIELDS: FieldSpec[] = [
  { field: "name", label: "Name", control: "text", shape: "optional-text" },
  { field: "segment", label: "Segment or role", control: "text", shape: "optional-text" },
  { field: "quote", label: "Quote", control: "textarea", shape: "optional-text" },
  { field: "goals", label: "Goals", control: "lines", shape: "line-list", help: ONE_PER_LINE },
  { field: "needs", label: "Needs", control: "lines", shape: "line-list", help: ONE_PER_LINE },
  {
    field: "frustrations",
    label: "Frustrations",
    control: "lines",
    shape: "line-list",
    help: ONE_PER_LINE,
  },
  {
    field: "behaviours",
    label: "Behaviours",
    control: "lines",
    shape: "line-list",
    help: ONE_PER_LINE,
  },
];

// ------------------------------------------------------------------ values

function commaList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

function lineList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((t) => t.trim())
    .filter(Boolean);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** What the control shows for a field's value ("" for none). */
export function fieldText(spec: FieldSpec, value: unknown): string {
  if (value === null || value === undefined) return "";
  switch (spec.shape) {
    case "comma-list":
      return strings(value).join(", ");
    case "line-list":
      return strings(value).join("\n");
    case "events": {
      const names = (value as { names?: unknown }).names;
      return strings(names).join(", ");
    }
    case "bool":
      return value === true ? "true" : "";
    case "ids":
      return strings(value).join(",");
    default:
      return typeof value === "string" ? value : JSON.stringify(value);
  }
}

function choiceValues(spec: FieldSpec): string[] | null {
  if (!spec.options) return null;
  return spec.options.flatMap((g) => g.options.map((o) => o.value));
}

/** The control's text (or a checkbox's "true"/"") as the field's value, given its value now
 * (an event binding keeps its patterns and other parts). */
export function parseField(spec: FieldSpec, text: string, current?: unknown): Parsed {
  const t = text.trim();
  switch (spec.shape) {
    case "text":
      return t ? { ok: true, value: t } : { ok: false, error: `${spec.label} cannot be empty.` };
    case "optional-text":
      return { ok: true, value: t || null };
    case "rating":
    case "optional-rating": {
      if (!t) {
        return spec.shape === "rating"
          ? { ok: false, error: `Choose a ${spec.label.toLowerCase()} from 1 to 5.` }
          : { ok: true, value: null };
      }
      const n = Number(t);
      return Number.isInteger(n) && n >= 1 && n <= 5
        ? { ok: true, value: n }
        : { ok: false, error: `${spec.label} is a whole number from 1 to 5.` };
    }
    case "number": {
      if (!t) return { ok: true, value: null };
      const n = Number(t.replace(/[\s_]/g, ""));
      return Number.isFinite(n) && /\d/.test(t)
        ? { ok: true, value: n }
        : { ok: false, error: `“${t}” is not a number: type digits, e.g. 12.5` };
    }
    case "date":
      if (!t) return { ok: true, value: null };
      return /^\d{4}-\d{2}-\d{2}$/.test(t) && !Number.isNaN(Date.parse(t))
        ? { ok: true, value: t }
        : { ok: false, error: `${spec.label}: give a date as YYYY-MM-DD.` };
    case "choice":
    case "optional-choice": {
      if (!t) {
        return spec.shape === "choice"
          ? { ok: false, error: `Choose a ${spec.label.toLowerCase()}.` }
          : { ok: true, value: null };
      }
      const allowed = choiceValues(spec);
      return allowed === null || allowed.includes(t)
        ? { ok: true, value: t }
        : { ok: false, error: `“${t}” is not one of the choices.` };
    }
    case "comma-list":
      return { ok: true, value: commaList(t) };
    case "line-list":
      return { ok: true, value: lineList(text) };
    case "events": {
      const names = commaList(t);
      const was = current && typeof current === "object" ? (current as Record<string, unknown>) : {};
      const patterns = strings(was.patterns);
      if (names.length === 0 && patterns.length === 0) return { ok: true, value: null };
      return { ok: true, value: { ...was, names } };
    }
    case "bool":
      return { ok: true, value: t === "true" };
    case "ids":
      return { ok: true, value: commaList(t) };
  }
}

/** Two field values the same, as the server would store them (absent is null; [] is no
 * list; order of keys does not matter). */
export function sameValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => {
    if (v === undefined || v === null) return null;
    if (Array.isArray(v)) return v.map(norm);
    if (typeof v === "object") {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .filter((k) => o[k] !== undefined && o[k] !== null)
          .map((k) => [k, norm(o[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** One `set` operation. */
export function setOp(
  entity: EntityKind | "journey",
  id: string | null,
  field: string,
  value: unknown,
): SetOp {
  return entity === "journey"
    ? { kind: "set", entity, field, value }
    : { kind: "set", entity, id, field, value };
}

/** What a change of one control means: the operation to send, a message (nothing sent), or
 * nothing at all when the value is the one already there. */
export type Change = { op: Op | Op[] } | { error: string } | null;

export function changeOf(
  entity: EntityKind | "journey",
  id: string | null,
  spec: FieldSpec,
  text: string,
  current: unknown,
): Change {
  const parsed = parseField(spec, text, current);
  if (!parsed.ok) return { error: parsed.error };
  if (sameValue(parsed.value, current)) return null;
  return { op: setOp(entity, id, spec.field, parsed.value) };
}

/** A touchpoint's digital/physical choice: null where it is the channel's own mode (the
 * server stores it so, src/journeymap/domain/entities.py canonical_card). */
export function modeChange(
  card: { id: string; channel?: string | null; mode?: string | null },
  doc: Pick<JourneyDoc, "channels">,
  chosen: string,
): Change {
  const value = chosen === "" || chosen === channelMode(doc, card.channel) ? null : chosen;
  if (sameValue(value, card.mode)) return null;
  return { op: setOp("card", card.id, "mode", value) };
}

/** An opportunity's pain point checked or unchecked: its whole new list in one `set`. */
export function painPointsChange(
  card: { id: string; pain_points?: string[] | null },
  pain: string,
  checked: boolean,
): Change {
  const was = card.pain_points ?? [];
  const now = checked ? (was.includes(pain) ? was : [...was, pain]) : was.filter((p) => p !== pain);
  if (sameValue(now, was)) return null;
  return { op: setOp("card", card.id, "pain_points", now) };
}

/** A card's value for a field (absent fields read as undefined). */
export function cardValue(card: Card, field: string): unknown {
  return (card as unknown as Record<string, unknown>)[field];
}

/** The journey's state changed: a future-state map names the current map it improves, and a
 * current-state map names none (the server refuses either alone), so the two go together. */
export function stateChange(
  doc: Pick<JourneyDoc, "state" | "current_journey">,
  state: string,
  currentJourney: string | null,
): Change {
  if (state === doc.state && (state !== "future" || currentJourney === (doc.current_journey ?? null)))
    return null;
  if (state === "future") {
    if (doc.state === "future") {
      return currentJourney ? { op: setOp("journey", null, "current_journey", currentJourney) } : null;
    }
    if (!currentJourney) {
      return { error: "A future-state map improves a current one: choose which below." };
    }
    return {
      op: [
        setOp("journey", null, "current_journey", currentJourney),
        setOp("journey", null, "state", "future"),
      ],
    };
  }
  const ops: Op[] = [setOp("journey", null, "state", "current")];
  if (doc.current_journey != null) ops.push(setOp("journey", null, "current_journey", null));
  return { op: ops };
}

/** A text area tall enough for what it holds (about 38 characters a line), up to 8 lines. */
export function rowsFor(text: string, least: number): number {
  const lines = text.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 38)), 0);
  return Math.min(8, Math.max(least, lines));
}

/** A new persona's fields as the map reads them at once (its lists empty, not absent). */
export function newPersona(name: string): Record<string, unknown> {
  return { name, goals: [], needs: [], frustrations: [], behaviours: [], data_sources: [] };
}
