import { describe, expect, it } from "vitest";
import {
  ALL,
  type EvidencePublic,
  cardFigures,
  lensChoices,
  readEvidence,
  staleWords,
  stageFigures,
  validLens,
} from "./evidence";
import { EV } from "./fixture.test-data";

const STALE = { touchpoints: ["page"], stages: [], order: false, funnel: false, words: "touchpoint “Product page” changed" };

describe("a touchpoint's figures", () => {
  it("say reach and drop-off as the poster does, with one sentence to read", () => {
    const f = cardFigures(EV, null, "page")!;
    expect(f.lines).toEqual(["Reached 800 customers", "42% of leavers left here"]);
    expect(f.label).toBe("Measured: Reach 800 customers, 42% of leavers left here");
    expect(f.stale).toBe(false);
  });
  it("show a count under the minimum as <n and nothing derived from it", () => {
    expect(cardFigures(EV, null, "wall")!.lines).toEqual(["Reached <10 customers"]);
  });
  it("are absent for a touchpoint that was not measured", () => {
    expect(cardFigures(EV, null, "nowhere")).toBeNull();
  });
  it("are stale when the touchpoint itself changed", () => {
    const f = cardFigures(EV, STALE, "page")!;
    expect(f.stale).toBe(true);
    expect(f.lines.at(-1)).toBe("stale: changed since measured");
    expect(f.label).toMatch(/\(stale\)$/);
  });
  it("keep a reach fresh when only another touchpoint changed, unless they show drop-off", () => {
    expect(cardFigures(EV, STALE, "ad")!.stale).toBe(false); // reach only: its own binding
    expect(cardFigures(EV, { ...STALE, touchpoints: ["ad"] }, "page")!.stale).toBe(true); // drop-off rests on all
  });
  it("are not drawn for one group of the split (reach is measured for everyone)", () => {
    expect(cardFigures(EV, null, "page", { kind: "split", group: "family-shopper" })).toBeNull();
  });
});

describe("a stage's figures", () => {
  it("say customers, conversion and median time", () => {
    const f = stageFigures(EV, null, "buy")!;
    expect(f.lines).toEqual(["600 customers", "49% from previous · median 2.0 h"]);
    expect(f.label).toBe("Measured: 600 customers, conversion 49% from the previous stage, median time 2.0 h");
  });
  it("show a hidden stage as <n", () => {
    expect(stageFigures(EV, null, "love")!.lines).toEqual(["<10 customers"]);
  });
  it("are all stale once anything the funnel rests on changed", () => {
    expect(stageFigures(EV, STALE, "aware")!.stale).toBe(true);
    expect(stageFigures(EV, null, "aware")!.stale).toBe(false);
  });
  it("switch to one group of the split", () => {
    const f = stageFigures(EV, null, "buy", { kind: "split", group: "family-shopper" })!;
    expect(f.lines).toEqual(["250 customers", "47% from previous"]);
    expect(f.label).toContain("persona family-shopper");
    expect(stageFigures(EV, null, "love", { kind: "split", group: "young-professional" })!.lines).toEqual([
      "<10 customers",
    ]);
  });
  it("compare two periods: both figures and the change", () => {
    const f = stageFigures(EV, null, "buy", { kind: "periods" })!;
    expect(f.lines).toEqual(["280 → 320 customers", "47% → 50% (+3.8 pts) · p = 0.054"]);
  });
});

describe("the lens", () => {
  it("offers the split's groups and the periods when measured", () => {
    expect(lensChoices(EV)).toEqual({ groups: ["young-professional", "family-shopper"], by: "persona", periods: true });
    expect(lensChoices({ ...EV, split: null, periods: null })).toEqual({ groups: [], by: null, periods: false });
  });
  it("falls back to everyone when the evidence has no such group", () => {
    expect(validLens(EV, { kind: "split", group: "gone" })).toEqual(ALL);
    expect(validLens({ ...EV, periods: null }, { kind: "periods" })).toEqual(ALL);
    expect(validLens(EV, { kind: "split", group: "family-shopper" })).toEqual({ kind: "split", group: "family-shopper" });
  });
});

describe("reading the API's answer", () => {
  it("takes format 3 and refuses what it cannot draw", () => {
    const answer = { data: EV, etag: "x", updated_at: "", updated_by: null } as EvidencePublic;
    expect(readEvidence(answer)).toBe(EV);
    expect(readEvidence({ ...answer, data: { items: [] } })).toBeNull();
  });
  it("names what changed in the stale note", () => {
    expect(staleWords(EV, STALE)).toContain("touchpoint “Product page” changed");
    expect(staleWords(EV, null)).toBeNull();
  });
});
