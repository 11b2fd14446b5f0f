// What changed between two states of a map, as the grid highlights it: each card's change kinds
// (added, removed, moved, changed) with words for them, and the map to draw: the newer state plus
// the removed cards as ghosts in the cells they left, so a removal is seen where it happened.
// Pure: the history page and the future-state diff both build on it (Vitest: changes.test.ts).
import type { Card, JourneyDoc } from "../api/journey";
import type { components } from "../api/schema";

export type JourneyDiff = components["schemas"]["JourneyDiff"];
export type Change = components["schemas"]["Change"];

export type Highlight = "added" | "removed" | "moved" | "changed" | "resolved";

/** In the order a card's marks are shown and the legend lists them. */
export const HIGHLIGHTS: readonly Highlight[] = [
  "added",
  "removed",
  "moved",
  "changed",
  "resolved",
];

export const HIGHLIGHT_LABEL: Record<Highlight, string> = {
  added: "Added",
  removed: "Removed",
  moved: "Moved",
  changed: "Changed",
  resolved: "Resolved",
};

/** What each highlight means, for the legend (said in words, not by colour alone). */
export const HIGHLIGHT_MEANING: Record<Highlight, string> = {
  added: "new in this state",
  removed: "gone from this state (a hatched, struck-through ghost where it was)",
  moved: "in another cell or position",
  changed: "text or details edited",
  resolved: "a pain point this state resolves",
};

export interface Mark {
  kinds: Highlight[];
  /** Words for the mark: "Added", "Moved, changed". */
  label: string;
  /** One line per detail, e.g. "severity 3 → 5", "from Cart to Delivery". */
  details: string[];
}

/** The highlight a diff's change kind is shown as: a restored card is back, so it is added. */
export function highlightOf(change: Change["change"]): Highlight {
  switch (change) {
    case "added":
    case "restored":
      return "added";
    case "removed":
      return "removed";
    case "moved":
      return "moved";
    case "renamed":
    case "changed":
      return "changed";
  }
}

function show(value: unknown): string {
  if (value == null || value === "") return "(none)";
  if (Array.isArray(value)) return value.length ? value.map(show).join(", ") : "(none)";
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "string") return value;
  return typeof value === "number" || typeof value === "boolean" ? String(value) : "";
}

function detail(change: Change): string[] {
  return change.fields.map((f) =>
    f.field === "text" || f.field === "position"
      ? `${f.field} ${show(f.before)} → ${show(f.after)}`
      : `${f.field.replace(/_/g, " ")} ${show(f.before)} → ${show(f.after)}`,
  );
}

export function markLabel(kinds: readonly Highlight[]): string {
  return kinds
    .map((k, i) => (i === 0 ? HIGHLIGHT_LABEL[k] : HIGHLIGHT_LABEL[k].toLowerCase()))
    .join(", ");
}

/** Each card's mark from a diff: the card diff's changes, grouped by card, kinds in order. */
export function cardMarks(diff: JourneyDiff): Map<string, Mark> {
  const grouped = new Map<string, { kinds: Set<Highlight>; details: string[] }>();
  for (const change of diff.cards) {
    const entry = grouped.get(change.id) ?? { kinds: new Set<Highlight>(), details: [] };
    entry.kinds.add(highlightOf(change.change));
    entry.details.push(...detail(change));
    grouped.set(change.id, entry);
  }
  const marks = new Map<string, Mark>();
  for (const [id, entry] of grouped) {
    const kinds = HIGHLIGHTS.filter((k) => entry.kinds.has(k));
    marks.set(id, { kinds, label: markLabel(kinds), details: entry.details });
  }
  return marks;
}

/** Adds a highlight to a card's mark (e.g. a pain point resolved), making one if needed. */
export function withHighlight(
  marks: Map<string, Mark>,
  id: string,
  kind: Highlight,
  why?: string,
): Map<string, Mark> {
  const next = new Map(marks);
  const was = next.get(id);
  const kinds = HIGHLIGHTS.filter((k) => k === kind || (was?.kinds.includes(k) ?? false));
  next.set(id, {
    kinds,
    label: markLabel(kinds),
    details: [...(was?.details ?? []), ...(why ? [why] : [])],
  });
  return next;
}

/** The newer map with the removed cards put back as ghosts, in cells that still exist there
 * (a card whose stage or lane is gone too is listed in the changes only). */
export function withGhosts(
  after: JourneyDoc,
  before: JourneyDoc,
  marks: Map<string, Mark>,
): JourneyDoc {
  const stages = new Set(after.stages.map((s) => s.id));
  const steps = new Set(after.stages.flatMap((s) => s.steps.map((p) => p.id)));
  const lanes = new Set(after.sections.flatMap((s) => s.lanes.map((l) => l.id)));
  const present = new Set(after.cards.map((c) => c.id));
  const ghosts: Card[] = before.cards.filter(
    (c) =>
      marks.get(c.id)?.kinds.includes("removed") === true &&
      !present.has(c.id) &&
      stages.has(c.stage) &&
      lanes.has(c.lane) &&
      (c.step == null || steps.has(c.step)),
  );
  if (ghosts.length === 0) return after;
  // Each ghost goes right after the card it followed in `before` (the nearest one still here),
  // so it keeps its place among its cell's cards.
  const cards = [...after.cards];
  for (const ghost of ghosts) {
    const prior = before.cards
      .slice(0, before.cards.indexOf(ghost))
      .reverse()
      .find((c) => cards.some((k) => k.id === c.id));
    const at = prior ? cards.findIndex((c) => c.id === prior.id) + 1 : 0;
    cards.splice(at, 0, ghost);
  }
  return { ...after, cards };
}

/** How many cards carry each highlight: "2 added, 1 removed". */
export function countLine(marks: Map<string, Mark>): string {
  const counts = HIGHLIGHTS.map(
    (k) => [k, [...marks.values()].filter((m) => m.kinds.includes(k)).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${HIGHLIGHT_LABEL[k].toLowerCase()}`);
  return counts.length ? `Cards: ${counts.join(", ")}` : "No card changed";
}
