import { describe, expect, it } from "vitest";
import { readJourney, type JourneyDoc } from "../api/journey";
import { applyOps } from "../editing/applyOp";
import { fromDocument, toDocument } from "../editing/model";
import type { Op } from "../editing/ops";
import { storeDocument } from "../test/fixtures";
import { gridModel } from "./model";
import {
  addCard,
  addStructure,
  cardLanes,
  cardsIn,
  dropBeside,
  dropCard,
  fits,
  goesWith,
  isShown,
  keyboardMove,
  moveBy,
  neighbourOf,
  placeWords,
  shortText,
  siblingIds,
} from "./structure";

const doc = (raw = storeDocument()) => readJourney(raw);

/** The journey after the operations, as the client's own apply makes it (the server's mirror). */
function after(start: JourneyDoc | Record<string, unknown>, ...ops: (Op | null)[]): JourneyDoc {
  const applied = applyOps(fromDocument(structuredClone(start)), ops.filter((o): o is Op => !!o));
  return readJourney(toDocument(applied));
}

const cell = (stage: string, lane: string, step: string | null = null) => ({ stage, step, lane });
const ids = (d: JourneyDoc, c: ReturnType<typeof cell>) => cardsIn(d, c).map((x) => x.id);

describe("addCard: a new card of the lane's kind at the end of its cell", () => {
  it("makes a touchpoint with the cell's channel, after the cell's last card", () => {
    const op = addCard(doc(), cell("awareness", "touchpoints"), "touchpoints", "A friend tells");
    expect(op.value).toMatchObject({ kind: "touchpoint", channel: "social", text: "A friend tells" });
    expect(op.after).toBe("ad");
    expect(ids(after(storeDocument(), op), cell("awareness", "touchpoints"))).toEqual(["ad", op.id]);
  });

  it("in an empty cell takes the journey's most used channel, else its first, else the web", () => {
    const empty = cell("decision", "touchpoints", "delivery");
    // The fixture's touchpoints use social and web once each: the first counted wins a tie.
    expect(addCard(doc(), empty, "touchpoints", "x").value).toMatchObject({ channel: "social" });
    const raw = storeDocument();
    raw.cards = (raw.cards as { kind: string }[]).filter((c) => c.kind !== "touchpoint");
    expect(addCard(doc(raw), empty, "touchpoints", "x").value).toMatchObject({ channel: "web" });
    raw.channels = [{ id: "kiosk", name: "Kiosk", order_key: "a0", mode: "physical" }];
    expect(addCard(doc(raw), empty, "touchpoints", "x").value).toMatchObject({ channel: "kiosk" });
    expect(addCard(doc(raw), empty, "touchpoints", "x")).not.toHaveProperty("after");
  });

  it("gives a pain point the server's default severity, a note lane a note", () => {
    expect(addCard(doc(), cell("awareness", "pains"), "pain_points", "Slow").value).toMatchObject({
      kind: "pain_point",
      severity: 3,
    });
    expect(addCard(doc(), cell("awareness", "actions"), "text", "Reads").value.kind).toBe("note");
  });
});

describe("goesWith: what a deletion takes along, in words", () => {
  it("counts cards and emotion points under a stage, a lane and a section", () => {
    expect(goesWith(doc(), "stage", "decision")).toBe("3 cards and 2 emotion points");
    expect(goesWith(doc(), "step", "cart")).toBe("1 card and 1 emotion point");
    expect(goesWith(doc(), "lane", "touchpoints")).toBe("2 cards");
    expect(goesWith(doc(), "section", "business")).toBe("1 lane and 1 card");
    expect(goesWith(doc(), "lane", "feelings")).toBe("");
  });
});

describe("moving stages, steps and lanes", () => {
  it("moves one place either way, and not past the ends", () => {
    expect(moveBy(doc(), "stage", "awareness", -1)).toBeNull();
    expect(moveBy(doc(), "stage", "advocacy", 1)).toBeNull();
    const op = moveBy(doc(), "stage", "awareness", 1);
    expect(after(storeDocument(), op).stages.map((s) => s.id)).toEqual([
      "decision",
      "awareness",
      "advocacy",
    ]);
    const back = moveBy(doc(), "step", "delivery", -1);
    expect(siblingIds(after(storeDocument(), back), "step", "delivery")).toEqual(["delivery", "cart"]);
  });

  it("moves a lane at its section's edge on into the next section, as a drag would", () => {
    const down = moveBy(doc(), "lane", "pains", 1);
    expect(down).toMatchObject({ section: "business", before: "metrics" });
    expect(after(storeDocument(), down).sections.map((s) => s.lanes.map((l) => l.id))).toEqual([
      ["actions", "touchpoints", "feelings"],
      ["pains", "metrics"],
    ]);
    const up = moveBy(doc(), "lane", "metrics", -1);
    expect(up).toMatchObject({ section: "persona", after: "pains" });
    expect(moveBy(doc(), "lane", "metrics", 1)).toBeNull();
    expect(moveBy(doc(), "lane", "actions", -1)).toBeNull();
  });

  it("drops a lane beside one in another section, naming the new section", () => {
    const op = dropBeside(doc(), "lane", "pains", "metrics", "after");
    expect(op).toMatchObject({ section: "business", after: "metrics" });
    const moved = after(storeDocument(), op);
    expect(moved.sections.map((s) => s.lanes.map((l) => l.id))).toEqual([
      ["actions", "touchpoints", "feelings"],
      ["metrics", "pains"],
    ]);
    expect(dropBeside(doc(), "stage", "decision", "decision", "before")).toBeNull();
    expect(dropBeside(doc(), "lane", "actions", "feelings", "after")).not.toHaveProperty("section");
  });

  it("adds a stage after another, a step in its stage and a lane of a kind", () => {
    const stage = addStructure("stage", "Loyalty", { after: "decision" });
    const step = addStructure("step", "Returns", { parent: "advocacy" });
    const lane = addStructure("lane", "Quotes", { parent: "business" }, "quotes");
    const made = after(storeDocument(), stage, step, lane);
    expect(made.stages.map((s) => s.name)).toEqual(["Awareness", "Decision", "Loyalty", "Advocacy"]);
    expect(made.stages.at(-1)?.steps.map((s) => s.name)).toEqual(["Returns"]);
    expect(made.sections[1]?.lanes.at(-1)).toMatchObject({ name: "Quotes", kind: "quotes" });
  });
});

