import { describe, expect, it } from "vitest";
import { type Comparison, compareMarks, pairOf, tallies } from "./pair";

const ref = (id: string, state: string) => ({ id, title: id, state, rev: 1 });

describe("current and future pair", () => {
  it("finds the other half either way", () => {
    expect(
      pairOf(
        { id: "f", title: "F", state: "future" },
        { current: ref("c", "current"), futures: [] },
      ),
    ).toEqual({ current: ref("c", "current"), future: { id: "f", title: "F", state: "future" } });
    expect(
      pairOf(
        { id: "c", title: "C", state: "current" },
        { current: null, futures: [ref("f", "future")] },
      ),
    ).toEqual({ current: { id: "c", title: "C", state: "current" }, future: ref("f", "future") });
    expect(
      pairOf({ id: "c", title: "C", state: "current" }, { current: null, futures: [] }),
    ).toBeNull();
  });

  it("marks resolved pain points beside the diff's marks, and counts the lists", () => {
    const found: Comparison = {
      from_journey: ref("c", "current"),
      to_journey: ref("f", "future"),
      changed: true,
      diff: {
        journey: [],
        personas: [],
        channels: [],
        stages: [],
        steps: [],
        sections: [],
        lanes: [],
        emotions: [],
        cards: [
          { entity: "card", id: "fee", change: "removed", label: "Fee", fields: [] },
          { entity: "card", id: "chat", change: "added", label: "Chat", fields: [] },
        ],
      },
      summary: [],
      touchpoints_added: [{ id: "chat", label: "Chat", stage: "Buy", changes: ["added"] }],
      touchpoints_removed: [],
      touchpoints_changed: [],
      pain_points_resolved: [
        { id: "fee", label: "Fee", stage: "Buy", how: "removed from the newer map" },
        { id: "slow", label: "Slow", stage: "Buy", how: "marked resolved" },
      ],
    };
    const marks = compareMarks(found);
    expect(marks.get("fee")?.label).toBe("Removed, resolved");
    expect(marks.get("slow")).toEqual({
      kinds: ["resolved"],
      label: "Resolved",
      details: ["marked resolved"],
    });
    expect(marks.get("chat")?.label).toBe("Added");
    expect(tallies(found).map((t) => t.count)).toEqual([1, 0, 0, 2]);
  });
});
