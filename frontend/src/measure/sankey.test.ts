import { describe, expect, it } from "vitest";
import { EV } from "./fixture.test-data";
import { placesOf, sankeyLayout } from "./sankey";

const PLACES = [
  { id: "ad", name: "Ad", column: 0 },
  { id: "page", name: "Product page", column: 1 },
  { id: "fee", name: "Fee", column: 2 },
  { id: "wall", name: "Wall", column: 2 },
];

describe("the Sankey layout", () => {
  const s = sankeyLayout(EV.transitions!, PLACES, 10, { step: 150, height: 300 });
  const node = (id: string) => s.nodes.find((n) => n.id === id)!;
  const link = (a: string, b: string) => s.links.find((l) => l.source === a && l.target === b)!;

  it("puts touchpoints in columns by the map's order", () => {
    expect(node("ad").x).toBe(0);
    expect(node("page").x).toBe(150);
    expect(node("fee").x).toBe(300);
    expect(node("wall").x).toBe(300);
    expect(node("fee").y).toBeLessThan(node("wall").y);
  });
  it("draws bands as wide as their customers", () => {
    expect(link("ad", "page").width / link("page", "fee").width).toBeCloseTo(3);
    expect(node("page").total).toBe(900); // forward moves: in 900 (the loop back is not counted), out 300
  });
  it("says the counts, hidden ones as <n, and the median times", () => {
    expect(link("ad", "page").count).toBe("900");
    expect(link("ad", "page").gap).toBe("30 s");
    expect(link("page", "wall").count).toBe("<10");
    expect(link("page", "wall").hidden).toBe(true);
    expect(link("page", "wall").gap).toBeNull();
  });
  it("loops a move back under the nodes", () => {
    expect(link("fee", "page").back).toBe(true);
    expect(link("ad", "page").back).toBe(false);
  });
  it("places a touchpoint no longer on the map last", () => {
    const t = [...EV.transitions!, { source: "fee", target: "gone", count: 50, share: 0.1, median_gap_s: 5, suppressed: false }];
    const g = sankeyLayout(t, PLACES, 10, { step: 100, height: 300 });
    const gone = g.nodes.find((n) => n.id === "gone")!;
    expect(gone.name).toBe("gone");
    expect(gone.x).toBeGreaterThan(g.nodes.find((n) => n.id === "fee")!.x);
  });
  it("reads the touchpoints of the map in column order", () => {
    const cols = [
      { stage: { id: "a" }, stepId: null },
      { stage: { id: "b" }, stepId: "s1" },
    ];
    const cards = [
      { id: "x", kind: "touchpoint", stage: "b", step: "s1", text: "X" },
      { id: "n", kind: "note", stage: "a", text: "N" },
      { id: "y", kind: "touchpoint", stage: "a", step: null, text: "Y" },
    ];
    expect(placesOf(cols, cards)).toEqual([
      { id: "y", name: "Y", column: 0 },
      { id: "x", name: "X", column: 1 },
    ]);
  });
});
