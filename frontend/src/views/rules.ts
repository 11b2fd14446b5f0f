// Views of the map: which sections and lanes are hidden, which cards are shown, and the zoom.
// The rules, in one place (the view bar only calls them):
// - A hidden section hides all its lanes; a hidden lane is left out of the grid.
// - A channel filter narrows the touchpoints to those channels (a touchpoint with no channel is
//   hidden by it); a team filter narrows touchpoints (their `team`) and opportunities (their
//   `owner`) to those teams (one with none is hidden by it). Cards of other kinds name no channel
//   or team and stay.
// - A card names a persona when one of its tags is a persona's id or name (any case). A persona
//   filter hides cards that name only other personas; cards that name none stay (they are
//   everyone's).
// - Ids a saved view names that the journey no longer has are ignored (`cleanView`).
import type { Card, JourneyDoc } from "../api/journey";
import type { components } from "../api/schema";
import type { GridModel } from "../editor/model";

export type ViewSettings = components["schemas"]["ViewSettings"];
export type SavedView = components["schemas"]["SavedViewPublic"];

/** The settings with every list present (the wire leaves empty ones out). */
export interface View {
  hidden_sections: string[];
  hidden_lanes: string[];
  channels: string[];
  teams: string[];
  personas: string[];
  zoom: number | null;
}

export const ALL: View = {
  hidden_sections: [],
  hidden_lanes: [],
  channels: [],
  teams: [],
  personas: [],
  zoom: null,
};

export function toView(settings: ViewSettings | undefined): View {
  return {
    hidden_sections: [...(settings?.hidden_sections ?? [])],
    hidden_lanes: [...(settings?.hidden_lanes ?? [])],
    channels: [...(settings?.channels ?? [])],
    teams: [...(settings?.teams ?? [])],
    personas: [...(settings?.personas ?? [])],
    zoom: settings?.zoom ?? null,
  };
}

/** What a view may be filtered by in this journey: the values its cards hold, sorted. */
export interface ViewOptions {
  channels: string[];
  teams: string[];
  personas: { id: string; name: string }[]; // only those some card names
}

const sorted = (values: Iterable<string>): string[] =>
  [...new Set(values)].sort((a, b) => a.localeCompare(b));

export function teamOf(card: Card): string | null {
  if (card.kind === "touchpoint") return card.team ?? null;
  if (card.kind === "opportunity") return card.owner ?? null;
  return null;
}

/** The ids of the journey's personas that a card names by a tag. */
export function personasOf(card: Card, doc: JourneyDoc): string[] {
  const tags = new Set(card.tags.map((t) => t.toLowerCase()));
  return doc.personas
    .filter((p) => tags.has(p.id.toLowerCase()) || (p.name != null && tags.has(p.name.toLowerCase())))
    .map((p) => p.id);
}

export function viewOptions(doc: JourneyDoc): ViewOptions {
  const named = new Set(doc.cards.flatMap((c) => personasOf(c, doc)));
  return {
    channels: sorted(doc.cards.flatMap((c) => (c.kind === "touchpoint" && c.channel ? [c.channel] : []))),
    teams: sorted(doc.cards.flatMap((c) => teamOf(c) ?? [])),
    personas: doc.personas.filter((p) => named.has(p.id)).map((p) => ({ id: p.id, name: p.name ?? p.id })),
  };
}

/** Whether the view shows the card (its lane aside). */
export function cardShown(card: Card, view: View, doc: JourneyDoc): boolean {
  if (view.channels.length && card.kind === "touchpoint") {
    if (!card.channel || !view.channels.includes(card.channel)) return false;
  }
  if (view.teams.length && (card.kind === "touchpoint" || card.kind === "opportunity")) {
    const team = teamOf(card);
    if (!team || !view.teams.includes(team)) return false;
  }
  if (view.personas.length) {
    const named = personasOf(card, doc);
    if (named.length && !named.some((p) => view.personas.includes(p))) return false;
  }
  return true;
}

