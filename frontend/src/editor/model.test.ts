import { describe, expect, it } from "vitest";
import { readJourney } from "../api/journey";
import { storeDocument } from "../test/fixtures";
import { gridModel, OVERALL } from "./model";

describe("gridModel: the poster's structure", () => {
  const model = gridModel(readJourney(storeDocument()));

  it("makes a column per stage, or per step, with Overall for a stage's own cards", () => {
    expect(model.columns.map((c) => [c.stage.id, c.stepId, c.label, c.hasHeader])).toEqual([
      ["awareness", null, "Awareness", false],
      ["decision", null, OVERALL, true],
      ["decision", "cart", "Cart", true],
      ["decision", "delivery", "Delivery and fees", true],
      ["advocacy", null, "Advocacy", false],
    ]);
    expect(model.stages.map((s) => [s.stage.id, s.first, s.span, s.pains])).toEqual([
      ["awareness", 0, 1, 0],
      ["decision", 1, 3, 1],
      ["advocacy", 4, 1, 0],
    ]);
  });

  it("puts each card in its lane's cell, in order, and the curve in the emotion lane", () => {
    const lanes = new Map(model.sections.flatMap((s) => s.lanes).map((l) => [l.lane.id, l]));
    const ids = (lane: string) => lanes.get(lane)?.cells.map((cell) => cell.map((c) => c.id));
    expect(ids("actions")).toEqual([["sees-post"], [], [], [], ["tells"]]);
    expect(ids("touchpoints")).toEqual([["ad"], [], ["cart-page"], [], []]);
    expect(ids("metrics")).toEqual([[], ["abandon"], [], [], []]);
    expect(lanes.get("feelings")?.isCurve).toBe(true);
    expect(model.curveRowFirst).toBe(false);
    expect(model.cardCount).toBe(6);
  });

  it("places emotion points at their columns, a touchpoint's after its stage's", () => {
    expect(model.points.map((p) => [p.point.id, p.column, p.onTouchpoint])).toEqual([
      ["e1", 0, false],
      ["e3", 2, true],
      ["e2", 3, false],
      ["e4", 4, false],
    ]);
  });

  it("keeps a stage with steps to its steps when it has nothing of its own", () => {
    const data = storeDocument();
    data.cards = (data.cards as { id: string }[]).filter((c) => c.id !== "abandon");
    const cols = gridModel(readJourney(data)).columns.map((c) => c.label);
    expect(cols).toEqual(["Awareness", "Cart", "Delivery and fees", "Advocacy"]);
  });

  it("draws the curve above the sections when no lane is an emotion lane", () => {
    const data = storeDocument();
    data.sections = [{ id: "s", name: "S", lanes: [{ id: "actions", name: "Actions" }] }];
    data.cards = [];
    const m = gridModel(readJourney(data));
    expect(m.curveRowFirst).toBe(true);
    expect(m.sections[0]?.lanes[0]?.isCurve).toBe(false);
  });

  it("leaves out cards whose stage, step or lane is not on the map", () => {
    const data = storeDocument();
    (data.cards as Record<string, unknown>[]).push(
      { id: "lost1", kind: "note", stage: "gone", lane: "actions", text: "x" },
      { id: "lost2", kind: "note", stage: "decision", step: "gone", lane: "actions", text: "x" },
      { id: "lost3", kind: "note", stage: "awareness", lane: "gone", text: "x" },
    );
    expect(gridModel(readJourney(data)).cardCount).toBe(6);
  });
});
