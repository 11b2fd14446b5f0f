import { describe, expect, it } from "vitest";
import { countText, durationText, pointsText, pyFixed, shareText, signedText } from "./format";

describe("the poster's number formats", () => {
  it("rounds an exact half to even, as Python does", () => {
    expect(pyFixed(12.5, 0)).toBe("12");
    expect(pyFixed(13.5, 0)).toBe("14");
    expect(pyFixed(0.25, 1)).toBe("0.2");
    expect(pyFixed(0.75, 1)).toBe("0.8");
    expect(pyFixed(1.15, 1)).toBe("1.1"); // 1.15 is 1.1499999… in binary: not a tie
    expect(pyFixed(2.675, 2)).toBe("2.67");
  });
  it("writes counts with thousands separators", () => {
    expect(countText(1234)).toBe("1,234");
    expect(countText(1234567)).toBe("1,234,567");
    expect(countText(999)).toBe("999");
    expect(countText(0)).toBe("0");
  });
  it("writes shares as whole percents, with a decimal under a tenth", () => {
    expect(shareText(0.42)).toBe("42%");
    expect(shareText(0.125)).toBe("12%"); // 12.5 exactly: half to even
    expect(shareText(0.055)).toBe("5.5%");
    expect(shareText(1)).toBe("100%");
    expect(shareText(0)).toBe("0.0%");
  });
  it("writes durations in the largest unit that fits", () => {
    expect(durationText(46)).toBe("46 s");
    expect(durationText(120)).toBe("2.0 min");
    expect(durationText(5400)).toBe("1.5 h");
    expect(durationText(86400 * 3)).toBe("3.0 d");
  });
  it("signs scores and never writes -0.0", () => {
    expect(signedText(0.4)).toBe("+0.4");
    expect(signedText(-1.26)).toBe("-1.3");
    expect(signedText(-0.01)).toBe("0.0");
    expect(pointsText(0.4667, 0.5047)).toBe("+3.8 pts");
    expect(pointsText(0.5, 0.45)).toBe("-5.0 pts");
  });
});
