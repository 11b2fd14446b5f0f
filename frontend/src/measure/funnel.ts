// The funnel panel's rows, pure: each stage's customers (a bar as long as its share of the
// first stage's), conversion from the stage before and what was lost there, for everyone or
// one group of the split; the two periods side by side; and where the leavers left.
import {
  type EvidenceSet,
  type Lens,
  countOf,
  groupShare,
  item,
  minCount,
  periodOf,
  pValueText,
  rateChange,
  shareCustomers,
  shareOf,
} from "./evidence";
import { countText, durationText, hiddenText, shareText } from "./format";

export interface Named {
  id: string;
  name: string;
}

export interface FunnelRow {
  stage: string;
  name: string;
  customers: string; // `1,234` or `<10`
  bar: number; // 0..1 of the first stage's customers (0 when hidden)
  conversion: string | null; // from the stage before
  lost: string | null; // 1 - conversion
  lostBar: number;
  median: string | null;
}

function lostText(conversion: number | null | undefined): string | null {
  return conversion == null ? null : shareText(Math.max(0, 1 - conversion));
}

export function funnelRows(ev: EvidenceSet, stages: Named[], lens: Lens): FunnelRow[] {
  const rows: FunnelRow[] = [];
  let first: number | null = null;
  for (const stage of stages) {
    if (lens.kind === "split") {
      const share = groupShare(ev, lens.group, stage.id);
      if (!share) continue;
      const n = share.suppressed ? null : (share.customers ?? null);
      if (first === null && n !== null) first = n;
      const conversion = share.suppressed ? null : share.conversion;
      rows.push({
        stage: stage.id,
        name: stage.name,
        customers: shareCustomers(ev, share),
        bar: n !== null && first ? n / first : 0,
        conversion: conversion == null ? null : shareText(conversion),
        lost: lostText(conversion),
        lostBar: conversion == null ? 0 : Math.max(0, 1 - conversion),
        median: null,
      });
      continue;
    }
    const customers = countOf(ev, "stage_customers", stage.id);
    if (customers === null) continue;
    const found = item(ev, "stage_customers", stage.id);
    const n = found && !found.suppressed ? (found.value ?? null) : null;
    if (first === null && n !== null) first = n;
    const conv = item(ev, "stage_conversion", stage.id);
    const conversion = conv && !conv.suppressed ? conv.value : null;
    const median = item(ev, "stage_median_s", stage.id);
    rows.push({
      stage: stage.id,
      name: stage.name,
      customers,
      bar: n !== null && first ? n / first : 0,
      conversion: shareOf(ev, "stage_conversion", stage.id),
      lost: lostText(conversion),
      lostBar: conversion == null ? 0 : Math.max(0, 1 - conversion),
      median: median && !median.suppressed && median.value != null ? durationText(median.value) : null,
    });
  }
  return rows;
}

export interface PeriodRow {
  stage: string;
  name: string;
  before: string;
  after: string;
  beforeBar: number;
  afterBar: number;
  rates: string | null; // `42% → 45% (+3.0 pts)`
  p: string | null;
}

export function periodRows(ev: EvidenceSet, stages: Named[]): PeriodRow[] {
  const rows: PeriodRow[] = [];
  let top = 0;
  for (const stage of stages) {
    const p = periodOf(ev, stage.id);
    if (p) top = Math.max(top, p.before_customers ?? 0, p.after_customers ?? 0);
  }
  const shown = (n: number | null) => (n == null ? hiddenText(minCount(ev)) : countText(n));
  for (const stage of stages) {
    const p = periodOf(ev, stage.id);
    if (!p) continue;
    rows.push({
      stage: stage.id,
      name: stage.name,
      before: shown(p.before_customers),
      after: shown(p.after_customers),
      beforeBar: top && p.before_customers != null ? p.before_customers / top : 0,
      afterBar: top && p.after_customers != null ? p.after_customers / top : 0,
      rates: rateChange(p),
      p: pValueText(p.p_value),
    });
  }
  return rows;
}

export interface LeaveRow {
  id: string;
  name: string;
  share: string; // of all leavers
  bar: number;
}

/** Where the leavers left: each touchpoint's share of them, the largest first. */
export function leaveRows(ev: EvidenceSet, touchpoints: Named[]): LeaveRow[] {
  const names = new Map(touchpoints.map((t) => [t.id, t.name]));
  return (ev.items ?? [])
    .filter((e) => e.metric === "drop_off_share" && !e.suppressed && e.value != null)
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0))
    .map((e) => ({ id: e.target, name: names.get(e.target) ?? e.target, share: shareText(e.value!), bar: e.value! }));
}
