import { describe, expect, it } from "vitest";
import { readJourney } from "../../api/journey";
import { applyOp } from "../../editing/applyOp";
import { fromDocument, toDocument } from "../../editing/model";
import { inverseOf } from "../../editing/undo";
import { storeDocument } from "../../test/fixtures";
import { gridModel } from "../model";
import {
  addPoint,
  columnWords,
  columnsWithoutPoint,
  deletePoint,
  placeWords,
  setNote,
  setScore,
  sliderName,
  valueText,
} from "./points";

const model = gridModel(readJourney(storeDocument()));
const placed = (id: string) => model.points.find((p) => p.point.id === id)!;

describe("the words of a point", () => {
  it("names a point by its stage, its step, or its touchpoint", () => {
    expect(sliderName(model, placed("e1"))).toBe("Emotion at Awareness");
    expect(sliderName(model, placed("e2"))).toBe("Emotion at Decision · Delivery and fees");
    expect(placeWords(model, placed("e3"))).toBe("Decision · Cart, touchpoint Cart page");
  });

  it("says the score, then the note", () => {
    expect(valueText(-1, "Shipping fee shock")).toBe("−1.0, Shipping fee shock");
    expect(valueText(1.5, null)).toBe("+1.5");
    expect(valueText(0, "  ")).toBe("0.0");
    expect(valueText(2, "x".repeat(200)).length).toBeLessThan(100);
  });

  it("names a column by its stage and step", () => {
    expect(model.columns.map(columnWords)).toEqual([
      "Awareness",
      "Decision", // its own column ("Overall"): the stage itself
      "Decision · Cart",
      "Decision · Delivery and fees",
      "Advocacy",
    ]);
  });
});

describe("where a point may be added", () => {
  it("offers the columns without a point of their own (a touchpoint's does not count)", () => {
    expect(columnsWithoutPoint(model).map((c) => c.index)).toEqual([1, 2]);
  });
});

describe("the operations", () => {
  const journey = fromDocument(storeDocument());
  const emotions = (j: typeof journey) =>
    (toDocument(j).emotions as { id: string; score: number; note?: string | null; step?: string }[]).map(
      (e) => ({ id: e.id, score: e.score, note: e.note ?? null, step: e.step ?? null }),
    );

  it("sets a score, one op, undone by setting the old one back", () => {
    const op = setScore("e1", -0.5);
    const after = applyOp(journey, op);
    expect(emotions(after)[0]).toEqual({ id: "e1", score: -0.5, note: "Curious", step: null });
    expect(inverseOf(journey, op)).toEqual(setScore("e1", 1));
  });

  it("sets a note, trimmed, and clears it when emptied", () => {
    expect(setNote("e1", "  Keen ")).toMatchObject({ field: "note", value: "Keen" });
    expect(setNote("e1", "   ")).toMatchObject({ field: "note", value: null });
  });

  it("adds a neutral point in a step's column, deleted by its undo", () => {
    const cart = model.columns[2]!;
    const op = addPoint(cart, "emotion-new");
    expect(op).toEqual({
      kind: "add",
      entity: "emotion",
      id: "emotion-new",
      value: { stage: "decision", step: "cart", score: 0 },
    });
    const after = applyOp(journey, op);
    expect(emotions(after).find((e) => e.id === "emotion-new")).toEqual({
      id: "emotion-new",
      score: 0,
      note: null,
      step: "cart",
    });
    expect(inverseOf(journey, op)).toEqual(deletePoint("emotion-new"));
    const stageOnly = addPoint(model.columns[0]!, "emotion-2", 1);
    expect(stageOnly).toMatchObject({ value: { stage: "awareness", score: 1 } });
    expect("step" in (stageOnly as { value: object }).value).toBe(false);
  });

  it("deletes a point, which its undo restores", () => {
    const op = deletePoint("e2");
    const after = applyOp(journey, op);
    expect(emotions(after).map((e) => e.id)).toEqual(["e1", "e3", "e4"]);
    expect(inverseOf(journey, op)).toEqual({ kind: "restore", entity: "emotion", id: "e2" });
    expect(emotions(applyOp(after, inverseOf(journey, op)))).toEqual(emotions(journey));
  });
});
