import { describe, expect, it } from "vitest";
import { keyMove, slideWords, slidesOf, stagesShown } from "./steps";

const stages = [{ name: "See" }, { name: "Think" }, { name: "Do" }] as never[];
const persona = [{ id: "p" }] as never[];

describe("presentation steps", () => {
  it("shows the persona first, then each stage", () => {
    expect(slidesOf({ personas: persona, stages })).toEqual([
      { kind: "persona" },
      { kind: "stage", index: 0 },
      { kind: "stage", index: 1 },
      { kind: "stage", index: 2 },
    ]);
    expect(slidesOf({ personas: [], stages })[0]).toEqual({
      kind: "stage",
      index: 0,
    });
  });

  it("moves by key, stopping at the ends; Escape leaves", () => {
    expect(keyMove("ArrowRight", 0, 4)).toEqual({ to: 1 });
    expect(keyMove("ArrowRight", 3, 4)).toEqual({ to: 3 });
    expect(keyMove("ArrowLeft", 0, 4)).toEqual({ to: 0 });
    expect(keyMove(" ", 1, 4)).toEqual({ to: 2 });
    expect(keyMove(" ", 1, 4, true)).toEqual({ to: 0 });
    expect(keyMove("End", 0, 4)).toEqual({ to: 3 });
    expect(keyMove("Home", 3, 4)).toEqual({ to: 0 });
    expect(keyMove("Escape", 2, 4)).toBe("leave");
    expect(keyMove("a", 2, 4)).toBeNull();
    expect(keyMove("ArrowRight", 0, 0)).toEqual({ to: 0 });
  });

  it("draws the curve up to the stage shown", () => {
    const slides = slidesOf({ personas: persona, stages });
    expect([0, 1, 2, 3].map((i) => stagesShown(slides, i))).toEqual([
      0, 1, 2, 3,
    ]);
    expect(slideWords({ stages }, slides[2])).toBe("Stage 2 of 3: Think");
    expect(slideWords({ stages }, slides[0])).toBe("The persona");
  });
});