describe("keyboardMove: Alt+arrows, the keyboard's drag", () => {
  const d = doc();
  const model = gridModel(d);

  it("goes to the next or previous column in the same lane", () => {
    const right = keyboardMove(d, model, "ad", "right");
    expect(right?.cell).toEqual(cell("decision", "touchpoints"));
    expect(keyboardMove(d, model, "ad", "left")).toBeNull();
    const moved = after(storeDocument(), right!.op);
    expect(ids(moved, cell("decision", "touchpoints"))).toEqual(["ad"]);
  });

  it("goes past a cell's edge only to a lane that holds its kind, skipping the curve", () => {
    // A note fits any card lane: down from the actions lane it goes first among the touchpoints.
    const down = keyboardMove(d, model, "sees-post", "down");
    expect(down?.cell).toEqual(cell("awareness", "touchpoints"));
    expect(ids(after(storeDocument(), down!.op), cell("awareness", "touchpoints"))).toEqual([
      "sees-post",
      "ad",
    ]);
    // A touchpoint has no other lane to go to: the server would refuse the text or pains lane.
    expect(keyboardMove(d, model, "ad", "down")).toBeNull();
    expect(keyboardMove(d, model, "ad", "up")).toBeNull();
    // A pain point below the curve goes nowhere up (the touchpoints lane cannot hold it).
    expect(keyboardMove(d, model, "fee-late", "up")).toBeNull();
  });

  it("knows which lanes hold which cards, as the server does", () => {
    expect(fits("touchpoints", "touchpoint")).toBe(true);
    expect(fits("text", "touchpoint")).toBe(false);
    expect(fits("emotion", "note")).toBe(false);
    expect(cardLanes(model, "pain_point").map((l) => l.id)).toEqual(["pains"]);
    expect(cardLanes(model, "note").map((l) => l.id)).toEqual(["actions", "touchpoints", "pains", "metrics"]);
  });

  it("reorders inside a cell, and the way back gives the order it started with", () => {
    const raw = storeDocument();
    const extra = addCard(doc(raw), cell("awareness", "touchpoints"), "touchpoints", "Second");
    const two = after(raw, extra);
    const up = keyboardMove(two, gridModel(two), extra.id, "up");
    const swapped = after(two, up!.op);
    expect(ids(swapped, cell("awareness", "touchpoints"))).toEqual([extra.id, "ad"]);
    const down = keyboardMove(swapped, gridModel(swapped), extra.id, "down");
    expect(ids(after(swapped, down!.op), cell("awareness", "touchpoints"))).toEqual([
      "ad",
      extra.id,
    ]);
  });
});

describe("dropCard: a card dropped on a cell or beside a card", () => {
  it("goes to the end of another cell, or beside the card it was dropped on", () => {
    const op = dropCard(doc(), "cart-page", cell("awareness", "touchpoints"));
    expect(op).toMatchObject({ stage: "awareness", step: null, after: "ad" });
    const beside = dropCard(doc(), "cart-page", cell("awareness", "touchpoints"), {
      id: "ad",
      edge: "before",
    });
    expect(ids(after(storeDocument(), beside), cell("awareness", "touchpoints"))).toEqual([
      "cart-page",
      "ad",
    ]);
  });

  it("does nothing when it lands where it already is", () => {
    expect(dropCard(doc(), "ad", cell("awareness", "touchpoints"))).toBeNull();
    expect(dropCard(doc(), "ad", cell("awareness", "touchpoints"), { id: "ad", edge: "after" })).toBeNull();
  });
});

describe("words and presence", () => {
  it("names a place for screen readers", () => {
    expect(placeWords(doc(), cell("decision", "pains", "delivery"))).toBe(
      "Decision · Delivery and fees, Pain points",
    );
  });

  it("knows whether a refused edit's thing is on screen", () => {
    expect(isShown(doc(), { entity: "card", id: "ad", field: "text" })).toBe(true);
    expect(isShown(doc(), { entity: "card", id: "never-added", field: null })).toBe(false);
    expect(isShown(doc(), { entity: "step", id: "cart", field: "name" })).toBe(true);
    expect(isShown(doc(), { entity: "journey", id: null, field: "title" })).toBe(true);
  });
});

describe("after a card goes", () => {
  it("puts the focus on the next card of its cell, else the one before, else nowhere", () => {
    const raw = storeDocument();
    const extra = addCard(doc(raw), cell("awareness", "touchpoints"), "touchpoints", "Second");
    const two = after(raw, extra);
    expect(neighbourOf(two, "ad")).toBe(extra.id);
    expect(neighbourOf(two, extra.id)).toBe("ad");
    expect(neighbourOf(doc(), "ad")).toBeNull();
    expect(shortText("x".repeat(50))).toHaveLength(40);
    expect(shortText("  ")).toBe("empty card");
  });
});
