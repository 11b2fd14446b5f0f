// The poster's drawing rules (src/journeymap/render/svg.py and layout.py), ported so that the
// browser and the print agree: each card's head line, footer and big number, the channel
// colour, the emotion colours and the smooth curve.
import type { Card, Confidence } from "../api/journey";

export const KIND_LABEL: Record<Card["kind"], string> = {
  note: "Note",
  touchpoint: "Touchpoint",
  pain_point: "Pain point",
  opportunity: "Opportunity",
  quote: "Quote",
  metric: "Metric",
};

export const CONFIDENCE_LABEL: Record<Confidence, string> = {
  assumed: "Assumed",
  reported: "Reported",
  observed: "Observed",
};

export const OPPORTUNITY_STATUS = ["idea", "planned", "in_progress", "done", "dropped"] as const;

export const CHANNEL_PALETTE = [
  "#2f6fbd",
  "#00897b",
  "#8e24aa",
  "#ef6c00",
  "#5d4037",
  "#3949ab",
  "#c2185b",
  "#558b2f",
  "#00838f",
  "#6d4c41",
];

export interface CardParts {
  head: string;
  text: string;
  big: string | null; // a metric's value
  foot: string[];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `%` sticks to the number; a word unit (`people`, `minutes`) gets a space. */
function unitText(unit?: string | null): string {
  if (!unit) return "";
  return /^\p{L}/u.test(unit) ? ` ${unit}` : unit;
}

export function numberText(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value
    .toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    .replace(/0$/, "");
}

export function statusText(status: string): string {
  return status.replace(/_/g, " ");
}

/** The head label, text, big number and footer of a card, by kind (layout._card_parts). */
export function cardParts(card: Card): CardParts {
  const text = card.kind === "quote" ? `“${card.text}”` : card.text;
  switch (card.kind) {
    case "touchpoint": {
      const head = `${(card.channel ?? "no channel").toUpperCase()} ${card.mode ?? ""}`.trim();
      return { head, text, big: null, foot: card.team ? [`Owner: ${card.team}`] : [] };
    }
    case "pain_point":
      return {
        head: `PAIN POINT · severity ${card.severity}`,
        text,
        big: null,
        foot: card.frequency ? [capitalise(card.frequency)] : [],
      };
    case "opportunity": {
      const foot: string[] = [];
      if (card.owner) foot.push(`Owner: ${card.owner}`);
      if (card.value || card.effort) {
        foot.push(`Value ${card.value ?? "-"} · Effort ${card.effort ?? "-"}`);
      }
      if (card.impact) foot.push(`Impact: ${card.impact}`);
      return { head: `OPPORTUNITY · ${statusText(card.status)}`, text, big: null, foot };
    }
    case "quote":
      return { head: "QUOTE", text, big: null, foot: card.source ? [`— ${card.source}`] : [] };
    case "metric": {
      const unit = unitText(card.unit);
      return {
        head: "METRIC",
        text,
        big: card.value != null ? `${numberText(card.value)}${unit}` : null,
        foot: card.target != null ? [`Target: ${numberText(card.target)}${unit}`] : [],
      };
    }
    case "note":
      return { head: "NOTE", text, big: null, foot: [] };
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** zlib.crc32 of the text's UTF-8 bytes, as the poster picks a channel's colour. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The poster's colour for a channel, as an index into CHANNEL_PALETTE (grid.css has a class
 * per colour: the page's policy allows no inline styles). */
export function channelColourIndex(channel: string): number {
  return crc32(channel) % CHANNEL_PALETTE.length;
}

/** Python's round(): halves go to the even neighbour, so colours match the poster's. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (Math.abs(diff - 0.5) > 1e-9) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Red at -2, amber at 0, green at +2 (svg.score_colour). */
export function scoreColour(score: number): string {
  const stops: [number, [number, number, number]][] = [
    [-2, [198, 40, 40]],
    [0, [240, 180, 41]],
    [2, [46, 125, 50]],
  ];
  for (let i = 0; i < stops.length - 1; i++) {
    const [s0, c0] = stops[i]!;
    const [s1, c1] = stops[i + 1]!;
    if (score <= s1) {
      const t = (score - s0) / (s1 - s0);
      const hex = c0.map((a, j) => roundHalfEven(a + (c1[j]! - a) * t).toString(16).padStart(2, "0"));
      return `#${hex.join("")}`;
    }
  }
  return "#2e7d32";
}

export function scoreText(score: number): string {
  const fixed = Math.abs(score).toFixed(1);
  return score > 0 ? `+${fixed}` : score < 0 ? `−${fixed}` : fixed;
}

/** A smooth curve through the points that never overshoots them (monotone cubic,
 * Fritsch-Carlson), as svg.smooth_path draws it. */
export function smoothPath(points: [number, number][]): string {
  const n = points.length;
  const f = (v: number): string => v.toFixed(1);
  if (n === 0) return "";
  const [x0, y0] = points[0]!;
  let d = `M ${f(x0)} ${f(y0)}`;
  if (n === 1) return d;
  const dx = points.slice(0, -1).map(([x], i) => points[i + 1]![0] - x || 1e-9);
  const slope = dx.map((w, i) => (points[i + 1]![1] - points[i]![1]) / w);
  const tangent = [slope[0]!];
  for (let i = 0; i < slope.length - 1; i++) {
    const a = slope[i]!;
    const b = slope[i + 1]!;
    tangent.push(a * b > 0 ? (a + b) / 2 : 0);
  }
  tangent.push(slope[slope.length - 1]!);
  slope.forEach((m, i) => {
    if (m === 0) {
      tangent[i] = 0;
      tangent[i + 1] = 0;
      return;
    }
    const a = tangent[i]! / m;
    const b = tangent[i + 1]! / m;
    if (a * a + b * b > 9) {
      const t = 3 / Math.sqrt(a * a + b * b);
      tangent[i] = t * a * m;
      tangent[i + 1] = t * b * m;
    }
  });
  for (let i = 0; i < n - 1; i++) {
    const [xa, ya] = points[i]!;
    const [xb, yb] = points[i + 1]!;
    const w = dx[i]!;
    const c1: [number, number] = [xa + w / 3, ya + (tangent[i]! * w) / 3];
    const c2: [number, number] = [xb - w / 3, yb - (tangent[i + 1]! * w) / 3];
    d += ` C ${f(c1[0])} ${f(c1[1])}, ${f(c2[0])} ${f(c2[1])}, ${f(xb)} ${f(yb)}`;
  }
  return d;
}
