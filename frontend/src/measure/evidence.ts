// A journey's evidence (GET /api/journeys/{id}/evidence) as the map draws it: the figures of a
// touchpoint and of a stage, in the poster's words (render/layout.py `_measured`,
// `_funnel_lines`), for all customers, one group of the split, or two periods side by side;
// and which of them the journey has changed under since they were measured.
import type { components } from "../api/schema";
import { countText, durationText, hiddenText, pointsText, shareText } from "./format";

type S = components["schemas"];
export type EvidencePublic = S["EvidencePublic"];
export type EvidenceSet = S["EvidenceSet"];
export type StalePublic = S["StalePublic"];
export type EvidenceItem = S["Evidence"];
export type TransitionEvidence = S["TransitionEvidence"];
export type PathEvidence = S["PathEvidence"];
export type StageShare = S["StageShare"];
export type PeriodEvidence = S["PeriodEvidence"];
export type FeedbackEvidence = S["FeedbackEvidence"];
export type CurvePointEvidence = S["CurvePointEvidence"];
export type HeatmapEvidence = S["HeatmapEvidence"];

/** Whose figures the canvas shows: everyone's, one group of the split, or two periods. */
export type Lens = { kind: "all" } | { kind: "split"; group: string } | { kind: "periods" };
export const ALL: Lens = { kind: "all" };

/** The evidence set the server sent, or null for a format this app does not draw. */
export function readEvidence(answer: EvidencePublic): EvidenceSet | null {
  const data = answer.data as Partial<EvidenceSet>;
  return data.format_version === 3 && typeof data.journey === "string"
    ? (data as EvidenceSet)
    : null;
}

export function minCount(ev: EvidenceSet): number {
  return ev.min_count;
}

export function item(ev: EvidenceSet, metric: EvidenceItem["metric"], target: string) {
  return (ev.items ?? []).find((e) => e.metric === metric && e.target === target);
}

/** A measured count as it may be shown: `1,234`, or `<10` when too few (evidence.py `count`). */
export function countOf(ev: EvidenceSet, metric: EvidenceItem["metric"], target: string) {
  const found = item(ev, metric, target);
  if (!found) return null;
  if (found.suppressed || found.value == null) return hiddenText(minCount(ev));
  return countText(found.value);
}

/** A measured share: `42%`, `4.2%`; null when absent or hidden (evidence.py `share`). */
export function shareOf(ev: EvidenceSet, metric: EvidenceItem["metric"], target: string) {
  const found = item(ev, metric, target);
  if (!found || found.suppressed || found.value == null) return null;
  return shareText(found.value);
}

/** The figures drawn in a card or a stage head: lines as on the poster, one sentence for a
 * screen reader, stale or not. */
export interface Figures {
  lines: string[];
  label: string;
  stale: boolean;
}

export const STALE_LINE = "stale: changed since measured";

/** The funnel, drop-off and paths rest on every binding, the stages and the settings: any
 * change makes them stale. A touchpoint's reach rests on its own binding. */
export function wholeStale(stale: StalePublic | null | undefined): boolean {
  return stale != null;
}

export function cardFigures(
  ev: EvidenceSet,
  stale: StalePublic | null | undefined,
  card: string,
  lens: Lens = ALL,
): Figures | null {
  if (lens.kind !== "all") return null; // reach and drop-off are measured for everyone only
  const reach = countOf(ev, "reach", card);
  const left = shareOf(ev, "drop_off_share", card);
  const lines: string[] = [];
  const said: string[] = [];
  if (reach !== null) {
    lines.push(`Reached ${reach} customers`);
    said.push(`Reach ${reach} customers`);
  }
  if (left !== null) {
    lines.push(`${left} of leavers left here`);
    said.push(`${left} of leavers left here`);
  }
  if (lines.length === 0) return null;
  const own = stale?.touchpoints.includes(card) ?? false;
  const isStale = own || (left !== null && wholeStale(stale));
  if (isStale) lines.push(STALE_LINE);
  return { lines, label: `Measured: ${said.join(", ")}${isStale ? " (stale)" : ""}`, stale: isStale };
}

/** A stage head's funnel figures: everyone's, one group's, or the two periods'. */
export function stageFigures(
  ev: EvidenceSet,
  stale: StalePublic | null | undefined,
  stage: string,
  lens: Lens = ALL,
): Figures | null {
  const found =
    lens.kind === "split"
      ? groupFigures(ev, lens.group, stage)
      : lens.kind === "periods"
        ? periodFigures(ev, stage)
        : allFigures(ev, stage);
  if (!found) return null;
  const isStale = wholeStale(stale);
  return {
    lines: isStale ? [...found.lines, STALE_LINE] : found.lines,
    label: `${found.label}${isStale ? " (stale)" : ""}`,
    stale: isStale,
  };
}

