// The emotion lane's geometry and the rules of its sliders, pure: where a score sits in the band
// (-2 at the bottom, +2 at the top), the score a pointer's height means (clamped to the scale and
// snapped to the one decimal the server keeps), what each key does to a score, and the curve
// through the points (d3-shape's monotone curve, which never overshoots a point).
import { curveMonotoneX, line } from "d3-shape";

export const MIN = -2;
export const MAX = 2;
/** The server keeps one decimal (domain/model.py EmotionPoint.score): a drag snaps to it. */
export const FINE = 0.1;
/** An arrow key's step; Shift+arrow takes the fine one, PageUp/PageDown a whole point. */
export const STEP = 0.5;
export const PAGE = 1;

export const TOP = 16;
export const BAND = 180;
export const MID = TOP + BAND / 2;
export const UNIT = (BAND / 2 - 10) / 2; // px per score unit
export const HEIGHT = TOP + BAND + 4;

/** `v` rounded to one decimal, without the float noise (0.30000000000000004) or a -0. */
export function oneDecimal(v: number): number {
  const r = Math.round(v * 10) / 10;
  return r === 0 ? 0 : r;
}

export function clamp(score: number): number {
  return Math.min(MAX, Math.max(MIN, score));
}

/** `score` on the scale, at a multiple of `step` (one decimal at most). */
export function snap(score: number, step: number = FINE): number {
  if (!Number.isFinite(score)) return 0;
  return oneDecimal(clamp(Math.round(score / step) * step));
}

/** The height of a score in the band (SVG y, down is larger). */
export function yOf(score: number): number {
  return MID - score * UNIT;
}

/** The score a height in the band means, clamped and snapped. */
export function scoreAt(y: number, step: number = FINE): number {
  return snap((MID - y) / UNIT, step);
}

/** The score of a point being dragged: where it was when grabbed, moved by the pointer's
 * travel (`dy` screen pixels down; `zoom` screen pixels per band pixel). */
export function dragScore(start: number, dy: number, zoom = 1): number {
  return scoreAt(yOf(start) + dy / (zoom || 1));
}

export interface SliderKey {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** The score a key gives a slider at `score` (ARIA slider practice: arrows a step, PageUp and
 * PageDown a bigger one, Home the minimum, End the maximum); null for a key that is not the
 * slider's. At an end of the scale it is `score` itself: the key is still the slider's. */
export function keyScore(score: number, e: SliderKey): number | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const step = e.shiftKey ? FINE : STEP;
  let next: number;
  switch (e.key) {
    case "ArrowUp":
    case "ArrowRight":
      next = score + step;
      break;
    case "ArrowDown":
    case "ArrowLeft":
      next = score - step;
      break;
    case "PageUp":
      next = score + PAGE;
      break;
    case "PageDown":
      next = score - PAGE;
      break;
    case "Home":
      next = MIN;
      break;
    case "End":
      next = MAX;
      break;
    default:
      return null;
  }
  return oneDecimal(clamp(next));
}

/** A column's point's x: a stage's (or step's) point in the middle of its column, a
 * touchpoint's to the right of it, as the poster draws them. */
export function xOf(column: number, onTouchpoint: boolean, colW: number): number {
  return column * colW + (onTouchpoint ? colW * 0.75 : colW / 2) - 4;
}

export interface CurvePoint {
  id: string;
  column: number;
  onTouchpoint: boolean;
  score: number;
}

/** The points the curve goes through: the stages' and steps' own (not the touchpoints'), left
 * to right, each at its score, or at the score it is being dragged to (`live`). */
export function pathPoints(
  points: readonly CurvePoint[],
  colW: number,
  live?: { id: string; score: number } | null,
): [number, number][] {
  return points
    .filter((p) => !p.onTouchpoint)
    .map((p): [number, number] => [
      xOf(p.column, false, colW),
      yOf(live && live.id === p.id ? live.score : p.score),
    ])
    .sort((a, b) => a[0] - b[0]);
}

const curve = line().curve(curveMonotoneX);

/** The SVG path of the curve through `points` ("" for none; a lone point is no line). */
export function curvePath(points: [number, number][]): string {
  if (points.length < 2) return "";
  return curve(points) ?? "";
}
