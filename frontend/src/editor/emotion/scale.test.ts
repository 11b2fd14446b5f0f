import { describe, expect, it } from "vitest";
import {
  BAND,
  MAX,
  MID,
  MIN,
  TOP,
  curvePath,
  dragScore,
  keyScore,
  oneDecimal,
  pathPoints,
  scoreAt,
  snap,
  xOf,
  yOf,
} from "./scale";

describe("the band", () => {
  it("puts +2 near the top, -2 near the bottom and 0 in the middle", () => {
    expect(yOf(0)).toBe(MID);
    expect(yOf(MAX)).toBeGreaterThan(TOP);
    expect(yOf(MAX)).toBeLessThan(MID);
    expect(yOf(MIN)).toBeLessThan(TOP + BAND);
    expect(yOf(MIN) - MID).toBe(MID - yOf(MAX));
  });

  it("reads back every score it draws", () => {
    for (let s = -20; s <= 20; s++) expect(scoreAt(yOf(s / 10))).toBe(s / 10);
  });

  it("clamps a pointer above or below the band to the ends of the scale", () => {
    expect(scoreAt(-500)).toBe(2);
    expect(scoreAt(TOP)).toBe(2);
    expect(scoreAt(5000)).toBe(-2);
  });

  it("snaps to one decimal (what the server keeps), or to a coarser step", () => {
    expect(scoreAt(yOf(0.73))).toBe(0.7);
    expect(scoreAt(yOf(-1.26))).toBe(-1.3);
    expect(scoreAt(yOf(0.73), 0.5)).toBe(0.5);
    expect(snap(1.74, 0.5)).toBe(1.5);
    expect(snap(0.3000000004)).toBe(0.3);
    expect(Object.is(snap(-0.01), 0)).toBe(true); // never a -0 on the wire
    expect(snap(Number.NaN)).toBe(0);
  });

  it("rounds without float noise", () => {
    expect(oneDecimal(0.1 + 0.2)).toBe(0.3);
    expect(oneDecimal(-1.5 + 0.5)).toBe(-1);
  });
});

describe("dragging", () => {
  it("moves a point by the pointer's travel, down lowering the score", () => {
    expect(dragScore(1, 0)).toBe(1);
    expect(dragScore(1, yOf(0) - yOf(1))).toBe(0);
    expect(dragScore(-1, -(yOf(0) - yOf(1)))).toBe(0);
  });

  it("takes the zoom into account", () => {
    const unit = yOf(0) - yOf(1);
    expect(dragScore(0, unit * 2, 2)).toBe(-1); // at 200 %, twice the screen pixels per unit
    expect(dragScore(0, unit / 2, 0.5)).toBe(-1);
  });

  it("stops at the ends of the scale", () => {
    expect(dragScore(1.5, -1000)).toBe(2);
    expect(dragScore(-1.5, 1000)).toBe(-2);
  });
});

describe("keys", () => {
  it("steps by half a point with the arrows, up and right raising", () => {
    expect(keyScore(0, { key: "ArrowUp" })).toBe(0.5);
    expect(keyScore(0, { key: "ArrowRight" })).toBe(0.5);
    expect(keyScore(0, { key: "ArrowDown" })).toBe(-0.5);
    expect(keyScore(0, { key: "ArrowLeft" })).toBe(-0.5);
    expect(keyScore(-1.3, { key: "ArrowUp" })).toBe(-0.8);
  });

  it("steps by a tenth with Shift, a whole point with PageUp and PageDown", () => {
    expect(keyScore(0.2, { key: "ArrowUp", shiftKey: true })).toBe(0.3);
    expect(keyScore(0.2, { key: "ArrowDown", shiftKey: true })).toBe(0.1);
    expect(keyScore(0.5, { key: "PageUp" })).toBe(1.5);
    expect(keyScore(0.5, { key: "PageDown" })).toBe(-0.5);
  });

  it("goes to the minimum with Home and the maximum with End", () => {
    expect(keyScore(0.7, { key: "Home" })).toBe(-2);
    expect(keyScore(0.7, { key: "End" })).toBe(2);
  });

  it("stays on the scale at its ends", () => {
    expect(keyScore(1.8, { key: "ArrowUp" })).toBe(2);
    expect(keyScore(2, { key: "PageUp" })).toBe(2);
    expect(keyScore(-2, { key: "ArrowDown" })).toBe(-2);
  });

  it("leaves other keys and modified keys to others (undo, Alt+arrows)", () => {
    expect(keyScore(0, { key: "a" })).toBeNull();
    expect(keyScore(0, { key: "Delete" })).toBeNull();
    expect(keyScore(0, { key: "ArrowUp", altKey: true })).toBeNull();
    expect(keyScore(0, { key: "ArrowUp", ctrlKey: true })).toBeNull();
    expect(keyScore(0, { key: "Home", metaKey: true })).toBeNull();
  });
});

describe("the curve", () => {
  const points = [
    { id: "b", column: 1, onTouchpoint: false, score: -1 },
    { id: "t", column: 1, onTouchpoint: true, score: 2 },
    { id: "a", column: 0, onTouchpoint: false, score: 1 },
    { id: "c", column: 3, onTouchpoint: false, score: 0.5 },
  ];

  it("goes through the stages' points left to right, not the touchpoints'", () => {
    expect(pathPoints(points, 240)).toEqual([
      [xOf(0, false, 240), yOf(1)],
      [xOf(1, false, 240), yOf(-1)],
      [xOf(3, false, 240), yOf(0.5)],
    ]);
    expect(xOf(1, true, 240)).toBeGreaterThan(xOf(1, false, 240));
  });

  it("follows a point being dragged", () => {
    const live = pathPoints(points, 240, { id: "b", score: 2 });
    expect(live[1]).toEqual([xOf(1, false, 240), yOf(2)]);
    expect(pathPoints(points, 240, { id: "t", score: -2 })).toEqual(pathPoints(points, 240));
  });

  it("is a smooth path from the first point to the last, none for one point", () => {
    const path = curvePath(pathPoints(points, 240));
    expect(path.startsWith(`M${xOf(0, false, 240)},${yOf(1)}`)).toBe(true);
    expect(path).toContain("C"); // cubic segments
    expect(path.endsWith(`${xOf(3, false, 240)},${yOf(0.5)}`)).toBe(true);
    expect(curvePath([[1, 2]])).toBe("");
    expect(curvePath([])).toBe("");
  });

  it("never overshoots: between two equal scores the curve stays flat", () => {
    const flat = curvePath([
      [0, 50],
      [100, 50],
      [200, 80],
    ]);
    const ys = [...flat.matchAll(/-?\d+(?:\.\d+)?,(-?\d+(?:\.\d+)?)/g)].map((m) => Number(m[1]));
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...ys)).toBeLessThanOrEqual(80);
  });
});
