import { describe, expect, it } from "vitest";
import { storeDocument } from "../test/fixtures";
import { DocumentError, readJourney } from "./journey";

describe("readJourney", () => {
  it("reads every collection as the server sends it", () => {
    const doc = readJourney(storeDocument());
    expect(doc.title).toBe("Buying a gift online");
    expect(doc.stages.map((s) => s.id)).toEqual(["awareness", "decision", "advocacy"]);
    expect(doc.stages[1]?.steps.map((s) => s.name)).toEqual(["Cart", "Delivery and fees"]);
    expect(doc.sections.flatMap((s) => s.lanes.map((l) => l.kind))).toEqual([
      "text",
      "touchpoints",
      "emotion",
      "pain_points",
      "metrics",
    ]);
    const ad = doc.cards.find((c) => c.id === "ad");
    expect(ad).toMatchObject({ kind: "touchpoint", confidence: "assumed", order_key: "a0" });
    expect(ad?.step == null && ad?.kind === "touchpoint" && ad.mode == null).toBe(true); // left out: null
    expect(ad?.kind === "touchpoint" && ad.events?.names).toEqual(["social_ad_click"]);
    const pain = doc.cards.find((c) => c.id === "fee-late");
    expect(pain).toMatchObject({ kind: "pain_point", severity: 5, confidence: "observed" });
    expect(doc.emotions.map((e) => e.score)).toEqual([1, -1.5, 0.5, 1.5]);
  });

  it("orders by order_key, comparing bytewise, as the server does", () => {
    const data = storeDocument();
    data.stages = [
      { id: "b", name: "B", order_key: "a1" },
      { id: "a", name: "A", order_key: "a0" },
      { id: "c", name: "C", order_key: "a0V" },
    ];
    expect(readJourney(data).stages.map((s) => s.id)).toEqual(["a", "c", "b"]);
  });

  it("names the place of what it cannot read", () => {
    const data = storeDocument();
    (data.cards as Record<string, unknown>[])[1] = { id: "x", kind: "sticker", stage: "a", lane: "b", text: "t" };
    expect(() => readJourney(data)).toThrow(DocumentError);
    expect(() => readJourney(data)).toThrow("cards[1].kind: unknown card kind 'sticker'");
    expect(() => readJourney({ ...storeDocument(), title: 7 })).toThrow("document.title: expected text");
    expect(() => readJourney([])).toThrow("document: expected an object");
  });
});
