// What customers say, pure: the measured curve's points placed on the grid's columns (with their
// 95% interval band), in words for a screen reader; the disagreements with the team's curve;
// the top paths; and the heatmap's cells (render/voice.py).
import type { CurvePointEvidence, EvidenceSet, HeatmapEvidence } from "./evidence";
import { minCount } from "./evidence";
import { countText, hiddenText, shareText, signedText } from "./format";

export interface ColumnRef {
  index: number;
  stage: { id: string; name: string };
  stepId: string | null;
  label: string;
}

export interface MeasuredPoint {
  column: number;
  value: number;
  low: number;
  high: number;
  n: number | null;
  words: string;
  disagreement: string | null;
}

const clamp = (v: number) => Math.max(-2, Math.min(2, v));

/** The measured points that have a column on the grid (render/voice.py `_curve`). */
export function measuredPoints(ev: EvidenceSet, columns: ColumnRef[]): MeasuredPoint[] {
  const out: MeasuredPoint[] = [];
  for (const p of ev.feedback?.curve ?? []) {
    const column = columns.find((c) => c.stage.id === p.stage && c.stepId === (p.step ?? null));
    if (!column || p.value == null || p.suppressed) continue;
    out.push({
      column: column.index,
      value: clamp(p.value),
      low: clamp(p.low ?? p.value),
      high: clamp(p.high ?? p.value),
      n: p.n ?? null,
      words: pointWords(p, column),
      disagreement: p.disagreement ?? null,
    });
  }
  return out.sort((a, b) => a.column - b.column);
}

function pointWords(p: CurvePointEvidence, column: ColumnRef): string {
  const where = column.stepId ? `${column.stage.name} · ${column.label}` : column.stage.name;
  const parts = [`measured ${signedText(p.value!)}`];
  if (p.n != null) parts.push(`n=${countText(p.n)}`);
  if (p.low != null && p.high != null) {
    parts.push(`95% interval ${signedText(p.low)} to ${signedText(p.high)}`);
  }
  if (p.assumed != null) parts.push(`assumed ${signedText(p.assumed)}`);
  return `${where}: ${parts.join(", ")}`;
}

/** The disagreements in words, in a stable order (as the poster lists them). */
export function disagreements(ev: EvidenceSet): string[] {
  return (ev.feedback?.curve ?? [])
    .map((p) => p.disagreement)
    .filter((d): d is string => !!d)
    .sort();
}

export interface PathRow {
  names: string[];
  customers: string;
}

export function pathRows(ev: EvidenceSet, names: Map<string, string>): PathRow[] {
  return (ev.paths ?? []).map((p) => ({
    names: p.touchpoints.map((t) => names.get(t) ?? t),
    customers: p.suppressed || p.customers == null ? hiddenText(minCount(ev)) : countText(p.customers),
  }));
}

/** The heatmap in use: the events' own, else the feedback's. */
export function heatmapOf(ev: EvidenceSet): HeatmapEvidence | null {
  const heat = ev.heatmap ?? ev.feedback?.heatmap ?? null;
  return heat && heat.rows.length && heat.columns.length ? heat : null;
}

export interface HeatCell {
  text: string; // `42%`, `+0.4`, `` (no answers) or `<10` (too few)
  shade: number | null; // on the -2..+2 colour scale; null: blank or grey
  hidden: boolean;
  n: number | null;
}

export function heatCell(heat: HeatmapEvidence, i: number, j: number, min: number): HeatCell {
  const value = heat.values[i]?.[j] ?? null;
  const n = heat.counts[i]?.[j] ?? null;
  if (value == null) return { text: n == null ? hiddenText(min) : "", shade: null, hidden: n == null, n };
  const share = heat.metric === "conversion" || heat.metric === "drop-off";
  const shade = share ? (value * 4 - 2) * (heat.metric === "drop-off" ? -1 : 1) : value;
  return { text: share ? shareText(value) : signedText(value), shade, hidden: false, n };
}

export function heatTitle(heat: HeatmapEvidence): string {
  const scale =
    heat.metric === "conversion" || heat.metric === "drop-off"
      ? "share of the touchpoint's customers"
      : "-2 red to +2 green";
  return `${heat.metric} by ${heat.by} (${scale}; blank: none; grey: too few to show)`;
}

function channel(c: number): number {
  const v = c / 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** Black or white, whichever reads better on `hex` (#rrggbb): the higher WCAG contrast. */
export function inkOn(hex: string): "#000000" | "#ffffff" {
  const [r, g, b] = [1, 3, 5].map((i) => channel(Number.parseInt(hex.slice(i, i + 2), 16)));
  const lum = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) ? "#000000" : "#ffffff";
}
