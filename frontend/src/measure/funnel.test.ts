import { describe, expect, it } from "vitest";
import { EV, STAGES } from "./fixture.test-data";
import { funnelRows, leaveRows, periodRows } from "./funnel";
import { disagreements, heatCell, inkOn, measuredPoints, pathRows } from "./voice";

describe("the funnel panel", () => {
  it("lists every measured stage with its bar, conversion and loss", () => {
    const rows = funnelRows(EV, STAGES, { kind: "all" });
    expect(rows.map((r) => [r.name, r.customers, r.conversion, r.lost, r.median])).toEqual([
      ["Awareness", "1,234", null, null, null],
      ["Decision", "600", "49%", "51%", "2.0 h"],
      ["Advocacy", "<10", null, null, null],
    ]);
    expect(rows[1]!.bar).toBeCloseTo(600 / 1234);
    expect(rows[2]!.bar).toBe(0);
  });
  it("shows one group's funnel", () => {
    const rows = funnelRows(EV, STAGES, { kind: "split", group: "young-professional" });
    expect(rows.map((r) => r.customers)).toEqual(["700", "350", "<10"]);
    expect(rows[1]!.conversion).toBe("50%");
  });
  it("puts two periods side by side", () => {
    const rows = periodRows(EV, STAGES);
    expect(rows.map((r) => [r.before, r.after, r.rates, r.p])).toEqual([
      ["600", "634", null, null],
      ["280", "320", "47% → 50% (+3.8 pts)", "p = 0.054"],
    ]);
  });
  it("lists where the leavers left, the largest first", () => {
    expect(leaveRows(EV, [{ id: "page", name: "Product page" }]).map((r) => [r.name, r.share])).toEqual([
      ["Product page", "42%"],
      ["fee", "5.5%"],
    ]);
  });
});

describe("paths, voice and heatmap", () => {
  it("names the top paths, hidden counts as <n", () => {
    const names = new Map([["ad", "Ad"], ["page", "Page"]]);
    expect(pathRows(EV, names)).toEqual([
      { names: ["Ad", "Page"], customers: "500" },
      { names: ["Ad", "Page", "wall"], customers: "<10" },
    ]);
  });
  it("places measured points on their columns, clamped, in words", () => {
    const ev = {
      ...EV,
      feedback: {
        source: "s",
        name: "survey",
        period: [null, null] as [null, null],
        computed_at: "",
        analyser: "vader",
        signal: "csat",
        min_count: 10,
        fingerprints: {},
        scores: [],
        sentiment: [],
        themes: [],
        curve: [
          { stage: "buy", step: null, signal: "csat", n: 81, value: 1.6, low: 1.4, high: 2.3, assumed: 1, disagreement: "the team assumes +1.0", suppressed: false },
          { stage: "nowhere", step: null, signal: "csat", n: 5, value: 1, low: 0, high: 2, assumed: null, disagreement: null, suppressed: false },
        ],
      },
    };
    const cols = [{ index: 0, stage: { id: "aware", name: "Awareness" }, stepId: null, label: "Awareness" }, { index: 1, stage: { id: "buy", name: "Decision" }, stepId: null, label: "Decision" }];
    const points = measuredPoints(ev, cols);
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ column: 1, value: 1.6, low: 1.4, high: 2 });
    expect(points[0]!.words).toBe("Decision: measured +1.6, n=81, 95% interval +1.4 to +2.3, assumed +1.0");
    expect(disagreements(ev)).toEqual(["the team assumes +1.0"]);
  });
  it("colours heatmap cells as the poster does, grey for too few", () => {
    const heat = { by: "week", metric: "drop-off", rows: ["a"], columns: ["w1", "w2", "w3"], values: [[0.5, null, null]], counts: [[40, null, 3]] };
    expect(heatCell(heat, 0, 0, 10)).toEqual({ text: "50%", shade: -0, hidden: false, n: 40 });
    expect(heatCell(heat, 0, 1, 10)).toMatchObject({ text: "<10", hidden: true });
    expect(heatCell(heat, 0, 2, 10)).toMatchObject({ text: "", hidden: false });
    expect(inkOn("#c62828")).toBe("#ffffff");
    expect(inkOn("#f0b429")).toBe("#000000");
  });
});
