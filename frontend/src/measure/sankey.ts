// The paths panel's Sankey, laid out from the evidence's transitions: one node per touchpoint,
// in columns by the map's order, a band per transition as wide as its customers. A move back
// (to a touchpoint earlier on the map) is drawn as a loop under the nodes, so the main flow
// reads left to right. Pure: the panel only draws it.
import type { TransitionEvidence } from "./evidence";
import { countText, durationText, hiddenText, shareText } from "./format";

export interface Place {
  id: string;
  name: string;
  column: number; // the grid column of the touchpoint's card
}

export interface SankeyNode {
  id: string;
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  total: number; // the customers through it (the larger of in and out, moving forward), shown ones only
}

export interface SankeyLink {
  source: string;
  target: string;
  count: string; // `1,234` or `<10`
  gap: string | null; // the median time between the two events
  share: string | null; // of the moves out of the source
  width: number;
  d: string; // the band's centre line (drawn as a stroke of `width`)
  back: boolean; // to an earlier (or the same) column: a loop
  hidden: boolean; // fewer customers than the minimum
}

export interface Sankey {
  width: number;
  height: number;
  nodes: SankeyNode[];
  links: SankeyLink[];
}

export const NODE_W = 14;
const GAP = 18; // between nodes in a column
const MIN_BAND = 1.5; // a hidden count's band: seen, but saying nothing of its size
const LOOP = 36; // how far below the nodes a loop goes
const LOOP_MAX = 6; // a loop's band at most: wide loops would hide the flow (its count is in the table)

function known(t: TransitionEvidence): number {
  return t.suppressed || t.count == null ? 0 : t.count;
}

export function sankeyLayout(
  transitions: TransitionEvidence[],
  places: Place[],
  minCount: number,
  size: { step: number; height: number },
): Sankey {
  const placeOf = new Map(places.map((p, i) => [p.id, { ...p, order: i }]));
  const ids = [...new Set(transitions.flatMap((t) => [t.source, t.target]))];
  // Touchpoints no longer on the map (deleted since) go last, under their id.
  const where = (id: string) => placeOf.get(id) ?? { id, name: id, column: Infinity, order: places.length };
  ids.sort((a, b) => where(a).order - where(b).order || (a < b ? -1 : 1));
  const order = new Map(ids.map((id, i) => [id, i]));
  const forward = (t: TransitionEvidence) => order.get(t.target)! > order.get(t.source)!;
  // A node's column: the longest run of forward moves that reaches it (map order breaks ties),
  // so a move to the next touchpoint in the same grid column still reads left to right.
  const depth = new Map(ids.map((id) => [id, 0]));
  for (const id of ids) {
    for (const t of transitions) {
      if (t.source === id && forward(t)) {
        depth.set(t.target, Math.max(depth.get(t.target)!, depth.get(id)! + 1));
      }
    }
  }
  const columns = [...new Set(depth.values())].sort((a, b) => a - b);
  const rank = new Map(columns.map((c, i) => [c, i]));
  const rankOf = (id: string) => rank.get(depth.get(id)!) ?? 0;
  const inflow = new Map<string, number>();
  const outflow = new Map<string, number>();
  for (const t of transitions.filter(forward)) {
    // Loops are drawn thin (their count is in the table): they do not size the nodes.
    outflow.set(t.source, (outflow.get(t.source) ?? 0) + known(t));
    inflow.set(t.target, (inflow.get(t.target) ?? 0) + known(t));
  }
  const total = (id: string) => Math.max(inflow.get(id) ?? 0, outflow.get(id) ?? 0);
  const byRank = columns.map((_, r) => ids.filter((id) => rankOf(id) === r));
  const usable = size.height - LOOP - 8;
  const width = Math.max(1, columns.length - 1) * size.step + NODE_W;
  const scale = Math.min(
    ...byRank.map((col) => {
      const sum = col.reduce((s, id) => s + total(id), 0);
      const room = usable - GAP * (col.length - 1) - MIN_BAND * col.length * 4;
      return sum > 0 ? Math.max(room, 1) / sum : Infinity;
    }),
  );
  const k = Number.isFinite(scale) ? scale : 0;
  const stepX = size.step;

  const nodes: SankeyNode[] = [];
  for (const [r, col] of byRank.entries()) {
    let y = 4;
    for (const id of col) {
      const hiddenIn = transitions.filter((t) => (t.source === id || t.target === id) && known(t) === 0);
      const h = Math.max(total(id) * k, MIN_BAND * Math.max(hiddenIn.length, 1) * 2);
      nodes.push({ id, name: where(id).name, x: r * stepX, y, w: NODE_W, h, total: total(id) });
      y += h + GAP;
    }
  }
  const node = new Map(nodes.map((n) => [n.id, n]));
  // Bands leave and arrive in the order of the other end's height, so they do not cross there.
  const outAt = new Map(nodes.map((n) => [n.id, n.y]));
  const inAt = new Map(nodes.map((n) => [n.id, n.y]));
  const ordered = [...transitions].sort(
    (a, b) => node.get(a.target)!.y - node.get(b.target)!.y || node.get(a.source)!.y - node.get(b.source)!.y,
  );
  const links: SankeyLink[] = [];
  const bottom = Math.max(0, ...nodes.map((n) => n.y + n.h));
  for (const t of ordered) {
    const s = node.get(t.source)!;
    const e = node.get(t.target)!;
    const hidden = known(t) === 0;
    const back = !forward(t);
    const width = hidden ? MIN_BAND : back ? Math.min(known(t) * k, LOOP_MAX) : known(t) * k;
    const y0 = outAt.get(s.id)! + width / 2;
    outAt.set(s.id, outAt.get(s.id)! + width);
    const y1 = inAt.get(e.id)! + width / 2;
    inAt.set(e.id, inAt.get(e.id)! + width);
    const x0 = s.x + s.w;
    const x1 = e.x;
    let d: string;
    if (!back) {
      const mid = (x0 + x1) / 2;
      d = `M${x0},${y0}C${mid},${y0} ${mid},${y1} ${x1},${y1}`;
    } else {
      const low = bottom + LOOP / 2 + Math.min(width / 2, LOOP / 2);
      d = `M${x0},${y0}C${x0 + 40},${y0} ${x0 + 40},${low} ${(x0 + x1) / 2},${low}S${x1 - 40},${y1} ${x1},${y1}`;
    }
    links.push({
      source: t.source,
      target: t.target,
      count: hidden ? hiddenText(minCount) : countText(known(t)),
      gap: !hidden && t.median_gap_s != null ? durationText(t.median_gap_s) : null,
      share: !hidden && t.share != null ? shareText(t.share) : null,
      width,
      d,
      back,
      hidden,
    });
  }
  return { width, height: Math.max(size.height, bottom + LOOP + 8), nodes, links };
}

/** The touchpoints of the map in its order, each with its grid column, for the layout. */
export function placesOf(
  columns: { stage: { id: string }; stepId: string | null }[],
  cards: { id: string; kind: string; stage: string; step?: string | null; text: string }[],
): Place[] {
  const out: Place[] = [];
  for (const [i, c] of columns.entries()) {
    for (const card of cards) {
      if (card.kind === "touchpoint" && card.stage === c.stage.id && (card.step ?? null) === c.stepId) {
        out.push({ id: card.id, name: card.text, column: i });
      }
    }
  }
  return out;
}
