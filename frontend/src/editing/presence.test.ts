import { describe, expect, it } from "vitest";
import { outlineLabel, presenceCard } from "./presence";

describe("the card my presence names", () => {
  it("is the one I drag, before the one I type in or have selected", () => {
    expect(presenceCard({ dragging: "a", focused: "b", selected: "c" })).toEqual({
      card: "a",
      dragging: true,
    });
    expect(presenceCard({ dragging: null, focused: "b", selected: "c" })).toEqual({
      card: "b",
      dragging: false,
    });
    expect(presenceCard({ dragging: null, focused: null, selected: "c" })).toEqual({
      card: "c",
      dragging: false,
    });
    expect(presenceCard({ dragging: null, focused: null, selected: null })).toEqual({
      card: null,
      dragging: false,
    });
  });

  it("is outlined with the person's name, saying so while they move it", () => {
    expect(outlineLabel({ name: "Ann", dragging: false })).toBe("Ann");
    expect(outlineLabel({ name: "Ann", dragging: true })).toBe("Ann is moving this card");
  });
});