function allFigures(ev: EvidenceSet, stage: string) {
  const customers = countOf(ev, "stage_customers", stage);
  if (customers === null) return null;
  const detail: string[] = [];
  const said = [`${customers} customers`];
  const conversion = shareOf(ev, "stage_conversion", stage);
  if (conversion !== null) {
    detail.push(`${conversion} from previous`);
    said.push(`conversion ${conversion} from the previous stage`);
  }
  const median = item(ev, "stage_median_s", stage);
  if (median && !median.suppressed && median.value != null) {
    detail.push(`median ${durationText(median.value)}`);
    said.push(`median time ${durationText(median.value)}`);
  }
  const lines = [`${customers} customers`];
  if (detail.length) lines.push(detail.join(" · "));
  return { lines, label: `Measured: ${said.join(", ")}` };
}

export function splitGroups(ev: EvidenceSet): string[] {
  return Object.keys(ev.split?.groups ?? {});
}

/** One group's funnel row for a stage (customers `<n` when too few). */
export function groupShare(ev: EvidenceSet, group: string, stage: string): StageShare | null {
  return ev.split?.groups[group]?.find((s) => s.stage === stage) ?? null;
}

export function shareCustomers(ev: EvidenceSet, share: StageShare): string {
  return share.suppressed || share.customers == null
    ? hiddenText(minCount(ev))
    : countText(share.customers);
}

function groupFigures(ev: EvidenceSet, group: string, stage: string) {
  const share = groupShare(ev, group, stage);
  if (!share) return null;
  const customers = shareCustomers(ev, share);
  const lines = [`${customers} customers`];
  const said = [`${customers} customers`];
  if (!share.suppressed && share.conversion != null) {
    lines.push(`${shareText(share.conversion)} from previous`);
    said.push(`conversion ${shareText(share.conversion)} from the previous stage`);
  }
  const by = ev.split?.by ?? "group";
  return { lines, label: `Measured for ${by} ${group}: ${said.join(", ")}` };
}

export function periodOf(ev: EvidenceSet, stage: string): PeriodEvidence | null {
  return ev.periods?.find((p) => p.stage === stage) ?? null;
}

function periodCount(ev: EvidenceSet, n: number | null): string {
  return n == null ? hiddenText(minCount(ev)) : countText(n);
}

/** `42% → 45% (+3.0 pts)`, or what can be said when a rate is missing. */
export function rateChange(p: PeriodEvidence): string | null {
  const { before_rate: a, after_rate: b } = p;
  if (a == null && b == null) return null;
  const shown = `${a == null ? "–" : shareText(a)} → ${b == null ? "–" : shareText(b)}`;
  return a != null && b != null ? `${shown} (${pointsText(a, b)})` : shown;
}

export function pValueText(p: number | null | undefined): string | null {
  if (p == null) return null;
  return p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`;
}

function periodFigures(ev: EvidenceSet, stage: string) {
  const p = periodOf(ev, stage);
  if (!p) return null;
  const before = periodCount(ev, p.before_customers);
  const after = periodCount(ev, p.after_customers);
  const lines = [`${before} → ${after} customers`];
  const said = [`${before} customers before, ${after} after`];
  const rate = rateChange(p);
  if (rate) {
    const pv = pValueText(p.p_value);
    lines.push(pv ? `${rate} · ${pv}` : rate);
    said.push(`conversion ${rate}${pv ? `, ${pv}` : ""}`);
  }
  return { lines, label: `Two periods: ${said.join("; ")}` };
}

/** What the lens switch can offer, and what it says when the evidence cannot. */
export function lensChoices(ev: EvidenceSet): { groups: string[]; by: string | null; periods: boolean } {
  return {
    groups: splitGroups(ev),
    by: ev.split?.by ?? null,
    periods: (ev.periods?.length ?? 0) > 0,
  };
}

/** The lens asked for, if this evidence has it; else everyone's figures. */
export function validLens(ev: EvidenceSet | null, lens: Lens): Lens {
  if (!ev) return ALL;
  if (lens.kind === "split" && !splitGroups(ev).includes(lens.group)) return ALL;
  if (lens.kind === "periods" && !lensChoices(ev).periods) return ALL;
  return lens;
}

/** The names of what changed, for the stale note: the server's words. */
export function staleWords(ev: EvidenceSet, stale: StalePublic | null | undefined): string | null {
  if (!stale) return null;
  return (
    `Figures marked stale were measured ${ev.computed_at.slice(0, 10)}, before the journey ` +
    `changed (${stale.words}): refresh the figures or run journeymap analyze again.`
  );
}
