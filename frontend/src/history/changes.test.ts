import { describe, expect, it } from "vitest";
import { type JourneyDoc, readJourney } from "../api/journey";
import { storeDocument } from "../test/fixtures";
import {
  type Change,
  cardMarks,
  countLine,
  highlightOf,
  type JourneyDiff,
  withGhosts,
  withHighlight,
} from "./changes";

function diffOf(cards: Change[]): JourneyDiff {
  return {
    journey: [],
    personas: [],
    channels: [],
    stages: [],
    steps: [],
    sections: [],
    lanes: [],
    cards,
    emotions: [],
  };
}

function change(id: string, kind: Change["change"], fields: Change["fields"] = []): Change {
  return { entity: "card", id, change: kind, label: id, fields };
}

describe("change classification", () => {
  it("turns each diff kind into the highlight a user sees", () => {
    expect(highlightOf("added")).toBe("added");
    expect(highlightOf("restored")).toBe("added"); // back on the map: new to this state
    expect(highlightOf("removed")).toBe("removed");
    expect(highlightOf("moved")).toBe("moved");
    expect(highlightOf("renamed")).toBe("changed");
    expect(highlightOf("changed")).toBe("changed");
  });

  it("groups a card's changes into one mark with words and details", () => {
    const marks = cardMarks(
      diffOf([
        change("fee-late", "moved", [{ field: "step", before: "delivery", after: "cart" }]),
        change("fee-late", "changed", [{ field: "severity", before: 3, after: 5 }]),
        change("ad", "renamed", [{ field: "text", before: "Ad", after: "Big ad" }]),
        change("new", "added"),
      ]),
    );
    expect(marks.get("fee-late")).toEqual({
      kinds: ["moved", "changed"],
      label: "Moved, changed",
      details: ["step delivery → cart", "severity 3 → 5"],
    });
    expect(marks.get("ad")?.label).toBe("Changed");
    expect(marks.get("new")?.details).toEqual([]);
    expect(countLine(marks)).toBe("Cards: 1 added, 1 moved, 2 changed");
    expect(countLine(new Map())).toBe("No card changed");
  });

  it("adds a resolved pain point to its mark", () => {
    const marks = withHighlight(
      cardMarks(diffOf([change("fee-late", "removed")])),
      "fee-late",
      "resolved",
      "gone",
    );
    expect(marks.get("fee-late")).toEqual({
      kinds: ["removed", "resolved"],
      label: "Removed, resolved",
      details: ["gone"],
    });
  });
});

describe("ghost cards", () => {
  const before = readJourney(storeDocument());
  const without = (doc: JourneyDoc, id: string): JourneyDoc => ({
    ...doc,
    cards: doc.cards.filter((c) => c.id !== id),
  });

  it("puts a removed card back in its cell, after the card it followed", () => {
    const after = without(before, "cart-page");
    const marks = cardMarks(diffOf([change("cart-page", "removed")]));
    const drawn = withGhosts(after, before, marks);
    expect(drawn.cards.map((c) => c.id)).toEqual(before.cards.map((c) => c.id));
    expect(withGhosts(after, before, new Map())).toBe(after); // nothing removed: as it is
  });

  it("leaves out a removed card whose lane is gone too", () => {
    const after = {
      ...without(before, "abandon"),
      sections: before.sections.filter((s) => s.id !== "business"),
    };
    const marks = cardMarks(diffOf([change("abandon", "removed")]));
    expect(withGhosts(after, before, marks).cards.some((c) => c.id === "abandon")).toBe(false);
  });
});
