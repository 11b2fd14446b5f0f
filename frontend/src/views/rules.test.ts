import { describe, expect, it } from "vitest";
import { readJourney } from "../api/journey";
import { gridModel } from "../editor/model";
import { storeDocument } from "../test/fixtures";
import {
  ALL,
  applyView,
  cleanView,
  isAll,
  personasOf,
  sameView,
  shownCount,
  toView,
  toggled,
  viewOptions,
  viewSummary,
  type View,
} from "./rules";

function store(change?: (data: Record<string, unknown>) => void) {
  const data = storeDocument();
  change?.(data);
  return readJourney(data);
}

const lanesOf = (view: View, doc = store()) =>
  applyView(gridModel(doc), view, doc).sections.flatMap((s) => s.lanes.map((l) => l.lane.id));
const cardsOf = (view: View, doc = store()) =>
  applyView(gridModel(doc), view, doc).sections.flatMap((s) =>
    s.lanes.flatMap((l) => l.cells.flat().map((c) => c.id)),
  );

describe("views", () => {
  it("shows everything by default, the same model", () => {
    const doc = store();
    const model = gridModel(doc);
    expect(applyView(model, ALL, doc)).toBe(model);
    expect(applyView(model, { ...ALL, zoom: 0.5 }, doc)).toBe(model);
    expect(shownCount(model)).toBe(6);
  });

  it("hides lanes, and a section with all its lanes", () => {
    expect(lanesOf({ ...ALL, hidden_lanes: ["actions", "pains"] })).toEqual([
      "touchpoints",
      "feelings",
      "metrics",
    ]);
    expect(lanesOf({ ...ALL, hidden_sections: ["persona"] })).toEqual(["metrics"]);
    // A section whose lanes are all hidden goes too.
    const doc = store();
    const model = applyView(gridModel(doc), { ...ALL, hidden_lanes: ["metrics"] }, doc);
    expect(model.sections.map((s) => s.section.id)).toEqual(["persona"]);
  });

  it("filters touchpoints by channel, leaving other kinds", () => {
    const cards = cardsOf({ ...ALL, channels: ["web"] });
    expect(cards).toContain("cart-page");
    expect(cards).not.toContain("ad");
    expect(cards).toContain("fee-late"); // a pain point names no channel
    const doc = store();
    expect(shownCount(applyView(gridModel(doc), { ...ALL, channels: ["web"] }, doc))).toBe(5);
  });

  it("filters touchpoints and opportunities by team; one with none is hidden by it", () => {
    const cards = cardsOf({ ...ALL, teams: ["Marketing"] });
    expect(cards).toContain("ad");
    expect(cards).not.toContain("cart-page"); // no team
    expect(cards).toContain("sees-post");
  });

  it("filters by the persona a card names by a tag; cards naming none stay", () => {
    const doc = store((d) => {
      const personas = d.personas as Record<string, unknown>[];
      personas.push({ ...personas[0], id: "sam", name: "Sam", order_key: "a1" });
      const cards = d.cards as Record<string, unknown>[];
      cards[0]!.tags = ["Sam"]; // sees-post, by name
      cards[1]!.tags = ["alex"]; // ad, by id
    });
    expect(personasOf(doc.cards.find((c) => c.id === "sees-post")!, doc)).toEqual(["sam"]);
    expect(viewOptions(doc).personas).toEqual([
      { id: "alex", name: "Alex" },
      { id: "sam", name: "Sam" },
    ]);
    const cards = cardsOf({ ...ALL, personas: ["alex"] }, doc);
    expect(cards).toContain("ad");
    expect(cards).not.toContain("sees-post");
    expect(cards).toContain("fee-late");
    expect(viewSummary({ ...ALL, personas: ["sam"] }, doc)).toBe("persona: Sam");
  });

  it("offers the channels and teams the cards hold", () => {
    const options = viewOptions(store());
    expect(options.channels).toEqual(["social", "web"]);
    expect(options.teams).toEqual(["Marketing"]);
    expect(options.personas).toEqual([]); // no card names one
  });

  it("ignores what a saved view names that the journey no longer has", () => {
    const saved = toView({ hidden_lanes: ["actions", "gone"], hidden_sections: ["old"], personas: ["x"] });
    expect(cleanView(saved, store())).toEqual({ ...ALL, hidden_lanes: ["actions"] });
    expect(lanesOf(saved)).not.toContain("actions");
  });

  it("reads the wire's settings, compares and toggles", () => {
    expect(toView(undefined)).toEqual(ALL);
    expect(isAll(toView({}))).toBe(true);
    expect(isAll({ ...ALL, zoom: 1 })).toBe(false);
    expect(sameView({ ...ALL, hidden_lanes: ["a", "b"] }, { ...ALL, hidden_lanes: ["b", "a"] })).toBe(true);
    expect(sameView({ ...ALL, zoom: 1 }, ALL)).toBe(false);
    expect(toggled(["a"], "b", true)).toEqual(["a", "b"]);
    expect(toggled(["a", "b"], "a", false)).toEqual(["b"]);
    expect(viewSummary({ ...ALL, hidden_sections: ["business"], hidden_lanes: ["pains"], channels: ["web"] }, store())).toBe(
      "2 lanes hidden · channel: web",
    );
  });
});