/** The grid as the view shows it: hidden sections and lanes left out, cards filtered. The
 * columns, stage heads and emotion points stay (the curve is the persona's). */
export function applyView(model: GridModel, view: View, doc: JourneyDoc): GridModel {
  if (isAll({ ...view, zoom: null })) return model;
  const hiddenSections = new Set(view.hidden_sections);
  const hiddenLanes = new Set(view.hidden_lanes);
  const sections = model.sections
    .filter((s) => !hiddenSections.has(s.section.id))
    .map((s) => ({
      ...s,
      lanes: s.lanes
        .filter((row) => !hiddenLanes.has(row.lane.id))
        .map((row) => ({ ...row, cells: row.cells.map((cell) => cell.filter((c) => cardShown(c, view, doc))) })),
    }))
    .filter((s) => s.lanes.length > 0);
  return { ...model, sections };
}

/** How many cards the view shows, of how many the grid has. */
export function shownCount(model: GridModel): number {
  return model.sections.reduce(
    (n, s) => n + s.lanes.reduce((m, row) => m + row.cells.reduce((k, cell) => k + cell.length, 0), 0),
    0,
  );
}

/** The view without what the journey no longer has (a saved view outlives deleted lanes). */
export function cleanView(view: View, doc: JourneyDoc): View {
  const sections = new Set(doc.sections.map((s) => s.id));
  const lanes = new Set(doc.sections.flatMap((s) => s.lanes.map((l) => l.id)));
  const personas = new Set(doc.personas.map((p) => p.id));
  return {
    ...view,
    hidden_sections: view.hidden_sections.filter((id) => sections.has(id)),
    hidden_lanes: view.hidden_lanes.filter((id) => lanes.has(id)),
    personas: view.personas.filter((id) => personas.has(id)),
  };
}

export function isAll(view: View): boolean {
  return (
    view.hidden_sections.length + view.hidden_lanes.length + view.channels.length === 0 &&
    view.teams.length + view.personas.length === 0 &&
    view.zoom === null
  );
}

/** Whether two views show the same (order aside). */
export function sameView(a: View, b: View): boolean {
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((v) => y.includes(v));
  return (
    same(a.hidden_sections, b.hidden_sections) &&
    same(a.hidden_lanes, b.hidden_lanes) &&
    same(a.channels, b.channels) &&
    same(a.teams, b.teams) &&
    same(a.personas, b.personas) &&
    a.zoom === b.zoom
  );
}

/** `list` with `value` in it or not. */
export function toggled(list: string[], value: string, on: boolean): string[] {
  const rest = list.filter((v) => v !== value);
  return on ? [...rest, value] : rest;
}

/** A lane is shown when neither it nor its section is hidden. */
export function laneShown(view: View, sectionId: string, laneId: string): boolean {
  return !view.hidden_sections.includes(sectionId) && !view.hidden_lanes.includes(laneId);
}

/** What the view hides, in words for the bar ("2 lanes hidden · channel: web"). */
export function viewSummary(view: View, doc: JourneyDoc): string {
  const parts: string[] = [];
  const lanes = doc.sections.flatMap((s) =>
    view.hidden_sections.includes(s.id) ? s.lanes : s.lanes.filter((l) => view.hidden_lanes.includes(l.id)),
  ).length;
  if (lanes) parts.push(`${lanes} lane${lanes === 1 ? "" : "s"} hidden`);
  if (view.channels.length) parts.push(`channel: ${view.channels.join(", ")}`);
  if (view.teams.length) parts.push(`team: ${view.teams.join(", ")}`);
  if (view.personas.length) {
    const names = view.personas.map((id) => doc.personas.find((p) => p.id === id)?.name ?? id);
    parts.push(`persona: ${names.join(", ")}`);
  }
  return parts.join(" · ");
}
