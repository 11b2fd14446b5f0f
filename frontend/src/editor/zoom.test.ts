import { describe, expect, it } from "vitest";
import { fitScale, MIN_ZOOM, zoomIn, zoomOut } from "./zoom";

describe("zoom", () => {
  it("fits the whole map in the view, never above actual size", () => {
    expect(fitScale({ w: 1000, h: 800 }, { w: 2000, h: 1000 })).toBe(0.5);
    expect(fitScale({ w: 1000, h: 300 }, { w: 2000, h: 1000 })).toBe(0.3);
    expect(fitScale({ w: 1000, h: 800 }, { w: 500, h: 400 })).toBe(1);
    expect(fitScale({ w: 100, h: 100 }, { w: 20000, h: 20000 })).toBe(MIN_ZOOM);
  });

  it("steps in and out", () => {
    expect(zoomIn(1)).toBe(1.25);
    expect(zoomOut(1)).toBe(0.9);
    expect(zoomIn(0.38)).toBe(0.5);
    expect(zoomOut(0.38)).toBe(0.33);
    expect(zoomOut(0.1)).toBe(MIN_ZOOM);
  });
});
